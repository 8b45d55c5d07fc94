// Package calendar is the council's calendar: the public holidays it lists
// (national, regional and local), kept in the database and edited by
// administrators, and the arithmetic of working days over them. A working
// day is Monday to Friday and not a holiday. Decision dates are counted in
// working days (package applications), as Spain's Law 39/2015 (article 30)
// and Italy's Law 241/1990 count administrative time limits.
//
// Dates are the council's calendar dates, "YYYY-MM-DD", with no time zone:
// the caller decides which day it is where the council is.
package calendar

import (
	"errors"
	"fmt"
	"time"

	"sportello/store"
)

// Errors. ErrNotFound and ErrConflict are the database's, which the
// portal's one table of errors already maps to 404 and 409.
var (
	ErrNotFound = store.ErrNotFound
	ErrConflict = store.ErrConflict
	ErrInvalid  = errors.New("calendar: invalid holiday")
)

// Scope is who declares a holiday.
type Scope string

// Scopes of holidays. In Spain the state declares the national ones, the
// autonomous community the regional ones, and each council two local ones;
// Italy has national holidays and each municipality its patron saint's day.
const (
	ScopeNational Scope = "national"
	ScopeRegional Scope = "regional"
	ScopeLocal    Scope = "local"
)

// Scopes are every scope, in the order a page lists them.
var Scopes = []Scope{ScopeNational, ScopeRegional, ScopeLocal}

// Valid reports whether s is one of Scopes.
func (s Scope) Valid() bool { return s == ScopeNational || s == ScopeRegional || s == ScopeLocal }

// Holiday is a day of the council's calendar on which it does not work.
type Holiday struct {
	Date  string            `json:"date"` // YYYY-MM-DD
	Scope Scope             `json:"scope"`
	Name  map[string]string `json:"name"` // by language code; at least one
}

// NameIn returns the holiday's name in lang, else in fallback, else in any
// language it has; the second result is the language of the name returned.
func (h Holiday) NameIn(lang, fallback string) (string, string) {
	for _, l := range []string{lang, fallback} {
		if n := h.Name[l]; n != "" {
			return n, l
		}
	}
	for _, l := range []string{"en", "es", "ca", "it", "fr"} {
		if n := h.Name[l]; n != "" {
			return n, l
		}
	}
	return "", ""
}

// Validate reports what is wrong with h, or nil.
func (h Holiday) Validate() error {
	if _, err := ParseDate(h.Date); err != nil {
		return fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	if !h.Scope.Valid() {
		return fmt.Errorf("%w: scope %q is none of national, regional, local", ErrInvalid, h.Scope)
	}
	for _, n := range h.Name {
		if n != "" {
			return nil
		}
	}
	return fmt.Errorf("%w: the holiday of %s has no name", ErrInvalid, h.Date)
}

// ParseDate reads a calendar date, "YYYY-MM-DD", as midnight UTC, so that
// adding days never meets a change of clocks.
func ParseDate(date string) (time.Time, error) {
	d, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a date written YYYY-MM-DD", date)
	}
	return d, nil
}

// Days are the council's working days: Monday to Friday, but its holidays.
// The zero value knows no holidays.
type Days struct {
	holidays map[string]bool
}

// NewDays returns the working days around holidays, given as YYYY-MM-DD.
func NewDays(holidays ...string) Days {
	d := Days{holidays: make(map[string]bool, len(holidays))}
	for _, h := range holidays {
		d.holidays[h] = true
	}
	return d
}

// Holiday reports whether date is one of the council's holidays, whatever
// the day of the week (an office open on Saturdays shuts on one too).
func (d Days) Holiday(date string) bool { return d.holidays[date] }

// Working reports whether date is a working day.
func (d Days) Working(date string) bool {
	t, err := ParseDate(date)
	return err == nil && d.working(t)
}

func (d Days) working(t time.Time) bool {
	wd := t.Weekday()
	return wd != time.Saturday && wd != time.Sunday && !d.holidays[t.Format(time.DateOnly)]
}

// Add returns the date n working days after date: the days after it are
// counted, and the n-th working day is the answer. 0 is date itself, even
// when it is not a working day; n below 0 counts as 0.
func (d Days) Add(date string, n int) (string, error) {
	t, err := ParseDate(date)
	if err != nil {
		return "", err
	}
	for n > 0 {
		t = t.AddDate(0, 0, 1)
		if d.working(t) {
			n--
		}
	}
	return t.Format(time.DateOnly), nil
}

// Between returns how many working days there are after from, up to and
// including to: 0 when to is from, or when only weekends and holidays lie
// between; negative, the same count, when to is before from. Between(from,
// Add(from, n)) is n.
func (d Days) Between(from, to string) (int, error) {
	a, err := ParseDate(from)
	if err != nil {
		return 0, err
	}
	b, err := ParseDate(to)
	if err != nil {
		return 0, err
	}
	sign := 1
	if b.Before(a) {
		a, b, sign = b, a, -1
	}
	n := 0
	for t := a.AddDate(0, 0, 1); !t.After(b); t = t.AddDate(0, 0, 1) {
		if d.working(t) {
			n++
		}
	}
	return sign * n, nil
}

// YearOf returns the year of a date; 0 when it is not one.
func YearOf(date string) int {
	d, err := ParseDate(date)
	if err != nil {
		return 0
	}
	return d.Year()
}
