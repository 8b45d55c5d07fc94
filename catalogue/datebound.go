package catalogue

import (
	"fmt"
	"strconv"
	"time"
)

// DateBound is a date field's min_date or max_date: a fixed date
// ("2026-01-01"), "today", or a number of days, weeks, months or years from
// the day the form is filled in ("+6w", "-120y"). Relative bounds are
// what services need: a permit cannot start in the past, a demolition
// notice needs six weeks, a date of birth is not in the future.
type DateBound struct {
	fixed  time.Time // set for a fixed date
	n      int       // offset from today, in units
	unit   byte      // 'd', 'w', 'm', 'y'; 0 for a fixed date
	isDate bool
}

// ParseDateBound reads a min_date or max_date.
func ParseDateBound(s string) (DateBound, error) {
	if s == "today" {
		return DateBound{unit: 'd'}, nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return DateBound{fixed: t, isDate: true}, nil
	}
	if len(s) >= 3 && (s[0] == '+' || s[0] == '-') {
		unit := s[len(s)-1]
		n, err := strconv.Atoi(s[1 : len(s)-1])
		if err == nil && n >= 0 && n <= 100000 && s[1] != '+' && s[1] != '-' && (unit == 'd' || unit == 'w' || unit == 'm' || unit == 'y') {
			if s[0] == '-' {
				n = -n
			}
			return DateBound{n: n, unit: unit}, nil
		}
	}
	return DateBound{}, fmt.Errorf("%q is not a date bound; use \"today\", a date like \"2026-01-01\", or an offset from today like \"+6w\", \"-18y\" (d days, w weeks, m months, y years)", s)
}

// IsToday reports whether the bound is the day the form is filled in.
func (b DateBound) IsToday() bool { return !b.isDate && b.n == 0 }

// On returns the bound's date for a form filled in on today (a date at
// midnight UTC, as the forms package keeps dates). Months and years that
// overflow end on the month's last day: a month after 31 January is 28 or
// 29 February, not 3 March.
func (b DateBound) On(today time.Time) time.Time {
	if b.isDate {
		return b.fixed
	}
	y, m, d := today.Date()
	switch b.unit {
	case 'w':
		return time.Date(y, m, d+7*b.n, 0, 0, 0, 0, time.UTC)
	case 'm':
		return clampDay(y, int(m)+b.n, d)
	case 'y':
		return clampDay(y+b.n, int(m), d)
	}
	return time.Date(y, m, d+b.n, 0, 0, 0, 0, time.UTC)
}

func clampDay(y, m, d int) time.Time {
	first := time.Date(y, time.Month(m), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return first.AddDate(0, 0, min(d, last)-1)
}
