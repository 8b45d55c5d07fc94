package sqlstore

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"sportello/catalogue"
)

// Where a revision, and an entry's draft, stands in the editorial workflow:
// draft -> in review -> published -> archived.
const (
	StatusDraft     = "draft"
	StatusInReview  = "in_review"
	StatusPublished = "published"
	StatusArchived  = "archived"
	// StatusConflict marks a save refused because someone else saved
	// first; it is kept so that nothing the editor typed is lost.
	StatusConflict = "conflict"
)

// Revision is one save of an entry.
type Revision struct {
	Kind, Slug string
	Number     int64
	Status     string
	Doc        []byte // JSON of the entry
	Author     string
	At         time.Time
	Note       string
}

// Draft is an entry's current draft: the revision it is, and where it stands.
type Draft struct {
	Revision
	DraftStatus string // StatusDraft or StatusInReview
	Reason      string // why it was put in review, "" when by choice
	UpdatedBy   string
	UpdatedAt   time.Time
}

// ConflictError is returned when an editor saves over a revision that is no
// longer the newest: someone else saved in between. Kept is the refused save,
// stored as a revision with StatusConflict.
type ConflictError struct {
	Current Revision // the newest revision, which the editor did not see
	Kept    Revision
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("%s %q was changed by %s at %s (revision %d) after you opened it; your version is kept as revision %d",
		e.Current.Kind, e.Current.Slug, e.Current.Author, e.Current.At.Format(time.RFC3339), e.Current.Number, e.Kept.Number)
}

// Unwrap lets callers test with errors.Is(err, catalogue.ErrConflict).
func (e *ConflictError) Unwrap() error { return catalogue.ErrConflict }

// SaveRequest is one save of a draft.
type SaveRequest struct {
	Kind, Slug string
	// Base is the revision the editor started from (0 for an entry never
	// saved in the editor); the save is refused when it is not the newest.
	Base   int64
	Doc    []byte
	Author string
	Status string // StatusDraft or StatusInReview
	Reason string // why in review, when the editor did not choose it
	Note   string
	At     time.Time // zero: now
}

// SaveDraft stores a new revision of an entry and makes it the entry's
// draft, in one transaction. When Base is not the newest revision it stores
// the revision as a StatusConflict one, leaves the draft alone and returns a
// *ConflictError.
func (db *DB) SaveDraft(ctx context.Context, r SaveRequest) (Revision, error) {
	if !catalogue.ValidKind(r.Kind) || r.Slug == "" {
		return Revision{}, fmt.Errorf("%w: save a draft of a known kind with a slug, not %q %q", catalogue.ErrInvalid, r.Kind, r.Slug)
	}
	if r.Status != StatusDraft && r.Status != StatusInReview {
		return Revision{}, fmt.Errorf("%w: a draft is %q or %q, not %q", catalogue.ErrInvalid, StatusDraft, StatusInReview, r.Status)
	}
	at := nowOr(r.At)
	var rev Revision
	var conflict *ConflictError
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		newest, last, err := db.revisionNumbers(ctx, tx, r.Kind, r.Slug)
		if err != nil {
			return err
		}
		rev = Revision{Kind: r.Kind, Slug: r.Slug, Number: last + 1, Status: r.Status, Doc: r.Doc, Author: r.Author, At: at, Note: r.Note}
		if newest != r.Base {
			rev.Status = StatusConflict
			if err := db.insertRevision(ctx, tx, rev); err != nil {
				return err
			}
			cur, err := db.currentRevision(ctx, tx, r.Kind, r.Slug, newest)
			if err != nil {
				return err
			}
			conflict = &ConflictError{Current: cur, Kept: rev}
			return db.audit(ctx, tx, at, r.Author, "conflict", r.Kind, r.Slug,
				fmt.Sprintf("save refused: revision %d was saved by %s after revision %d was opened; kept as revision %d", newest, cur.Author, r.Base, rev.Number))
		}
		if err := db.insertRevision(ctx, tx, rev); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, db.Rebind(qUpsertDraft), r.Kind, r.Slug, rev.Number, r.Status, r.Reason, r.Author, at.Unix()); err != nil {
			return db.MapError(err)
		}
		detail := fmt.Sprintf("revision %d saved as %s", rev.Number, r.Status)
		if r.Reason != "" {
			detail += ": " + r.Reason
		}
		if r.Note != "" {
			detail += " (" + r.Note + ")"
		}
		return db.audit(ctx, tx, at, r.Author, "save", r.Kind, r.Slug, detail)
	})
	if err != nil {
		return Revision{}, fmt.Errorf("sqlstore: saving the draft of %s %q: %w", r.Kind, r.Slug, err)
	}
	if conflict != nil {
		return rev, conflict
	}
	return rev, nil
}

