package appointments

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"sportello/calendar"
	"sportello/notify"
	"sportello/store"
)

// Options configure a DB.
type Options struct {
	// Location is the council's time zone: days and opening hours are in
	// it. Default UTC.
	Location *time.Location
	// Calendar is the council's holidays, on which no office takes
	// appointments; nil: only the offices' own closures.
	Calendar calendar.Store
	// Now is the clock; default time.Now.
	Now func() time.Time
}

// DB keeps appointments in Sportello's database (package store).
type DB struct {
	db   *store.DB
	loc  *time.Location
	cal  calendar.Store
	now  func() time.Time
	keys secretKey
}

// New returns the appointments kept in db.
func New(db *store.DB, opts Options) *DB {
	if opts.Location == nil {
		opts.Location = time.UTC
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &DB{db: db, loc: opts.Location, cal: opts.Calendar, now: opts.Now}
}

// Location is the council's time zone.
func (s *DB) Location() *time.Location { return s.loc }

// Now is the store's clock.
func (s *DB) Now() time.Time { return s.now() }

const appointmentColumns = `id, service, office, counter, day, starts_at, minutes, COALESCE(person_id, 0), email, name, lang, status, moves, created_at, updated_at`

func scanAppointment(r store.Scanner) (*Appointment, error) {
	var a Appointment
	var start, created, updated int64
	var status string
	if err := r.Scan(&a.ID, &a.Service, &a.Office, &a.Counter, &a.Day, &start, &a.Minutes, &a.PersonID, &a.Email, &a.Name, &a.Lang,
		&status, &a.Moves, &created, &updated); err != nil {
		return nil, err
	}
	a.Start, a.Created, a.Updated, a.Status = time.Unix(start, 0).UTC(), time.Unix(created, 0).UTC(), time.Unix(updated, 0).UTC(), Status(status)
	return &a, nil
}

func (s *DB) days(ctx context.Context, q store.Querier) (calendar.Days, error) {
	if s.cal == nil {
		return calendar.Days{}, nil
	}
	return s.cal.Days(ctx, q)
}

// Days returns the days from today to the offer's last bookable one, each
// with its times and how many counters are free at each; days without any
// time (weekends, holidays, closures) are left out.
func (s *DB) Days(ctx context.Context, o Offer) ([]DaySlots, error) {
	first, last := window(o, s.now(), s.loc)
	return s.slots(ctx, o, first, last)
}

// Day returns the offer's times on day, and how many counters are free at
// each; no times on a day outside the bookable window.
func (s *DB) Day(ctx context.Context, o Offer, day string) (DaySlots, error) {
	first, last := window(o, s.now(), s.loc)
	if day < first || day > last {
		return DaySlots{Day: day}, nil
	}
	list, err := s.slots(ctx, o, day, day)
	if err != nil || len(list) == 0 {
		return DaySlots{Day: day}, err
	}
	return list[0], nil
}

func (s *DB) slots(ctx context.Context, o Offer, first, last string) ([]DaySlots, error) {
	hols, err := s.days(ctx, nil)
	if err != nil {
		return nil, err
	}
	from, err := calendar.ParseDate(first)
	if err != nil {
		return nil, err
	}
	to, err := calendar.ParseDate(last)
	if err != nil {
		return nil, err
	}
	lo := time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, s.loc)
	hi := time.Date(to.Year(), to.Month(), to.Day()+1, 0, 0, 0, 0, s.loc)
	t, err := s.taken(ctx, s.db.SQL(), o.Office.Slug, lo, hi)
	if err != nil {
		return nil, err
	}
	now := s.now()
	var out []DaySlots
	for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
		day := d.Format(time.DateOnly)
		ds := DaySlots{Day: day}
		for _, st := range starts(o, day, s.loc, hols) {
			if !st.After(now) {
				continue
			}
			ds.Slots = append(ds.Slots, Slot{Start: st, Free: len(t.freeAt(o.Office.CountersOf(), st, o.Booking.DurationMinutes))})
		}
		if len(ds.Slots) > 0 {
			out = append(out, ds)
		}
	}
	return out, nil
}

