package appointments_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"sportello/appointments"
	"sportello/calendar"
	"sportello/catalogue"
	"sportello/notify"
	"sportello/notify/notifytest"
	"sportello/store"
	"sportello/store/storetest"
)

var madrid = mustZone("Europe/Madrid")

func mustZone(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return l
}

// at is a time on the council's clock.
func at(day string, hour, minute int) time.Time {
	d, _ := time.Parse(time.DateOnly, day)
	return time.Date(d.Year(), d.Month(), d.Day(), hour, minute, 0, 0, madrid)
}

// clock is a settable clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

// desk is an office open an hour on weekdays (four 15-minute times), with
// counters counters, closed on 6 March 2026.
func desk(counters int) appointments.Offer {
	return appointments.Offer{
		Service: "desk-visit",
		Booking: &catalogue.Booking{DurationMinutes: 15, Offices: []string{"desk"}, MaxDaysAhead: 14},
		Office: &catalogue.Department{Slug: "desk", OpeningHours: "Mo-Fr 09:00-10:00; Sa 09:00-09:30", Counters: counters,
			Closures: []catalogue.Closure{{From: "2026-03-06", To: "2026-03-06"}}},
	}
}

// open returns a store on db whose clock reads Monday 2 March 2026, 08:00
// in Madrid, with 19 March 2026 a holiday.
func open(t *testing.T, db *store.DB) (*appointments.DB, *clock) {
	t.Helper()
	c := &clock{t: at("2026-03-02", 8, 0)}
	cal := calendar.New(db, nil)
	if err := cal.Add(context.Background(), calendar.Holiday{Date: "2026-03-19", Scope: calendar.ScopeLocal, Name: map[string]string{"en": "Saint Joseph"}}, 0); err != nil {
		t.Fatal(err)
	}
	return appointments.New(db, appointments.Options{Location: madrid, Calendar: cal, Now: c.Now}), c
}

func starts(ds appointments.DaySlots) []string {
	var out []string
	for _, s := range ds.Slots {
		out = append(out, fmt.Sprintf("%s/%d", s.Start.In(madrid).Format("15:04"), s.Free))
	}
	return out
}

func TestDaysFollowHoursHolidaysAndClosures(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, _ := open(t, db)
		o := desk(2)
		days, err := s.Days(ctx, o)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, d := range days {
			got = append(got, d.Day)
		}
		// 2 to 16 March: no Sunday, not Friday 6 (closed), not the 19th
		// (beyond the window anyway); Saturdays have their half hour.
		want := []string{"2026-03-02", "2026-03-03", "2026-03-04", "2026-03-05", "2026-03-07", "2026-03-09", "2026-03-10", "2026-03-11", "2026-03-12", "2026-03-13", "2026-03-14", "2026-03-16"}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("days = %v, want %v", got, want)
		}
		if got := starts(days[0]); fmt.Sprint(got) != "[09:00/2 09:15/2 09:30/2 09:45/2]" {
			t.Errorf("Monday's times = %v", got)
		}
		if got := starts(days[4]); fmt.Sprint(got) != "[09:00/2 09:15/2]" {
			t.Errorf("Saturday's times = %v", got)
		}
		// A booking's own hours replace the office's.
		o.Booking.Hours = "Tu,Th 16:00-17:00"
		o.Booking.MaxDaysAhead = 30
		days, err = s.Days(ctx, o)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range days {
			if d.Day == "2026-03-19" {
				t.Errorf("a holiday has times: %v", d)
			}
		}
		// Tuesdays 3 to 31 March and Thursdays 5, 12 and 26 (the 19th is a
		// holiday); the last in summer time.
		if len(days) != 8 || starts(days[0])[0] != "16:00/2" || starts(days[7])[0] != "16:00/2" || days[7].Day != "2026-03-31" {
			t.Errorf("Tuesday and Thursday afternoons = %v", days)
		}
	})
}

