package editorial

import (
	"context"
	"fmt"
	"strings"
	"time"

	"sportello/catalogue"
)

// AlertsTopic is the change feed's topic (store.DB.Notify, Listen) of
// service alerts: a store announces every change of them under it, so that
// every instance reloads the alerts it shows.
const AlertsTopic = "service_alerts"

// Where an alert shows.
const (
	ScopeSite    = "site"    // every page of the site
	ScopeTopic   = "topic"   // the topic's page and its services' pages
	ScopeService = "service" // the service's page and its online form
)

// How much an alert matters.
const (
	SeverityInfo    = "info"
	SeverityWarning = "warning"
)

// Alerts are the notices editors post on the whole site, a topic or a
// service ("Online payments are down until 18:00"). Each change is written
// to the audit log and announced under AlertsTopic with it.
type Alerts interface {
	// CurrentAlerts returns the alerts that have not ended at now, those
	// running and those to come, by start.
	CurrentAlerts(ctx context.Context, now time.Time) ([]Alert, error)
	// PastAlerts returns at most limit alerts ended at now, the latest
	// ended first.
	PastAlerts(ctx context.Context, now time.Time, limit int) ([]Alert, error)
	// Alert returns one alert, or catalogue.ErrNotFound.
	Alert(ctx context.Context, id int64) (Alert, error)
	// SaveAlert creates the alert (ID 0) or replaces it, and returns its
	// id; catalogue.ErrInvalid when Check fails, catalogue.ErrNotFound
	// when there is no alert ID to replace.
	SaveAlert(ctx context.Context, a Alert, actor string) (int64, error)
	// EndAlert ends a running or coming alert at: it shows no more. An
	// alert ended already is left as it is; catalogue.ErrNotFound when
	// there is none.
	EndAlert(ctx context.Context, id int64, at time.Time, actor string) error
	// DeleteAlert deletes an alert, or returns catalogue.ErrNotFound.
	DeleteAlert(ctx context.Context, id int64, actor string) error
}

// Alert is one service alert. Times are instants; the portal enters and
// shows them on the council's clock.
type Alert struct {
	ID       int64
	Scope    string // ScopeSite, ScopeTopic or ScopeService
	Target   string // the topic's or service's slug; "" for ScopeSite
	Text     catalogue.Text
	Link     string // where to read more: a path of the site or an https URL; may be ""
	Severity string // SeverityInfo or SeverityWarning
	StartsAt time.Time
	EndsAt   time.Time

	CreatedBy, UpdatedBy string
	CreatedAt, UpdatedAt time.Time
}

// MaxAlertText bounds each language's text of an alert: a banner is a
// sentence or two.
const MaxAlertText = 300

// Check says what makes a an alert that cannot be kept, wrapping
// catalogue.ErrInvalid; nil when it can. That the topic or service exists,
// and that the default language has a text, are for the caller to check:
// the store does not read the catalogue.
func (a Alert) Check() error {
	var probs []string
	switch a.Scope {
	case ScopeSite:
		if a.Target != "" {
			probs = append(probs, "a site-wide alert names no topic or service")
		}
	case ScopeTopic, ScopeService:
		if a.Target == "" {
			probs = append(probs, "an alert on a "+a.Scope+" names it")
		}
	default:
		probs = append(probs, fmt.Sprintf("scope %q is not site, topic or service", a.Scope))
	}
	if a.Severity != SeverityInfo && a.Severity != SeverityWarning {
		probs = append(probs, fmt.Sprintf("severity %q is not info or warning", a.Severity))
	}
	written := false
	for lang, s := range a.Text {
		written = written || strings.TrimSpace(s) != ""
		if n := len([]rune(s)); n > MaxAlertText {
			probs = append(probs, fmt.Sprintf("the text in %s is %d characters long, more than %d", lang, n, MaxAlertText))
		}
	}
	if !written {
		probs = append(probs, "an alert needs a text")
	}
	if a.StartsAt.IsZero() || a.EndsAt.IsZero() || !a.EndsAt.After(a.StartsAt) {
		probs = append(probs, "an alert ends after it starts")
	}
	if !ValidAlertLink(a.Link) {
		probs = append(probs, fmt.Sprintf("link %q is neither a path of the site nor an https URL", a.Link))
	}
	if len(probs) > 0 {
		return fmt.Errorf("%w: %s", catalogue.ErrInvalid, strings.Join(probs, "; "))
	}
	return nil
}

// ValidAlertLink reports whether link may be an alert's: empty, a path of
// the site ("/services/pay-council-tax"), or an https URL.
func ValidAlertLink(link string) bool {
	if link == "" {
		return true
	}
	if strings.ContainsAny(link, " \t\r\n\"<>\\") {
		return false
	}
	if strings.HasPrefix(link, "/") {
		return !strings.HasPrefix(link, "//")
	}
	rest, ok := strings.CutPrefix(link, "https://")
	return ok && rest != "" && !strings.HasPrefix(rest, "/")
}

// ActiveAt reports whether the alert shows at t: from its start, until its
// end.
func (a Alert) ActiveAt(t time.Time) bool {
	return !t.Before(a.StartsAt) && t.Before(a.EndsAt)
}

// Covers reports whether the alert shows on a page about topic and service
// (either may be ""): a site-wide alert on every page, a topic's on the
// topic's and its services' pages, a service's on the service's pages.
func (a Alert) Covers(topic, service string) bool {
	switch a.Scope {
	case ScopeSite:
		return true
	case ScopeTopic:
		return topic != "" && a.Target == topic
	case ScopeService:
		return service != "" && a.Target == service
	}
	return false
}
