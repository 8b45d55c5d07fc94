package applications

import (
	"context"
	"database/sql"
	"slices"
	"testing"
	"time"

	"sportello/calendar"
)

// at is a time of day in Porta Nova (Madrid), where the tests' council is.
func at(t testing.TB, date string, hour int) time.Time {
	t.Helper()
	madrid, err := time.LoadLocation("Europe/Madrid")
	if err != nil {
		t.Fatal(err)
	}
	d, err := time.ParseInLocation(time.DateOnly, date, madrid)
	if err != nil {
		t.Fatal(err)
	}
	return d.Add(time.Duration(hour) * time.Hour)
}

// withHolidays lists Porta Nova's holidays in the test's database.
func (e *env) withHolidays(t testing.TB) {
	t.Helper()
	demo, err := calendar.Demo()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := calendar.New(e.db, nil).Seed(context.Background(), demo); err != nil {
		t.Fatal(err)
	}
}

// Processing days are working days of the council's calendar: weekends and
// the holidays it lists do not count, across the year's end too.
func TestDueDatesSkipHolidays(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		e.withHolidays(t)
		tests := []struct {
			name, sent string
			want       string
		}{
			// 10 working days from Thursday 2 April skip Good Friday and
			// Easter Monday.
			{"over Easter", "2026-04-02", "2026-04-20"},
			// Christmas, 1 January and Epiphany.
			{"over the year's end", "2026-12-23", "2027-01-11"},
			{"sent on a holiday", "2026-05-01", "2026-05-15"},
			{"sent at night on a Sunday", "2026-03-08", "2026-03-20"},
		}
		for _, tt := range tests {
			e.clock.set(at(t, tt.sent, 23))
			if app := e.submit(t, e.permitInput(t, 41)); app.DueDate != tt.want {
				t.Errorf("%s: sent %s, due %s; want %s", tt.name, tt.sent, app.DueDate, tt.want)
			}
		}
	})
}

// While the council waits for the applicant's answer the days do not
// count; the answer moves the due date on by the working days it waited.
func TestDeadlinePausesForTheApplicant(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		e.withHolidays(t)
		e.clock.set(at(t, "2026-04-02", 10))
		app := e.submit(t, e.permitInput(t, 41)) // due Monday 20 April
		e.clock.set(at(t, "2026-04-07", 10))
		if err := e.s.ChangeStatus(ctx, app.Reference, caseworker, StatusSubmitted, StatusInReview, ""); err != nil {
			t.Fatal(err)
		}
		deadline := func(want Deadline) {
			t.Helper()
			got, err := e.s.ForApplicant(ctx, 41, app.Reference)
			if err != nil {
				t.Fatal(err)
			}
			if got.Deadline != want || got.DueDate != want.Due {
				t.Errorf("application: due %s, %+v; want %+v", got.DueDate, got.Deadline, want)
			}
			list, err := e.s.ListForApplicant(ctx, 41)
			if err != nil || len(list) != 1 {
				t.Fatalf("list: %+v, %v", list, err)
			}
			if list[0].Deadline != want || list[0].Overdue != want.Overdue {
				t.Errorf("list: %+v (overdue %v); want %+v", list[0].Deadline, list[0].Overdue, want)
			}
		}
		// 8, 9, 10, 13, 14, 15, 16, 17 and 20 April.
		deadline(Deadline{Due: "2026-04-20", Running: true, Left: 9})

		// Asked on Wednesday the 8th: 9, 10, 13 ... 20 April are left.
		e.clock.set(at(t, "2026-04-08", 12))
		if err := e.s.RequestMoreInfo(ctx, app.Reference, caseworker, "Which street?"); err != nil {
			t.Fatal(err)
		}
		paused := Deadline{Due: "2026-04-20", Paused: true, Left: 8}
		deadline(paused)
		// A week on, nothing has run out.
		e.clock.set(at(t, "2026-04-15", 9))
		deadline(paused)

		// Answered on Wednesday the 15th, having waited five working days
		// (9, 10, 13, 14, 15 April): due five working days later.
		if err := e.s.Respond(ctx, 41, app.Reference, "Carrer Major 3", nil); err != nil {
			t.Fatal(err)
		}
		deadline(Deadline{Due: "2026-04-27", Running: true, Left: 8})

		// Asked and answered the same day: nothing is lost.
		if err := e.s.RequestMoreInfo(ctx, app.Reference, caseworker, "Which floor?"); err != nil {
			t.Fatal(err)
		}
		e.clock.set(at(t, "2026-04-15", 18))
		if err := e.s.Respond(ctx, 41, app.Reference, "The second", nil); err != nil {
			t.Fatal(err)
		}
		deadline(Deadline{Due: "2026-04-27", Running: true, Left: 8})

		// Two working days past it, it is overdue by two.
		e.clock.set(at(t, "2026-04-29", 9))
		deadline(Deadline{Due: "2026-04-27", Running: true, Left: -2, Overdue: true})
		// Decided, the clock no longer matters.
		if err := e.s.ChangeStatus(ctx, app.Reference, caseworker, StatusInReview, StatusApproved, ""); err != nil {
			t.Fatal(err)
		}
		deadline(Deadline{Due: "2026-04-27"})
	})
}