// revisionNumbers returns the newest revision holding the entry's content
// (the optimistic lock) and the highest number used, conflicts included.
func (db *DB) revisionNumbers(ctx context.Context, tx *sql.Tx, kind, slug string) (newest, last int64, err error) {
	if err := tx.QueryRowContext(ctx, db.Rebind(qNewestRevision), kind, slug).Scan(&newest); err != nil {
		return 0, 0, db.MapError(err)
	}
	if err := tx.QueryRowContext(ctx, db.Rebind(qLastRevisionNumber), kind, slug).Scan(&last); err != nil {
		return 0, 0, db.MapError(err)
	}
	return newest, last, nil
}

func (db *DB) insertRevision(ctx context.Context, tx *sql.Tx, r Revision) error {
	_, err := tx.ExecContext(ctx, db.Rebind(qInsertRevision), r.Kind, r.Slug, r.Number, r.Status, string(r.Doc), r.Author, r.At.Unix(), r.Note)
	if err != nil {
		return fmt.Errorf("writing revision %d: %w", r.Number, db.MapError(err))
	}
	return nil
}

type rowScanner interface{ Scan(...any) error }

func scanRevision(row rowScanner, extra ...any) (Revision, error) {
	var r Revision
	var doc string
	var at int64
	if err := row.Scan(append([]any{&r.Kind, &r.Slug, &r.Number, &r.Status, &doc, &r.Author, &at, &r.Note}, extra...)...); err != nil {
		return Revision{}, err
	}
	r.Doc, r.At = []byte(doc), time.Unix(at, 0).UTC()
	return r, nil
}

type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func (db *DB) revision(ctx context.Context, q querier, kind, slug string, n int64) (Revision, error) {
	r, err := scanRevision(q.QueryRowContext(ctx, db.Rebind(qRevision), kind, slug, n))
	if err != nil {
		return Revision{}, fmt.Errorf("revision %d of %s %q: %w", n, kind, slug, db.MapError(err))
	}
	return r, nil
}

// currentRevision returns revision newest, or an empty revision 0 for an
// entry that was never saved in the editor.
func (db *DB) currentRevision(ctx context.Context, q querier, kind, slug string, newest int64) (Revision, error) {
	if newest == 0 {
		return Revision{Kind: kind, Slug: slug}, nil
	}
	return db.revision(ctx, q, kind, slug, newest)
}

// Revision returns one revision of an entry, or an error wrapping
// catalogue.ErrNotFound.
func (db *DB) Revision(ctx context.Context, kind, slug string, n int64) (Revision, error) {
	r, err := db.revision(ctx, db.sql, kind, slug, n)
	if err != nil {
		return Revision{}, fmt.Errorf("sqlstore: %w", err)
	}
	return r, nil
}

// Revisions returns every revision of an entry, newest first.
func (db *DB) Revisions(ctx context.Context, kind, slug string) ([]Revision, error) {
	rows, err := db.sql.QueryContext(ctx, db.Rebind(qRevisions), kind, slug)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: revisions: %w", db.MapError(err))
	}
	defer rows.Close()
	var out []Revision
	for rows.Next() {
		r, err := scanRevision(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlstore: revisions: %w", db.MapError(err))
		}
		out = append(out, r)
	}
	return out, db.MapError(rows.Err())
}

// NewestRevision returns the number an editor's save must name as its
// Base: the newest revision holding the entry's content, 0 when none.
func (db *DB) NewestRevision(ctx context.Context, kind, slug string) (int64, error) {
	var n int64
	if err := db.sql.QueryRowContext(ctx, db.Rebind(qNewestRevision), kind, slug).Scan(&n); err != nil {
		return 0, fmt.Errorf("sqlstore: newest revision: %w", db.MapError(err))
	}
	return n, nil
}

func scanDraft(row rowScanner) (Draft, error) {
	var d Draft
	var at int64
	r, err := scanRevision(row, &d.DraftStatus, &d.Reason, &d.UpdatedBy, &at)
	if err != nil {
		return Draft{}, err
	}
	d.Revision, d.UpdatedAt = r, time.Unix(at, 0).UTC()
	return d, nil
}

