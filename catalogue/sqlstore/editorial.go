package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"sportello/catalogue"
	"sportello/editorial"
	"sportello/store"
)

// SaveDraft stores a new revision of an entry and makes it the entry's
// draft, in one transaction. When Base is not the newest revision it stores
// the revision as a StatusConflict one, leaves the draft alone and returns a
// *ConflictError.
func (st *Store) SaveDraft(ctx context.Context, r editorial.SaveRequest) (editorial.Revision, error) {
	if !catalogue.ValidKind(r.Kind) || r.Slug == "" {
		return editorial.Revision{}, fmt.Errorf("%w: save a draft of a known kind with a slug, not %q %q", catalogue.ErrInvalid, r.Kind, r.Slug)
	}
	if r.Status != editorial.StatusDraft && r.Status != editorial.StatusInReview {
		return editorial.Revision{}, fmt.Errorf("%w: a draft is %q or %q, not %q", catalogue.ErrInvalid, editorial.StatusDraft, editorial.StatusInReview, r.Status)
	}
	at := nowOr(r.At)
	var rev editorial.Revision
	var conflict *editorial.ConflictError
	err := st.db.Tx(ctx, func(tx *sql.Tx) error {
		newest, last, err := st.revisionNumbers(ctx, tx, r.Kind, r.Slug)
		if err != nil {
			return err
		}
		rev = editorial.Revision{Kind: r.Kind, Slug: r.Slug, Number: last + 1, Status: r.Status, Doc: r.Doc, Author: r.Author, At: at, Note: r.Note}
		if newest != r.Base {
			rev.Status = editorial.StatusConflict
			if err := st.insertRevision(ctx, tx, rev); err != nil {
				return err
			}
			cur, err := st.currentRevision(ctx, tx, r.Kind, r.Slug, newest)
			if err != nil {
				return err
			}
			conflict = &editorial.ConflictError{Current: cur, Kept: rev}
			return st.audit(ctx, tx, at, r.Author, "conflict", r.Kind, r.Slug,
				fmt.Sprintf("save refused: revision %d was saved by %s after revision %d was opened; kept as revision %d", newest, cur.Author, r.Base, rev.Number))
		}
		if err := st.insertRevision(ctx, tx, rev); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, st.db.Rebind(qUpsertDraft), r.Kind, r.Slug, rev.Number, r.Status, r.Reason, r.Author, at.Unix()); err != nil {
			return st.db.MapError(err)
		}
		detail := fmt.Sprintf("revision %d saved as %s", rev.Number, r.Status)
		if r.Reason != "" {
			detail += ": " + r.Reason
		}
		if r.Note != "" {
			detail += " (" + r.Note + ")"
		}
		return st.audit(ctx, tx, at, r.Author, "save", r.Kind, r.Slug, detail)
	})
	if err != nil {
		return editorial.Revision{}, fmt.Errorf("sqlstore: saving the draft of %s %q: %w", r.Kind, r.Slug, err)
	}
	if conflict != nil {
		return rev, conflict
	}
	return rev, nil
}

// revisionNumbers returns the newest revision holding the entry's content
// (the optimistic lock) and the highest number used, conflicts included.
func (st *Store) revisionNumbers(ctx context.Context, tx *sql.Tx, kind, slug string) (newest, last int64, err error) {
	if err := tx.QueryRowContext(ctx, st.db.Rebind(qNewestRevision), kind, slug).Scan(&newest); err != nil {
		return 0, 0, st.db.MapError(err)
	}
	if err := tx.QueryRowContext(ctx, st.db.Rebind(qLastRevisionNumber), kind, slug).Scan(&last); err != nil {
		return 0, 0, st.db.MapError(err)
	}
	return newest, last, nil
}

func (st *Store) insertRevision(ctx context.Context, tx *sql.Tx, r editorial.Revision) error {
	_, err := tx.ExecContext(ctx, st.db.Rebind(qInsertRevision), r.Kind, r.Slug, r.Number, r.Status, string(r.Doc), r.Author, r.At.Unix(), r.Note)
	if err != nil {
		return fmt.Errorf("writing revision %d: %w", r.Number, st.db.MapError(err))
	}
	return nil
}

