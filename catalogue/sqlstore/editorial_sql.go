package sqlstore

// The editorial store's SQL (editorial.go, tuning.go, feedback.go), written
// with ? placeholders and rebound for the dialect. The tables are in
// store/migrations/00500_editorial.sql, 00510_search_quality.sql and
// 00520_page_feedback.sql. ON CONFLICT ... DO UPDATE is the same in SQLite
// (3.24+) and PostgreSQL.
const (
	// The newest revision that holds the entry's content: a conflict
	// revision is a refused save, kept aside, and does not move the lock.
	qNewestRevision = `SELECT COALESCE(MAX(revision), 0) FROM editorial_revisions
		WHERE kind = ? AND slug = ? AND status <> 'conflict'`

	qLastRevisionNumber = `SELECT COALESCE(MAX(revision), 0) FROM editorial_revisions WHERE kind = ? AND slug = ?`

	qInsertRevision = `INSERT INTO editorial_revisions (kind, slug, revision, status, doc, author, created_at, note)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`

	qRevision = `SELECT kind, slug, revision, status, doc, author, created_at, note
		FROM editorial_revisions WHERE kind = ? AND slug = ? AND revision = ?`

	qRevisions = `SELECT kind, slug, revision, status, doc, author, created_at, note
		FROM editorial_revisions WHERE kind = ? AND slug = ? ORDER BY revision DESC`

	qUpsertDraft = `INSERT INTO editorial_drafts (kind, slug, revision, status, reason, updated_by, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (kind, slug) DO UPDATE SET revision = excluded.revision, status = excluded.status,
			reason = excluded.reason, updated_by = excluded.updated_by, updated_at = excluded.updated_at`

	qDraft = `SELECT r.kind, r.slug, r.revision, r.status, r.doc, r.author, r.created_at, r.note,
			d.status, d.reason, d.updated_by, d.updated_at
		FROM editorial_drafts d JOIN editorial_revisions r
			ON r.kind = d.kind AND r.slug = d.slug AND r.revision = d.revision
		WHERE d.kind = ? AND d.slug = ?`

	qDrafts = `SELECT r.kind, r.slug, r.revision, r.status, r.doc, r.author, r.created_at, r.note,
			d.status, d.reason, d.updated_by, d.updated_at
		FROM editorial_drafts d JOIN editorial_revisions r
			ON r.kind = d.kind AND r.slug = d.slug AND r.revision = d.revision`

	qDeleteDraft = `DELETE FROM editorial_drafts WHERE kind = ? AND slug = ?`

	qPublishedService = `SELECT status, doc FROM catalogue_services WHERE slug = ?`
	qPublishedEntry   = `SELECT doc FROM catalogue_entries WHERE kind = ? AND slug = ?`

	qServiceListing = `SELECT slug, status, summary FROM catalogue_services ORDER BY position, slug`
	qEntryListing   = `SELECT kind, slug, doc FROM catalogue_entries WHERE kind <> 'profile_question' ORDER BY kind, position, slug`

	qServicePosition    = `SELECT position FROM catalogue_services WHERE slug = ?`
	qNextServicePostion = `SELECT COALESCE(MAX(position), -1) + 1 FROM catalogue_services`
	qEntryPosition      = `SELECT position FROM catalogue_entries WHERE kind = ? AND slug = ?`
	qNextEntryPosition  = `SELECT COALESCE(MAX(position), -1) + 1 FROM catalogue_entries WHERE kind = ?`

	qPublishServiceUpdate = `UPDATE catalogue_services
		SET status = 'published', topic = ?, department = ?, hash = ?, summary = ?, doc = ?, changed_version = ?
		WHERE slug = ?`

	qSetVersion = `UPDATE catalogue_meta SET version = ? WHERE id = 1`

	qUpsertReviewPublished = `INSERT INTO editorial_reviews (kind, slug, owner, review_by, published_at, published_by, published_revision)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (kind, slug) DO UPDATE SET
			owner = CASE WHEN excluded.owner = '' THEN editorial_reviews.owner ELSE excluded.owner END,
			review_by = excluded.review_by, published_at = excluded.published_at,
			published_by = excluded.published_by, published_revision = excluded.published_revision`

	qUpsertReview = `INSERT INTO editorial_reviews (kind, slug, owner, review_by) VALUES (?, ?, ?, ?)
		ON CONFLICT (kind, slug) DO UPDATE SET owner = excluded.owner, review_by = excluded.review_by`

	qReviews = `SELECT kind, slug, owner, review_by, published_at, published_by, published_revision FROM editorial_reviews`

	qReview = `SELECT kind, slug, owner, review_by, published_at, published_by, published_revision
		FROM editorial_reviews WHERE kind = ? AND slug = ?`

	qInsertAudit = `INSERT INTO editorial_audit (id, at, actor, action, kind, slug, detail) VALUES (?, ?, ?, ?, ?, ?, ?)`

	qAudit = `SELECT id, at, actor, action, kind, slug, detail FROM editorial_audit
		WHERE (? = '' OR kind = ?) AND (? = '' OR slug = ?) ORDER BY id DESC LIMIT ?`

	qInsertSecret = `INSERT INTO editorial_secrets (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING`
	qSecret       = `SELECT value FROM editorial_secrets WHERE name = ?`

	qSynonymSets      = `SELECT id, lang, terms, updated_by, updated_at FROM search_synonyms ORDER BY lang, id`
	qInsertSynonymSet = `INSERT INTO search_synonyms (id, lang, terms, updated_by, updated_at) VALUES (?, ?, ?, ?, ?)`
	qUpdateSynonymSet = `UPDATE search_synonyms SET lang = ?, terms = ?, updated_by = ?, updated_at = ? WHERE id = ?`
	qDeleteSynonymSet = `DELETE FROM search_synonyms WHERE id = ?`

	qBestBets      = `SELECT lang, query, slug, updated_by, updated_at FROM search_best_bets ORDER BY lang, query`
	qUpsertBestBet = `INSERT INTO search_best_bets (lang, query, slug, updated_by, updated_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (lang, query) DO UPDATE SET slug = excluded.slug, updated_by = excluded.updated_by, updated_at = excluded.updated_at`
	qDeleteBestBet = `DELETE FROM search_best_bets WHERE lang = ? AND query = ?`

	qAddInsight = `INSERT INTO search_insights (week, lang, query, searches, zero_results, clicks) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (week, lang, query) DO UPDATE SET
			searches = search_insights.searches + excluded.searches,
			zero_results = search_insights.zero_results + excluded.zero_results,
			clicks = search_insights.clicks + excluded.clicks`
	qInsights = `SELECT week, lang, query, searches, zero_results, clicks FROM search_insights
		WHERE week = ? AND (? = '' OR lang = ?) ORDER BY searches DESC, query LIMIT ?`
	qInsightWeeks = `SELECT DISTINCT week FROM search_insights ORDER BY week DESC`
	qAddClicks    = `INSERT INTO search_service_clicks (week, lang, slug, clicks) VALUES (?, ?, ?, ?)
		ON CONFLICT (week, lang, slug) DO UPDATE SET clicks = search_service_clicks.clicks + excluded.clicks`
	qServiceClicks = `SELECT lang, slug, SUM(clicks) FROM search_service_clicks WHERE week >= ? GROUP BY lang, slug`

	qAddFeedbackScore = `INSERT INTO page_feedback_scores (slug, useful, not_useful) VALUES (?, ?, ?)
		ON CONFLICT (slug) DO UPDATE SET useful = page_feedback_scores.useful + excluded.useful,
			not_useful = page_feedback_scores.not_useful + excluded.not_useful`
	qAddFeedbackComment = `INSERT INTO page_feedback_comments (id, slug, useful, lang, comment, created_at) VALUES (?, ?, ?, ?, ?, ?)`
	qFeedbackScores     = `SELECT slug, useful, not_useful FROM page_feedback_scores ORDER BY slug`
	qFeedbackComments   = `SELECT id, slug, useful, lang, comment, created_at FROM page_feedback_comments
		WHERE (? = '' OR slug = ?) ORDER BY created_at DESC, id DESC LIMIT ?`
)