// Draft returns the entry's draft, or an error wrapping
// catalogue.ErrNotFound when nobody is working on it.
func (db *DB) Draft(ctx context.Context, kind, slug string) (Draft, error) {
	d, err := scanDraft(db.sql.QueryRowContext(ctx, db.Rebind(qDraft), kind, slug))
	if err != nil {
		return Draft{}, fmt.Errorf("sqlstore: draft of %s %q: %w", kind, slug, db.MapError(err))
	}
	return d, nil
}

// Drafts returns every draft.
func (db *DB) Drafts(ctx context.Context) ([]Draft, error) {
	rows, err := db.sql.QueryContext(ctx, db.Rebind(qDrafts))
	if err != nil {
		return nil, fmt.Errorf("sqlstore: drafts: %w", db.MapError(err))
	}
	defer rows.Close()
	var out []Draft
	for rows.Next() {
		d, err := scanDraft(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlstore: drafts: %w", db.MapError(err))
		}
		out = append(out, d)
	}
	return out, db.MapError(rows.Err())
}

// DiscardDraft deletes the entry's draft; its revisions stay.
func (db *DB) DiscardDraft(ctx context.Context, kind, slug, actor string) error {
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, db.Rebind(qDeleteDraft), kind, slug)
		if err != nil {
			return db.MapError(err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("%w: %s %q has no draft", catalogue.ErrNotFound, kind, slug)
		}
		return db.audit(ctx, tx, time.Now(), actor, "discard", kind, slug, "draft discarded")
	})
	if err != nil {
		return fmt.Errorf("sqlstore: discarding a draft: %w", err)
	}
	return nil
}

// PublishedDoc returns the published JSON of an entry, and for a service
// whether it is archived; an error wrapping catalogue.ErrNotFound when the
// entry was never published.
func (db *DB) PublishedDoc(ctx context.Context, kind, slug string) (doc []byte, archived bool, err error) {
	var s string
	if kind == catalogue.KindService {
		var status string
		err = db.sql.QueryRowContext(ctx, db.Rebind(qPublishedService), slug).Scan(&status, &s)
		archived = status == statusArchived
	} else {
		err = db.sql.QueryRowContext(ctx, db.Rebind(qPublishedEntry), kind, slug).Scan(&s)
	}
	if err != nil {
		return nil, false, fmt.Errorf("sqlstore: published %s %q: %w", kind, slug, db.MapError(err))
	}
	return []byte(s), archived, nil
}

// PublishRequest publishes one entry.
type PublishRequest struct {
	Kind, Slug string
	Base       int64 // the revision the publisher reviewed; refused when not the newest
	Doc        []byte
	Actor      string
	Owner      string    // "" keeps the current owner
	ReviewBy   time.Time // when the content must be checked again
	Detail     string    // what changed, for the audit log
	At         time.Time // zero: now
}

// PublishResult says what a publish did.
type PublishResult struct {
	Version  int64 // the catalogue version after the publish
	Revision int64 // the revision recording the publish
}

