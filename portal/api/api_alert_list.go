package api

import (
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"sportello/catalogue"
	"sportello/editorial"
	"sportello/portal/web"
)

// apiAlert is one service alert showing now.
type apiAlert struct {
	ID       string `json:"id"`
	Scope    string `json:"scope"`             // site, topic or service
	Topic    string `json:"topic,omitempty"`   // the topic's slug, for a topic's alert
	Service  string `json:"service,omitempty"` // the service's slug, for a service's alert
	Severity string `json:"severity"`          // info or warning
	// Text is in Lang: the language asked for, else the catalogue's
	// default; Texts has every language written.
	Lang     string         `json:"lang"`
	Text     string         `json:"text"`
	Texts    catalogue.Text `json:"texts"`
	Link     string         `json:"link,omitempty"` // absolute
	StartsAt string         `json:"starts_at"`      // RFC 3339, on the council's clock
	EndsAt   string         `json:"ends_at"`
}

// AlertListBody is the answer of GET /api/v1/alerts.
type AlertListBody struct {
	Alerts []apiAlert `json:"alerts"`
}

// apiAlertList returns the alerts showing now: those on the pages of a
// service (?service=, with its topic's and the site's), of a topic
// (?topic=, with the site's), or all of them.
func (s *Handler) apiAlertList(c *fiber.Ctx) error {
	d := s.Directory()
	topic, service := c.Query("topic"), c.Query("service")
	all := topic == "" && service == ""
	if service != "" {
		sum, ok := d.ServiceOf[service]
		if !ok {
			return web.NewError(fiber.StatusBadRequest, "api.unknown_service", nil)
		}
		topic = sum.Topic
	} else if _, ok := d.TopicOf[topic]; topic != "" && !ok {
		return web.NewError(fiber.StatusBadRequest, "api.unknown_topic", nil)
	}
	active := s.Site.Alerts.Running(time.Now())
	if !all {
		active = s.Site.Alerts.Active(time.Now(), topic, service)
	}
	return c.JSON(AlertListBody{Alerts: s.apiAlerts(c, active)})
}

// apiAlerts writes alerts for the API in the request's language.
func (s *Handler) apiAlerts(c *fiber.Ctx, alerts []editorial.Alert) []apiAlert {
	lang, def := web.LangOf(c), s.Directory().DefaultLang
	out := make([]apiAlert, 0, len(alerts))
	for _, a := range alerts {
		x := apiAlert{
			ID: strconv.FormatInt(a.ID, 10), Scope: a.Scope, Severity: a.Severity, Texts: a.Text, Link: a.Link,
			StartsAt: a.StartsAt.In(s.TimeZone).Format(time.RFC3339), EndsAt: a.EndsAt.In(s.TimeZone).Format(time.RFC3339),
		}
		switch a.Scope {
		case editorial.ScopeTopic:
			x.Topic = a.Target
		case editorial.ScopeService:
			x.Service = a.Target
		}
		var fallback string
		x.Text, fallback = web.AlertText(a.Text, lang, def)
		x.Lang = lang
		if fallback != "" {
			x.Lang = fallback
		}
		if strings.HasPrefix(x.Link, "/") {
			x.Link = s.Absolute(x.Link)
		}
		out = append(out, x)
	}
	return out
}