func scanRevision(row store.Scanner, extra ...any) (editorial.Revision, error) {
	var r editorial.Revision
	var doc string
	var at int64
	if err := row.Scan(append([]any{&r.Kind, &r.Slug, &r.Number, &r.Status, &doc, &r.Author, &at, &r.Note}, extra...)...); err != nil {
		return editorial.Revision{}, err
	}
	r.Doc, r.At = []byte(doc), time.Unix(at, 0).UTC()
	return r, nil
}

func (st *Store) revision(ctx context.Context, q store.Querier, kind, slug string, n int64) (editorial.Revision, error) {
	r, err := scanRevision(q.QueryRowContext(ctx, st.db.Rebind(qRevision), kind, slug, n))
	if err != nil {
		return editorial.Revision{}, fmt.Errorf("revision %d of %s %q: %w", n, kind, slug, st.db.MapError(err))
	}
	return r, nil
}

// currentRevision returns revision newest, or an empty revision 0 for an
// entry that was never saved in the editor.
func (st *Store) currentRevision(ctx context.Context, q store.Querier, kind, slug string, newest int64) (editorial.Revision, error) {
	if newest == 0 {
		return editorial.Revision{Kind: kind, Slug: slug}, nil
	}
	return st.revision(ctx, q, kind, slug, newest)
}

// Revision returns one revision of an entry, or an error wrapping
// catalogue.ErrNotFound.
func (st *Store) Revision(ctx context.Context, kind, slug string, n int64) (editorial.Revision, error) {
	r, err := st.revision(ctx, st.db.SQL(), kind, slug, n)
	if err != nil {
		return editorial.Revision{}, fmt.Errorf("sqlstore: %w", err)
	}
	return r, nil
}

// Revisions returns every revision of an entry, newest first.
func (st *Store) Revisions(ctx context.Context, kind, slug string) ([]editorial.Revision, error) {
	out, err := store.Query(ctx, st.db.SQL(), st.db.Rebind(qRevisions), func(r store.Scanner) (editorial.Revision, error) { return scanRevision(r) }, kind, slug)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: revisions: %w", st.db.MapError(err))
	}
	return out, nil
}

// NewestRevision returns the number an editor's save must name as its
// Base: the newest revision holding the entry's content, 0 when none.
func (st *Store) NewestRevision(ctx context.Context, kind, slug string) (int64, error) {
	var n int64
	if err := st.db.SQL().QueryRowContext(ctx, st.db.Rebind(qNewestRevision), kind, slug).Scan(&n); err != nil {
		return 0, fmt.Errorf("sqlstore: newest revision: %w", st.db.MapError(err))
	}
	return n, nil
}

func scanDraft(row store.Scanner) (editorial.Draft, error) {
	var d editorial.Draft
	var at int64
	r, err := scanRevision(row, &d.DraftStatus, &d.Reason, &d.UpdatedBy, &at)
	if err != nil {
		return editorial.Draft{}, err
	}
	d.Revision, d.UpdatedAt = r, time.Unix(at, 0).UTC()
	return d, nil
}

// Draft returns the entry's draft, or an error wrapping
// catalogue.ErrNotFound when nobody is working on it.
func (st *Store) Draft(ctx context.Context, kind, slug string) (editorial.Draft, error) {
	d, err := scanDraft(st.db.SQL().QueryRowContext(ctx, st.db.Rebind(qDraft), kind, slug))
	if err != nil {
		return editorial.Draft{}, fmt.Errorf("sqlstore: draft of %s %q: %w", kind, slug, st.db.MapError(err))
	}
	return d, nil
}

// Drafts returns every draft.
func (st *Store) Drafts(ctx context.Context) ([]editorial.Draft, error) {
	out, err := store.Query(ctx, st.db.SQL(), st.db.Rebind(qDrafts), scanDraft)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: drafts: %w", st.db.MapError(err))
	}
	return out, nil
}

// DiscardDraft deletes the entry's draft; its revisions stay.
func (st *Store) DiscardDraft(ctx context.Context, kind, slug, actor string) error {
	err := st.db.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, st.db.Rebind(qDeleteDraft), kind, slug)
		if err != nil {
			return st.db.MapError(err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("%w: %s %q has no draft", catalogue.ErrNotFound, kind, slug)
		}
		return st.audit(ctx, tx, time.Now(), actor, "discard", kind, slug, "draft discarded")
	})
	if err != nil {
		return fmt.Errorf("sqlstore: discarding a draft: %w", err)
	}
	return nil
}