// Publish writes one entry into the published catalogue, records the
// publish as a revision, deletes the draft, sets the review date and writes
// the audit log, all in one transaction that moves the catalogue version on.
// The caller validates the entry against the whole catalogue first.
func (db *DB) Publish(ctx context.Context, r PublishRequest) (PublishResult, error) {
	entry, err := catalogue.DecodeEntry(r.Kind, r.Doc)
	if err != nil {
		return PublishResult{}, err
	}
	if catalogue.EntrySlug(entry) != r.Slug {
		return PublishResult{}, fmt.Errorf("%w: the document's slug %q is not %q", catalogue.ErrInvalid, catalogue.EntrySlug(entry), r.Slug)
	}
	at := nowOr(r.At)
	var res PublishResult
	err = db.Tx(ctx, func(tx *sql.Tx) error {
		next, err := db.lockNextVersion(ctx, tx)
		if err != nil {
			return err
		}
		newest, last, err := db.revisionNumbers(ctx, tx, r.Kind, r.Slug)
		if err != nil {
			return err
		}
		if newest != r.Base {
			cur, err := db.currentRevision(ctx, tx, r.Kind, r.Slug, newest)
			if err != nil {
				return err
			}
			return &ConflictError{Current: cur}
		}
		if s, ok := entry.(*catalogue.Service); ok {
			err = db.writeService(ctx, tx, s, next)
		} else {
			err = db.writeEntry(ctx, tx, r.Kind, r.Slug, r.Doc)
		}
		if err != nil {
			return err
		}
		rev := Revision{Kind: r.Kind, Slug: r.Slug, Number: last + 1, Status: StatusPublished, Doc: r.Doc, Author: r.Actor, At: at}
		if err := db.insertRevision(ctx, tx, rev); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, db.Rebind(qDeleteDraft), r.Kind, r.Slug); err != nil {
			return db.MapError(err)
		}
		if _, err := tx.ExecContext(ctx, db.Rebind(qUpsertReviewPublished), r.Kind, r.Slug, r.Owner, r.ReviewBy.Unix(), at.Unix(), r.Actor, rev.Number); err != nil {
			return db.MapError(err)
		}
		if _, err := tx.ExecContext(ctx, db.Rebind(qSetVersion), next); err != nil {
			return db.MapError(err)
		}
		res = PublishResult{Version: next, Revision: rev.Number}
		return db.audit(ctx, tx, at, r.Actor, "publish", r.Kind, r.Slug, fmt.Sprintf("revision %d published as catalogue version %d. %s", rev.Number, next, r.Detail))
	})
	if err != nil {
		return PublishResult{}, fmt.Errorf("sqlstore: publishing %s %q: %w", r.Kind, r.Slug, err)
	}
	return res, nil
}

// lockNextVersion takes the catalogue's write lock (the meta row, as Import
// does) and returns the version this change brings it to.
func (db *DB) lockNextVersion(ctx context.Context, tx *sql.Tx) (int64, error) {
	var version int64
	var format, authority string
	if err := tx.QueryRowContext(ctx, db.Rebind(qLockMeta)).Scan(&version, &format, &authority); err != nil {
		return 0, fmt.Errorf("locking the catalogue: %w", db.MapError(err))
	}
	if version == 0 {
		return 0, fmt.Errorf("%w: no catalogue has been imported yet; import one before publishing entries", catalogue.ErrNotFound)
	}
	return version + 1, nil
}

func (db *DB) writeService(ctx context.Context, tx *sql.Tx, s *catalogue.Service, version int64) error {
	row, err := encodeService(s)
	if err != nil {
		return err
	}
	var pos int
	err = tx.QueryRowContext(ctx, db.Rebind(qServicePosition), s.Slug).Scan(&pos)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		if err := tx.QueryRowContext(ctx, db.Rebind(qNextServicePostion)).Scan(&pos); err != nil {
			return db.MapError(err)
		}
		_, err = tx.ExecContext(ctx, db.Rebind(qInsertService), row.slug, pos, row.topic, row.department, row.hash, row.summary, row.doc, version)
	case err == nil:
		_, err = tx.ExecContext(ctx, db.Rebind(qPublishServiceUpdate), row.topic, row.department, row.hash, row.summary, row.doc, version, row.slug)
	}
	if err != nil {
		return fmt.Errorf("writing service %q: %w", s.Slug, db.MapError(err))
	}
	return nil
}

// encodeService is a service as Import writes it (see planImport).
func encodeService(s *catalogue.Service) (serviceRow, error) {
	doc, err := json.Marshal(s)
	if err != nil {
		return serviceRow{}, fmt.Errorf("encoding service %q: %w", s.Slug, err)
	}
	summary, err := json.Marshal(s.Summarise())
	if err != nil {
		return serviceRow{}, fmt.Errorf("encoding service %q: %w", s.Slug, err)
	}
	h := sha256.New()
	h.Write(summary)
	h.Write([]byte{0})
	h.Write(doc)
	return serviceRow{
		slug: s.Slug, topic: s.Topic, department: s.Department,
		hash: hex.EncodeToString(h.Sum(nil)), summary: string(summary), doc: string(doc),
	}, nil
}

