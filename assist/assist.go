// Package assist is assisted digital: a member of staff at the counter
// finds or records a resident, acts for them for a reason (a visit), sends
// forms and takes payments with them, and every one of those actions is
// logged with who and why, for the resident to see on "Your data".
//
// A resident recorded at the counter has no sign-in yet. Their applications
// belong to the record and reach them by the email (or paper) given there;
// when someone signs in whose identity provider vouches for an identifier
// the record holds (a verified email, or the national ID claim), the record
// is linked to that sign-in and its applications and payments become theirs
// (Link). Name and date of birth find a record for staff; they never link
// one. The package knows nothing of HTTP.
package assist

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/mail"
	"strings"
	"time"
	"unicode"

	"sportello/applications"
	"sportello/catalogue"
	"sportello/payments"
	"sportello/store"
)

// Errors. ErrNotFound, ErrConflict and ErrInvalid are the catalogue's, so
// the portal's one mapping of errors to HTTP statuses covers them.
var (
	ErrNotFound = catalogue.ErrNotFound
	ErrConflict = catalogue.ErrConflict
	ErrInvalid  = catalogue.ErrInvalid
)

// Actions in the log.
const (
	ActionSearch      = "search"       // staff searched the register
	ActionRecord      = "record"       // staff recorded a new resident
	ActionVisit       = "visit"        // staff started acting for a resident
	ActionSubmit      = "submit"       // staff sent a form with the resident
	ActionPayment     = "payment"      // staff recorded a payment taken at the counter
	ActionPaymentLink = "payment_link" // staff emailed the resident a link to pay
	ActionLinked      = "linked"       // the resident signed in and the record became theirs
)

// Actions are every action, each with a label in every language.
var Actions = []string{ActionSearch, ActionRecord, ActionVisit, ActionSubmit, ActionPayment, ActionPaymentLink, ActionLinked}

// Resident is a person recorded at the counter.
type Resident struct {
	ID         int64
	Name       string
	BirthDate  string // YYYY-MM-DD, "" when not given
	NationalID string // normalised (NormaliseNationalID), "" when not given
	Email      string // lower case, "" when not given
	Lang       string // the language of their mail
	PersonID   int64  // their sign-in once linked, else 0
	LinkedBy   string // "email" or "national_id" once linked
	LinkedAt   time.Time
	CreatedAt  time.Time
}

// Staff is the member of staff acting.
type Staff struct {
	PersonID int64
	Name     string
}

// Visit is a member of staff acting for a resident, for a reason.
type Visit struct {
	ID        int64
	Resident  Resident
	Staff     Staff
	Reason    string
	StartedAt time.Time
}

// Query finds residents by one identifier: a national ID number, an email,
// or a name with a date of birth.
type Query struct {
	NationalID string
	Email      string
	Name       string
	BirthDate  string // YYYY-MM-DD
}

// Entry is one line of the log.
type Entry struct {
	ID         int64
	At         time.Time
	ResidentID int64
	VisitID    int64
	Staff      Staff
	Action     string
	Reason     string
	Reference  string
	Detail     string
}

// MaxReason bounds a reason's length, in characters.
const MaxReason = 500

// Store keeps the counter's register, visits and log.
type Store struct {
	db   *store.DB
	apps *applications.Store
	now  func() time.Time
	log  *slog.Logger
}

// New returns the counter's store over db, whose migrations created its
// tables; apps adopts the applications a linked resident made at the
// counter.
func New(db *store.DB, apps *applications.Store, now func() time.Time, log *slog.Logger) *Store {
	if now == nil {
		now = time.Now
	}
	if log == nil {
		log = slog.Default()
	}
	return &Store{db: db, apps: apps, now: now, log: log}
}

func (s *Store) q(query string) string { return s.db.Rebind(query) }

func (s *Store) clock() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

