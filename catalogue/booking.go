package catalogue

import (
	"slices"
	"time"
)

// Booking makes a service bookable: residents choose a free time at one of
// its offices (package appointments), instead of asking for one through a
// form. Times are cut from the office's opening hours (or Hours), less the
// council's holidays and the office's closures.
type Booking struct {
	// DurationMinutes is how long one appointment takes: a multiple of
	// SlotMinutes, up to MaxDurationMinutes.
	DurationMinutes int `json:"duration_minutes"`
	// Offices are the slugs of the departments where it can be booked.
	Offices []string `json:"offices"`
	// MaxDaysAhead is how many days ahead, today not counted, a time may
	// be booked: 1 to MaxBookingDaysAhead.
	MaxDaysAhead int `json:"max_days_ahead"`
	// Hours, when set, are the times within which this service is booked
	// (an opening_hours string, like an office's): legal advice on Tuesday
	// and Thursday afternoons. Empty: the office's opening hours.
	Hours string `json:"hours,omitempty"`
	// Bring is what to bring to the appointment, in each language.
	Bring TextList `json:"bring,omitempty"`
}

// Closure is a stretch of days on which an office is shut besides the
// council's public holidays (package calendar): a move, a strike, August.
type Closure struct {
	From   string `json:"from"` // YYYY-MM-DD, the first day shut
	To     string `json:"to"`   // YYYY-MM-DD, the last day shut; From for one day
	Reason Text   `json:"reason,omitempty"`
}

// Covers reports whether the closure shuts the office on date (YYYY-MM-DD).
func (c Closure) Covers(date string) bool { return c.From <= date && date <= c.To }

// Limits of a booking.
const (
	// SlotMinutes is the grain of appointment times: every duration is a
	// whole number of them, and every time starts on one.
	SlotMinutes         = 5
	MaxDurationMinutes  = 480
	MaxBookingDaysAhead = 366
	MaxCounters         = 50
)

// Bookable reports whether the service can be booked.
func (s *Service) Bookable() bool { return s.Booking != nil }

// CountersOf is the number of counters the office serves appointments at:
// one when the catalogue does not say.
func (d *Department) CountersOf() int { return max(d.Counters, 1) }

// HoursFor are the opening hours appointments of b are cut from at d.
func (d *Department) HoursFor(b *Booking) string {
	if b != nil && b.Hours != "" {
		return b.Hours
	}
	return d.OpeningHours
}

func (v *validator) office(p string, d *Department) {
	if d.Counters < 0 || d.Counters > MaxCounters {
		v.add(member(p, "counters"), "must be the number of counters that serve appointments, 1 to %d, or left out for 1; not %d", MaxCounters, d.Counters)
	}
	if d.OpeningHours != "" {
		if _, ok := ParseOpeningHours(d.OpeningHours); !ok {
			v.add(member(p, "opening_hours"), "%q is not opening hours this version reads; write days and times like \"Mo-Fr 09:00-14:00; Sa 09:00-12:00\"", d.OpeningHours)
		}
	}
	for i, c := range d.Closures {
		cp := index(member(p, "closures"), i)
		from, ferr := time.Parse(time.DateOnly, c.From)
		to, terr := time.Parse(time.DateOnly, c.To)
		if ferr != nil {
			v.add(member(cp, "from"), "%q is not a date; write the first day shut as YYYY-MM-DD", c.From)
		}
		if terr != nil {
			v.add(member(cp, "to"), "%q is not a date; write the last day shut as YYYY-MM-DD (the same as from for one day)", c.To)
		}
		if ferr == nil && terr == nil && to.Before(from) {
			v.add(member(cp, "to"), "%s is before from (%s); the last day shut comes after the first", c.To, c.From)
		}
		v.text(member(cp, "reason"), c.Reason, false)
	}
}

func (v *validator) booking(p string, s *Service) {
	b := s.Booking
	switch {
	case b.DurationMinutes < SlotMinutes || b.DurationMinutes > MaxDurationMinutes:
		v.add(member(p, "duration_minutes"), "must be how long an appointment takes, %d to %d minutes, not %d", SlotMinutes, MaxDurationMinutes, b.DurationMinutes)
	case b.DurationMinutes%SlotMinutes != 0:
		v.add(member(p, "duration_minutes"), "must be a multiple of %d minutes, not %d", SlotMinutes, b.DurationMinutes)
	}
	if b.MaxDaysAhead < 1 || b.MaxDaysAhead > MaxBookingDaysAhead {
		v.add(member(p, "max_days_ahead"), "must be how many days ahead a time may be booked, 1 to %d, not %d", MaxBookingDaysAhead, b.MaxDaysAhead)
	}
	if len(b.Offices) == 0 {
		v.add(member(p, "offices"), "must list at least one department slug where the service is booked")
	}
	v.slugRefs(member(p, "offices"), b.Offices, v.departments, "departments")
	for i, slug := range b.Offices {
		if b.Hours != "" || slices.Contains(b.Offices[:i], slug) { // slugRefs says it is listed twice
			continue
		}
		for _, d := range v.c.Departments {
			if d.Slug == slug && d.OpeningHours == "" {
				v.add(index(member(p, "offices"), i), "the department %q has no opening_hours to book in; give it some, or give the booking its own hours", slug)
			}
		}
	}
	if b.Hours != "" {
		if _, ok := ParseOpeningHours(b.Hours); !ok {
			v.add(member(p, "hours"), "%q is not opening hours this version reads; write days and times like \"Tu,Th 16:00-19:00\"", b.Hours)
		}
	}
	v.textList(member(p, "bring"), b.Bring)
	if s.Fee != nil && s.Fee.Amount > 0 && s.Fee.When == FeeOnApplication {
		v.add(p, "a service paid on application cannot be booked yet: booking takes no payment; charge on approval or at the office")
	}
}
