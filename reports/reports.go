// Package reports keeps reports at a place: a pothole, a street light out,
// graffiti, fly-tipping. A report is an application of a service of kind
// "report" (catalogue.TransactionReport), made through package
// applications, so it has a reference, its answers and photos, the
// application's history and the mail that says it was received; this
// package adds, in the same transaction, where it is (latitude and
// longitude), how far the council has got with it (open, in progress,
// fixed, with the staff's notes), and the people who found it already
// reported and added theirs to it (supporters), who are told when it moves
// on like the reporter.
//
// It knows nothing of HTTP. The portal's report pages and the Open311
// GeoReport v2 API are both built on Store.
package reports

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"sportello/applications"
	"sportello/applications/forms"
	"sportello/catalogue"
)

// Sentinel errors. ErrNotFound, ErrConflict and ErrInvalid are the
// catalogue's, so the portal's one mapping of errors to HTTP statuses
// covers them.
var (
	ErrNotFound = catalogue.ErrNotFound
	ErrConflict = catalogue.ErrConflict
	ErrInvalid  = catalogue.ErrInvalid
	// ErrOutside: the place is outside the council's area (Options.Area).
	ErrOutside = errors.New("reports: the place is outside the council's area")
	// ErrInvalidTransition: the report cannot go from its status to the one
	// asked (see Allowed).
	ErrInvalidTransition = errors.New("reports: this change of status is not allowed from the report's current status")
)

// Status is how far the council has got with a report.
type Status string

// Statuses, in the order of a report's life.
const (
	StatusOpen       Status = "open"
	StatusInProgress Status = "in_progress"
	StatusFixed      Status = "fixed"
)

// Statuses are every status: each needs a label in every language.
var Statuses = []Status{StatusOpen, StatusInProgress, StatusFixed}

// Valid reports whether s is one of Statuses.
func (s Status) Valid() bool {
	return s == StatusOpen || s == StatusInProgress || s == StatusFixed
}

// Allowed reports whether staff may move a report from one status to
// another: forward (open → in progress → fixed, or straight to fixed), back
// to open (the work stopped, or the fix did not hold). A fixed report is
// reopened as open, never straight back to in progress, so the reporter
// reads that it came back before they read that work started again.
func Allowed(from, to Status) bool {
	if from == to || !from.Valid() || !to.Valid() {
		return false
	}
	return !(from == StatusFixed && to == StatusInProgress)
}

// Report is one report at a place.
type Report struct {
	ID            int64
	ApplicationID int64
	Reference     applications.Reference // the application's: what the reporter quotes
	ServiceSlug   string
	// Point is where it is; nil for a report made by its address alone
	// (without the map, and without typing coordinates).
	Point       *Point
	Address     string // the street and the nearest number or a landmark, as written; may be ""
	Description string
	Status      Status
	CreatedAt   time.Time
	UpdatedAt   time.Time
	// DueDate is the application's: YYYY-MM-DD in the council's time zone
	// by which the service aims to fix it; "" when it states no time.
	DueDate string
	// Supporters counts the people who added theirs to this report.
	Supporters int
	// PersonID is the reporter, 0 when they were not signed in. Personal:
	// never shown to anyone but staff and the reporter.
	PersonID int64
	// Events are the changes of status, oldest first; only Get, ByReference
	// and ByApplication fill them.
	Events []Event
	// Photos are the files sent with the report; only Get, ByReference and
	// ByApplication fill them. Their content is the application's
	// (applications.Store.Open, through StaffFile or File).
	Photos []Photo
}

// Event is one change of status, with the note the reporter and the
// supporters were sent.
type Event struct {
	Seq           int
	At            time.Time
	ActorPersonID int64
	From, To      Status
	Note          string
}

// Photo is a file sent with a report.
type Photo struct {
	FileID      string // applications.File.ID
	Filename    string
	ContentType string
	Size        int64
}