// NormaliseNationalID writes a national ID number the one way it is kept
// and compared: upper case, letters and digits only ("12.345.678-z" is
// "12345678Z").
func NormaliseNationalID(id string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(id) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// NormaliseEmail writes an email the one way it is kept and compared.
func NormaliseEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// nameKey folds a name for finding: lower case, single spaces.
func nameKey(name string) string { return strings.ToLower(strings.Join(strings.Fields(name), " ")) }

// validReason checks a reason given for an action.
func validReason(reason string) error {
	if r := strings.TrimSpace(reason); r == "" || len([]rune(r)) > MaxReason {
		return fmt.Errorf("%w: a reason of 1 to %d characters is needed for every action at the counter", ErrInvalid, MaxReason)
	}
	return nil
}

func validStaff(st Staff) error {
	if st.PersonID == 0 {
		return fmt.Errorf("%w: the member of staff acting must be known", ErrInvalid)
	}
	return nil
}

// Find returns the residents one identifier finds, and logs the search
// (which identifier was used, never its value) with the reason. A name
// finds only with a date of birth; a national ID number and an email must
// match whole.
func (s *Store) Find(ctx context.Context, st Staff, reason string, q Query) ([]Resident, error) {
	if err := errors.Join(validStaff(st), validReason(reason)); err != nil {
		return nil, err
	}
	var where, by string
	var args []any
	switch {
	case NormaliseNationalID(q.NationalID) != "":
		where, by, args = `national_id = ?`, "national_id", []any{NormaliseNationalID(q.NationalID)}
	case NormaliseEmail(q.Email) != "":
		where, by, args = `email = ?`, "email", []any{NormaliseEmail(q.Email)}
	case nameKey(q.Name) != "" && q.BirthDate != "":
		where, by, args = `name_key = ? AND birth_date = ?`, "name_birth_date", []any{nameKey(q.Name), q.BirthDate}
	default:
		return nil, fmt.Errorf("%w: search by a national ID number, an email, or a name with a date of birth", ErrInvalid)
	}
	var out []Resident
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = store.Query(ctx, tx, s.q(`SELECT `+residentColumns+` FROM assist_residents WHERE `+where+` ORDER BY created_at, id`), scanResident, args...)
		if err != nil {
			return s.db.MapError(err)
		}
		return s.addLog(ctx, tx, Entry{Staff: st, Action: ActionSearch, Reason: reason, Detail: by})
	})
	return out, err
}