// PublishedDoc returns the published JSON of an entry, and for a service
// whether it is archived; an error wrapping catalogue.ErrNotFound when the
// entry was never published.
func (st *Store) PublishedDoc(ctx context.Context, kind, slug string) (doc []byte, archived bool, err error) {
	var s string
	if kind == catalogue.KindService {
		var status string
		err = st.db.SQL().QueryRowContext(ctx, st.db.Rebind(qPublishedService), slug).Scan(&status, &s)
		archived = status == statusArchived
	} else {
		err = st.db.SQL().QueryRowContext(ctx, st.db.Rebind(qPublishedEntry), kind, slug).Scan(&s)
	}
	if err != nil {
		return nil, false, fmt.Errorf("sqlstore: published %s %q: %w", kind, slug, st.db.MapError(err))
	}
	return []byte(s), archived, nil
}

// Publish writes one entry into the published catalogue, records the
// publish as a revision, deletes the draft, sets the review date and writes
// the audit log, all in one transaction that moves the catalogue version on.
// The caller validates the entry against the whole catalogue first.
func (st *Store) Publish(ctx context.Context, r editorial.PublishRequest) (editorial.PublishResult, error) {
	entry, err := catalogue.DecodeEntry(r.Kind, r.Doc)
	if err != nil {
		return editorial.PublishResult{}, err
	}
	if catalogue.EntrySlug(entry) != r.Slug {
		return editorial.PublishResult{}, fmt.Errorf("%w: the document's slug %q is not %q", catalogue.ErrInvalid, catalogue.EntrySlug(entry), r.Slug)
	}
	at := nowOr(r.At)
	var res editorial.PublishResult
	err = st.db.Tx(ctx, func(tx *sql.Tx) error {
		next, err := st.lockNextVersion(ctx, tx)
		if err != nil {
			return err
		}
		newest, last, err := st.revisionNumbers(ctx, tx, r.Kind, r.Slug)
		if err != nil {
			return err
		}
		if newest != r.Base {
			cur, err := st.currentRevision(ctx, tx, r.Kind, r.Slug, newest)
			if err != nil {
				return err
			}
			return &editorial.ConflictError{Current: cur}
		}
		if s, ok := entry.(*catalogue.Service); ok {
			err = st.writeService(ctx, tx, s, next)
		} else {
			err = st.writeEntry(ctx, tx, r.Kind, r.Slug, r.Doc)
		}
		if err != nil {
			return err
		}
		rev := editorial.Revision{Kind: r.Kind, Slug: r.Slug, Number: last + 1, Status: editorial.StatusPublished, Doc: r.Doc, Author: r.Actor, At: at}
		if err := st.insertRevision(ctx, tx, rev); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, st.db.Rebind(qDeleteDraft), r.Kind, r.Slug); err != nil {
			return st.db.MapError(err)
		}
		if _, err := tx.ExecContext(ctx, st.db.Rebind(qUpsertReviewPublished), r.Kind, r.Slug, r.Owner, r.ReviewBy.Unix(), at.Unix(), r.Actor, rev.Number); err != nil {
			return st.db.MapError(err)
		}
		if _, err := tx.ExecContext(ctx, st.db.Rebind(qSetVersion), next); err != nil {
			return st.db.MapError(err)
		}
		res = editorial.PublishResult{Version: next, Revision: rev.Number}
		return st.audit(ctx, tx, at, r.Actor, "publish", r.Kind, r.Slug, fmt.Sprintf("revision %d published as catalogue version %d. %s", rev.Number, next, r.Detail))
	})
	if err != nil {
		return editorial.PublishResult{}, fmt.Errorf("sqlstore: publishing %s %q: %w", r.Kind, r.Slug, err)
	}
	return res, nil
}

// lockNextVersion takes the catalogue's write lock (the meta row, as Import
// does), announces the change on the feed, and returns the version this
// change brings it to.
func (st *Store) lockNextVersion(ctx context.Context, tx *sql.Tx) (int64, error) {
	var version int64
	var format, authority string
	if err := tx.QueryRowContext(ctx, st.db.Rebind(qLockMeta)).Scan(&version, &format, &authority); err != nil {
		return 0, fmt.Errorf("locking the catalogue: %w", st.db.MapError(err))
	}
	if version == 0 {
		return 0, fmt.Errorf("%w: no catalogue has been imported yet; import one before publishing entries", catalogue.ErrNotFound)
	}
	// Every caller moves the version on, or rolls back, which takes the
	// announcement back too.
	if err := st.db.Notify(ctx, tx, catalogue.ChangeTopic); err != nil {
		return 0, err
	}
	return version + 1, nil
}

