package editorial_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"sportello/catalogue"
	"sportello/editorial"
)

// What an alert must be to be kept, and where it shows.
func TestAlertCheckAndCover(t *testing.T) {
	start := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	ok := editorial.Alert{
		Scope: editorial.ScopeService, Target: "pay-council-tax", Severity: editorial.SeverityWarning,
		Text: catalogue.Text{"en": "Online payments are down until 18:00"}, StartsAt: start, EndsAt: start.Add(2 * time.Hour),
	}
	if err := ok.Check(); err != nil {
		t.Fatalf("a good alert: %v", err)
	}
	for name, spoil := range map[string]func(*editorial.Alert){
		"no scope":             func(a *editorial.Alert) { a.Scope = "" },
		"service without slug": func(a *editorial.Alert) { a.Target = "" },
		"site with a slug":     func(a *editorial.Alert) { a.Scope = editorial.ScopeSite },
		"severity":             func(a *editorial.Alert) { a.Severity = "panic" },
		"no text":              func(a *editorial.Alert) { a.Text = catalogue.Text{"en": "  "} },
		"long text": func(a *editorial.Alert) {
			a.Text = catalogue.Text{"en": strings.Repeat("é", editorial.MaxAlertText+1)}
		},
		"ends before start": func(a *editorial.Alert) { a.EndsAt = a.StartsAt.Add(-time.Minute) },
		"no end":            func(a *editorial.Alert) { a.EndsAt = time.Time{} },
		"script link":       func(a *editorial.Alert) { a.Link = "javascript:alert(1)" },
		"other host's path": func(a *editorial.Alert) { a.Link = "//evil.example/x" },
		"plain http":        func(a *editorial.Alert) { a.Link = "http://portanova.example/" },
	} {
		a := ok
		spoil(&a)
		if err := a.Check(); !errors.Is(err, catalogue.ErrInvalid) {
			t.Errorf("%s: Check() = %v, want ErrInvalid", name, err)
		}
	}
	for _, link := range []string{"", "/services/pay-council-tax", "https://portanova.example/news/payments?day=2"} {
		if !editorial.ValidAlertLink(link) {
			t.Errorf("link %q refused", link)
		}
	}
	if ok.ActiveAt(start.Add(-time.Second)) || !ok.ActiveAt(start) || !ok.ActiveAt(start.Add(119*time.Minute)) || ok.ActiveAt(start.Add(2*time.Hour)) {
		t.Error("an alert shows from its start until (not at) its end")
	}
	site, topic := ok, ok
	site.Scope, site.Target = editorial.ScopeSite, ""
	topic.Scope, topic.Target = editorial.ScopeTopic, "council-tax"
	for _, c := range []struct {
		a              editorial.Alert
		topic, service string
		want           bool
	}{
		{site, "", "", true},
		{topic, "council-tax", "", true},
		{topic, "council-tax", "pay-council-tax", true},
		{topic, "housing", "", false},
		{topic, "", "", false},
		{ok, "council-tax", "pay-council-tax", true},
		{ok, "council-tax", "", false},
		{ok, "council-tax", "council-tax-discount", false},
	} {
		if got := c.a.Covers(c.topic, c.service); got != c.want {
			t.Errorf("%s %s on a page of topic %q, service %q: %v, want %v", c.a.Scope, c.a.Target, c.topic, c.service, got, c.want)
		}
	}
}
