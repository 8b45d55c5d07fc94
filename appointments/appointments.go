// Package appointments books residents a time at a council office for a
// bookable service (catalogue.Booking): the free times of an office's day,
// cut from its opening hours less the council's holidays (package
// calendar), the office's closures, the appointments already booked and the
// times staff blocked; booking, moving and cancelling one; the staff's day
// at each office and counter; and the reminder the day before.
//
// Who gets a time is decided by the database, on SQLite and PostgreSQL and
// across instances: each five-minute cell of a counter's time is a row
// whose primary key is (office, counter, start), and a booking inserts its
// cells, so that of two people booking the last time at once exactly one
// does. The other is told the time has just been taken (ErrTaken).
//
// Nothing here knows about HTTP. Times are instants (time.Time, stored in
// UTC); days are the council's dates, YYYY-MM-DD, in Options.Location.
package appointments

import (
	"context"
	"errors"
	"time"

	"sportello/catalogue"
	"sportello/store"
)

// Errors. ErrNotFound is the database's, which the portal maps to 404.
var (
	ErrNotFound = store.ErrNotFound
	// ErrTaken: the time chosen is no longer free at any counter.
	ErrTaken = errors.New("appointments: that time has just been taken")
	// ErrNotOffered: the time is not one the service is booked at (not a
	// start of its slots, in the past, too far ahead, on a closed day).
	ErrNotOffered = errors.New("appointments: that time is not offered")
	// ErrClosed: the appointment can no longer be changed (cancelled,
	// attended, or its time has passed).
	ErrClosed = errors.New("appointments: the appointment can no longer be changed")
	// ErrInvalid: what was asked makes no sense (a block that ends before
	// it starts, a status staff may not set).
	ErrInvalid = errors.New("appointments: invalid")
)

// Status is where an appointment stands.
type Status string

// The statuses. Booked is the only one a resident may change.
const (
	Booked    Status = "booked"
	Arrived   Status = "arrived"
	NoShow    Status = "no_show"
	Cancelled Status = "cancelled"
)

// Appointment is one booked time.
type Appointment struct {
	ID       int64
	Service  string // catalogue slug
	Office   string // department slug
	Counter  int    // 1…the office's counters
	Day      string // the council's date of Start
	Start    time.Time
	Minutes  int
	PersonID int64  // 0: booked without signing in
	Email    string // for someone not signed in
	Name     string
	Lang     string
	Status   Status
	Moves    int
	Created  time.Time
	Updated  time.Time
}

// End is when the appointment ends.
func (a *Appointment) End() time.Time { return a.Start.Add(time.Duration(a.Minutes) * time.Minute) }

// Open reports whether the resident may still move or cancel it at now.
func (a *Appointment) Open(now time.Time) bool { return a.Status == Booked && a.Start.After(now) }

// Block is a time staff keep free of appointments at one counter.
type Block struct {
	ID      int64
	Office  string
	Counter int
	Day     string
	Start   time.Time
	End     time.Time
	Note    string
}

// Offer is what a service is booked at one office: the office (its hours,
// counters, closures) and the service's booking. The portal reads both
// from the catalogue.
type Offer struct {
	Service string
	Booking *catalogue.Booking
	Office  *catalogue.Department
}

// Request is a booking to make.
type Request struct {
	Offer
	Start    time.Time
	PersonID int64  // the signed-in resident, or 0
	Email    string // needed when PersonID is 0
	Name     string
	Lang     string
}

// Slot is a time an appointment may start, with how many counters are
// free then (0: taken everywhere).
type Slot struct {
	Start time.Time
	Free  int
}

// DaySlots are the times of one day.
type DaySlots struct {
	Day   string
	Slots []Slot
}

// FreeCount is how many of the day's times are free at some counter.
func (d DaySlots) FreeCount() int {
	n := 0
	for _, s := range d.Slots {
		if s.Free > 0 {
			n++
		}
	}
	return n
}

// Store is the appointments' data; DB keeps it in the database.
type Store interface {
	// Days are the offer's bookable days from today, with their times.
	Days(ctx context.Context, o Offer) ([]DaySlots, error)
	// Day is the offer's times on one day.
	Day(ctx context.Context, o Offer, day string) (DaySlots, error)
	// Book books a time (ErrTaken, ErrNotOffered).
	Book(ctx context.Context, r Request) (*Appointment, error)
	Get(ctx context.Context, id int64) (*Appointment, error)
	ForPerson(ctx context.Context, personID int64) ([]*Appointment, error)
	// Move and Cancel are the resident's (ErrClosed once it is no longer
	// open).
	Move(ctx context.Context, id int64, o Offer, start time.Time) (*Appointment, error)
	Cancel(ctx context.Context, id int64) (*Appointment, error)
	// ManageToken and ByToken are the link of an appointment booked
	// without signing in.
	ManageToken(ctx context.Context, id int64) (string, error)
	ByToken(ctx context.Context, token string) (*Appointment, error)
	// OfficeDay, Mark, CancelAt, AddBlock and RemoveBlock are the staff's.
	OfficeDay(ctx context.Context, office, day string) ([]*Appointment, []Block, error)
	Mark(ctx context.Context, office string, id int64, st Status, by int64) error
	CancelAt(ctx context.Context, office string, id int64, by int64) (*Appointment, error)
	AddBlock(ctx context.Context, b Block, by int64) (int, error)
	RemoveBlock(ctx context.Context, office string, id int64) error
	// RemindTomorrow adds tomorrow's reminders.
	RemindTomorrow(ctx context.Context) (int, error)
	// Location is the council's time zone; Now its clock.
	Location() *time.Location
	Now() time.Time
}

var _ Store = (*DB)(nil)