// Record records a new resident and starts a visit for them, in one
// transaction with its log. A national ID number or email already in the
// register is refused with ErrConflict: find that resident instead.
func (s *Store) Record(ctx context.Context, st Staff, reason string, r Resident) (Visit, error) {
	r.Name = strings.Join(strings.Fields(r.Name), " ")
	r.NationalID, r.Email = NormaliseNationalID(r.NationalID), NormaliseEmail(r.Email)
	problems := []error{validStaff(st), validReason(reason)}
	if r.Name == "" {
		problems = append(problems, fmt.Errorf("%w: the resident's name is needed", ErrInvalid))
	}
	if r.BirthDate != "" {
		if _, err := time.Parse(time.DateOnly, r.BirthDate); err != nil {
			problems = append(problems, fmt.Errorf("%w: the date of birth %q is not a date YYYY-MM-DD", ErrInvalid, r.BirthDate))
		}
	}
	if r.Email != "" {
		if a, err := mail.ParseAddress(r.Email); err != nil || a.Address != r.Email {
			problems = append(problems, fmt.Errorf("%w: the email %q is not an address", ErrInvalid, r.Email))
		}
	}
	if r.NationalID == "" && r.Email == "" && r.BirthDate == "" {
		problems = append(problems, fmt.Errorf("%w: a national ID number, an email or a date of birth is needed to find the resident again", ErrInvalid))
	}
	if err := errors.Join(problems...); err != nil {
		return Visit{}, err
	}
	now := s.clock()
	r.ID, r.CreatedAt = store.NewID(), now
	var v Visit
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		for _, dup := range []struct{ col, val string }{{"national_id", r.NationalID}, {"email", r.Email}} {
			if dup.val == "" {
				continue
			}
			var n int
			if err := tx.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM assist_residents WHERE `+dup.col+` = ?`), dup.val).Scan(&n); err != nil {
				return s.db.MapError(err)
			}
			if n > 0 {
				return fmt.Errorf("%w: a resident with this %s is already recorded; find them instead", ErrConflict, dup.col)
			}
		}
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO assist_residents (id, name, name_key, birth_date, national_id, email, lang,
			created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
			r.ID, r.Name, nameKey(r.Name), r.BirthDate, r.NationalID, r.Email, r.Lang, st.PersonID, now); err != nil {
			return s.db.MapError(err)
		}
		if err := s.addLog(ctx, tx, Entry{ResidentID: r.ID, Staff: st, Action: ActionRecord, Reason: reason}); err != nil {
			return err
		}
		var err error
		v, err = s.startVisit(ctx, tx, st, reason, r, now)
		return err
	})
	return v, err
}

// StartVisit starts acting for resident residentID, for a reason.
func (s *Store) StartVisit(ctx context.Context, st Staff, reason string, residentID int64) (Visit, error) {
	if err := errors.Join(validStaff(st), validReason(reason)); err != nil {
		return Visit{}, err
	}
	var v Visit
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		r, err := scanResident(tx.QueryRowContext(ctx, s.q(`SELECT `+residentColumns+` FROM assist_residents WHERE id = ?`), residentID))
		if err != nil {
			return s.db.MapError(err)
		}
		v, err = s.startVisit(ctx, tx, st, reason, r, s.clock())
		return err
	})
	return v, err
}

func (s *Store) startVisit(ctx context.Context, tx *sql.Tx, st Staff, reason string, r Resident, now time.Time) (Visit, error) {
	v := Visit{ID: store.NewID(), Resident: r, Staff: st, Reason: strings.TrimSpace(reason), StartedAt: now}
	if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO assist_visits (id, resident_id, staff_person_id, staff_name, reason, started_at)
		VALUES (?, ?, ?, ?, ?, ?)`), v.ID, r.ID, st.PersonID, st.Name, v.Reason, now); err != nil {
		return Visit{}, s.db.MapError(err)
	}
	return v, s.addLog(ctx, tx, Entry{ResidentID: r.ID, VisitID: v.ID, Staff: st, Action: ActionVisit, Reason: v.Reason})
}

// Visit returns visit id of the member of staff staffPersonID: another's
// visit is not found, so a visit's id in a URL gives nobody else its
// resident.
func (s *Store) Visit(ctx context.Context, staffPersonID, id int64) (Visit, error) {
	var v Visit
	err := s.db.SQL().QueryRowContext(ctx, s.q(`SELECT v.id, v.staff_person_id, v.staff_name, v.reason, v.started_at, `+residentColumnsOf("r")+`
		FROM assist_visits v JOIN assist_residents r ON r.id = v.resident_id WHERE v.id = ? AND v.staff_person_id = ?`), id, staffPersonID).Scan(
		append([]any{&v.ID, &v.Staff.PersonID, &v.Staff.Name, &v.Reason, &v.StartedAt}, residentDest(&v.Resident)...)...)
	if err != nil {
		return Visit{}, s.db.MapError(err)
	}
	v.StartedAt = v.StartedAt.UTC()
	fixResident(&v.Resident)
	return v, nil
}

// Log records an action of visit v with its reason.
func (s *Store) Log(ctx context.Context, v Visit, action, reference, detail string) error {
	return s.db.Tx(ctx, func(tx *sql.Tx) error { return s.LogIn(ctx, tx, v, action, reference, detail) })
}

