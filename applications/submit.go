package applications

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"

	"sportello/applications/forms"
	"sportello/calendar"
	"sportello/catalogue"
	"sportello/store"
)

// SubmitInput is a completed form. Answers and Files are a valid
// forms.Result's.
type SubmitInput struct {
	Token            string // from NewToken, in the form's hidden input
	Service          *catalogue.Service
	CatalogueVersion int64
	PersonID         int64 // 0 when nobody is signed in (assurance "none" only)
	// OrganisationID is the organisation the application is made for (its
	// members see it), 0 for none; SubmittedBy is who sent it when that is
	// not PersonID (a representative acting for them), 0 otherwise. The
	// caller checks that they may (portal/access).
	OrganisationID int64
	SubmittedBy    int64
	Contact        Contact
	Answers        forms.Answers
	Files          []forms.AcceptedFile
	// Lang is the language the form was filled in: the applicant's mail
	// about it is in that language unless they chose another.
	Lang string
	Now  time.Time // zero: the store's clock
	// InTx, when set, runs in the submission's transaction once the
	// application, its first event and its files are written: another
	// area's rows that belong to it (a report's place, package reports) are
	// written with it or not at all. It does not run when the token was
	// used already.
	InTx WrittenHook
	// Counter is set when a member of staff sends the form with the
	// resident at the counter (package assist). The resident's identity was
	// checked there, so the service's level of assurance does not ask for a
	// sign-in; PersonID is the resident's sign-in when one is linked, else
	// 0 and Contact reaches them.
	Counter *Counter
}

// Counter is who sent an application at the counter, and what else the
// submission's transaction records (the counter's own tables and log),
// after SubmitInput.InTx.
type Counter struct {
	StaffPersonID int64
	InTx          WrittenHook
}

// WrittenHook writes, in a submission's transaction, what another area
// keeps about the application just written.
type WrittenHook func(ctx context.Context, tx *sql.Tx, app Written) error

// Written is the application a submission's transaction has written.
type Written struct {
	ID        int64
	Reference Reference
	At        time.Time
}

// referenceAttempts bounds the draws of a free reference. With 34 billion
// references a second draw is already rare; five clashes in a row mean the
// generator is broken, not unlucky.
const referenceAttempts = 5

// errTokenUsed ends a submission's transaction when its token was used.
var errTokenUsed = errors.New("applications: submission token already used")

