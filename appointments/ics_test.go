package appointments_test

import (
	"strings"
	"testing"
	"time"

	"sportello/appointments"
)

func TestICS(t *testing.T) {
	a := &appointments.Appointment{ID: 42, Start: at("2026-03-03", 9, 15), Minutes: 15, Moves: 2, Status: appointments.Booked,
		Updated: time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)}
	long := strings.Repeat("é", 60)
	got := string(appointments.ICS(a, appointments.Event{Host: "portanova.example", Summary: "Citizen Desk; help, please",
		Location: "Citizen Desk, Plaça Major 1", Description: long + "\nline two", URL: "https://portanova.example/x"}))
	for _, want := range []string{
		"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n", "UID:appointment-42@portanova.example\r\n",
		"DTSTART:20260303T081500Z\r\n", "DTEND:20260303T083000Z\r\n", "DTSTAMP:20260301T100000Z\r\n", "SEQUENCE:2\r\n",
		"STATUS:CONFIRMED\r\n", `SUMMARY:Citizen Desk\; help\, please`, `LOCATION:Citizen Desk\, Plaça Major 1`, "END:VCALENDAR\r\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("calendar lacks %q:\n%s", want, got)
		}
	}
	for _, line := range strings.Split(strings.TrimSuffix(got, "\r\n"), "\r\n") {
		if len(line) > 75 {
			t.Errorf("line of %d octets: %q", len(line), line)
		}
	}
	if unfolded := strings.ReplaceAll(got, "\r\n ", ""); !strings.Contains(unfolded, "DESCRIPTION:"+long+`\nline two`) {
		t.Errorf("the description does not unfold to what was written:\n%s", unfolded)
	}
	a.Status = appointments.Cancelled
	if got := string(appointments.ICS(a, appointments.Event{Host: "h"})); !strings.Contains(got, "STATUS:CANCELLED") || strings.Contains(got, "VALARM") {
		t.Errorf("cancelled:\n%s", got)
	}
}
