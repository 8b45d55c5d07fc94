package web

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gofiber/fiber/v2"

	"sportello/catalogue"
	"sportello/editorial"
)

// Alerts keeps in memory the service alerts that had not ended when they
// were last loaded, so that every page can show those running without a
// database read. Whether one runs is decided per request, so an alert
// starts and ends on time without a reload; what needs one is a change,
// which the instance making it reloads at once and the others when the
// change feed announces editorial.AlertsTopic (docs/adr/0017).
type Alerts struct {
	src editorial.Alerts
	// mu makes loads take turns, so that the one stored last is the one
	// that read last.
	mu   sync.Mutex
	list atomic.Pointer[[]editorial.Alert]
}

// NewAlerts returns the alerts of src, none until the first Reload.
func NewAlerts(src editorial.Alerts) *Alerts {
	return &Alerts{src: src}
}

// Reload reads the alerts again.
func (a *Alerts) Reload(ctx context.Context) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	list, err := a.src.CurrentAlerts(ctx, time.Now())
	if err != nil {
		return fmt.Errorf("portal: loading the service alerts: %w", err)
	}
	a.list.Store(&list)
	return nil
}

// Active returns the alerts running at now that cover a page about topic
// and service (either may be ""), in the order Running gives. A nil
// *Alerts has none.
func (a *Alerts) Active(now time.Time, topic, service string) []editorial.Alert {
	return a.running(now, func(al editorial.Alert) bool { return al.Covers(topic, service) })
}

// Running returns every alert running at now, wherever it shows: warnings
// first, then the widest, then the earliest. A nil *Alerts has none.
func (a *Alerts) Running(now time.Time) []editorial.Alert {
	return a.running(now, func(editorial.Alert) bool { return true })
}

func (a *Alerts) running(now time.Time, keep func(editorial.Alert) bool) []editorial.Alert {
	if a == nil {
		return nil
	}
	list := a.list.Load()
	if list == nil {
		return nil
	}
	var out []editorial.Alert
	for _, al := range *list {
		if al.ActiveAt(now) && keep(al) {
			out = append(out, al)
		}
	}
	slices.SortStableFunc(out, func(x, y editorial.Alert) int {
		return cmp.Or(
			cmp.Compare(severityOrder(x.Severity), severityOrder(y.Severity)),
			cmp.Compare(scopeOrder(x.Scope), scopeOrder(y.Scope)),
		)
	})
	return out
}

func severityOrder(s string) int {
	if s == editorial.SeverityWarning {
		return 0
	}
	return 1
}

func scopeOrder(s string) int {
	return slices.Index([]string{editorial.ScopeSite, editorial.ScopeTopic, editorial.ScopeService}, s)
}

// AlertBanner is one alert as a page shows it, in the page's language.
type AlertBanner struct {
	Severity string // editorial.SeverityInfo or SeverityWarning
	Text     string
	// Lang is the language Text is in when the alert has no text in the
	// page's language ("" when it has): the banner says so and marks it.
	Lang string
	Link string
}

// LangNameKey is the message naming the banner's fallback language in the
// page's language.
func (b AlertBanner) LangNameKey() string { return LanguageKey(b.Lang) }

// AlertText picks an alert's text in lang, else in the catalogue's default
// language, else in any; the second result is the language used when it
// is not lang.
func AlertText(t catalogue.Text, lang, defaultLang string) (string, string) {
	if s := t[lang]; s != "" {
		return s, ""
	}
	for _, l := range append([]string{defaultLang}, catalogue.Languages...) {
		if s := t[l]; s != "" {
			return s, l
		}
	}
	return "", ""
}

// AlertsFor returns the banners of the alerts running now that cover a
// page about topic and service (either may be ""), in the request's
// language. NewPage gives every page the site-wide ones; a page about a
// topic or a service asks again with its slugs.
func AlertsFor(c *fiber.Ctx, topic, service string) []AlertBanner {
	site := SiteOf(c)
	if site == nil {
		return nil
	}
	active := site.Alerts.Active(time.Now(), topic, service)
	if len(active) == 0 {
		return nil
	}
	lang, def := LangOf(c), site.Authority().DefaultLanguage
	out := make([]AlertBanner, 0, len(active))
	for _, a := range active {
		b := AlertBanner{Severity: a.Severity, Link: a.Link}
		b.Text, b.Lang = AlertText(a.Text, lang, def)
		out = append(out, b)
	}
	return out
}
