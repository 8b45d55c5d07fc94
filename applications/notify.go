package applications

import (
	"context"
	"database/sql"
	"strconv"
	"time"

	"sportello/notify"
)

// What an applicant is told, and when (package notify). Each notification
// is written in the transaction of the change it is about, so a change that
// fails tells nobody, and its key is unique to the change, so a change
// recorded once is told once:
//
//   - the application reaches the council: ApplicationReceived, at Submit,
//     or when its fee due on application is paid (PaymentSucceeded); an
//     application waiting for that payment has not reached anyone yet, and
//     the payment's own mails say what became of it;
//   - a caseworker asks a question: InfoRequested;
//   - a decision: Decision, with the caseworker's note;
//   - any other change made by staff (in review): StatusChanged, with the
//     note, which the applicant sees on the page too;
//   - the applicant withdraws it: StatusChanged, as a confirmation (it ends
//     the case, and tells them if someone else did it in their name);
//   - not the applicant's answer to a question, which they just made and
//     see confirmed on the page, nor approved -> paid, which the payment's
//     receipt (PaymentReceived) already tells.

// audience is who an application's notifications go to and in which
// language, with what every one of them names.
type audience struct {
	ref, service string
	personID     int64
	email        string // the contact address of an application made without signing in
	lang         string
}

const qAudience = `SELECT reference, service_slug, person_id, contact_email, lang FROM applications WHERE id = ?`

func (s *Store) audience(ctx context.Context, tx *sql.Tx, appID int64) (audience, error) {
	var a audience
	var person sql.NullInt64
	err := tx.QueryRowContext(ctx, s.q(qAudience), appID).Scan(&a.ref, &a.service, &person, &a.email, &a.lang)
	a.personID = person.Int64
	return a, s.db.MapError(err)
}

// tell adds a notification for a to the outbox within tx. Someone who was
// not signed in and left no address cannot be told anything, and nothing
// is added for them.
func (s *Store) tell(ctx context.Context, tx *sql.Tx, now time.Time, a audience, kind notify.Kind, key string, data map[string]string) error {
	if a.personID == 0 && a.email == "" {
		return nil
	}
	data["ref"], data["service"] = a.ref, a.service
	e := notify.Event{Kind: kind, Key: key, PersonID: a.personID, Lang: a.lang, Data: data}
	if a.personID == 0 {
		// A signed-in person's address is the one their settings say when
		// the mail is sent; set here it would override it.
		e.Address = a.email
	}
	return notify.Add(ctx, s.db, tx, now, e)
}

// tellReceived tells the applicant their application reached the council,
// due (YYYY-MM-DD, or nil) the date of its decision.
func (s *Store) tellReceived(ctx context.Context, tx *sql.Tx, now time.Time, appID int64, due any) error {
	a, err := s.audience(ctx, tx, appID)
	if err != nil {
		return err
	}
	date, _ := due.(string)
	return s.tell(ctx, tx, now, a, notify.ApplicationReceived, "received:"+a.ref, map[string]string{"due": date})
}

// tellChange tells the applicant of the change of status recorded as event
// seq, when it is one they must hear of (see above).
func (s *Store) tellChange(ctx context.Context, tx *sql.Tx, now time.Time, appID int64, seq int, actor Actor, to Status, note string) error {
	var kind notify.Kind
	var prefix string
	data := map[string]string{}
	switch {
	case to == StatusMoreInfoNeeded:
		kind, prefix, data["question"] = notify.InfoRequested, "info", note
	case to == StatusApproved || to == StatusRejected:
		kind, prefix, data["status"], data["note"] = notify.Decision, "decision", string(to), note
	case to == StatusWithdrawn && actor.Role == RoleApplicant:
		// Their own reason need not come back to them.
		kind, prefix, data["status"], data["note"] = notify.StatusChanged, "status", string(to), ""
	case actor.Role == RoleCaseworker || actor.Role == RoleAdmin:
		kind, prefix, data["status"], data["note"] = notify.StatusChanged, "status", string(to), note
	default:
		return nil
	}
	a, err := s.audience(ctx, tx, appID)
	if err != nil {
		return err
	}
	return s.tell(ctx, tx, now, a, kind, prefix+":"+a.ref+":"+strconv.Itoa(seq), data)
}
