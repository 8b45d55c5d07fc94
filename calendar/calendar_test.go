package calendar_test

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"testing"
	"time"

	"sportello/calendar"
	"sportello/notify/notifytest"
	"sportello/store"
	"sportello/store/storetest"
)

// portaNova are the demo's holidays.
func portaNova(t *testing.T) calendar.Days {
	t.Helper()
	hs, err := calendar.Demo()
	if err != nil {
		t.Fatal(err)
	}
	var dates []string
	for _, h := range hs {
		dates = append(dates, h.Date)
	}
	return calendar.NewDays(dates...)
}

func TestAdd(t *testing.T) {
	days := portaNova(t)
	tests := []struct {
		name, from string
		n          int
		want       string
	}{
		{"none: the day itself", "2026-03-02", 0, "2026-03-02"},
		{"none on a Saturday: the Saturday", "2026-03-07", 0, "2026-03-07"},
		{"within a week", "2026-03-02", 3, "2026-03-05"},
		{"over a weekend", "2026-03-05", 2, "2026-03-09"},
		{"from a Saturday", "2026-03-07", 1, "2026-03-09"},
		{"from a Sunday", "2026-03-08", 5, "2026-03-13"},
		{"two weeks", "2026-03-02", 10, "2026-03-16"},
		// Good Friday 3 April and Easter Monday 6 April.
		{"over Easter", "2026-04-02", 1, "2026-04-07"},
		{"ten over Easter", "2026-03-28", 10, "2026-04-14"},
		// Christmas Day is a Friday, St Stephen's a Saturday, 1 and 6
		// January a Friday and a Wednesday.
		{"over Christmas", "2026-12-24", 1, "2026-12-28"},
		{"over the year's end", "2026-12-30", 2, "2027-01-04"},
		{"over the year's end and Epiphany", "2026-12-23", 8, "2027-01-07"},
		{"a local holiday", "2026-08-04", 1, "2026-08-06"},
		{"a regional holiday", "2026-09-10", 1, "2026-09-14"},
		{"negative counts as none", "2026-03-02", -3, "2026-03-02"},
	}
	for _, tt := range tests {
		got, err := days.Add(tt.from, tt.n)
		if err != nil || got != tt.want {
			t.Errorf("%s: Add(%s, %d) = %s, %v; want %s", tt.name, tt.from, tt.n, got, err, tt.want)
		}
		if tt.n > 0 {
			if back, err := days.Between(tt.from, got); err != nil || back != tt.n {
				t.Errorf("%s: Between(%s, %s) = %d, %v; want %d", tt.name, tt.from, got, back, err, tt.n)
			}
		}
	}
	// Without holidays, only weekends are skipped.
	if got, _ := (calendar.Days{}).Add("2026-04-02", 1); got != "2026-04-03" {
		t.Errorf("no holidays: Add over Good Friday = %s", got)
	}
	if _, err := days.Add("2 March 2026", 1); err == nil {
		t.Error("Add of a date not written YYYY-MM-DD: no error")
	}
}

func TestBetween(t *testing.T) {
	days := portaNova(t)
	tests := []struct {
		name, from, to string
		want           int
	}{
		{"the same day", "2026-03-04", "2026-03-04", 0},
		{"the next day", "2026-03-04", "2026-03-05", 1},
		{"Friday to Monday", "2026-03-06", "2026-03-09", 1},
		{"Friday to Sunday", "2026-03-06", "2026-03-08", 0},
		{"Saturday to Monday", "2026-03-07", "2026-03-09", 1},
		{"a whole week", "2026-03-02", "2026-03-09", 5},
		{"Thursday to Tuesday over Easter", "2026-04-02", "2026-04-07", 1},
		{"backwards", "2026-03-09", "2026-03-02", -5},
		{"backwards over a weekend only", "2026-03-08", "2026-03-06", 0},
		// 28, 29, 30, 31 December; 4, 5, 7, 8 January.
		{"over the year's end", "2026-12-24", "2027-01-08", 8},
	}
	for _, tt := range tests {
		got, err := days.Between(tt.from, tt.to)
		if err != nil || got != tt.want {
			t.Errorf("%s: Between(%s, %s) = %d, %v; want %d", tt.name, tt.from, tt.to, got, err, tt.want)
		}
	}
	for _, d := range []string{"2026-04-03", "2026-12-26", "2026-03-07"} {
		if days.Working(d) {
			t.Errorf("%s is a working day", d)
		}
	}
	if !days.Working("2026-04-07") {
		t.Error("the Tuesday after Easter is not a working day")
	}
}

