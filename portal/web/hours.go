package web

import (
	"slices"
	"strconv"
	"strings"
)

// Opening hours are kept in the catalogue as OpenStreetMap opening_hours
// strings ("Mo-Fr 09:00-14:00; Sa 09:00-12:00"), the format councils' open
// data and schema.org already use. OpeningHours reads the common part of
// that syntax and writes it the way each language writes hours on a
// council's door (docs/formats.md):
//
//	en  Monday to Friday, 09:00–14:00
//	es  lun–vie 9:00–14:00
//	ca  dl.–dv. 9:00–14:00
//	it  lun–ven 9:00–14:00
//	fr  lun.–ven. 9 h–14 h
//
// Anything outside that part (months, weeks, comments, sunrise…) is shown
// as written rather than guessed at.

// hoursStyle is how a language writes days and opening times.
type hoursStyle struct {
	days      [7]string // Monday first
	through   string    // between the first and last day of a range
	and       string    // before the last item of a list
	daysTimes string    // between the days and their times
	everyDay  string
	always    string // "24/7"
	holidays  string // "PH off": closed on public holidays
}

var hoursStyles = map[string]hoursStyle{
	"en": {
		days:    [7]string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"},
		through: " to ", and: " and ", daysTimes: ", ", everyDay: "Every day",
		always: "Open 24 hours, every day", holidays: "closed on public holidays",
	},
	"es": {
		days:    [7]string{"lun", "mar", "mié", "jue", "vie", "sáb", "dom"},
		through: "–", and: " y ", daysTimes: " ", everyDay: "todos los días",
		always: "abierto 24 horas, todos los días", holidays: "cerrado los festivos",
	},
	"ca": {
		days:    [7]string{"dl.", "dt.", "dc.", "dj.", "dv.", "ds.", "dg."},
		through: "–", and: " i ", daysTimes: " ", everyDay: "cada dia",
		always: "obert 24 hores, cada dia", holidays: "tancat els festius",
	},
	"it": {
		days:    [7]string{"lun", "mar", "mer", "gio", "ven", "sab", "dom"},
		through: "–", and: " e ", daysTimes: " ", everyDay: "tutti i giorni",
		always: "aperto 24 ore su 24, tutti i giorni", holidays: "chiuso nei giorni festivi",
	},
	"fr": {
		days:    [7]string{"lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."},
		through: "–", and: " et ", daysTimes: " ", everyDay: "tous les jours",
		always: "ouvert 24\u00a0h/24, 7\u00a0j/7", holidays: "fermé les jours fériés",
	},
}

// Clock writes a time of day for a reader of lang: "09:30" in English,
// "9:30" in Spanish, Catalan and Italian, "9 h 30" in French ("9 h" on
// the hour), with a no-break space so it never wraps.
func Clock(lang string, hour, minute int) string {
	mm := strconv.Itoa(minute)
	if minute < 10 {
		mm = "0" + mm
	}
	switch lang {
	case "es", "ca", "it":
		return strconv.Itoa(hour) + ":" + mm
	case "fr":
		if minute == 0 {
			return strconv.Itoa(hour) + "\u00a0h"
		}
		return strconv.Itoa(hour) + "\u00a0h\u00a0" + mm
	}
	hh := strconv.Itoa(hour)
	if hour < 10 {
		hh = "0" + hh
	}
	return hh + ":" + mm
}

// OpeningHours writes raw, an OpenStreetMap opening_hours string, for a
// reader of lang; raw itself when it uses syntax this does not read.
func OpeningHours(lang, raw string) string {
	h, ok := parseHours(raw)
	if !ok {
		return raw
	}
	st, ok := hoursStyles[lang]
	if !ok {
		st, lang = hoursStyles["en"], "en"
	}
	if h.always {
		return st.always
	}
	var parts []string
	for _, g := range h.groups() {
		parts = append(parts, st.dayList(g.days)+st.daysTimes+st.list(g.spans.format(lang)))
	}
	if h.holidaysClosed {
		parts = append(parts, st.holidays)
	}
	return strings.Join(parts, "; ")
}

// list joins items as a sentence does: "a", "a and b", "a, b and c".
func (st hoursStyle) list(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + st.and + items[len(items)-1]
}

// dayList writes a set of days: runs of three or more as ranges
// ("Monday to Friday"), the rest one by one ("Saturday and Sunday").
func (st hoursStyle) dayList(days [7]bool) string {
	if days == [7]bool{true, true, true, true, true, true, true} {
		return st.everyDay
	}
	var items []string
	for d := 0; d < 7; d++ {
		if !days[d] {
			continue
		}
		end := d
		for end+1 < 7 && days[end+1] {
			end++
		}
		if end-d >= 2 {
			items = append(items, st.days[d]+st.through+st.days[end])
			d = end
			continue
		}
		items = append(items, st.days[d])
	}
	return st.list(items)
}

// week is what an opening_hours string says: the times of each day,
// Monday first (none: closed).
type week struct {
	days           [7]spans
	always         bool // "24/7"
	holidaysClosed bool // "PH off"
}

type span struct{ from, to int } // minutes since midnight; to may be 24:00

type spans []span

func (ss spans) format(lang string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = Clock(lang, s.from/60, s.from%60) + "–" + Clock(lang, s.to/60, s.to%60)
	}
	return out
}

// dayGroup is the days that share the same times.
type dayGroup struct {
	days  [7]bool
	spans spans
}

// groups gathers the open days by their times, in the order of each
// group's first day.
func (w week) groups() []dayGroup {
	var out []dayGroup
	for d, ss := range w.days {
		if len(ss) == 0 {
			continue
		}
		found := false
		for i := range out {
			if slices.Equal(out[i].spans, ss) {
				out[i].days[d], found = true, true
				break
			}
		}
		if !found {
			g := dayGroup{spans: ss}
			g.days[d] = true
			out = append(out, g)
		}
	}
	return out
}

var osmDays = [7]string{"Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"}

// parseHours reads the common part of the opening_hours syntax: rules
// separated by ";" (a later rule replaces the days it names) or by ","
// before a day (an additional rule, which adds times); each rule is
// optional days ("Mo-Fr", "Mo,We", "Sa-Mo") then times ("09:00-14:00",
// "09:00-13:00,16:00-19:00") or "off"/"closed"; also "24/7" and "PH off".
func parseHours(raw string) (week, bool) {
	var w week
	s := strings.TrimSpace(raw)
	if s == "24/7" {
		w.always = true
		return w, true
	}
	for _, rule := range strings.Split(s, ";") {
		rule = strings.TrimSpace(rule)
		if rule == "" {
			continue
		}
		if rule == "PH off" || rule == "PH closed" {
			w.holidaysClosed = true
			continue
		}
		additional := false
		for rule != "" {
			days, rest, ok := parseDays(rule)
			if !ok {
				return w, false
			}
			var times spans
			closed := false
			times, rest, closed, ok = parseTimes(rest)
			if !ok {
				return w, false
			}
			for d := range 7 {
				switch {
				case !days[d]:
				case closed:
					w.days[d] = nil
				case additional:
					w.days[d] = append(slices.Clip(w.days[d]), times...)
				default:
					w.days[d] = slices.Clip(times)
				}
			}
			rule, additional = rest, true
		}
	}
	for _, ss := range w.days {
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
func parseTimes(s string) (times spans, rest string, closed, ok bool) {
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
		times = append(times, span{from: a, to: b})
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