// LogIn records an action of visit v within tx, the transaction of the
// change it is about.
func (s *Store) LogIn(ctx context.Context, tx *sql.Tx, v Visit, action, reference, detail string) error {
	return s.addLog(ctx, tx, Entry{ResidentID: v.Resident.ID, VisitID: v.ID, Staff: v.Staff, Action: action, Reason: v.Reason, Reference: reference, Detail: detail})
}

func (s *Store) addLog(ctx context.Context, tx *sql.Tx, e Entry) error {
	if e.At.IsZero() {
		e.At = s.clock()
	}
	_, err := tx.ExecContext(ctx, s.q(`INSERT INTO assist_log (id, at, resident_id, visit_id, staff_person_id, staff_name, action,
		reason, reference, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
		store.NewID(), e.At, store.NullID(e.ResidentID), store.NullID(e.VisitID), e.Staff.PersonID, e.Staff.Name, e.Action, e.Reason, e.Reference, e.Detail)
	return s.db.MapError(err)
}

// Counter is what applications.Submit records with an application sent in
// visit v: the application is the resident's, and the log says who sent
// it and why.
func (s *Store) Counter(v Visit) *applications.Counter {
	return &applications.Counter{
		StaffPersonID: v.Staff.PersonID,
		InTx: func(ctx context.Context, tx *sql.Tx, app applications.Written) error {
			if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO assist_applications (application_id, resident_id, visit_id) VALUES (?, ?, ?)`),
				app.ID, v.Resident.ID, v.ID); err != nil {
				return s.db.MapError(err)
			}
			return s.LogIn(ctx, tx, v, ActionSubmit, app.Reference.String(), "")
		},
	}
}

// Applications returns the ids of the applications sent at the counter for
// resident residentID, newest first.
func (s *Store) Applications(ctx context.Context, residentID int64) ([]int64, error) {
	ids, err := store.Query(ctx, s.db.SQL(), s.q(`SELECT a.application_id FROM assist_applications a
		JOIN applications p ON p.id = a.application_id WHERE a.resident_id = ? ORDER BY p.created_at DESC`), scanID, residentID)
	return ids, s.db.MapError(err)
}

// OfApplication is the resident an application sent at the counter was
// sent for, ErrNotFound for another application.
func (s *Store) OfApplication(ctx context.Context, applicationID int64) (int64, error) {
	var id int64
	err := s.db.SQL().QueryRowContext(ctx, s.q(`SELECT resident_id FROM assist_applications WHERE application_id = ?`), applicationID).Scan(&id)
	return id, s.db.MapError(err)
}

// Link links to personID, who just signed in, every resident record
// holding the verified email or national ID number the identity provider
// vouched for, and gives that person the records' applications and their
// payments, in one transaction with a log line per record. Either
// identifier may be "" (not verified, or no such claim); a name never
// links. It returns how many records it linked.
func (s *Store) Link(ctx context.Context, personID int64, verifiedEmail, nationalID string) (int, error) {
	email, nid := NormaliseEmail(verifiedEmail), NormaliseNationalID(nationalID)
	if personID == 0 || email == "" && nid == "" {
		return 0, nil
	}
	now := s.clock()
	linked := 0
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		type match struct {
			id int64
			by string
		}
		var found []match
		for _, by := range []struct{ col, val string }{{"national_id", nid}, {"email", email}} {
			if by.val == "" {
				continue
			}
			ids, err := store.Query(ctx, tx, s.q(`SELECT id FROM assist_residents WHERE `+by.col+` = ? AND person_id IS NULL`), scanID, by.val)
			if err != nil {
				return s.db.MapError(err)
			}
			for _, id := range ids {
				found = append(found, match{id, by.col})
			}
		}
		for _, m := range found {
			res, err := tx.ExecContext(ctx, s.q(`UPDATE assist_residents SET person_id = ?, linked_by = ?, linked_at = ? WHERE id = ? AND person_id IS NULL`),
				personID, m.by, now, m.id)
			if err != nil {
				return s.db.MapError(err)
			}
			if n, _ := res.RowsAffected(); n == 0 {
				continue // found by both identifiers
			}
			ids, err := store.Query(ctx, tx, s.q(`SELECT application_id FROM assist_applications WHERE resident_id = ?`), scanID, m.id)
			if err != nil {
				return s.db.MapError(err)
			}
			adopted, err := s.apps.Adopt(ctx, tx, ids, personID)
			if err != nil {
				return err
			}
			if err := payments.Adopt(ctx, s.db, tx, adopted, personID); err != nil {
				return err
			}
			if err := s.addLog(ctx, tx, Entry{At: now, ResidentID: m.id, Action: ActionLinked, Reason: m.by,
				Detail: fmt.Sprintf("%d", len(adopted))}); err != nil {
				return err
			}
			linked++
		}
		return nil
	})
	if err == nil && linked > 0 {
		s.log.InfoContext(ctx, "assist: a resident recorded at the counter signed in", "person_id", personID, "records", linked)
	}
	return linked, err
}