// The demo's holidays are complete in every language, each a valid date
// of 2026 or 2027, none twice.
func TestDemo(t *testing.T) {
	hs, err := calendar.Demo()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	years := map[int]int{}
	for _, h := range hs {
		if seen[h.Date] {
			t.Errorf("%s twice", h.Date)
		}
		seen[h.Date] = true
		d, _ := calendar.ParseDate(h.Date)
		years[d.Year()]++
		for _, lang := range []string{"en", "es", "ca", "it", "fr"} {
			if h.Name[lang] == "" {
				t.Errorf("%s has no name in %s", h.Date, lang)
			}
		}
	}
	if years[2026] < 14 || years[2027] < 14 || len(years) != 2 {
		t.Errorf("holidays by year %v; want 2026 and 2027, at least 14 each", years)
	}
}

func TestStore(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		notifytest.AddPeople(t, db, 900)
		s := calendar.New(db, func() time.Time { return time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC) })
		demo, err := calendar.Demo()
		if err != nil {
			t.Fatal(err)
		}
		if n, err := s.Seed(ctx, demo); err != nil || n != len(demo) {
			t.Fatalf("seed: %d, %v; want %d", n, err, len(demo))
		}
		// Seeding again adds nothing and keeps what an administrator did.
		if err := s.Remove(ctx, "2026-02-16"); err != nil {
			t.Fatal(err)
		}
		if n, err := s.Seed(ctx, demo[:1]); err != nil || n != 0 {
			t.Errorf("seed again: %d, %v; want 0", n, err)
		}
		if err := s.Remove(ctx, "2026-02-16"); !errors.Is(err, calendar.ErrNotFound) {
			t.Errorf("removing a day that is none: %v, want ErrNotFound", err)
		}

		festa := calendar.Holiday{Date: "2026-05-11", Scope: calendar.ScopeLocal, Name: map[string]string{"en": "Fair day", "ca": "Dia de fira"}}
		if err := s.Add(ctx, festa, 900); err != nil {
			t.Fatal(err)
		}
		if err := s.Add(ctx, festa, 900); !errors.Is(err, calendar.ErrConflict) {
			t.Errorf("the same day twice: %v, want ErrConflict", err)
		}
		for _, bad := range []calendar.Holiday{
			{Date: "2026-13-01", Scope: calendar.ScopeLocal, Name: festa.Name},
			{Date: "2026-05-12", Scope: "municipal", Name: festa.Name},
			{Date: "2026-05-12", Scope: calendar.ScopeLocal, Name: map[string]string{"en": ""}},
		} {
			if err := s.Add(ctx, bad, 900); !errors.Is(err, calendar.ErrInvalid) {
				t.Errorf("%+v: %v, want ErrInvalid", bad, err)
			}
		}

		year, err := s.Year(ctx, 2026)
		if err != nil {
			t.Fatal(err)
		}
		var dates []string
		for _, h := range year {
			dates = append(dates, h.Date)
		}
		if len(year) != 16 || !slices.IsSorted(dates) || slices.Contains(dates, "2026-02-16") || !slices.Contains(dates, "2026-05-11") {
			t.Errorf("2026: %v", dates)
		}
		for _, h := range year {
			if h.Date == "2026-05-11" && (h.Scope != calendar.ScopeLocal || h.Name["ca"] != "Dia de fira") {
				t.Errorf("read back %+v", h)
			}
		}
		if name, lang := year[0].NameIn("fr", "en"); name != "Jour de l'An" || lang != "fr" {
			t.Errorf("name in French: %q %q", name, lang)
		}
		if name, lang := festa.NameIn("it", "en"); name != "Fair day" || lang != "en" {
			t.Errorf("name with no Italian: %q %q", name, lang)
		}

		// Days reads the list through a transaction or the database.
		var inTx calendar.Days
		err = db.Tx(ctx, func(tx *sql.Tx) error {
			inTx, err = s.Days(ctx, tx)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		outside, err := s.Days(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range []calendar.Days{inTx, outside} {
			if d.Working("2026-05-11") || d.Working("2027-12-08") || !d.Working("2026-02-16") {
				t.Errorf("working days do not follow the list")
			}
		}
	})
}
