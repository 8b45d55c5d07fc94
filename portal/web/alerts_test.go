package web

import (
	"context"
	"slices"
	"testing"
	"time"

	"sportello/catalogue"
	"sportello/editorial"
)

// alertSource is a store of alerts that answers from a slice, and counts
// how often it was read.
type alertSource struct {
	editorial.Alerts
	list  []editorial.Alert
	reads int
}

func (s *alertSource) CurrentAlerts(_ context.Context, now time.Time) ([]editorial.Alert, error) {
	s.reads++
	return slices.DeleteFunc(slices.Clone(s.list), func(a editorial.Alert) bool { return !a.EndsAt.After(now) }), nil
}

// Pages read the alerts from memory: those running, covering the page,
// warnings first and then the widest; a change shows after a reload.
func TestAlertsInMemory(t *testing.T) {
	now := time.Now()
	at := func(id int64, scope, target, severity string, from, to time.Duration) editorial.Alert {
		return editorial.Alert{ID: id, Scope: scope, Target: target, Severity: severity, Text: catalogue.Text{"en": "x"},
			StartsAt: now.Add(from), EndsAt: now.Add(to)}
	}
	src := &alertSource{list: []editorial.Alert{
		at(1, editorial.ScopeService, "pay-property-tax", editorial.SeverityInfo, -time.Hour, time.Hour),
		at(2, editorial.ScopeSite, "", editorial.SeverityInfo, -time.Hour, time.Hour),
		at(3, editorial.ScopeTopic, "local-taxes", editorial.SeverityWarning, -time.Hour, time.Hour),
		at(4, editorial.ScopeSite, "", editorial.SeverityWarning, time.Hour, 2*time.Hour),   // to come
		at(5, editorial.ScopeSite, "", editorial.SeverityWarning, -2*time.Hour, -time.Hour), // ended
	}}
	var none *Alerts
	if got := none.Active(now, "", ""); got != nil {
		t.Errorf("no alerts: %v", got)
	}
	a := NewAlerts(src)
	if err := a.Reload(context.Background()); err != nil {
		t.Fatal(err)
	}
	ids := func(as []editorial.Alert) []int64 {
		var out []int64
		for _, x := range as {
			out = append(out, x.ID)
		}
		return out
	}
	for _, c := range []struct {
		topic, service string
		want           []int64
	}{
		{"", "", []int64{2}},
		{"local-taxes", "", []int64{3, 2}},
		{"local-taxes", "pay-property-tax", []int64{3, 2, 1}},
		{"housing", "rent-assistance", []int64{2}},
	} {
		if got := ids(a.Active(now, c.topic, c.service)); !slices.Equal(got, c.want) {
			t.Errorf("page of %q, %q: %v, want %v", c.topic, c.service, got, c.want)
		}
	}
	if got := ids(a.Active(now.Add(90*time.Minute), "", "")); !slices.Equal(got, []int64{4}) {
		t.Errorf("in 90 minutes, without a reload: %v, want the one to come [4]", got)
	}
	if got := ids(a.Running(now)); !slices.Equal(got, []int64{3, 2, 1}) {
		t.Errorf("running: %v", got)
	}
	src.list = src.list[:1]
	if got := ids(a.Active(now, "", "")); !slices.Equal(got, []int64{2}) {
		t.Errorf("before the reload: %v", got)
	}
	if err := a.Reload(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := ids(a.Active(now, "local-taxes", "pay-property-tax")); !slices.Equal(got, []int64{1}) || src.reads != 2 {
		t.Errorf("after the reload: %v (%d reads)", got, src.reads)
	}
}

// An alert's text is in the reader's language, else the default one, else
// any, with the language used when it is not the reader's.
func TestAlertText(t *testing.T) {
	for _, c := range []struct {
		text             catalogue.Text
		lang, def        string
		want, wantFallbk string
	}{
		{catalogue.Text{"en": "Late", "es": "Tarde"}, "es", "en", "Tarde", ""},
		{catalogue.Text{"en": "Late", "es": "Tarde"}, "fr", "en", "Late", "en"},
		{catalogue.Text{"es": "Tarde"}, "fr", "ca", "Tarde", "es"},
		{catalogue.Text{"en": "Late"}, "en", "en", "Late", ""},
	} {
		got, fb := AlertText(c.text, c.lang, c.def)
		if got != c.want || fb != c.wantFallbk {
			t.Errorf("%v in %s (default %s) = %q, %q; want %q, %q", c.text, c.lang, c.def, got, fb, c.want, c.wantFallbk)
		}
	}
}
