package catalogue

import (
	"slices"
	"strconv"
	"strings"
)

// Offices keep their opening hours as OpenStreetMap opening_hours strings
// ("Mo-Fr 09:00-14:00; Sa 09:00-12:00"), the format councils' open data
// and schema.org already use. The portal writes them in each language
// (portal/web); appointments cut them into slots. Both read them here.

// Week is what an opening_hours string says: the times of each day,
// Monday first (none: closed).
type Week struct {
	Days           [7][]Span
	Always         bool // "24/7"
	HolidaysClosed bool // "PH off"
}

// Span is a time of opening, in minutes since midnight; To may be 24:00.
type Span struct{ From, To int }

var osmDays = [7]string{"Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"}

// ParseOpeningHours reads the common part of the opening_hours syntax: rules
// separated by ";" (a later rule replaces the days it names) or by ","
// before a day (an additional rule, which adds times); each rule is
// optional days ("Mo-Fr", "Mo,We", "Sa-Mo") then times ("09:00-14:00",
// "09:00-13:00,16:00-19:00") or "off"/"closed"; also "24/7" and "PH off".
func ParseOpeningHours(raw string) (Week, bool) {
	var w Week
	s := strings.TrimSpace(raw)
	if s == "24/7" {
		w.Always = true
		return w, true
	}
	for _, rule := range strings.Split(s, ";") {
		rule = strings.TrimSpace(rule)
		if rule == "" {
			continue
		}
		if rule == "PH off" || rule == "PH closed" {
			w.HolidaysClosed = true
			continue
		}
		additional := false
		for rule != "" {
			days, rest, ok := parseDays(rule)
			if !ok {
				return w, false
			}
			var times []Span
			closed := false
			times, rest, closed, ok = parseTimes(rest)
			if !ok {
				return w, false
			}
			for d := range 7 {
				switch {
				case !days[d]:
				case closed:
					w.Days[d] = nil
				case additional:
					w.Days[d] = append(slices.Clip(w.Days[d]), times...)
				default:
					w.Days[d] = slices.Clip(times)
				}
			}
			rule, additional = rest, true
		}
	}
	for _, ss := range w.Days {
		if len(ss) > 0 {
			return w, true
		}
	}
	return w, false // closed every day says nothing a reader can use
}

// parseDays reads a rule's days and the space after them: every day when
// the rule starts with a time.
func parseDays(rule string) (days [7]bool, rest string, ok bool) {
	sel, rest, found := strings.Cut(rule, " ")
	if !found || dayIndex(sel[:min(2, len(sel))]) < 0 {
		for d := range days {
			days[d] = true
		}
		return days, rule, true
	}
	for _, item := range strings.Split(sel, ",") {
		from, to, isRange := strings.Cut(item, "-")
		a, b := dayIndex(from), dayIndex(to)
		if !isRange {
			b = a
		}
		if a < 0 || b < 0 {
			return days, "", false
		}
		for d := a; ; d = (d + 1) % 7 { // "Sa-Mo" wraps round the week
			days[d] = true
			if d == b {
				break
			}
		}
	}
	return days, strings.TrimSpace(rest), true
}

func dayIndex(s string) int {
	for i, d := range osmDays {
		if s == d {
			return i
		}
	}
	return -1
}

// parseTimes reads "off", "closed" or a list of time spans, and returns
// what follows a ", " that starts an additional rule.
func parseTimes(s string) (times []Span, rest string, closed, ok bool) {
	if s == "off" || s == "closed" {
		return nil, "", true, true
	}
	items := strings.Split(s, ",")
	for i, item := range items {
		item = strings.TrimSpace(item)
		if i > 0 && len(item) >= 2 && dayIndex(item[:2]) >= 0 {
			return times, strings.TrimSpace(strings.Join(items[i:], ",")), false, len(times) > 0
		}
		from, to, found := strings.Cut(item, "-")
		a, okA := parseClock(from)
		b, okB := parseClock(to)
		if !found || !okA || !okB || a == b {
			return nil, "", false, false
		}
		times = append(times, Span{From: a, To: b})
	}
	return times, "", false, len(times) > 0
}

// parseClock reads "09:30" (and "24:00", the end of a day) as minutes.
func parseClock(s string) (int, bool) {
	if len(s) != 5 || s[2] != ':' {
		return 0, false
	}
	if !digits(s[:2]) || !digits(s[3:]) {
		return 0, false
	}
	h, _ := strconv.Atoi(s[:2])
	m, _ := strconv.Atoi(s[3:])
	if m > 59 || h > 24 || (h == 24 && m != 0) {
		return 0, false
	}
	return h*60 + m, true
}

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
