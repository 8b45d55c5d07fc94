// Package applications keeps the applications people make through the
// portal's online forms: the submission (answers, files, fee, first status,
// all in one transaction), the status machine and its history, drafts, and
// the audit log of what staff saw and did. It knows nothing about HTTP.
//
// Authorisation is in the queries: an applicant's reads and actions name
// the person, and another person's application is simply not found
// (ErrNotFound), never "forbidden", so its existence cannot be probed.
// Staff reads are not filtered by person; the portal lets only staff roles
// reach them, and the store writes an audit entry for each.
package applications

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base32"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"time"

	"sportello/applications/forms"
	"sportello/calendar"
	"sportello/catalogue"
	"sportello/metrics"
	"sportello/store"
)

// Sentinel errors. ErrNotFound and ErrConflict are the catalogue's, so the
// portal's one mapping of errors to HTTP statuses covers them.
var (
	ErrNotFound          = catalogue.ErrNotFound
	ErrConflict          = catalogue.ErrConflict
	ErrInvalid           = catalogue.ErrInvalid
	ErrInvalidTransition = errors.New("applications: this change of status is not allowed from the application's current status")
)

// Application is one application with its history and files.
type Application struct {
	ID               int64
	Reference        Reference
	ServiceSlug      string
	CatalogueVersion int64 // of the catalogue the form was filled in against
	PersonID         int64 // 0 when made without signing in
	Contact          Contact
	Answers          forms.Answers
	Fee              *Fee // nil when the service was free
	Status           Status
	CreatedAt        time.Time
	SubmittedAt      time.Time // zero while a draft
	UpdatedAt        time.Time
	DueDate          string // YYYY-MM-DD in the authority's time zone; "" when the service states no time
	Deadline         Deadline
	Lang             string // the language the form was filled in; "" for applications made before it was kept
	OrganisationID   int64  // the organisation it was made for; 0 for none
	SubmittedBy      int64  // who sent it when not the applicant (a representative); 0 otherwise
	Events           []Event
	Files            []File
}

// Contact is how to reach the applicant; optional for anonymous
// applications, and then the only way.
type Contact struct {
	Name  string
	Email string
}

// Fee is the service's fee when the application was made, kept because the
// catalogue's fee may change afterwards.
type Fee struct {
	Amount   int64 // minor units
	Currency string
	When     string // catalogue.FeeOnApplication or catalogue.FeeOnApproval
}

// Event is one change of status, with who made it and why.
type Event struct {
	Seq           int
	At            time.Time
	ActorPersonID int64
	ActorRole     string
	From, To      Status
	Note          string
	Files         []File // sent with the event (an answer to a request for more information)
}

// File is an uploaded file's record; Store.Open reads its content.
type File struct {
	ID            string
	ApplicationID int64
	EventSeq      int    // 0 for a file of the form
	Field         string // the form field, or "" for a file sent with an event
	Filename      string // as the person's computer named it; shown, never a path
	ContentType   string // found from the content
	Size          int64
	SHA256        string // hex
	CreatedAt     time.Time
	storageName   string
}

// Summary is what a list of applications shows about each.
type Summary struct {
	ID          int64
	Reference   Reference
	ServiceSlug string
	PersonID    int64
	Contact     Contact
	Status      Status
	CreatedAt   time.Time
	SubmittedAt time.Time
	UpdatedAt   time.Time
	DueDate     string
	Overdue     bool // past its due date while the council owes the next step
	Deadline    Deadline
	// OrganisationID and SubmittedBy are the Application's.
	OrganisationID, SubmittedBy int64
}

// Options configure a Store.
type Options struct {
	// DataDir is the server's data directory, where versions before files
	// moved into the database kept uploads ("uploads") and forms in
	// progress ("pending"); SweepExpired moves them out. "" when there is
	// none to look at.
	DataDir string
	// Blobs keeps the files' content; default the database
	// (NewDatabaseBlobs).
	Blobs Blobs
	// PendingQuota is the most bytes of uploads one person or session, and
	// one client address, may keep in forms in progress. Default
	// DefaultPendingQuota.
	PendingQuota int64
	// ReferencePrefix starts every new reference; 1 to 6 letters. Default
	// "PN".
	ReferencePrefix string
	// Location is the authority's time zone, in which due dates are counted
	// and "today" is decided. Default UTC.
	Location *time.Location
	// Calendar is the council's working days, in which due dates are
	// counted; default the holidays in the database (calendar.New).
	Calendar Calendar
	// Now is the clock; default time.Now.
	Now    func() time.Time
	Logger *slog.Logger
	// Metrics count the applications submitted; nil counts nothing.
	Metrics *metrics.Metrics
}