// Over the weekend after its due date an application is overdue, though
// no working day has passed; on the day it is due, none is left.
func TestDeadlineOnTheDay(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		sameDay := permit()
		sameDay.ProcessingTimeDays = ptr(0)
		in := e.permitInput(t, 41)
		in.Service = sameDay
		e.clock.set(at(t, "2026-03-06", 10)) // a Friday
		app := e.submit(t, in)
		for _, tt := range []struct {
			date string
			want Deadline
		}{
			{"2026-03-06", Deadline{Due: "2026-03-06", Running: true}},
			{"2026-03-07", Deadline{Due: "2026-03-06", Running: true, Overdue: true}},
			{"2026-03-09", Deadline{Due: "2026-03-06", Running: true, Left: -1, Overdue: true}},
		} {
			e.clock.set(at(t, tt.date, 10))
			got, err := e.s.ForApplicant(ctx, 41, app.Reference)
			if err != nil {
				t.Fatal(err)
			}
			if got.Deadline != tt.want {
				t.Errorf("on %s: %+v, want %+v", tt.date, got.Deadline, tt.want)
			}
		}
	})
}

// The queue sorts by the real due date: those whose days count, soonest
// first, then those waiting for their applicant, then the undated; the
// overdue filter follows the moved date.
func TestQueueByRealDueDate(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		e.withHolidays(t)
		e.clock.set(at(t, "2026-03-30", 10))
		asked := e.submit(t, e.permitInput(t, 41)) // due 15 April: Easter is on the way
		e.clock.set(at(t, "2026-04-02", 10))
		later := e.submit(t, e.permitInput(t, 42)) // due 20 April
		res := e.validated(t, missedBin(), nil, nil)
		token, _ := NewToken()
		undated := e.submit(t, SubmitInput{Token: token, Service: missedBin(), Answers: res.Answers})
		if asked.DueDate != "2026-04-15" || later.DueDate != "2026-04-20" {
			t.Fatalf("due %s and %s", asked.DueDate, later.DueDate)
		}
		refs := func(f Filter) []Reference {
			t.Helper()
			p, err := e.s.Queue(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			var out []Reference
			for _, m := range p.Items {
				out = append(out, m.Reference)
			}
			return out
		}
		if got := refs(Filter{}); !slices.Equal(got, []Reference{asked.Reference, later.Reference, undated.Reference}) {
			t.Errorf("before asking: %v", got)
		}
		e.clock.set(at(t, "2026-04-07", 10))
		if err := e.s.ChangeStatus(ctx, asked.Reference, caseworker, StatusSubmitted, StatusInReview, ""); err != nil {
			t.Fatal(err)
		}
		if err := e.s.RequestMoreInfo(ctx, asked.Reference, caseworker, "Which street?"); err != nil {
			t.Fatal(err)
		}
		if got := refs(Filter{}); !slices.Equal(got, []Reference{later.Reference, asked.Reference, undated.Reference}) {
			t.Errorf("while one waits for its applicant: %v", got)
		}
		if got := refs(Filter{Statuses: CouncilsTurn()}); !slices.Equal(got, []Reference{later.Reference, undated.Reference}) {
			t.Errorf("needing a caseworker: %v", got)
		}
		// Asked on 7 April, answered on the 16th, after waiting 8, 9, 10,
		// 13, 14, 15 and 16 April: due 7 working days after the 15th, the
		// 24th, after the one due on the 20th.
		e.clock.set(at(t, "2026-04-16", 10))
		if err := e.s.Respond(ctx, 41, asked.Reference, "Carrer Major 3", nil); err != nil {
			t.Fatal(err)
		}
		if got := refs(Filter{}); !slices.Equal(got, []Reference{later.Reference, asked.Reference, undated.Reference}) {
			t.Errorf("after the answer: %v", got)
		}
		// On 21 April only the one due on the 20th is overdue; the one
		// whose clock stopped is not, though its first date has passed.
		e.clock.set(at(t, "2026-04-21", 10))
		if got := refs(Filter{Overdue: true}); !slices.Equal(got, []Reference{later.Reference}) {
			t.Errorf("overdue on 21 April: %v", got)
		}
		p, err := e.s.Queue(ctx, Filter{})
		if err != nil {
			t.Fatal(err)
		}
		if d := p.Items[1].Deadline; d.Due != "2026-04-24" || d.Left != 3 || d.Overdue {
			t.Errorf("the answered one: %+v, want due 24 April, 3 working days left", d)
		}
		if d := p.Items[0].Deadline; !d.Overdue || d.Left != -1 || !p.Items[0].Overdue {
			t.Errorf("the late one: %+v, want overdue by 1 working day", d)
		}
	})
}

// A fee due on application: its processing time, in working days, counts
// from the day it is paid.
func TestMovedDueCountsWorkingDays(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		e.withHolidays(t)
		days, err := e.s.days(context.Background(), nil)
		if err != nil {
			t.Fatal(err)
		}
		// Sent on 1 April, due 10 working days later on the 17th; paid on
		// the 2nd, due 10 working days after that, the 20th.
		due := sql.NullString{String: "2026-04-17", Valid: true}
		if got := e.s.movedDue(days, at(t, "2026-04-01", 10), due, at(t, "2026-04-02", 10)); got != "2026-04-20" {
			t.Errorf("moved to %v, want 2026-04-20", got)
		}
		if got := e.s.movedDue(days, at(t, "2026-04-01", 10), sql.NullString{}, at(t, "2026-04-02", 10)); got != nil {
			t.Errorf("no due date moved to %v", got)
		}
	})
}