func (st *Store) writeService(ctx context.Context, tx *sql.Tx, s *catalogue.Service, version int64) error {
	row, err := encodeService(s)
	if err != nil {
		return err
	}
	var pos int
	err = tx.QueryRowContext(ctx, st.db.Rebind(qServicePosition), s.Slug).Scan(&pos)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		if err := tx.QueryRowContext(ctx, st.db.Rebind(qNextServicePostion)).Scan(&pos); err != nil {
			return st.db.MapError(err)
		}
		_, err = tx.ExecContext(ctx, st.db.Rebind(qInsertService), row.slug, pos, row.topic, row.department, row.hash, row.summary, row.doc, version)
	case err == nil:
		_, err = tx.ExecContext(ctx, st.db.Rebind(qPublishServiceUpdate), row.topic, row.department, row.hash, row.summary, row.doc, version, row.slug)
	}
	if err != nil {
		return fmt.Errorf("writing service %q: %w", s.Slug, st.db.MapError(err))
	}
	return nil
}

func (st *Store) writeEntry(ctx context.Context, tx *sql.Tx, kind, slug string, doc []byte) error {
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
	err = tx.QueryRowContext(ctx, st.db.Rebind(qEntryPosition), kind, slug).Scan(&pos)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		if err := tx.QueryRowContext(ctx, st.db.Rebind(qNextEntryPosition), kind).Scan(&pos); err != nil {
			return st.db.MapError(err)
		}
		_, err = tx.ExecContext(ctx, st.db.Rebind(qInsertEntry), kind, slug, pos, string(b))
	case err == nil:
		_, err = tx.ExecContext(ctx, st.db.Rebind(qUpdateEntry), pos, string(b), kind, slug)
	}
	if err != nil {
		return fmt.Errorf("writing %s %q: %w", kind, slug, st.db.MapError(err))
	}
	return nil
}

// Archive takes a published service off the public site: it stays in the
// database (applications refer to it) and can be published again.
func (st *Store) Archive(ctx context.Context, slug, actor, detail string) (editorial.PublishResult, error) {
	at := time.Now()
	var res editorial.PublishResult
	err := st.db.Tx(ctx, func(tx *sql.Tx) error {
		next, err := st.lockNextVersion(ctx, tx)
		if err != nil {
			return err
		}
		var status, doc string
		if err := tx.QueryRowContext(ctx, st.db.Rebind(qPublishedService), slug).Scan(&status, &doc); err != nil {
			return st.db.MapError(err)
		}
		if status != statusPublished {
			return fmt.Errorf("%w: service %q is already archived", catalogue.ErrConflict, slug)
		}
		if _, err := tx.ExecContext(ctx, st.db.Rebind(qArchiveService), next, slug); err != nil {
			return st.db.MapError(err)
		}
		_, last, err := st.revisionNumbers(ctx, tx, catalogue.KindService, slug)
		if err != nil {
			return err
		}
		rev := editorial.Revision{Kind: catalogue.KindService, Slug: slug, Number: last + 1, Status: editorial.StatusArchived, Doc: []byte(doc), Author: actor, At: at}
		if err := st.insertRevision(ctx, tx, rev); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, st.db.Rebind(qSetVersion), next); err != nil {
			return st.db.MapError(err)
		}
		res = editorial.PublishResult{Version: next, Revision: rev.Number}
		return st.audit(ctx, tx, at, actor, "archive", catalogue.KindService, slug, fmt.Sprintf("archived as catalogue version %d. %s", next, detail))
	})
	if err != nil {
		return editorial.PublishResult{}, fmt.Errorf("sqlstore: archiving service %q: %w", slug, err)
	}
	return res, nil
}