// ForPerson is what staff did for personID at the counter: the log of
// every resident record linked to them, newest first. Searches name no
// resident and are not in it.
func (s *Store) ForPerson(ctx context.Context, personID int64) ([]Entry, error) {
	out, err := store.Query(ctx, s.db.SQL(), s.q(`SELECT `+entryColumns+` FROM assist_log
		WHERE resident_id IN (SELECT id FROM assist_residents WHERE person_id = ?) ORDER BY at DESC, id`), scanEntry, personID)
	return out, s.db.MapError(err)
}

// ForResident is the log of resident residentID, newest first.
func (s *Store) ForResident(ctx context.Context, residentID int64) ([]Entry, error) {
	out, err := store.Query(ctx, s.db.SQL(), s.q(`SELECT `+entryColumns+` FROM assist_log WHERE resident_id = ? ORDER BY at DESC, id`), scanEntry, residentID)
	return out, s.db.MapError(err)
}

const entryColumns = `id, at, COALESCE(resident_id, 0), COALESCE(visit_id, 0), staff_person_id, staff_name, action, reason, reference, detail`

func scanEntry(row store.Scanner) (Entry, error) {
	var e Entry
	err := row.Scan(&e.ID, &e.At, &e.ResidentID, &e.VisitID, &e.Staff.PersonID, &e.Staff.Name, &e.Action, &e.Reason, &e.Reference, &e.Detail)
	e.At = e.At.UTC()
	return e, err
}

const residentColumns = `id, name, birth_date, national_id, email, lang, COALESCE(person_id, 0), linked_by, linked_at, created_at`

func residentColumnsOf(alias string) string {
	a := alias + "."
	return a + "id, " + a + "name, " + a + "birth_date, " + a + "national_id, " + a + "email, " + a + "lang, COALESCE(" + a +
		"person_id, 0), " + a + "linked_by, " + a + "linked_at, " + a + "created_at"
}

func residentDest(r *Resident) []any {
	return []any{&r.ID, &r.Name, &r.BirthDate, &r.NationalID, &r.Email, &r.Lang, &r.PersonID, &r.LinkedBy, (*nullTime)(&r.LinkedAt), &r.CreatedAt}
}

// nullTime reads a nullable time into a time.Time, the zero time for NULL.
type nullTime time.Time

func (t *nullTime) Scan(v any) error {
	var n sql.NullTime
	if err := n.Scan(v); err != nil {
		return err
	}
	*t = nullTime(n.Time)
	return nil
}

func fixResident(r *Resident) {
	r.CreatedAt = r.CreatedAt.UTC()
	if !r.LinkedAt.IsZero() {
		r.LinkedAt = r.LinkedAt.UTC()
	}
}

func scanResident(row store.Scanner) (Resident, error) {
	var r Resident
	err := row.Scan(residentDest(&r)...)
	fixResident(&r)
	return r, err
}

func scanID(row store.Scanner) (int64, error) {
	var id int64
	err := row.Scan(&id)
	return id, err
}