// taken reads the cells taken at office from lo to hi.
func (s *DB) taken(ctx context.Context, q store.Querier, office string, lo, hi time.Time) (taken, error) {
	t := taken{}
	type row struct {
		counter int
		at      int64
	}
	rows, err := store.Query(ctx, q, s.db.Rebind(`SELECT counter, starts_at FROM appointment_cells WHERE office = ? AND starts_at >= ? AND starts_at < ?`),
		func(r store.Scanner) (row, error) {
			var x row
			return x, r.Scan(&x.counter, &x.at)
		}, office, lo.Unix(), hi.Unix())
	if err != nil {
		return nil, fmt.Errorf("appointments: reading the times taken: %w", s.db.MapError(err))
	}
	for _, x := range rows {
		if t[x.counter] == nil {
			t[x.counter] = map[int64]bool{}
		}
		t[x.counter][x.at] = true
	}
	return t, nil
}

// offered checks that start is a time o is booked at, now.
func (s *DB) offered(ctx context.Context, o Offer, start time.Time) (string, error) {
	if o.Booking == nil || o.Office == nil {
		return "", fmt.Errorf("%w: no booking or office", ErrNotOffered)
	}
	day := start.In(s.loc).Format(time.DateOnly)
	first, last := window(o, s.now(), s.loc)
	if day < first || day > last || !start.After(s.now()) {
		return "", ErrNotOffered
	}
	hols, err := s.days(ctx, nil)
	if err != nil {
		return "", err
	}
	if !slices.ContainsFunc(starts(o, day, s.loc, hols), start.Equal) {
		return "", ErrNotOffered
	}
	return day, nil
}

// Book books r: the first counter free at r.Start takes it. The cells and
// the appointment are written in one transaction, with its confirmation
// (notify.AppointmentBooked). When another booking took a counter first,
// the next is tried; ErrTaken when none is left.
func (s *DB) Book(ctx context.Context, r Request) (*Appointment, error) {
	if r.PersonID == 0 && strings.TrimSpace(r.Email) == "" {
		return nil, fmt.Errorf("%w: a booking needs a person or an email", ErrInvalid)
	}
	day, err := s.offered(ctx, r.Offer, r.Start)
	if err != nil {
		return nil, err
	}
	now := s.now()
	a := &Appointment{
		Service: r.Service, Office: r.Office.Slug, Day: day, Start: r.Start.UTC().Truncate(time.Second), Minutes: r.Booking.DurationMinutes,
		PersonID: r.PersonID, Email: strings.TrimSpace(r.Email), Name: strings.TrimSpace(r.Name), Lang: r.Lang, Status: Booked,
		Created: now.UTC().Truncate(time.Second), Updated: now.UTC().Truncate(time.Second),
	}
	for c := 1; c <= r.Office.CountersOf(); c++ {
		a.ID = store.NewID()
		a.Counter = c
		err = s.db.Tx(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, s.db.Rebind(`INSERT INTO appointments (id, service, office, counter, day, starts_at, minutes, person_id, email, name, lang, status, moves, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'booked', 0, ?, ?)`),
				a.ID, a.Service, a.Office, a.Counter, a.Day, a.Start.Unix(), a.Minutes, store.NullID(a.PersonID), a.Email, a.Name, a.Lang, now.Unix(), now.Unix()); err != nil {
				return fmt.Errorf("appointments: booking: %w", s.db.MapError(err))
			}
			if err := s.takeCells(ctx, tx, a.Office, a.Counter, a.Start, a.Minutes, "appointment_id", a.ID); err != nil {
				return err
			}
			return s.tell(ctx, tx, now, notify.AppointmentBooked, "appointment:"+strconv.FormatInt(a.ID, 10)+":booked", a)
		})
		if !errors.Is(err, ErrTaken) {
			break
		}
	}
	if err != nil {
		return nil, err
	}
	return a, nil
}