// ImportAs imports a whole catalogue like Import, in the same transaction
// recording it in the audit log as actor's and setting the review date of
// every service it added or changed.
func (st *Store) ImportAs(ctx context.Context, c *catalogue.Catalogue, actor string, reviewBy time.Time) (catalogue.ImportResult, error) {
	at := time.Now()
	return st.importThen(ctx, c, eachOf(c.Services), func(tx *sql.Tx, res catalogue.ImportResult, changed bool) error {
		if !changed {
			return st.audit(ctx, tx, at, actor, "import", "", "", "catalogue imported: nothing changed")
		}
		for _, slug := range append(append([]string{}, res.Added...), res.Updated...) {
			if _, err := tx.ExecContext(ctx, st.db.Rebind(qUpsertReviewPublished), catalogue.KindService, slug, "", reviewBy.Unix(), at.Unix(), actor, 0); err != nil {
				return st.db.MapError(err)
			}
		}
		return st.audit(ctx, tx, at, actor, "import", "", "", fmt.Sprintf("catalogue imported as version %d: %d services added, %d updated, %d archived, %d unchanged",
			res.Version, len(res.Added), len(res.Updated), len(res.Archived), res.Unchanged))
	})
}

// Listings returns every service (published or archived), every topic,
// department, life event and journey, and every new entry that exists only
// as a draft, with their drafts and review dates.
func (st *Store) Listings(ctx context.Context) ([]editorial.Listing, error) {
	var services, entries []editorial.Listing
	var drafts []editorial.Draft
	var reviews []editorial.Review
	err := st.db.ReadTx(ctx, func(tx *sql.Tx) error {
		var err error
		if services, err = store.Query(ctx, tx, st.db.Rebind(qServiceListing), scanServiceListing); err != nil {
			return st.db.MapError(err)
		}
		if entries, err = store.Query(ctx, tx, st.db.Rebind(qEntryListing), scanEntryListing); err != nil {
			return st.db.MapError(err)
		}
		if drafts, err = store.Query(ctx, tx, st.db.Rebind(qDrafts), scanDraft); err != nil {
			return st.db.MapError(err)
		}
		reviews, err = st.reviews(ctx, tx)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("sqlstore: listing entries: %w", err)
	}
	out := append(services, entries...)
	at := make(map[[2]string]int, len(out))
	for i, l := range out {
		at[[2]string{l.Kind, l.Slug}] = i
	}
	for _, d := range drafts {
		i, ok := at[[2]string{d.Kind, d.Slug}]
		if !ok {
			// A new entry that exists only as a draft.
			l := editorial.Listing{Kind: d.Kind, Slug: d.Slug}
			if e, err := catalogue.DecodeEntry(d.Kind, d.Doc); err == nil {
				l.Title, l.Untranslated = entryText(e), catalogue.MissingLanguages(e, catalogue.Languages)
				if s, ok := e.(*catalogue.Service); ok {
					l.Topic, l.Department = s.Topic, s.Department
				}
			}
			i = len(out)
			at[[2]string{d.Kind, d.Slug}] = i
			out = append(out, l)
		}
		out[i].Draft = &d
	}
	for _, r := range reviews {
		if i, ok := at[[2]string{r.Kind, r.Slug}]; ok {
			out[i].Review = r
		}
	}
	return out, nil
}

func scanServiceListing(r store.Scanner) (editorial.Listing, error) {
	var slug, status, summary string
	if err := r.Scan(&slug, &status, &summary); err != nil {
		return editorial.Listing{}, err
	}
	var s catalogue.ServiceSummary
	if err := json.Unmarshal([]byte(summary), &s); err != nil {
		return editorial.Listing{}, fmt.Errorf("decoding the summary of %q: %w", slug, err)
	}
	return editorial.Listing{Kind: catalogue.KindService, Slug: slug, Title: s.Title.Text(), Untranslated: s.Untranslated,
		Topic: s.Topic, Department: s.Department, Published: status == statusPublished, Archived: status == statusArchived}, nil
}

func scanEntryListing(r store.Scanner) (editorial.Listing, error) {
	var kind, slug, doc string
	if err := r.Scan(&kind, &slug, &doc); err != nil {
		return editorial.Listing{}, err
	}
	e, err := catalogue.DecodeEntry(kind, []byte(doc))
	if err != nil {
		return editorial.Listing{}, err
	}
	return editorial.Listing{Kind: kind, Slug: slug, Title: entryText(e), Untranslated: catalogue.MissingLanguages(e, catalogue.Languages), Published: true}, nil
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

func scanReview(row store.Scanner) (editorial.Review, error) {
	var r editorial.Review
	var reviewBy, publishedAt int64
	if err := row.Scan(&r.Kind, &r.Slug, &r.Owner, &reviewBy, &publishedAt, &r.PublishedBy, &r.PublishedRevision); err != nil {
		return editorial.Review{}, err
	}
	if reviewBy > 0 {
		r.ReviewBy = time.Unix(reviewBy, 0).UTC()
	}
	if publishedAt > 0 {
		r.PublishedAt = time.Unix(publishedAt, 0).UTC()
	}
	return r, nil
}

func (st *Store) reviews(ctx context.Context, q store.Querier) ([]editorial.Review, error) {
	out, err := store.Query(ctx, q, st.db.Rebind(qReviews), scanReview)
	return out, st.db.MapError(err)
}

// ReviewOf returns the review of one entry; a zero Review (with Kind and
// Slug set) when none was ever set.
func (st *Store) ReviewOf(ctx context.Context, kind, slug string) (editorial.Review, error) {
	r, err := scanReview(st.db.SQL().QueryRowContext(ctx, st.db.Rebind(qReview), kind, slug))
	if errors.Is(err, sql.ErrNoRows) {
		return editorial.Review{Kind: kind, Slug: slug}, nil
	}
	if err != nil {
		return editorial.Review{}, fmt.Errorf("sqlstore: review of %s %q: %w", kind, slug, st.db.MapError(err))
	}
	return r, nil
}

// SetReview sets who owns an entry and when it must be checked again.
func (st *Store) SetReview(ctx context.Context, kind, slug, owner string, reviewBy time.Time, actor string) error {
	err := st.db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, st.db.Rebind(qUpsertReview), kind, slug, owner, reviewBy.Unix()); err != nil {
			return st.db.MapError(err)
		}
		return st.audit(ctx, tx, time.Now(), actor, "review", kind, slug,
			fmt.Sprintf("owner %q, review by %s", owner, reviewBy.Format(time.DateOnly)))
	})
	if err != nil {
		return fmt.Errorf("sqlstore: setting the review of %s %q: %w", kind, slug, err)
	}
	return nil
}