// Submit records an application in one transaction: the application with
// its answers, catalogue version, fee and due date, its first event
// (draft -> submitted, or draft -> awaiting_payment when its fee is due on
// application: see FirstStatus), its files with their records, the consumed
// token, the deletion of the person's draft, and the applicant's
// notification that it was received (see notify.go). A file's content is
// written in the transaction (Blobs), so a failure or a crash leaves none.
//
// Submitting again with the same token, even at the same moment, returns
// the application the token made, never a second one.
func (s *Store) Submit(ctx context.Context, in SubmitInput) (*Application, error) {
	switch {
	case in.Service == nil || in.Service.OnlineForm == nil:
		return nil, fmt.Errorf("%w: the service cannot be applied for online", ErrInvalid)
	case !ValidToken(in.Token):
		return nil, fmt.Errorf("%w: the form's submission token is missing or malformed; reload the form and send it again", ErrInvalid)
	case in.Counter != nil && in.Counter.StaffPersonID == 0:
		return nil, fmt.Errorf("%w: an application sent at the counter needs the member of staff who sent it", ErrInvalid)
	case in.PersonID == 0 && in.Counter == nil && (in.Service.Assurance == nil || *in.Service.Assurance != catalogue.AssuranceNone):
		return nil, fmt.Errorf("%w: the service %s needs the applicant to sign in", ErrInvalid, in.Service.Slug)
	}
	// A re-post after a success needs no file read.
	if app, err := s.byToken(ctx, in.Token, in.PersonID); !errors.Is(err, ErrNotFound) {
		return app, err
	}

	now := s.clock(in.Now)
	stored, err := nameFiles(in.Files)
	if err != nil {
		return nil, err
	}
	answers := attachFiles(in.Answers, stored)
	for _, a := range answers {
		for _, f := range a.Files {
			if f.ID == "" {
				return nil, fmt.Errorf("%w: the answer to %s names the file %q, which is not among the files given; pass the forms.Result's Files", ErrInvalid, a.Field, f.Name)
			}
		}
	}
	answersJSON, err := marshal(answers)
	if err != nil {
		return nil, err
	}
	var feeAmount, feeCurrency, feeWhen any
	if f := in.Service.Fee; f != nil && f.Amount > 0 {
		feeAmount, feeCurrency, feeWhen = f.Amount, f.Currency, f.When
	}
	days, err := s.days(ctx, nil)
	if err != nil {
		return nil, err
	}
	var due any
	if d := s.dueDate(days, now, in.Service.ProcessingTimeDays); d != "" {
		due = d
	}

	var id int64
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		// On SQLite the transaction holds the write lock, so a concurrent
		// submission with this token has either committed (and is seen
		// here) or not started. On PostgreSQL both may pass this check; the
		// second then waits on the token's primary key and fails below.
		var prev int64
		var prevPerson sql.NullInt64
		switch err := tx.QueryRowContext(ctx, s.q(qTokenApplication), in.Token).Scan(&prev, &prevPerson); {
		case err == nil:
			return errTokenUsed
		case !errors.Is(err, sql.ErrNoRows):
			return s.db.MapError(err)
		}
		var err error
		var ref Reference
		id, ref, err = s.insertApplication(ctx, tx, in, answersJSON, feeAmount, feeCurrency, feeWhen, due, now)
		if err != nil {
			return err
		}
		written := Written{ID: id, Reference: ref, At: now}
		first := Actor{PersonID: in.PersonID, Role: RoleApplicant}
		if in.Counter != nil {
			first = Actor{PersonID: in.Counter.StaffPersonID, Role: RoleCounter}
		}
		if err := s.insertEvent(ctx, tx, id, 1, now, first, StatusDraft, FirstStatus(in.Service.Fee), ""); err != nil {
			return err
		}
		// Paid on application, it reaches the council when paid
		// (PaymentSucceeded tells it then).
		if FirstStatus(in.Service.Fee) == StatusSubmitted {
			if err := s.tellReceived(ctx, tx, now, id, due); err != nil {
				return err
			}
		}
		if err := s.insertFiles(ctx, tx, id, 0, stored, now); err != nil {
			return err
		}
		if in.InTx != nil {
			if err := in.InTx(ctx, tx, written); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, s.q(qInsertToken), in.Token, id, store.NullID(in.PersonID), now); err != nil {
			return s.db.MapError(err)
		}
		if in.Counter != nil {
			if in.Counter.InTx != nil {
				return in.Counter.InTx(ctx, tx, written)
			}
			return nil
		}
		if in.PersonID != 0 {
			if _, err := tx.ExecContext(ctx, s.q(qDeleteDraft), in.PersonID, in.Service.Slug); err != nil {
				return s.db.MapError(err)
			}
		}
		return nil
	})
	if err != nil {
		if errors.Is(err, errTokenUsed) || errors.Is(err, ErrConflict) {
			if app, lookupErr := s.byToken(ctx, in.Token, in.PersonID); lookupErr == nil || !errors.Is(lookupErr, ErrNotFound) {
				return app, lookupErr
			}
		}
		return nil, err
	}
	s.log.InfoContext(ctx, "application submitted", "application_id", id, "service", in.Service.Slug, "files", len(stored))
	s.metrics.ApplicationSubmitted(in.Service.Slug)
	return s.load(ctx, s.db.SQL(), qApplicationByID, id)
}

// FirstStatus is the status an application with fee starts in: awaiting
// its payment when the fee is due on application, so that it reaches the
// council only once paid; submitted otherwise (free, or paid on approval).
func FirstStatus(fee *catalogue.Fee) Status {
	if fee != nil && fee.Amount > 0 && fee.When == catalogue.FeeOnApplication {
		return StatusAwaitingPayment
	}
	return StatusSubmitted
}

// byToken returns the application a token made, ErrNotFound when the token
// is unused, and ErrConflict when it was used by someone else (a token is
// secret, so that is a bug or an attack, and gets nothing).
func (s *Store) byToken(ctx context.Context, token string, personID int64) (*Application, error) {
	var id int64
	var person sql.NullInt64
	if err := s.db.SQL().QueryRowContext(ctx, s.q(qTokenApplication), token).Scan(&id, &person); err != nil {
		return nil, s.db.MapError(err)
	}
	if person.Int64 != personID {
		return nil, fmt.Errorf("%w: this form was already sent from another account; reload the form", ErrConflict)
	}
	return s.load(ctx, s.db.SQL(), qApplicationByID, id)
}