// takeCells inserts the cells from start for minutes at counter, owned by
// column (appointment_id or block_id) id; ErrTaken, for the transaction to
// be rolled back, when any of them is someone else's. ON CONFLICT DO
// NOTHING leaves a PostgreSQL transaction usable, where a failed insert
// would abort it.
func (s *DB) takeCells(ctx context.Context, tx *sql.Tx, office string, counter int, start time.Time, minutes int, column string, id int64) error {
	cs := cells(start, minutes)
	var b strings.Builder
	args := make([]any, 0, 4*len(cs))
	b.WriteString(`INSERT INTO appointment_cells (office, counter, starts_at, ` + column + `) VALUES `)
	for i, at := range cs {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("(?, ?, ?, ?)")
		args = append(args, office, counter, at, id)
	}
	b.WriteString(` ON CONFLICT (office, counter, starts_at) DO NOTHING`)
	res, err := tx.ExecContext(ctx, s.db.Rebind(b.String()), args...)
	if err != nil {
		return fmt.Errorf("appointments: taking the time: %w", s.db.MapError(err))
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n != int64(len(cs)) {
		return ErrTaken
	}
	return nil
}

// tell adds the notification of kind about a, keyed key, within tx.
func (s *DB) tell(ctx context.Context, tx *sql.Tx, now time.Time, kind notify.Kind, key string, a *Appointment) error {
	e := notify.Event{Kind: kind, Key: key, PersonID: a.PersonID, Lang: a.Lang, Data: map[string]string{
		"id": strconv.FormatInt(a.ID, 10), "service": a.Service, "office": a.Office,
		"start": a.Start.UTC().Format(time.RFC3339), "minutes": strconv.Itoa(a.Minutes),
	}}
	if a.PersonID == 0 {
		e.Address = a.Email
	}
	return notify.Add(ctx, s.db, tx, now, e)
}

// Get returns the appointment id, or ErrNotFound.
func (s *DB) Get(ctx context.Context, id int64) (*Appointment, error) {
	return s.get(ctx, s.db.SQL(), id, "")
}

func (s *DB) get(ctx context.Context, q store.Querier, id int64, lock string) (*Appointment, error) {
	a, err := scanAppointment(q.QueryRowContext(ctx, s.db.Rebind(`SELECT `+appointmentColumns+` FROM appointments WHERE id = ?`+lock), id))
	if err != nil {
		return nil, fmt.Errorf("appointments: reading appointment %d: %w", id, s.db.MapError(err))
	}
	return a, nil
}

// ForPerson returns personID's appointments, the next first, then those
// past, the latest first.
func (s *DB) ForPerson(ctx context.Context, personID int64) ([]*Appointment, error) {
	list, err := store.Query(ctx, s.db.SQL(), s.db.Rebind(`SELECT `+appointmentColumns+` FROM appointments WHERE person_id = ? ORDER BY starts_at`), scanAppointment, personID)
	if err != nil {
		return nil, fmt.Errorf("appointments: reading a person's appointments: %w", s.db.MapError(err))
	}
	now := s.now()
	var next, past []*Appointment
	for _, a := range list {
		if a.End().After(now) {
			next = append(next, a)
		} else {
			past = append([]*Appointment{a}, past...)
		}
	}
	return append(next, past...), nil
}

// Move moves the open appointment id to start: the same service and office
// (o), on the first counter free then, in one transaction that frees its
// old time, with notify.AppointmentMoved. ErrTaken when no counter is free
// then; ErrClosed when it can no longer be changed.
func (s *DB) Move(ctx context.Context, id int64, o Offer, start time.Time) (*Appointment, error) {
	day, err := s.offered(ctx, o, start)
	if err != nil {
		return nil, err
	}
	now := s.now()
	var out *Appointment
	for c := 1; c <= o.Office.CountersOf(); c++ {
		err = s.db.Tx(ctx, func(tx *sql.Tx) error {
			a, err := s.get(ctx, tx, id, s.db.ForUpdate())
			if err != nil {
				return err
			}
			if !a.Open(now) || a.Service != o.Service || a.Office != o.Office.Slug {
				return ErrClosed
			}
			if _, err := tx.ExecContext(ctx, s.db.Rebind(`DELETE FROM appointment_cells WHERE appointment_id = ?`), id); err != nil {
				return fmt.Errorf("appointments: moving: %w", s.db.MapError(err))
			}
			a.Counter, a.Day, a.Start, a.Moves, a.Updated = c, day, start.UTC().Truncate(time.Second), a.Moves+1, now.UTC().Truncate(time.Second)
			if err := s.takeCells(ctx, tx, a.Office, a.Counter, a.Start, a.Minutes, "appointment_id", a.ID); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, s.db.Rebind(`UPDATE appointments SET counter = ?, day = ?, starts_at = ?, moves = ?, updated_at = ?, updated_by = NULL WHERE id = ?`),
				a.Counter, a.Day, a.Start.Unix(), a.Moves, now.Unix(), id); err != nil {
				return fmt.Errorf("appointments: moving: %w", s.db.MapError(err))
			}
			out = a
			return s.tell(ctx, tx, now, notify.AppointmentMoved, "appointment:"+strconv.FormatInt(a.ID, 10)+":moved:"+strconv.Itoa(a.Moves), a)
		})
		if !errors.Is(err, ErrTaken) {
			break
		}
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Cancel cancels the open appointment id and frees its time, with
// notify.AppointmentCancelled; ErrClosed when it can no longer be changed.
func (s *DB) Cancel(ctx context.Context, id int64) (*Appointment, error) {
	return s.cancel(ctx, "", id, 0)
}

// CancelAt cancels, for staff (by), the open appointment id of office (the
// resident phoned, the office closes): the same as Cancel, the resident
// told the same way. ErrNotFound when it is another office's.
func (s *DB) CancelAt(ctx context.Context, office string, id int64, by int64) (*Appointment, error) {
	if office == "" {
		return nil, ErrNotFound // staff always say which office's day they are on
	}
	return s.cancel(ctx, office, id, by)
}

// cancel cancels appointment id, of office unless office is "", for staff
// member by (0: the resident).
func (s *DB) cancel(ctx context.Context, office string, id int64, by int64) (*Appointment, error) {
	now := s.now()
	var out *Appointment
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		a, err := s.get(ctx, tx, id, s.db.ForUpdate())
		if err != nil {
			return err
		}
		if office != "" && a.Office != office {
			return ErrNotFound
		}
		if !a.Open(now) {
			return ErrClosed
		}
		if _, err := tx.ExecContext(ctx, s.db.Rebind(`DELETE FROM appointment_cells WHERE appointment_id = ?`), id); err != nil {
			return fmt.Errorf("appointments: cancelling: %w", s.db.MapError(err))
		}
		if _, err := tx.ExecContext(ctx, s.db.Rebind(`UPDATE appointments SET status = 'cancelled', updated_at = ?, updated_by = ? WHERE id = ?`), now.Unix(), store.NullID(by), id); err != nil {
			return fmt.Errorf("appointments: cancelling: %w", s.db.MapError(err))
		}
		a.Status, out = Cancelled, a
		return s.tell(ctx, tx, now, notify.AppointmentCancelled, "appointment:"+strconv.FormatInt(a.ID, 10)+":cancelled", a)
	})
	return out, err
}