func TestBookMoveCancel(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, c := open(t, db)
		o := desk(2)
		book := func(start time.Time, email string) (*appointments.Appointment, error) {
			return s.Book(ctx, appointments.Request{Offer: o, Start: start, Email: email, Name: "Ana", Lang: "es"})
		}
		a, err := book(at("2026-03-03", 9, 15), "ana@example.org")
		if err != nil {
			t.Fatal(err)
		}
		b, err := book(at("2026-03-03", 9, 15), "bo@example.org")
		if err != nil {
			t.Fatal(err)
		}
		if a.Counter != 1 || b.Counter != 2 || a.Day != "2026-03-03" || a.Status != appointments.Booked {
			t.Errorf("counters %d and %d, day %s, status %s", a.Counter, b.Counter, a.Day, a.Status)
		}
		if _, err := book(at("2026-03-03", 9, 15), "cy@example.org"); !errors.Is(err, appointments.ErrTaken) {
			t.Errorf("a third booking at a time two counters have taken: %v, want ErrTaken", err)
		}
		for _, bad := range []time.Time{at("2026-03-03", 9, 5), at("2026-03-03", 10, 0), at("2026-03-06", 9, 0), at("2026-03-01", 9, 0), at("2026-03-30", 9, 0)} {
			if _, err := book(bad, "cy@example.org"); !errors.Is(err, appointments.ErrNotOffered) {
				t.Errorf("booking %v: %v, want ErrNotOffered", bad, err)
			}
		}
		if _, err := s.Book(ctx, appointments.Request{Offer: o, Start: at("2026-03-03", 9, 30)}); !errors.Is(err, appointments.ErrInvalid) {
			t.Errorf("a booking without person or email: %v", err)
		}
		day, err := s.Day(ctx, o, "2026-03-03")
		if err != nil {
			t.Fatal(err)
		}
		if got := fmt.Sprint(starts(day)); got != "[09:00/2 09:15/0 09:30/2 09:45/2]" {
			t.Errorf("after two bookings: %s", got)
		}
		// A 30-minute service at the same office overlaps them: counters
		// are shared by every service booked there.
		long := o
		long.Service, long.Booking = "long-visit", &catalogue.Booking{DurationMinutes: 30, Offices: []string{"desk"}, MaxDaysAhead: 14}
		day, err = s.Day(ctx, long, "2026-03-03")
		if err != nil {
			t.Fatal(err)
		}
		if got := fmt.Sprint(starts(day)); got != "[09:00/0 09:30/2]" {
			t.Errorf("30-minute times: %s", got)
		}

		moved, err := s.Move(ctx, a.ID, o, at("2026-03-04", 9, 45))
		if err != nil {
			t.Fatal(err)
		}
		if moved.Day != "2026-03-04" || moved.Counter != 1 || moved.Moves != 1 {
			t.Errorf("moved = %+v", moved)
		}
		if _, err := book(at("2026-03-03", 9, 15), "cy@example.org"); err != nil {
			t.Errorf("the time moved from is not free again: %v", err)
		}
		if _, err := s.Cancel(ctx, b.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Cancel(ctx, b.ID); !errors.Is(err, appointments.ErrClosed) {
			t.Errorf("cancelling twice: %v", err)
		}
		if _, err := s.Move(ctx, b.ID, o, at("2026-03-04", 9, 0)); !errors.Is(err, appointments.ErrClosed) {
			t.Errorf("moving a cancelled one: %v", err)
		}
		got, err := s.Get(ctx, b.ID)
		if err != nil || got.Status != appointments.Cancelled {
			t.Errorf("cancelled = %v, %v", got, err)
		}

		out := notifytest.Outbox(t, db)
		for key, kind := range map[string]notify.Kind{
			fmt.Sprintf("appointment:%d:booked", a.ID):    notify.AppointmentBooked,
			fmt.Sprintf("appointment:%d:moved:1", a.ID):   notify.AppointmentMoved,
			fmt.Sprintf("appointment:%d:cancelled", b.ID): notify.AppointmentCancelled,
		} {
			n, ok := out[key]
			if !ok || n.Kind != kind {
				t.Errorf("outbox[%s] = %+v, want a %s", key, n, kind)
				continue
			}
			if n.PersonID != 0 || n.Address == "" || n.Lang != "es" || n.Data["office"] != "desk" || n.Data["start"] == "" {
				t.Errorf("outbox[%s] = %+v", key, n)
			}
		}
		if n := out[fmt.Sprintf("appointment:%d:moved:1", a.ID)]; n.Data["start"] != "2026-03-04T08:45:00Z" {
			t.Errorf("the move's start = %q, want the new time in UTC", n.Data["start"])
		}

		// The reminder goes the day before, once, and not for one booked
		// that same day.
		c.Set(at("2026-03-03", 18, 0))
		if _, err := book(at("2026-03-04", 9, 0), "late@example.org"); err != nil {
			t.Fatal(err)
		}
		for range 2 {
			n, err := s.RemindTomorrow(ctx)
			if err != nil || n != 1 {
				t.Errorf("RemindTomorrow = %d, %v; want 1 (the moved one)", n, err)
			}
		}
		reminders := notifytest.OfKind(notifytest.Outbox(t, db), notify.AppointmentReminder)
		if len(reminders) != 1 {
			t.Errorf("reminders = %v", reminders)
		}
		if _, ok := reminders[fmt.Sprintf("appointment:%d:reminder:%d", a.ID, at("2026-03-04", 9, 45).Unix())]; !ok {
			t.Errorf("reminders = %v", reminders)
		}
		// Past its time, an appointment can be neither moved nor cancelled.
		c.Set(at("2026-03-04", 10, 0))
		if _, err := s.Cancel(ctx, a.ID); !errors.Is(err, appointments.ErrClosed) {
			t.Errorf("cancelling a past one: %v", err)
		}
	})
}