func (s *Store) insertApplication(ctx context.Context, tx *sql.Tx, in SubmitInput, answers string, feeAmount, feeCurrency, feeWhen, due any, now time.Time) (int64, Reference, error) {
	for range referenceAttempts {
		ref, err := s.newReference()
		if err != nil {
			return 0, "", err
		}
		id := store.NewID()
		res, err := tx.ExecContext(ctx, s.q(qInsertApplication),
			id, string(ref), in.Service.Slug, in.CatalogueVersion, store.NullID(in.PersonID), in.Contact.Name, in.Contact.Email,
			answers, feeAmount, feeCurrency, feeWhen, string(FirstStatus(in.Service.Fee)), now, now, now, due, in.Lang,
			store.NullID(in.OrganisationID), store.NullID(in.SubmittedBy))
		if err != nil {
			return 0, "", s.db.MapError(err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return 0, "", err
		} else if n == 1 {
			return id, ref, nil
		}
		s.log.WarnContext(ctx, "application reference already taken; drawing another", "reference", ref)
	}
	return 0, "", fmt.Errorf("applications: no free reference after %d draws; the reference generator is broken", referenceAttempts)
}

// dueDate counts processing days as working days of the council's
// calendar (deadline.go) from the day of submission in the authority's time
// zone, as the service pages promise ("5 working days"). 0 days is the
// same day; nil days (no set time) is no due date.
func (s *Store) dueDate(days calendar.Days, submitted time.Time, n *int) string {
	if n == nil {
		return ""
	}
	d, _ := days.Add(s.date(submitted), *n)
	return d
}

func (s *Store) insertEvent(ctx context.Context, tx *sql.Tx, appID int64, seq int, at time.Time, actor Actor, from, to Status, note string) error {
	_, err := tx.ExecContext(ctx, s.q(qInsertEvent), appID, seq, at, store.NullID(actor.PersonID), actor.Role, string(from), string(to), note)
	return s.db.MapError(err)
}

// insertFiles writes files, content and records, in tx.
func (s *Store) insertFiles(ctx context.Context, tx *sql.Tx, appID int64, eventSeq int, files []storedFile, at time.Time) error {
	var seq any
	if eventSeq != 0 {
		seq = eventSeq
	}
	for _, f := range files {
		size, sum, err := s.putUpload(ctx, tx, f)
		if err != nil {
			return fmt.Errorf("applications: keeping the upload %q: %w", f.Filename, err)
		}
		if _, err := tx.ExecContext(ctx, s.q(qInsertFile), f.id, appID, seq, f.Field, f.Filename, f.ContentType, size, sum, f.storage, at); err != nil {
			return s.db.MapError(err)
		}
	}
	return nil
}

// putUpload writes an upload's content, which must be the size that was
// checked.
func (s *Store) putUpload(ctx context.Context, tx *sql.Tx, f storedFile) (int64, string, error) {
	rc, err := f.Open()
	if err != nil {
		return 0, "", err
	}
	defer rc.Close()
	// One byte more than checked, to notice content that grew.
	size, sum, err := s.blobs.Put(ctx, tx, f.storage, io.LimitReader(rc, f.Size+1))
	if err == nil && size != f.Size {
		err = fmt.Errorf("the file has %d bytes, not the %d that were checked", size, f.Size)
	}
	return size, sum, err
}

// storedFile is an upload with the names it is stored under: id for the
// record, storage for the content.
type storedFile struct {
	forms.AcceptedFile
	id, storage string
}

func nameFiles(files []forms.AcceptedFile) ([]storedFile, error) {
	out := make([]storedFile, 0, len(files))
	for _, f := range files {
		sf := storedFile{AcceptedFile: f}
		var err error
		if sf.id, err = randomName(); err != nil {
			return nil, err
		}
		if sf.storage, err = randomName(); err != nil {
			return nil, err
		}
		out = append(out, sf)
	}
	return out, nil
}

// attachFiles returns a copy of answers whose file references carry the
// ids of the stored files.
func attachFiles(answers forms.Answers, stored []storedFile) forms.Answers {
	out := slices.Clone(answers)
	for i := range out {
		out[i].Files = slices.Clone(out[i].Files)
	}
	for _, f := range stored {
		if a := out.Get(f.Field); a != nil && f.Index < len(a.Files) {
			a.Files[f.Index].ID = f.id
			a.Files[f.Index].Size = f.Size
		}
	}
	return out
}
