package appointments

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Event is what a calendar file says of an appointment, in the reader's
// language: the portal words it.
type Event struct {
	Host        string // the site's host, which makes the UID unique
	Summary     string // the service
	Location    string // the office's name and address
	Description string // what to bring, the link to manage it
	URL         string
}

// ICS writes a as an iCalendar file (RFC 5545) of one event: its UID stays
// the same when it is moved (SEQUENCE counts the moves) or cancelled
// (STATUS:CANCELLED), so a calendar that imported it updates it rather than
// adding another. Times are in UTC.
func ICS(a *Appointment, e Event) []byte {
	const stamp = "20060102T150405Z"
	status := "CONFIRMED"
	if a.Status == Cancelled {
		status = "CANCELLED"
	}
	lines := []string{
		"BEGIN:VCALENDAR",
		"VERSION:2.0",
		"PRODID:-//Sportello//Appointments//EN",
		"CALSCALE:GREGORIAN",
		"METHOD:PUBLISH",
		"BEGIN:VEVENT",
		"UID:appointment-" + strconv.FormatInt(a.ID, 10) + "@" + e.Host,
		"DTSTAMP:" + a.Updated.UTC().Format(stamp),
		"DTSTART:" + a.Start.UTC().Format(stamp),
		"DTEND:" + a.End().UTC().Format(stamp),
		"SEQUENCE:" + strconv.Itoa(a.Moves),
		"STATUS:" + status,
		"SUMMARY:" + icsText(e.Summary),
		"LOCATION:" + icsText(e.Location),
	}
	if e.Description != "" {
		lines = append(lines, "DESCRIPTION:"+icsText(e.Description))
	}
	if e.URL != "" {
		lines = append(lines, "URL:"+e.URL)
	}
	if a.Status != Cancelled {
		// A reminder the evening before is the council's mail; the
		// calendar's own is an hour before.
		lines = append(lines, "BEGIN:VALARM", "ACTION:DISPLAY", "TRIGGER:-PT1H", "DESCRIPTION:"+icsText(e.Summary), "END:VALARM")
	}
	lines = append(lines, "END:VEVENT", "END:VCALENDAR")
	var b strings.Builder
	for _, l := range lines {
		fold(&b, l)
	}
	return []byte(b.String())
}

// icsText escapes a TEXT value: backslash, semicolon, comma and newlines.
func icsText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	r := strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\n", `\n`, "\r", "")
	return r.Replace(s)
}

// fold writes a content line folded at 75 octets, never inside a UTF-8
// character, each line ended by CRLF.
func fold(b *strings.Builder, line string) {
	limit := 75
	for len(line) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(line[cut]) {
			cut--
		}
		b.WriteString(line[:cut])
		b.WriteString("\r\n ")
		line = line[cut:]
		limit = 74 // the leading space counts
	}
	b.WriteString(line)
	b.WriteString("\r\n")
}
