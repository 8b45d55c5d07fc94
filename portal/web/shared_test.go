package web

import (
	"io/fs"
	"testing"
	"time"
)

// Dates and times are shown on the council's clock, not the server's.
func TestTimesInTheCouncilsTimeZone(t *testing.T) {
	madrid, err := time.LoadLocation("Europe/Madrid")
	if err != nil {
		t.Fatal(err)
	}
	s := &Shared{TimeZone: madrid, Site: testSite(t)}
	// 23:30 UTC on 31 January is 00:30 on 1 February in Madrid.
	at := time.Date(2026, 1, 31, 23, 30, 0, 0, time.UTC)
	if got, want := s.DateTime("en", at), "1 February 2026 00:30 CET"; got != want {
		t.Errorf("DateTime = %q, want %q", got, want)
	}
	for lang, want := range map[string]string{
		"es": "1 de febrero de 2026 0:30 CET",
		"ca": "1 de febrer de 2026 0:30 CET",
		"it": "1 febbraio 2026 0:30 CET",
		"fr": "1 février 2026 0\u00a0h\u00a030 CET",
	} {
		if got := s.DateTime(lang, at); got != want {
			t.Errorf("DateTime(%s) = %q, want %q", lang, got, want)
		}
	}
	s.TimeZone = time.UTC
	if got, want := s.DateTime("en", at), "31 January 2026 23:30 UTC"; got != want {
		t.Errorf("DateTime in UTC = %q, want %q", got, want)
	}
}

// testSite is a site with the real translations and no assets.
func testSite(t *testing.T) *Site {
	t.Helper()
	sub, err := fs.Sub(Locales, "locales")
	if err != nil {
		t.Fatal(err)
	}
	tr, err := NewTranslator(sub)
	if err != nil {
		t.Fatal(err)
	}
	return NewSite(tr, nil, "https://portanova.example", false)
}