// OfficeDay returns an office's appointments on day, by time then
// counter, cancelled ones included, and its blocks.
func (s *DB) OfficeDay(ctx context.Context, office, day string) ([]*Appointment, []Block, error) {
	list, err := store.Query(ctx, s.db.SQL(), s.db.Rebind(`SELECT `+appointmentColumns+` FROM appointments WHERE office = ? AND day = ? ORDER BY starts_at, counter`), scanAppointment, office, day)
	if err != nil {
		return nil, nil, fmt.Errorf("appointments: reading an office's day: %w", s.db.MapError(err))
	}
	blocks, err := store.Query(ctx, s.db.SQL(), s.db.Rebind(`SELECT id, office, counter, day, starts_at, ends_at, note FROM appointment_blocks WHERE office = ? AND day = ? ORDER BY starts_at, counter`),
		func(r store.Scanner) (Block, error) {
			var b Block
			var from, to int64
			err := r.Scan(&b.ID, &b.Office, &b.Counter, &b.Day, &from, &to, &b.Note)
			b.Start, b.End = time.Unix(from, 0).UTC(), time.Unix(to, 0).UTC()
			return b, err
		}, office, day)
	if err != nil {
		return nil, nil, fmt.Errorf("appointments: reading an office's blocks: %w", s.db.MapError(err))
	}
	return list, blocks, nil
}