// Store keeps applications in the Sportello database.
type Store struct {
	db           *store.DB
	blobs        Blobs
	pendingQuota int64
	disk         diskLeftovers
	prefix       string
	loc          *time.Location
	calendar     Calendar
	now          func() time.Time
	log          *slog.Logger
	metrics      *metrics.Metrics
	// newReference draws a reference; tests replace it to force a clash.
	newReference func() (Reference, error)
	pending      Pending
}

// New returns a store over db, whose migrations (Open) created the tables.
func New(db *store.DB, opts Options) (*Store, error) {
	if opts.ReferencePrefix == "" {
		opts.ReferencePrefix = DefaultReferencePrefix
	}
	if !validPrefix(opts.ReferencePrefix) {
		return nil, fmt.Errorf("applications: reference prefix %q must be 1 to %d capital letters A-Z, like %q", opts.ReferencePrefix, maxPrefix, DefaultReferencePrefix)
	}
	if opts.Location == nil {
		opts.Location = time.UTC
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.Blobs == nil {
		opts.Blobs = NewDatabaseBlobs(db)
	}
	if opts.Calendar == nil {
		opts.Calendar = calendar.New(db, opts.Now)
	}
	if opts.PendingQuota <= 0 {
		opts.PendingQuota = DefaultPendingQuota
	}
	s := &Store{db: db, blobs: opts.Blobs, pendingQuota: opts.PendingQuota,
		prefix: opts.ReferencePrefix, loc: opts.Location, calendar: opts.Calendar, now: opts.Now, log: opts.Logger, metrics: opts.Metrics}
	if opts.DataDir != "" {
		s.disk = diskLeftovers{uploads: filepath.Join(opts.DataDir, "uploads"), pending: filepath.Join(opts.DataDir, "pending"), s: s}
	}
	s.newReference = func() (Reference, error) { return NewReference(s.prefix) }
	s.pending = &pendingDB{s: s}
	return s, nil
}

// Pending returns where forms in progress are kept until they are submitted.
func (s *Store) Pending() Pending { return s.pending }

// clock returns now in UTC at the precision both databases keep, so that a
// time read back equals the time written.
func (s *Store) clock(t time.Time) time.Time {
	if t.IsZero() {
		t = s.now()
	}
	return t.UTC().Truncate(time.Microsecond)
}

// today is the date in the authority's time zone.
func (s *Store) today() string { return s.now().In(s.loc).Format(time.DateOnly) }

func (s *Store) q(query string) string { return s.db.Rebind(query) }

// NewToken returns a one-time submission token for Submit, which records
// it; being 128 random bits, it cannot be guessed. A form page shows a
// token that Pending.Issue made instead, which only the server can make.
func NewToken() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b[:]), nil
}

// ValidToken reports whether t could be a token NewToken made: 16 to 128
// URL-safe base64 characters. Submit and the forms in progress (Pending)
// refuse anything else before looking it up.
func ValidToken(t string) bool {
	if len(t) < 16 || len(t) > 128 {
		return false
	}
	for i := 0; i < len(t); i++ {
		c := t[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

var fileIDEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// randomName returns 26 random lower-case letters and digits (128 bits).
func randomName() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return fileIDEncoding.EncodeToString(b[:]), nil
}

func marshal(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}

// Audit actions.
const (
	AuditView         = "view"
	AuditViewFile     = "view_file"
	AuditChangeStatus = "change_status"
)

// AuditEntry is one line of the audit log.
type AuditEntry struct {
	ID            int64
	At            time.Time
	ActorPersonID int64
	ActorRole     string
	Action        string
	ApplicationID int64
	Detail        string
}

func (s *Store) audit(ctx context.Context, tx *sql.Tx, at time.Time, actor Actor, action string, applicationID int64, detail string) error {
	id := store.NewID()
	_, err := tx.ExecContext(ctx, s.q(qInsertAudit), id, at, store.NullID(actor.PersonID), actor.Role, action, store.NullID(applicationID), detail)
	return s.db.MapError(err)
}

// Audit returns the audit log of an application, oldest first.
func (s *Store) Audit(ctx context.Context, ref Reference) ([]AuditEntry, error) {
	var id int64
	var status string
	if err := s.db.SQL().QueryRowContext(ctx, s.q(qStatusByRef), string(ref)).Scan(&id, &status); err != nil {
		return nil, s.db.MapError(err)
	}
	rows, err := s.db.SQL().QueryContext(ctx, s.q(qAudit), id)
	if err != nil {
		return nil, s.db.MapError(err)
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		var e AuditEntry
		var person, app sql.NullInt64
		if err := rows.Scan(&e.ID, &e.At, &person, &e.ActorRole, &e.Action, &app, &e.Detail); err != nil {
			return nil, err
		}
		e.ActorPersonID, e.ApplicationID = person.Int64, app.Int64
		out = append(out, e)
	}
	return out, s.db.MapError(rows.Err())
}
