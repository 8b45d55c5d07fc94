package catalogue

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// Each case breaks the demo's bookable Citizen Desk service or its office
// and expects these problems, each a path and the start of its message.
func TestValidateBooking(t *testing.T) {
	c := demo(t)
	si, di := -1, -1
	for i, s := range c.Services {
		if s.Slug == "book-an-appointment-citizen-desk" {
			si = i
		}
	}
	for i, d := range c.Departments {
		if d.Slug == "citizen-services" {
			di = i
		}
	}
	if si < 0 || di < 0 || c.Services[si].Booking == nil || c.Departments[di].Counters != 3 {
		t.Fatal("the demo's Citizen Desk is not bookable at citizen-services with three counters")
	}
	svc, dep := fmt.Sprintf("services[%d].booking", si), fmt.Sprintf("departments[%d]", di)
	tests := []struct {
		name   string
		break_ func(s *Service, d *Department)
		want   []Problem
	}{
		{"duration off the grid and too far ahead", func(s *Service, _ *Department) {
			s.Booking.DurationMinutes, s.Booking.MaxDaysAhead = 17, 400
		}, []Problem{
			{svc + ".duration_minutes", 0, "must be a multiple of 5 minutes, not 17"},
			{svc + ".max_days_ahead", 0, "must be how many days ahead a time may be booked, 1 to 366, not 400"},
		}},
		{"no duration", func(s *Service, _ *Department) { s.Booking.DurationMinutes = 0 },
			[]Problem{{svc + ".duration_minutes", 0, "must be how long an appointment takes, 5 to 480 minutes, not 0"}}},
		{"unknown and repeated office", func(s *Service, _ *Department) {
			s.Booking.Offices = []string{"town-hall", "citizen-services", "citizen-services"}
		}, []Problem{
			{svc + ".offices[0]", 0, `"town-hall" is not`},
			{svc + ".offices[2]", 0, `"citizen-services" is listed twice; list it once`},
		}},
		{"no office", func(s *Service, _ *Department) { s.Booking.Offices = nil },
			[]Problem{{svc + ".offices", 0, "must list at least one department slug"}}},
		{"hours not read", func(s *Service, _ *Department) { s.Booking.Hours = "mornings" },
			[]Problem{{svc + ".hours", 0, `"mornings" is not opening hours this version reads`}}},
		{"an office without hours", func(_ *Service, d *Department) { d.OpeningHours = "" },
			[]Problem{{svc + ".offices[0]", 0, `the department "citizen-services" has no opening_hours to book in`}}},
		{"a bring list without its default language", func(s *Service, _ *Department) { delete(s.Booking.Bring, "en") },
			[]Problem{{svc + ".bring.en", 0, "is missing"}}},
		{"paid on application", func(s *Service, _ *Department) {
			s.Fee = &Fee{Amount: 500, Currency: "EUR", When: FeeOnApplication}
			a := AssuranceLow
			s.Assurance = &a
		}, []Problem{{svc, 0, "a service paid on application cannot be booked yet"}}},
		{"counters and closures", func(_ *Service, d *Department) {
			d.Counters = 51
			d.Closures = append(d.Closures, Closure{From: "2026-08-10", To: "2026-08-01"}, Closure{From: "10/08/2026", To: "2026-08-12"})
		}, []Problem{
			{dep + ".counters", 0, "must be the number of counters that serve appointments, 1 to 50"},
			{dep + ".closures[1].to", 0, "2026-08-01 is before from (2026-08-10)"},
			{dep + ".closures[2].from", 0, `"10/08/2026" is not a date`},
		}},
		{"office hours not read", func(_ *Service, d *Department) { d.OpeningHours = "by appointment" },
			[]Problem{{dep + ".opening_hours", 0, `"by appointment" is not opening hours this version reads`}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := demo(t)
			tt.break_(&c.Services[si], &c.Departments[di])
			var ve *ValidationError
			if err := Validate(c); !errors.As(err, &ve) {
				t.Fatalf("Validate = %v, want a *ValidationError", err)
			}
			if len(ve.Problems) != len(tt.want) {
				t.Fatalf("problems:\n%s\nwant %d", ve, len(tt.want))
			}
			for i, p := range ve.Problems {
				if p.Path != tt.want[i].Path || !strings.HasPrefix(p.Message, tt.want[i].Message) {
					t.Errorf("problem %d:\n%s\nwant:\n%s…", i, p, tt.want[i])
				}
			}
		})
	}
}

func TestClosureCovers(t *testing.T) {
	c := Closure{From: "2026-08-10", To: "2026-08-14"}
	for date, want := range map[string]bool{"2026-08-09": false, "2026-08-10": true, "2026-08-14": true, "2026-08-15": false} {
		if c.Covers(date) != want {
			t.Errorf("Covers(%s) = %v", date, !want)
		}
	}
}
