package appointments

import (
	"time"

	"sportello/calendar"
	"sportello/catalogue"
)

// cell is the grain of the time at a counter.
const cell = catalogue.SlotMinutes * time.Minute

// starts returns the times the offer's appointments may start on day, on
// the council's clock loc, before anyone books: none on a council holiday,
// on a day the office is closed, or outside its hours. Slots follow each
// other from the start of each opening span, each as long as the service's
// appointments, and end within the span.
func starts(o Offer, day string, loc *time.Location, days calendar.Days) []time.Time {
	d, err := calendar.ParseDate(day)
	if err != nil || o.Booking == nil || o.Office == nil || days.Holiday(day) {
		return nil
	}
	for _, c := range o.Office.Closures {
		if c.Covers(day) {
			return nil
		}
	}
	week, ok := catalogue.ParseOpeningHours(o.Office.HoursFor(o.Booking))
	if !ok {
		return nil
	}
	spans := week.Days[(int(d.Weekday())+6)%7] // Monday first
	if week.Always {
		spans = []catalogue.Span{{From: 0, To: 24 * 60}}
	}
	dur := o.Booking.DurationMinutes
	if dur <= 0 {
		return nil
	}
	var out []time.Time
	for _, sp := range spans {
		for m := sp.From; m+dur <= sp.To; m += dur {
			out = append(out, time.Date(d.Year(), d.Month(), d.Day(), m/60, m%60, 0, 0, loc))
		}
	}
	return out
}

// window is the first and last day the offer may be booked for at now:
// from today to MaxDaysAhead days after it.
func window(o Offer, now time.Time, loc *time.Location) (first, last string) {
	today := now.In(loc)
	return today.Format(time.DateOnly), today.AddDate(0, 0, o.Booking.MaxDaysAhead).Format(time.DateOnly)
}

// taken is the cells taken at an office, by counter and Unix second.
type taken map[int]map[int64]bool

// freeAt returns the counters free for minutes from start, lowest first.
func (t taken) freeAt(counters int, start time.Time, minutes int) []int {
	var out []int
	for c := 1; c <= counters; c++ {
		free := true
		for at := start; at.Before(start.Add(time.Duration(minutes) * time.Minute)); at = at.Add(cell) {
			if t[c][at.Unix()] {
				free = false
				break
			}
		}
		if free {
			out = append(out, c)
		}
	}
	return out
}

// cells returns the Unix seconds of the cells from start for minutes.
func cells(start time.Time, minutes int) []int64 {
	var out []int64
	for at := start; at.Before(start.Add(time.Duration(minutes) * time.Minute)); at = at.Add(cell) {
		out = append(out, at.Unix())
	}
	return out
}
