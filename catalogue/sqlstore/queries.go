package sqlstore

// The catalogue store's SQL, written with ? placeholders and rebound for the
// dialect when prepared. The tables are in store/migrations/00001_catalogue.sql.
const (
	// Taking the meta row's lock first makes imports run one at a time and,
	// on PostgreSQL, keeps a concurrent import from computing its changes
	// against rows that are about to change.
	qLockMeta = `UPDATE catalogue_meta SET version = version WHERE id = 1 RETURNING version, format, authority`

	qMeta    = `SELECT version, format, authority FROM catalogue_meta WHERE id = 1`
	qVersion = `SELECT version FROM catalogue_meta WHERE id = 1`

	qUpdateMeta = `UPDATE catalogue_meta SET version = ?, format = ?, authority = ? WHERE id = 1`

	qServiceStates = `SELECT slug, status, position, hash FROM catalogue_services`

	qInsertService = `INSERT INTO catalogue_services
		(slug, status, position, topic, department, hash, summary, doc, changed_version)
		VALUES (?, 'published', ?, ?, ?, ?, ?, ?, ?)`

	qUpdateService = `UPDATE catalogue_services
		SET status = 'published', position = ?, topic = ?, department = ?, hash = ?, summary = ?, doc = ?, changed_version = ?
		WHERE slug = ?`

	qMoveService = `UPDATE catalogue_services SET position = ? WHERE slug = ?`

	qArchiveService = `UPDATE catalogue_services SET status = 'archived', changed_version = ? WHERE slug = ?`

	qService = `SELECT doc FROM catalogue_services WHERE slug = ? AND status = 'published'`

	qServiceDocs = `SELECT doc FROM catalogue_services WHERE status = 'published' ORDER BY position, slug`

	// The services an import touched after a given version, archived ones
	// included, so that an index built at that version can catch up.
	qChangedServices = `SELECT status, slug, doc FROM catalogue_services WHERE changed_version > ? ORDER BY position, slug`

	qServiceSummaries = `SELECT summary FROM catalogue_services WHERE status = 'published' ORDER BY position, slug`

	// Followed by a list of slugs: "(?, ?)".
	qSummaryTexts = `SELECT slug, summary FROM catalogue_services WHERE status = 'published' AND slug IN `

	qEntries = `SELECT kind, slug, position, doc FROM catalogue_entries ORDER BY kind, position, slug`

	qInsertEntry = `INSERT INTO catalogue_entries (kind, slug, position, doc) VALUES (?, ?, ?, ?)`

	qUpdateEntry = `UPDATE catalogue_entries SET position = ?, doc = ? WHERE kind = ? AND slug = ?`

	qDeleteEntry = `DELETE FROM catalogue_entries WHERE kind = ? AND slug = ?`
)