// NewReport is a report to make.
type NewReport struct {
	// Token is a one-time token (applications.NewToken): making a report
	// twice with the same token returns the first.
	Token            string
	Service          *catalogue.Service // of kind "report", with an online form
	CatalogueVersion int64
	PersonID         int64 // 0 when nobody is signed in (the service's assurance must be "none")
	Contact          applications.Contact
	Lang             string // the reporter's language, for the mails
	Point            *Point // nil: by its address alone (Address is then needed)
	Address          string
	Description      string
	// Answers are the form's answers when the report came through the
	// online form (forms.Result.Answers), with Files its files. When nil,
	// answers are made from Address (the form's first location or address
	// field), Description (its first textarea) and Files (its first file
	// field, the files' Field and Index set by Create), as an API client
	// sends them.
	Answers forms.Answers
	Files   []forms.AcceptedFile
	Now     time.Time // zero: the store's clock
}

// Filter selects reports for a list. Zero values select everything.
type Filter struct {
	Services []string // service slugs
	Statuses []Status
	Area     *BBox
	From     time.Time // made at or after
	Until    time.Time // made before
	Limit    int       // 0: DefaultLimit; at most MaxLimit
	Offset   int
}

// List limits.
const (
	DefaultLimit = 100
	MaxLimit     = 1000
)

// NearbyQuery asks for the reports of a service within Radius metres of a
// place.
type NearbyQuery struct {
	Service  string
	Point    Point
	Radius   float64  // metres; 0: DefaultRadius
	Statuses []Status // nil: open and in progress (the ones a new report would repeat)
	Limit    int      // 0: 20
}

// DefaultRadius is how close another report of the same service must be
// to be the same problem, as FixMyStreet's duplicate check has it.
const DefaultRadius = 30

// Near is a report near a place, at Distance metres.
type Near struct {
	Report
	Distance float64
}

// Supporter is someone who adds theirs to a report instead of sending
// another: a signed-in person (PersonID), or someone who was not and gave
// an address (Email), or neither (only counted).
type Supporter struct {
	PersonID int64
	Email    string
	Lang     string
	Now      time.Time // zero: the store's clock
}

// Store is the reports' data.
type Store interface {
	// Create makes the report's application (applications.Store.Submit)
	// and the report, open, in one transaction. ErrInvalid when the service
	// is not of kind "report", the point is not a place on Earth, or there
	// is neither a point nor an address,
	// ErrOutside when it is outside the council's area.
	Create(ctx context.Context, in NewReport) (*Report, error)
	// Get returns a report with its events and photos; ErrNotFound.
	Get(ctx context.Context, id int64) (*Report, error)
	// ByReference returns the report of an application reference.
	ByReference(ctx context.Context, ref applications.Reference) (*Report, error)
	// ByApplication returns the report of an application id.
	ByApplication(ctx context.Context, applicationID int64) (*Report, error)
	// List returns the reports f selects, newest first, and how many it
	// selects in all (beyond the limit).
	List(ctx context.Context, f Filter) ([]Report, int, error)
	// Nearby returns the reports of q.Service within q.Radius metres of
	// q.Point, nearest first (reports without a point are never near).
	Nearby(ctx context.Context, q NearbyQuery) ([]Near, error)
	// SetStatus moves a report to status to, with a note, and tells the
	// reporter and every supporter, in one transaction.
	// ErrInvalidTransition when Allowed says no.
	SetStatus(ctx context.Context, id int64, to Status, actor applications.Actor, note string) error
	// AddSupporter records s as a supporter of report id and reports
	// whether they were not one already (nor its reporter). ErrConflict when
	// the report is fixed: a problem seen again after its fix is a new
	// report.
	AddSupporter(ctx context.Context, id int64, s Supporter) (bool, error)
	// ErasePerson is the reports' part in deleting personID's account
	// (accounts.Eraser), within tx: they stop being a supporter of any
	// report. The reports they made are applications, which the
	// applications area cuts from the account.
	ErasePerson(ctx context.Context, tx *sql.Tx, personID int64) error
}

func (s Status) String() string { return string(s) }

// validatePlace checks that a report says where it is: p, a place on
// Earth inside area when set, or at least an address.
func validatePlace(p *Point, address string, area *BBox) error {
	if p == nil {
		if address == "" {
			return fmt.Errorf("%w: a report needs a place: coordinates or an address", ErrInvalid)
		}
		return nil
	}
	if !p.Valid() {
		return fmt.Errorf("%w: latitude %v and longitude %v are not a place on Earth", ErrInvalid, p.Lat, p.Lng)
	}
	if area != nil && !area.Contains(*p) {
		return fmt.Errorf("%w: %v, %v", ErrOutside, p.Lat, p.Lng)
	}
	return nil
}