func TestStaffDayMarksAndBlocks(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, _ := open(t, db)
		o := desk(1)
		a, err := s.Book(ctx, appointments.Request{Offer: o, Start: at("2026-03-03", 9, 0), Email: "ana@example.org"})
		if err != nil {
			t.Fatal(err)
		}
		booked, err := s.AddBlock(ctx, appointments.Block{Office: "desk", Counter: 1, Start: at("2026-03-03", 9, 0), End: at("2026-03-03", 9, 30), Note: "meeting"}, 0)
		if err != nil || booked != 3 {
			t.Fatalf("AddBlock = %d, %v; want the 3 cells of the appointment left to it", booked, err)
		}
		if _, err := s.AddBlock(ctx, appointments.Block{Office: "desk", Counter: 1, Start: at("2026-03-03", 9, 31), End: at("2026-03-03", 9, 40)}, 0); !errors.Is(err, appointments.ErrInvalid) {
			t.Errorf("a block off the grid: %v", err)
		}
		if _, err := s.Book(ctx, appointments.Request{Offer: o, Start: at("2026-03-03", 9, 15), Email: "bo@example.org"}); !errors.Is(err, appointments.ErrTaken) {
			t.Errorf("booking a blocked time: %v", err)
		}
		list, blocks, err := s.OfficeDay(ctx, "desk", "2026-03-03")
		if err != nil || len(list) != 1 || list[0].ID != a.ID || len(blocks) != 1 || blocks[0].Note != "meeting" {
			t.Fatalf("OfficeDay = %v, %v, %v", list, blocks, err)
		}
		if err := s.Mark(ctx, "desk", a.ID, appointments.Arrived, 0); err != nil {
			t.Fatal(err)
		}
		if err := s.Mark(ctx, "elsewhere", a.ID, appointments.NoShow, 0); !errors.Is(err, appointments.ErrNotFound) {
			t.Errorf("marking another office's appointment: %v", err)
		}
		if err := s.Mark(ctx, "desk", a.ID, appointments.Cancelled, 0); !errors.Is(err, appointments.ErrInvalid) {
			t.Errorf("staff cancelling by mark: %v", err)
		}
		if got, _ := s.Get(ctx, a.ID); got.Status != appointments.Arrived {
			t.Errorf("status = %s", got.Status)
		}
		if err := s.RemoveBlock(ctx, "desk", blocks[0].ID); err != nil {
			t.Fatal(err)
		}
		bo, err := s.Book(ctx, appointments.Request{Offer: o, Start: at("2026-03-03", 9, 15), Email: "bo@example.org"})
		if err != nil {
			t.Fatalf("booking once unblocked: %v", err)
		}

		// Staff cancel for the resident: only their office's, and only
		// while it is open; the time is free again.
		for _, office := range []string{"elsewhere", ""} {
			if _, err := s.CancelAt(ctx, office, bo.ID, 0); !errors.Is(err, appointments.ErrNotFound) {
				t.Errorf("cancelling at office %q: %v", office, err)
			}
		}
		if _, err := s.CancelAt(ctx, "desk", a.ID, 0); !errors.Is(err, appointments.ErrClosed) {
			t.Errorf("cancelling an appointment already attended: %v", err)
		}
		if got, err := s.CancelAt(ctx, "desk", bo.ID, 0); err != nil || got.Status != appointments.Cancelled {
			t.Fatalf("CancelAt = %v, %v", got, err)
		}
		if _, err := s.Book(ctx, appointments.Request{Offer: o, Start: at("2026-03-03", 9, 15), Email: "cy@example.org"}); err != nil {
			t.Errorf("booking the time staff freed: %v", err)
		}
	})
}