func (db *DB) writeEntry(ctx context.Context, tx *sql.Tx, kind, slug string, doc []byte) error {
	// Re-encode so that the stored document is what Import would store.
	entry, err := catalogue.DecodeEntry(kind, doc)
	if err != nil {
		return err
	}
	b, err := json.Marshal(entry)
	if err != nil {
		return err
	}
	var pos int
	err = tx.QueryRowContext(ctx, db.Rebind(qEntryPosition), kind, slug).Scan(&pos)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		if err := tx.QueryRowContext(ctx, db.Rebind(qNextEntryPosition), kind).Scan(&pos); err != nil {
			return db.MapError(err)
		}
		_, err = tx.ExecContext(ctx, db.Rebind(qInsertEntry), kind, slug, pos, string(b))
	case err == nil:
		_, err = tx.ExecContext(ctx, db.Rebind(qUpdateEntry), pos, string(b), kind, slug)
	}
	if err != nil {
		return fmt.Errorf("writing %s %q: %w", kind, slug, db.MapError(err))
	}
	return nil
}

// Archive takes a published service off the public site: it stays in the
// database (applications refer to it) and can be published again.
func (db *DB) Archive(ctx context.Context, slug, actor, detail string) (PublishResult, error) {
	at := time.Now()
	var res PublishResult
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		next, err := db.lockNextVersion(ctx, tx)
		if err != nil {
			return err
		}
		var status, doc string
		if err := tx.QueryRowContext(ctx, db.Rebind(qPublishedService), slug).Scan(&status, &doc); err != nil {
			return db.MapError(err)
		}
		if status != statusPublished {
			return fmt.Errorf("%w: service %q is already archived", catalogue.ErrConflict, slug)
		}
		if _, err := tx.ExecContext(ctx, db.Rebind(qArchiveService), next, slug); err != nil {
			return db.MapError(err)
		}
		_, last, err := db.revisionNumbers(ctx, tx, catalogue.KindService, slug)
		if err != nil {
			return err
		}
		rev := Revision{Kind: catalogue.KindService, Slug: slug, Number: last + 1, Status: StatusArchived, Doc: []byte(doc), Author: actor, At: at}
		if err := db.insertRevision(ctx, tx, rev); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, db.Rebind(qSetVersion), next); err != nil {
			return db.MapError(err)
		}
		res = PublishResult{Version: next, Revision: rev.Number}
		return db.audit(ctx, tx, at, actor, "archive", catalogue.KindService, slug, fmt.Sprintf("archived as catalogue version %d. %s", next, detail))
	})
	if err != nil {
		return PublishResult{}, fmt.Errorf("sqlstore: archiving service %q: %w", slug, err)
	}
	return res, nil
}

// ImportAs imports a whole catalogue like Import, in the same transaction
// recording it in the audit log as actor's and setting the review date of
// every service it added or changed.
func (db *DB) ImportAs(ctx context.Context, c *catalogue.Catalogue, actor string, reviewBy time.Time) (catalogue.ImportResult, error) {
	at := time.Now()
	return db.importThen(ctx, c, func(tx *sql.Tx, res catalogue.ImportResult, changed bool) error {
		if !changed {
			return db.audit(ctx, tx, at, actor, "import", "", "", "catalogue imported: nothing changed")
		}
		for _, slug := range append(append([]string{}, res.Added...), res.Updated...) {
			if _, err := tx.ExecContext(ctx, db.Rebind(qUpsertReviewPublished), catalogue.KindService, slug, "", reviewBy.Unix(), at.Unix(), actor, 0); err != nil {
				return db.MapError(err)
			}
		}
		return db.audit(ctx, tx, at, actor, "import", "", "", fmt.Sprintf("catalogue imported as version %d: %d services added, %d updated, %d archived, %d unchanged",
			res.Version, len(res.Added), len(res.Updated), len(res.Archived), res.Unchanged))
	})
}

// Listing is one entry as the editor's list shows it.
type Listing struct {
	Kind, Slug string
	Title      catalogue.Text
	Topic      string // services only
	Department string // services only
	Published  bool   // a published version exists (and for a service, is not archived)
	Archived   bool
	Draft      *Draft // nil when nobody is working on it
	Review     Review
}

// Review is who answers for an entry and when it must be checked again.
type Review struct {
	Kind, Slug        string
	Owner             string
	ReviewBy          time.Time // zero: no date set (published by an import)
	PublishedAt       time.Time
	PublishedBy       string
	PublishedRevision int64
}

