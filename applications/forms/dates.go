package forms

import (
	"strconv"
	"strings"
	"time"

	"sportello/catalogue"
)

// Date is a date in a FieldError's Args (a date field's bound), as
// YYYY-MM-DD, for the portal to write in the reader's language ("31 March
// 2026").
type Date string

// Today is the day a form is filled in, in the council's time zone, at
// midnight UTC as dates are kept.
func (v *Validator) Today() time.Time {
	y, m, d := v.opts.Now().In(v.opts.Location).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// dateRange returns the earliest and latest dates a field takes on today,
// nil where it sets none. The catalogue's validation has refused bounds
// that do not parse; one that slips through bounds nothing.
func dateRange(f *catalogue.Field, today time.Time) (earliest, latest *time.Time, minToday, maxToday bool) {
	if f.MinDate != nil {
		if b, err := catalogue.ParseDateBound(*f.MinDate); err == nil {
			t := b.On(today)
			earliest, minToday = &t, b.IsToday()
		}
	}
	if f.MaxDate != nil {
		if b, err := catalogue.ParseDateBound(*f.MaxDate); err == nil {
			t := b.On(today)
			latest, maxToday = &t, b.IsToday()
		}
	}
	return earliest, latest, minToday, maxToday
}

// ExampleDate is the date a form shows as an example of how to type one
// ("For example, 27 4 2026"): the 27th of next month, so that it is neither
// in the past nor far off, moved within what the field allows: after its
// earliest date, or before its latest (a date of birth: a month before
// today). It is written day, month, year, as the three inputs take it.
func ExampleDate(f *catalogue.Field, today time.Time) string {
	earliest, latest, _, _ := dateRange(f, today)
	ex := time.Date(today.Year(), today.Month()+1, 27, 0, 0, 0, 0, time.UTC)
	switch {
	case earliest != nil && ex.Before(*earliest):
		ex = time.Date(earliest.Year(), earliest.Month()+1, 27, 0, 0, 0, 0, time.UTC)
	case latest != nil && ex.After(*latest):
		ex = time.Date(latest.Year(), latest.Month()-1, 27, 0, 0, 0, 0, time.UTC)
	}
	if latest != nil && ex.After(*latest) {
		ex = *latest
	}
	if earliest != nil && ex.Before(*earliest) {
		ex = *earliest
	}
	return strconv.Itoa(ex.Day()) + " " + strconv.Itoa(int(ex.Month())) + " " + strconv.Itoa(ex.Year())
}

// dateMissing is the message for a date with some parts left empty, by
// which parts: day, month, year.
var dateMissing = map[[3]bool]string{
	{true, false, false}: KeyDateDay,
	{false, true, false}: KeyDateMonth,
	{false, false, true}: KeyDateYear,
	{true, true, false}:  KeyDateDayMonth,
	{true, false, true}:  KeyDateDayYear,
	{false, true, true}:  KeyDateMonthYear,
}

func (v *Validator) date(f *catalogue.Field, values Values, a *Answer) *FieldError {
	today := v.Today()
	ex := ExampleDate(f, today)
	example := map[string]any{"Example": ex, "Year": ex[strings.LastIndexByte(ex, ' ')+1:]}
	in := func(parts ...string) []string {
		ids := make([]string, len(parts))
		for i, p := range parts {
			ids[i] = f.Name + "-" + p
		}
		return ids
	}
	fail := func(key string, parts ...string) *FieldError {
		ids := in(parts...)
		return &FieldError{Key: key, Input: ids[0], Inputs: ids, Args: example}
	}
	day := clean(values.Get(f.Name+"-day"), false)
	month := clean(values.Get(f.Name+"-month"), false)
	year := clean(values.Get(f.Name+"-year"), false)
	if day == "" && month == "" && year == "" {
		// One input: an <input type="date">, a draft or an API client.
		iso := clean(values.Get(f.Name), false)
		if iso == "" {
			if f.Required {
				return fail(KeyRequiredDate, "day", "month", "year")
			}
			return nil
		}
		y, m, d, ok := splitISODate(iso)
		if !ok {
			a.Text = iso
			return fail(KeyDate, "day", "month", "year")
		}
		day, month, year = d, m, y
	}
	missing := [3]bool{day == "", month == "", year == ""}
	if key, ok := dateMissing[missing]; ok {
		var parts []string
		for i, p := range []string{"day", "month", "year"} {
			if missing[i] {
				parts = append(parts, p)
			}
		}
		return fail(key, parts...)
	}
	// Every part that is not a number is wrong at once.
	var bad []string
	if !isDigits(day) || len(day) > 2 {
		bad = append(bad, "day")
	}
	if !isDigits(month) || len(month) > 2 {
		bad = append(bad, "month")
	}
	if len(bad) > 0 {
		if !isDigits(year) || len(year) != 4 {
			bad = append(bad, "year")
		}
		return fail(KeyDate, bad...)
	}
	if !isDigits(year) || len(year) != 4 {
		return fail(KeyDateYear, "year")
	}
	d, _ := strconv.Atoi(day)
	m, _ := strconv.Atoi(month)
	y, _ := strconv.Atoi(year)
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	// time.Date normalises 31 April into 1 May: a date that does not exist
	// comes back different.
	if m < 1 || m > 12 || d < 1 || t.Day() != d || int(t.Month()) != m || t.Year() != y {
		if m < 1 || m > 12 {
			return fail(KeyDate, "month")
		}
		return fail(KeyDate, "day")
	}
	a.Text = t.Format(time.DateOnly)
	return dateBoundError(f, t, today, fail)
}

// dateBoundError says what to do with a real date outside the field's
// range: "Enter a date that is today or in the future", "… on or after 12
// May 2026".
func dateBoundError(f *catalogue.Field, t, today time.Time, fail func(string, ...string) *FieldError) *FieldError {
	earliest, latest, minToday, maxToday := dateRange(f, today)
	early, late := earliest != nil && t.Before(*earliest), latest != nil && t.After(*latest)
	var key string
	switch {
	case !early && !late:
		return nil
	case early && minToday:
		key = KeyDateTodayOrFuture
	case late && maxToday:
		key = KeyDateTodayOrPast
	case earliest != nil && latest != nil:
		key = KeyDateBetween
	case early:
		key = KeyDateMin
	default:
		key = KeyDateMax
	}
	fe := fail(key, "day", "month", "year")
	args := map[string]any{"Example": fe.Args["Example"], "Year": fe.Args["Year"]}
	if earliest != nil {
		args["Min"] = Date(earliest.Format(time.DateOnly))
	}
	if latest != nil {
		args["Max"] = Date(latest.Format(time.DateOnly))
	}
	fe.Args = args
	return fe
}
