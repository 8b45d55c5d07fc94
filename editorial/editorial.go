// Package editorial is the content editors' data: drafts and revisions of
// catalogue entries, publishing, review dates, the audit log, search tuning
// (synonyms, best bets), search insights, page feedback and service
// alerts. It declares Store, which the editor pages use; catalogue/sqlstore
// implements it, because publishing writes the catalogue's own tables in
// the same transaction (docs/adr/0008).
package editorial

import (
	"context"
	"fmt"
	"time"

	"sportello/catalogue"
)

// Store is everything the editor pages, page feedback and search insights
// read and write.
type Store interface {
	Workflow
	Tuning
	Insights
	Feedback
	Alerts
	// Secret returns the named secret (32 random bytes), creating it on
	// first use, so that every instance and every restart signs with the
	// same key (shareable preview links).
	Secret(ctx context.Context, name string) ([]byte, error)
}

// Workflow is an entry's way from draft to published: revisions, drafts,
// publishing and archiving, who answers for an entry and the audit log.
type Workflow interface {
	// SaveDraft stores a new revision and makes it the entry's draft; a
	// *ConflictError when SaveRequest.Base is not the newest revision.
	SaveDraft(ctx context.Context, r SaveRequest) (Revision, error)
	// Draft returns the entry's draft, or catalogue.ErrNotFound when
	// nobody is working on it.
	Draft(ctx context.Context, kind, slug string) (Draft, error)
	// DiscardDraft deletes the entry's draft; its revisions stay.
	DiscardDraft(ctx context.Context, kind, slug, actor string) error
	// Revision returns one revision, or catalogue.ErrNotFound.
	Revision(ctx context.Context, kind, slug string, n int64) (Revision, error)
	// Revisions returns every revision of an entry, newest first.
	Revisions(ctx context.Context, kind, slug string) ([]Revision, error)
	// NewestRevision returns the number a save must name as its Base.
	NewestRevision(ctx context.Context, kind, slug string) (int64, error)
	// PublishedDoc returns the published JSON of an entry and, for a
	// service, whether it is archived; catalogue.ErrNotFound when it was
	// never published.
	PublishedDoc(ctx context.Context, kind, slug string) (doc []byte, archived bool, err error)
	// Publish writes one entry into the published catalogue, moving the
	// catalogue version on; a *ConflictError when Base is not the newest.
	Publish(ctx context.Context, r PublishRequest) (PublishResult, error)
	// Archive takes a published service off the public site.
	Archive(ctx context.Context, slug, actor, detail string) (PublishResult, error)
	// ImportAs imports a whole catalogue as actor's, setting the review
	// date of every service it added or changed.
	ImportAs(ctx context.Context, c *catalogue.Catalogue, actor string, reviewBy time.Time) (catalogue.ImportResult, error)
	// Listings returns every entry as the editor's list shows it.
	Listings(ctx context.Context) ([]Listing, error)
	// ReviewOf returns the review of one entry; a zero Review (Kind and
	// Slug set) when none was ever set.
	ReviewOf(ctx context.Context, kind, slug string) (Review, error)
	// SetReview sets who owns an entry and when it must be checked again.
	SetReview(ctx context.Context, kind, slug, owner string, reviewBy time.Time, actor string) error
	// Audit returns the audit log, newest first.
	Audit(ctx context.Context, f AuditFilter) ([]AuditEntry, error)
}

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

// Listing is one entry as the editor's list shows it.
type Listing struct {
	Kind, Slug string
	Title      catalogue.Text
	// Untranslated are the languages some text of the entry lacks
	// (catalogue.MissingLanguages); for a service, as its stored summary
	// says, which summaries older than the field do not.
	Untranslated []string
	Topic        string // services only
	Department   string // services only
	Published    bool   // a published version exists (and for a service, is not archived)
	Archived     bool
	Draft        *Draft // nil when nobody is working on it
	Review       Review
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

// AuditEntry is one line of the audit log.
type AuditEntry struct {
	ID     int64
	At     time.Time
	Actor  string
	Action string // save, conflict, discard, publish, archive, import, review, synonyms, best_bet, alert
	Kind   string
	Slug   string
	Detail string
}

// AuditFilter narrows the audit log; empty fields match everything.
type AuditFilter struct {
	Kind, Slug string
	Limit      int // 0: 200
}