// Mark records, for staff (by), that the person of appointment id came
// (Arrived) or did not (NoShow), or puts it back to Booked. Only an
// appointment of office can be marked: ErrNotFound otherwise.
func (s *DB) Mark(ctx context.Context, office string, id int64, st Status, by int64) error {
	if st != Arrived && st != NoShow && st != Booked {
		return fmt.Errorf("%w: staff do not mark an appointment %q", ErrInvalid, st)
	}
	res, err := s.db.SQL().ExecContext(ctx, s.db.Rebind(`UPDATE appointments SET status = ?, updated_at = ?, updated_by = ? WHERE id = ? AND office = ? AND status <> 'cancelled'`),
		string(st), s.now().Unix(), store.NullID(by), id, office)
	if err != nil {
		return fmt.Errorf("appointments: marking: %w", s.db.MapError(err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// AddBlock keeps the times from start to end at counter of office free of
// appointments. The cells already booked stay booked (staff move or
// cancel those with their resident); it returns how many were.
func (s *DB) AddBlock(ctx context.Context, b Block, by int64) (int, error) {
	if b.Counter < 1 || !b.End.After(b.Start) || b.Start.Unix()%int64(cell/time.Second) != 0 || b.End.Unix()%int64(cell/time.Second) != 0 {
		return 0, fmt.Errorf("%w: a block is a counter and times on the %d-minute grid, the end after the start", ErrInvalid, cell/time.Minute)
	}
	id := store.NewID()
	now := s.now()
	booked := 0
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.db.Rebind(`INSERT INTO appointment_blocks (id, office, counter, day, starts_at, ends_at, note, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
			id, b.Office, b.Counter, b.Start.In(s.loc).Format(time.DateOnly), b.Start.Unix(), b.End.Unix(), b.Note, store.NullID(by), now.Unix()); err != nil {
			return fmt.Errorf("appointments: blocking: %w", s.db.MapError(err))
		}
		booked = 0
		for _, at := range cells(b.Start, int(b.End.Sub(b.Start)/time.Minute)) {
			res, err := tx.ExecContext(ctx, s.db.Rebind(`INSERT INTO appointment_cells (office, counter, starts_at, block_id) VALUES (?, ?, ?, ?) ON CONFLICT (office, counter, starts_at) DO NOTHING`),
				b.Office, b.Counter, at, id)
			if err != nil {
				return fmt.Errorf("appointments: blocking: %w", s.db.MapError(err))
			}
			if n, _ := res.RowsAffected(); n == 0 {
				booked++
			}
		}
		return nil
	})
	return booked, err
}

// RemoveBlock frees the times of block id of office again.
func (s *DB) RemoveBlock(ctx context.Context, office string, id int64) error {
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.db.Rebind(`DELETE FROM appointment_blocks WHERE id = ? AND office = ?`), id, office)
		if err != nil {
			return fmt.Errorf("appointments: unblocking: %w", s.db.MapError(err))
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		// SQLite's foreign keys cascade too; saying it keeps both alike.
		_, err = tx.ExecContext(ctx, s.db.Rebind(`DELETE FROM appointment_cells WHERE block_id = ?`), id)
		return s.db.MapError(err)
	})
}

// RemindTomorrow adds the reminder (notify.AppointmentReminder) of each
// appointment still booked for tomorrow, the council's, that was booked
// before today: one booked today has just had its confirmation. Each is
// reminded once per time it is booked at (the key holds the start), so the
// job may run as often as it likes.
func (s *DB) RemindTomorrow(ctx context.Context) (int, error) {
	now := s.now().In(s.loc)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, s.loc)
	tomorrow := today.AddDate(0, 0, 1).Format(time.DateOnly)
	list, err := store.Query(ctx, s.db.SQL(), s.db.Rebind(`SELECT `+appointmentColumns+` FROM appointments WHERE day = ? AND status = 'booked' AND created_at < ?`),
		scanAppointment, tomorrow, today.Unix())
	if err != nil {
		return 0, fmt.Errorf("appointments: reading tomorrow's appointments: %w", s.db.MapError(err))
	}
	n := 0
	for _, a := range list {
		err := s.db.Tx(ctx, func(tx *sql.Tx) error {
			return s.tell(ctx, tx, now, notify.AppointmentReminder, "appointment:"+strconv.FormatInt(a.ID, 10)+":reminder:"+strconv.FormatInt(a.Start.Unix(), 10), a)
		})
		if err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