// Listings returns every service (published or archived), every topic,
// department, life event and journey, and every new entry that exists only
// as a draft, with their drafts and review dates.
func (db *DB) Listings(ctx context.Context) ([]Listing, error) {
	var out []Listing
	at := map[[2]string]int{}
	add := func(l Listing) {
		at[[2]string{l.Kind, l.Slug}] = len(out)
		out = append(out, l)
	}
	err := db.readTx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, db.Rebind(qServiceListing))
		if err != nil {
			return db.MapError(err)
		}
		for rows.Next() {
			var slug, status, summary string
			if err := rows.Scan(&slug, &status, &summary); err != nil {
				rows.Close()
				return db.MapError(err)
			}
			var s catalogue.ServiceSummary
			if err := json.Unmarshal([]byte(summary), &s); err != nil {
				rows.Close()
				return fmt.Errorf("decoding the summary of %q: %w", slug, err)
			}
			add(Listing{Kind: catalogue.KindService, Slug: slug, Title: s.Title, Topic: s.Topic, Department: s.Department,
				Published: status == statusPublished, Archived: status == statusArchived})
		}
		if err := rows.Close(); err != nil {
			return db.MapError(err)
		}
		rows, err = tx.QueryContext(ctx, db.Rebind(qEntryListing))
		if err != nil {
			return db.MapError(err)
		}
		for rows.Next() {
			var kind, slug, doc string
			if err := rows.Scan(&kind, &slug, &doc); err != nil {
				rows.Close()
				return db.MapError(err)
			}
			e, err := catalogue.DecodeEntry(kind, []byte(doc))
			if err != nil {
				rows.Close()
				return err
			}
			add(Listing{Kind: kind, Slug: slug, Title: entryText(e), Published: true})
		}
		if err := rows.Close(); err != nil {
			return db.MapError(err)
		}
		rows, err = tx.QueryContext(ctx, db.Rebind(qDrafts))
		if err != nil {
			return db.MapError(err)
		}
		for rows.Next() {
			d, err := scanDraft(rows)
			if err != nil {
				rows.Close()
				return db.MapError(err)
			}
			i, ok := at[[2]string{d.Kind, d.Slug}]
			if !ok {
				l := Listing{Kind: d.Kind, Slug: d.Slug}
				if e, err := catalogue.DecodeEntry(d.Kind, d.Doc); err == nil {
					l.Title = entryText(e)
					if s, ok := e.(*catalogue.Service); ok {
						l.Topic, l.Department = s.Topic, s.Department
					}
				}
				add(l)
				i = len(out) - 1
			}
			out[i].Draft = &d
		}
		if err := rows.Close(); err != nil {
			return db.MapError(err)
		}
		reviews, err := db.reviews(ctx, tx)
		if err != nil {
			return err
		}
		for _, r := range reviews {
			if i, ok := at[[2]string{r.Kind, r.Slug}]; ok {
				out[i].Review = r
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("sqlstore: listing entries: %w", err)
	}
	return out, nil
}

func entryText(e any) catalogue.Text {
	switch e := e.(type) {
	case *catalogue.Service:
		return e.Title
	case *catalogue.Topic:
		return e.Title
	case *catalogue.Department:
		return e.Name
	case *catalogue.LifeEvent:
		return e.Title
	case *catalogue.Journey:
		return e.Title
	case *catalogue.BusinessType:
		return e.Title
	}
	return nil
}

func scanReview(row rowScanner) (Review, error) {
	var r Review
	var reviewBy, publishedAt int64
	if err := row.Scan(&r.Kind, &r.Slug, &r.Owner, &reviewBy, &publishedAt, &r.PublishedBy, &r.PublishedRevision); err != nil {
		return Review{}, err
	}
	if reviewBy > 0 {
		r.ReviewBy = time.Unix(reviewBy, 0).UTC()
	}
	if publishedAt > 0 {
		r.PublishedAt = time.Unix(publishedAt, 0).UTC()
	}
	return r, nil
}

func (db *DB) reviews(ctx context.Context, q querier) ([]Review, error) {
	rows, err := q.QueryContext(ctx, db.Rebind(qReviews))
	if err != nil {
		return nil, db.MapError(err)
	}
	defer rows.Close()
	var out []Review
	for rows.Next() {
		r, err := scanReview(rows)
		if err != nil {
			return nil, db.MapError(err)
		}
		out = append(out, r)
	}
	return out, db.MapError(rows.Err())
}