func TestManageToken(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, _ := open(t, db)
		a, err := s.Book(ctx, appointments.Request{Offer: desk(1), Start: at("2026-03-03", 9, 0), Email: "ana@example.org"})
		if err != nil {
			t.Fatal(err)
		}
		tok, err := s.ManageToken(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		// Another instance checks what this one issued.
		other := appointments.New(storetest.Reopen(t, db), appointments.Options{Location: madrid})
		got, err := other.ByToken(ctx, tok)
		if err != nil || got.ID != a.ID {
			t.Fatalf("ByToken = %v, %v", got, err)
		}
		bad := []byte(tok)
		bad[len(bad)-1] ^= 1
		for _, tk := range []string{string(bad), "", "x", tok + "A"} {
			if _, err := s.ByToken(ctx, tk); !errors.Is(err, appointments.ErrNotFound) {
				t.Errorf("ByToken(%q) = %v, want not found", tk, err)
			}
		}
	})
}

// Many people book the last free time at once, through two pools of
// connections as two instances would: exactly one gets it, and the others
// are told it has been taken.
func TestLastTimeBookedOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, c := open(t, db)
		cal := calendar.New(db, nil)
		other := appointments.New(storetest.Reopen(t, db), appointments.Options{Location: madrid, Calendar: cal, Now: c.Now})
		o := desk(2)
		last := at("2026-03-03", 9, 45)
		if _, err := s.Book(ctx, appointments.Request{Offer: o, Start: last, Email: "first@example.org"}); err != nil {
			t.Fatal(err)
		}
		const n = 12
		var wg sync.WaitGroup
		errs := make([]error, n)
		start := make(chan struct{})
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				inst := s
				if i%2 == 1 {
					inst = other
				}
				<-start
				_, errs[i] = inst.Book(ctx, appointments.Request{Offer: o, Start: last, Email: fmt.Sprintf("p%d@example.org", i)})
			}()
		}
		close(start)
		wg.Wait()
		won := 0
		for i, err := range errs {
			switch {
			case err == nil:
				won++
			case !errors.Is(err, appointments.ErrTaken):
				t.Errorf("booking %d: %v, want ErrTaken or success", i, err)
			}
		}
		if won != 1 {
			t.Errorf("%d people got the last time, want exactly 1", won)
		}
		var booked, cells int
		if err := db.SQL().QueryRowContext(ctx, `SELECT COUNT(*) FROM appointments WHERE status = 'booked'`).Scan(&booked); err != nil {
			t.Fatal(err)
		}
		if err := db.SQL().QueryRowContext(ctx, `SELECT COUNT(*) FROM appointment_cells`).Scan(&cells); err != nil {
			t.Fatal(err)
		}
		if booked != 2 || cells != 6 {
			t.Errorf("%d appointments and %d cells, want 2 and 6", booked, cells)
		}
	})
}