// Audit returns the audit log, newest first.
func (st *Store) Audit(ctx context.Context, f editorial.AuditFilter) ([]editorial.AuditEntry, error) {
	if f.Limit <= 0 {
		f.Limit = 200
	}
	out, err := store.Query(ctx, st.db.SQL(), st.db.Rebind(qAudit), func(r store.Scanner) (editorial.AuditEntry, error) {
		var e editorial.AuditEntry
		var at int64
		err := r.Scan(&e.ID, &at, &e.Actor, &e.Action, &e.Kind, &e.Slug, &e.Detail)
		e.At = time.Unix(at, 0).UTC()
		return e, err
	}, f.Kind, f.Kind, f.Slug, f.Slug, f.Limit)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: audit log: %w", st.db.MapError(err))
	}
	return out, nil
}

// audit writes one line of the audit log in tx, so that the line and the
// change it records are written together or not at all.
func (st *Store) audit(ctx context.Context, tx *sql.Tx, at time.Time, actor, action, kind, slug, detail string) error {
	_, err := tx.ExecContext(ctx, st.db.Rebind(qInsertAudit), auditID(), at.Unix(), actor, action, kind, slug, detail)
	if err != nil {
		return fmt.Errorf("writing the audit log: %w", st.db.MapError(err))
	}
	return nil
}

// Secret returns the named secret, creating it (32 random bytes) on first
// use, so that every instance and every restart signs with the same key.
func (st *Store) Secret(ctx context.Context, name string) ([]byte, error) {
	var b [32]byte
	rand.Read(b[:])
	if _, err := st.db.SQL().ExecContext(ctx, st.db.Rebind(qInsertSecret), name, hex.EncodeToString(b[:])); err != nil {
		return nil, fmt.Errorf("sqlstore: creating secret %q: %w", name, st.db.MapError(err))
	}
	var v string
	if err := st.db.SQL().QueryRowContext(ctx, st.db.Rebind(qSecret), name).Scan(&v); err != nil {
		return nil, fmt.Errorf("sqlstore: reading secret %q: %w", name, st.db.MapError(err))
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