// ReviewOf returns the review of one entry; a zero Review (with Kind and
// Slug set) when none was ever set.
func (db *DB) ReviewOf(ctx context.Context, kind, slug string) (Review, error) {
	r, err := scanReview(db.sql.QueryRowContext(ctx, db.Rebind(qReview), kind, slug))
	if errors.Is(err, sql.ErrNoRows) {
		return Review{Kind: kind, Slug: slug}, nil
	}
	if err != nil {
		return Review{}, fmt.Errorf("sqlstore: review of %s %q: %w", kind, slug, db.MapError(err))
	}
	return r, nil
}

// SetReview sets who owns an entry and when it must be checked again.
func (db *DB) SetReview(ctx context.Context, kind, slug, owner string, reviewBy time.Time, actor string) error {
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, db.Rebind(qUpsertReview), kind, slug, owner, reviewBy.Unix()); err != nil {
			return db.MapError(err)
		}
		return db.audit(ctx, tx, time.Now(), actor, "review", kind, slug,
			fmt.Sprintf("owner %q, review by %s", owner, reviewBy.Format(time.DateOnly)))
	})
	if err != nil {
		return fmt.Errorf("sqlstore: setting the review of %s %q: %w", kind, slug, err)
	}
	return nil
}

// AuditEntry is one line of the audit log.
type AuditEntry struct {
	ID     int64
	At     time.Time
	Actor  string
	Action string // save, conflict, discard, publish, archive, import, review, synonyms, best_bet
	Kind   string
	Slug   string
	Detail string
}

// AuditFilter narrows the audit log; empty fields match everything.
type AuditFilter struct {
	Kind, Slug string
	Limit      int // 0: 200
}

// Audit returns the audit log, newest first.
func (db *DB) Audit(ctx context.Context, f AuditFilter) ([]AuditEntry, error) {
	if f.Limit <= 0 {
		f.Limit = 200
	}
	rows, err := db.sql.QueryContext(ctx, db.Rebind(qAudit), f.Kind, f.Kind, f.Slug, f.Slug, f.Limit)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: audit log: %w", db.MapError(err))
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		var e AuditEntry
		var at int64
		if err := rows.Scan(&e.ID, &at, &e.Actor, &e.Action, &e.Kind, &e.Slug, &e.Detail); err != nil {
			return nil, fmt.Errorf("sqlstore: audit log: %w", db.MapError(err))
		}
		e.At = time.Unix(at, 0).UTC()
		out = append(out, e)
	}
	return out, db.MapError(rows.Err())
}

// audit writes one line of the audit log in tx, so that the line and the
// change it records are written together or not at all.
func (db *DB) audit(ctx context.Context, tx *sql.Tx, at time.Time, actor, action, kind, slug, detail string) error {
	_, err := tx.ExecContext(ctx, db.Rebind(qInsertAudit), auditID(), at.Unix(), actor, action, kind, slug, detail)
	if err != nil {
		return fmt.Errorf("writing the audit log: %w", db.MapError(err))
	}
	return nil
}

// Secret returns the named secret, creating it (32 random bytes) on first
// use, so that every instance and every restart signs with the same key.
func (db *DB) Secret(ctx context.Context, name string) ([]byte, error) {
	var b [32]byte
	rand.Read(b[:])
	if _, err := db.sql.ExecContext(ctx, db.Rebind(qInsertSecret), name, hex.EncodeToString(b[:])); err != nil {
		return nil, fmt.Errorf("sqlstore: creating secret %q: %w", name, db.MapError(err))
	}
	var v string
	if err := db.sql.QueryRowContext(ctx, db.Rebind(qSecret), name).Scan(&v); err != nil {
		return nil, fmt.Errorf("sqlstore: reading secret %q: %w", name, db.MapError(err))
	}
	return hex.DecodeString(v)
}

// auditID orders the audit log: the time of writing in nanoseconds, which
// two lines written in the same second still differ by, plus a random
// part against two instances writing in the same nanosecond.
func auditID() int64 {
	var b [2]byte
	rand.Read(b[:])
	return time.Now().UnixNano() + int64(binary.BigEndian.Uint16(b[:])%1000)
}

// randomID is a positive random int64: ids reveal nothing and need no
// dialect-specific sequence.
func randomID() int64 {
	var b [8]byte
	rand.Read(b[:])
	return int64(binary.BigEndian.Uint64(b[:]) >> 1)
}

func nowOr(t time.Time) time.Time {
	if t.IsZero() {
		return time.Now()
	}
	return t
}
