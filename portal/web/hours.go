package web

import (
	"slices"
	"strconv"
	"strings"

	"sportello/catalogue"
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
	h, ok := catalogue.ParseOpeningHours(raw)
	if !ok {
		return raw
	}
	st, ok := hoursStyles[lang]
	if !ok {
		st, lang = hoursStyles["en"], "en"
	}
	if h.Always {
		return st.always
	}
	var parts []string
	for _, g := range groups(h) {
		parts = append(parts, st.dayList(g.days)+st.daysTimes+st.list(g.spans.format(lang)))
	}
	if h.HolidaysClosed {
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

type spans []catalogue.Span

func (ss spans) format(lang string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = Clock(lang, s.From/60, s.From%60) + "–" + Clock(lang, s.To/60, s.To%60)
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
func groups(w catalogue.Week) []dayGroup {
	var out []dayGroup
	for d, ss := range w.Days {
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
