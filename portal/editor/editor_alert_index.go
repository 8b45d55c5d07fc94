package editor

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"sportello/catalogue"
	"sportello/editorial"
	"sportello/portal/web"
)

// alertDesk is the service alerts' part of the back office: the list,
// the form, ending and deleting (editor_alert_*.go).
type alertDesk struct{ *Handler }

// alertIndexPage is templates/editor/alerts.html: the alerts showing now,
// those to come, and the latest that ended.
type alertIndexPage struct {
	editorPage
	Tables   []alertTable
	TimeZone string
}

// alertTable is one list of alerts: running, coming or past.
type alertTable struct {
	ID, Heading, Empty string // Heading and Empty translated
	Rows               []alertRow
	CanEnd             bool
}

// alertRow is one alert in the editor's list.
type alertRow struct {
	ID                 int64
	EditURL            string
	Where, WhereURL    string
	Text, TextLang     string // in the page's language, else as residents would read it
	Severity, Level    string // Level translated
	Starts, Ends       string
	Missing            []string // languages without a text, by name
	UpdatedBy, Updated string
}

// pastAlertRows bounds the ended alerts listed.
const pastAlertRows = 50

// alertsURL is the list of alerts.
const alertsURL = "/editor/alerts"

// alertURL is the editor's page of one alert.
func alertURL(id int64) string { return alertsURL + "/" + strconv.FormatInt(id, 10) }

func (s *alertDesk) alertIndex(c *fiber.Ctx) error {
	ctx := c.UserContext()
	now := time.Now()
	cur, err := s.ed.db.CurrentAlerts(ctx, now)
	if err != nil {
		return err
	}
	past, err := s.ed.db.PastAlerts(ctx, now, pastAlertRows)
	if err != nil {
		return err
	}
	p := alertIndexPage{editorPage: s.newEditorPage(c, "editor.alerts.title", alertsURL), TimeZone: s.TimeZone.String()}
	running := alertTable{ID: "alerts-running", Heading: web.T(c, "editor.alerts.running"), Empty: web.T(c, "editor.alerts.none_running"), CanEnd: true}
	coming := alertTable{ID: "alerts-coming", Heading: web.T(c, "editor.alerts.coming"), Empty: web.T(c, "editor.alerts.none_coming"), CanEnd: true}
	ended := alertTable{ID: "alerts-past", Heading: web.T(c, "editor.alerts.past"), Empty: web.T(c, "editor.alerts.none_past")}
	for _, a := range cur {
		if a.ActiveAt(now) {
			running.Rows = append(running.Rows, s.alertRow(c, a))
		} else {
			coming.Rows = append(coming.Rows, s.alertRow(c, a))
		}
	}
	for _, a := range past {
		ended.Rows = append(ended.Rows, s.alertRow(c, a))
	}
	p.Tables = []alertTable{running, coming, ended}
	return web.Render(c, "editor/alerts", p)
}

func (s *alertDesk) alertRow(c *fiber.Ctx, a editorial.Alert) alertRow {
	d := s.Directory()
	lang := web.LangOf(c)
	r := alertRow{
		ID: a.ID, EditURL: alertURL(a.ID), Severity: a.Severity, Level: web.T(c, "editor.alerts.severity."+a.Severity),
		Starts: s.at(c, a.StartsAt), Ends: s.at(c, a.EndsAt), UpdatedBy: a.UpdatedBy, Updated: s.at(c, a.UpdatedAt),
	}
	r.Where, r.WhereURL = s.alertWhere(c, d, a.Scope, a.Target)
	r.Text, r.TextLang = web.AlertText(a.Text, lang, d.DefaultLang)
	for _, l := range alertLangs(d) {
		if a.Text[l] == "" {
			r.Missing = append(r.Missing, web.T(c, web.LanguageKey(l)))
		}
	}
	return r
}

// alertWhere names where an alert shows, with a link to the page.
func (s *alertDesk) alertWhere(c *fiber.Ctx, d *web.Directory, scope, target string) (string, string) {
	lang := web.LangOf(c)
	switch scope {
	case editorial.ScopeTopic:
		if t, ok := d.TopicOf[target]; ok {
			title, _ := t.Title.In(lang, d.DefaultLang)
			return web.T(c, "editor.alerts.on_topic", "Title", title), web.TopicURL(target)
		}
	case editorial.ScopeService:
		if sum, ok := d.ServiceOf[target]; ok {
			title, _ := sum.Title.In(lang, d.DefaultLang)
			return web.T(c, "editor.alerts.on_service", "Title", title), web.ServiceURL(target)
		}
	case editorial.ScopeSite:
		return web.T(c, "editor.alerts.on_site"), "/"
	}
	return web.T(c, "editor.alerts.on_missing", "Slug", target), ""
}

// alertLangs are the languages an alert is written in: the catalogue's
// default first, then the site's others.
func alertLangs(d *web.Directory) []string {
	out := []string{d.DefaultLang}
	for _, l := range catalogue.Languages {
		if l != d.DefaultLang {
			out = append(out, l)
		}
	}
	return out
}
