package applications

// The store's SQL, written with ? placeholders and passed through
// store.DB.Rebind. Every statement runs unchanged on SQLite and
// PostgreSQL (ON CONFLICT and RETURNING exist in both).

const applicationColumns = `id, reference, service_slug, catalogue_version, person_id, contact_name, contact_email,
	answers, fee_amount, fee_currency, fee_when, status, created_at, submitted_at, updated_at, due_date, lang,
	organisation_id, submitted_by`

const summaryColumns = `id, reference, service_slug, person_id, contact_name, contact_email, status,
	created_at, submitted_at, updated_at, due_date, organisation_id, submitted_by`

const fileColumns = `id, application_id, event_seq, field, filename, content_type, size, sha256, storage_name, created_at`

const (
	qTokenApplication = `SELECT application_id, person_id FROM submission_tokens WHERE token = ?`

	// ON CONFLICT DO NOTHING: a reference (or id) already taken inserts
	// nothing, and Submit draws another, without aborting the transaction
	// as a unique violation would on PostgreSQL.
	qInsertApplication = `INSERT INTO applications (` + applicationColumns + `)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`

	qInsertToken = `INSERT INTO submission_tokens (token, application_id, person_id, created_at) VALUES (?, ?, ?, ?)`

	qNextSeq = `SELECT COALESCE(MAX(seq), 0) + 1 FROM application_events WHERE application_id = ?`

	qInsertEvent = `INSERT INTO application_events
	(application_id, seq, at, actor_person_id, actor_role, from_status, to_status, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`

	qInsertFile = `INSERT INTO application_files (` + fileColumns + `) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

	qApplicationByID  = `SELECT ` + applicationColumns + ` FROM applications WHERE id = ?`
	qApplicationByRef = `SELECT ` + applicationColumns + ` FROM applications WHERE reference = ?`
	// The person is part of the query: another person's application is
	// simply not found.
	qApplicationForApplicant = `SELECT ` + applicationColumns + ` FROM applications WHERE reference = ? AND person_id = ?`

	qEvents = `SELECT seq, at, actor_person_id, actor_role, from_status, to_status, note
	FROM application_events WHERE application_id = ? ORDER BY seq`

	qFiles = `SELECT ` + fileColumns + ` FROM application_files WHERE application_id = ?
	ORDER BY COALESCE(event_seq, 0), created_at, id`

	qFileForApplicant = `SELECT f.id, f.application_id, f.event_seq, f.field, f.filename, f.content_type, f.size,
	f.sha256, f.storage_name, f.created_at
	FROM application_files f JOIN applications a ON a.id = f.application_id
	WHERE f.id = ? AND a.person_id = ?`

	qFileByID = `SELECT ` + fileColumns + ` FROM application_files WHERE id = ?`

	qListForApplicant = `SELECT ` + summaryColumns + ` FROM applications WHERE person_id = ?
	ORDER BY created_at DESC, id`
	qListForOrganisation = `SELECT ` + summaryColumns + ` FROM applications WHERE organisation_id = ?
	ORDER BY created_at DESC, id`

	qStatusByRef             = `SELECT id, status FROM applications WHERE reference = ?`
	qStatusByRefForApplicant = `SELECT id, status FROM applications WHERE reference = ? AND person_id = ?`

	// The status in the WHERE clause is the optimistic check: if another
	// change got in since the status was read, nothing is updated.
	qUpdateStatus = `UPDATE applications SET status = ?, updated_at = ? WHERE id = ? AND status = ?`

	qInsertAudit = `INSERT INTO audit_log (id, at, actor_person_id, actor_role, action, application_id, detail)
	VALUES (?, ?, ?, ?, ?, ?, ?)`

	qAudit = `SELECT id, at, actor_person_id, actor_role, action, application_id, detail
	FROM audit_log WHERE application_id = ? ORDER BY at, id`

	qUpsertDraft = `INSERT INTO application_drafts (person_id, service_slug, input, updated_at, lang) VALUES (?, ?, ?, ?, ?)
	ON CONFLICT (person_id, service_slug) DO UPDATE SET input = excluded.input, updated_at = excluded.updated_at, lang = excluded.lang`
	qDraft       = `SELECT service_slug, input, updated_at FROM application_drafts WHERE person_id = ? AND service_slug = ?`
	qDrafts      = `SELECT service_slug, input, updated_at FROM application_drafts WHERE person_id = ? ORDER BY updated_at DESC`
	qDeleteDraft = `DELETE FROM application_drafts WHERE person_id = ? AND service_slug = ?`

	// The queue: a SELECT or a COUNT, then the WHERE built from the
	// fragments below, then the order and page.
	qQueueSelect = `SELECT ` + summaryColumns + ` FROM applications`
	qQueueCount  = `SELECT COUNT(*) FROM applications`
	// Due soonest first, undated last, then first come first served. The
	// due date of an application waiting for its applicant's answer moves
	// on when they answer (deadline.go): it comes after those whose days
	// count.
	qQueueOrder = ` ORDER BY (due_date IS NULL), (status = '` + string(StatusMoreInfoNeeded) + `'), due_date, submitted_at, id LIMIT ? OFFSET ?`

	whereService = `service_slug = ?`
	whereStatus  = `status = ?`
	whereOverdue = `due_date < ? AND status IN ` // + one placeholder per status of councilsTurn
)
