package applications

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"sportello/calendar"
	"sportello/store"
)

// Deadlines. A service's processing_time_days are working days of the
// council's calendar (package calendar): Monday to Friday, but the public
// holidays the council lists. An application's decision is due that many
// working days after the day it reaches the council, in the council's time
// zone: the day it is sent, or the day its fee due on application is paid.
// The date is kept (due_date), so that the queue sorts by it.
//
// While the council waits for the applicant's answer (more_info_needed)
// the days do not count. The request's event in the history is when the
// clock stopped; when the applicant answers, the due date moves on by the
// working days the application waited, in the transaction of the answer.
// Spain's Law 39/2015 (article 22.1.a) and Italy's Law 241/1990 (article
// 2.7) suspend the time to decide in the same way.

// Calendar is the council's working days (calendar.Store).
type Calendar interface {
	Days(ctx context.Context, q store.Querier) (calendar.Days, error)
}

// Deadline is where an application stands against its due date, in the
// council's working days, today on the store's clock.
type Deadline struct {
	Due string // YYYY-MM-DD; "" when the service states no time
	// Running: the council owes the next step (submitted, in review), and
	// the days count.
	Running bool
	// Paused: the council waits for the applicant's answer, and the days
	// do not count.
	Paused bool
	// Left is how many working days there are from today until Due: 0 on
	// the day, below 0 the working days it is overdue. Paused, it is those
	// left when the clock stopped, which are left when the applicant
	// answers.
	Left int
	// Overdue: running and past Due (also on a weekend right after it,
	// when Left is still 0).
	Overdue bool
}

// date is the day of t in the council's time zone.
func (s *Store) date(t time.Time) string { return t.In(s.loc).Format(time.DateOnly) }

// days reads the council's working days through q (nil: the database).
func (s *Store) days(ctx context.Context, q store.Querier) (calendar.Days, error) {
	days, err := s.calendar.Days(ctx, q)
	if err != nil {
		return calendar.Days{}, fmt.Errorf("applications: the council's calendar: %w", err)
	}
	return days, nil
}

// qPausedAt is when an application's clock stopped: its latest request for
// more information.
const qPausedAt = `SELECT at FROM application_events WHERE application_id = ? AND to_status = '` +
	string(StatusMoreInfoNeeded) + `' ORDER BY seq DESC LIMIT 1`

// resumeDue moves application id's due date on by the working days it
// waited for the applicant's answer, from the day of the request to now,
// within tx. An application without a due date keeps none.
func (s *Store) resumeDue(ctx context.Context, tx *sql.Tx, id int64, now time.Time) error {
	var due sql.NullString
	var paused time.Time
	if err := tx.QueryRowContext(ctx, s.q(`SELECT due_date FROM applications WHERE id = ?`), id).Scan(&due); err != nil {
		return s.db.MapError(err)
	}
	if due.String == "" {
		return nil
	}
	if err := tx.QueryRowContext(ctx, s.q(qPausedAt), id).Scan(&paused); err != nil {
		return fmt.Errorf("applications: when application %d's clock stopped: %w", id, s.db.MapError(err))
	}
	days, err := s.days(ctx, tx)
	if err != nil {
		return err
	}
	waited, err := days.Between(s.date(paused), s.date(now))
	if err != nil {
		return err
	}
	moved, err := days.Add(due.String, waited)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, s.q(`UPDATE applications SET due_date = ? WHERE id = ?`), moved, id)
	return s.db.MapError(err)
}

// deadline is an application's Deadline today, paused its clock's stop
// (zero unless more information is needed).
func (s *Store) deadline(days calendar.Days, today string, st Status, due string, paused time.Time) Deadline {
	d := Deadline{Due: due, Running: slices.Contains(councilsTurn, st), Paused: st == StatusMoreInfoNeeded}
	if due == "" || !d.Running && !d.Paused {
		return d
	}
	from := today
	if d.Paused {
		from = s.date(paused)
	}
	d.Left, _ = days.Between(from, due)
	d.Overdue = d.Running && due < today
	return d
}

// withDeadlines sets the Deadline and Overdue of each of list.
func (s *Store) withDeadlines(ctx context.Context, list []Summary) error {
	if len(list) == 0 {
		return nil
	}
	days, err := s.days(ctx, nil)
	if err != nil {
		return err
	}
	paused, err := s.pausedSince(ctx, list)
	if err != nil {
		return err
	}
	today := s.today()
	for i := range list {
		m := &list[i]
		m.Deadline = s.deadline(days, today, m.Status, m.DueDate, paused[m.ID])
		m.Overdue = m.Deadline.Overdue
	}
	return nil
}

// pausedSince returns when the clock stopped of each application of list
// that waits for its applicant's answer.
func (s *Store) pausedSince(ctx context.Context, list []Summary) (map[int64]time.Time, error) {
	var ids []any
	for _, m := range list {
		if m.Status == StatusMoreInfoNeeded {
			ids = append(ids, m.ID)
		}
	}
	out := make(map[int64]time.Time, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	query := `SELECT application_id, at FROM application_events WHERE to_status = '` + string(StatusMoreInfoNeeded) +
		`' AND application_id IN ` + placeholders(len(ids)) + ` ORDER BY application_id, seq`
	type stop struct {
		id int64
		at time.Time
	}
	stops, err := store.Query(ctx, s.db.SQL(), s.q(query), func(r store.Scanner) (stop, error) {
		var st stop
		return st, r.Scan(&st.id, &st.at)
	}, ids...)
	if err != nil {
		return nil, s.db.MapError(err)
	}
	for _, st := range stops {
		out[st.id] = st.at // the latest, by seq
	}
	return out, nil
}

// lastPause is when an application's clock stopped, from its history.
func lastPause(events []Event) time.Time {
	for i := len(events) - 1; i >= 0; i-- {
		if events[i].To == StatusMoreInfoNeeded {
			return events[i].At
		}
	}
	return time.Time{}
}
