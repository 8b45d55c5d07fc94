package editor

import (
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"sportello/catalogue"
	"sportello/editorial"
	"sportello/portal/web"
)

// alertFormPage is templates/editor/alert_form.html: one alert, new or
// changed, with the problems of the last try.
type alertFormPage struct {
	editorPage
	Heading   string
	Action    string // where the form posts
	ID        int64  // 0 for a new alert
	Form      alertForm
	Texts     []alertTextField
	Topics    []edOption
	Services  []edOption // the datalist of service slugs
	TimeZone  string
	Example   string // a date and time as the fields take it
	Problems  []web.FormProblem
	Errors    map[string]string // control id -> message
	Running   bool              // the alert shows now: it can be ended
	MaxText   int
	CreatedBy string
	Created   string
	UpdatedBy string
	Updated   string
}

// alertForm is what the form holds, as typed.
type alertForm struct {
	Scope, Topic, Service string
	Severity              string
	Link                  string
	Starts, Ends          string
	Text                  map[string]string
}

// alertTextField is the control of the alert's text in one language.
type alertTextField struct {
	ID, Name, Lang, Label, Value string
	Default                      bool   // the catalogue's default language: required
	Missing                      bool   // another language, left empty
	FallbackHint                 string // what residents reading it see when it is empty
	Error                        string
}

// alertInputLayout is how the date and time fields write an instant on
// the council's clock (HTML's datetime-local).
const alertInputLayout = "2006-01-02T15:04"

// alertInputLayouts are what the fields accept: the browser's own, and
// what someone types where the browser shows a plain text box.
var alertInputLayouts = []string{alertInputLayout, "2006-01-02T15:04:05", "2006-01-02 15:04", "2006-01-02 15.04"}

func (s *alertDesk) alertNew(c *fiber.Ctx) error {
	start := time.Now().In(s.TimeZone).Truncate(time.Minute)
	f := alertForm{Scope: editorial.ScopeSite, Severity: editorial.SeverityInfo, Starts: start.Format(alertInputLayout)}
	return s.renderAlertForm(c, fiber.StatusOK, 0, f, nil, nil)
}

func (s *alertDesk) alertEdit(c *fiber.Ctx) error {
	a, err := s.alertOf(c)
	if err != nil {
		return err
	}
	f := alertForm{
		Scope: a.Scope, Severity: a.Severity, Link: a.Link, Text: a.Text,
		Starts: a.StartsAt.In(s.TimeZone).Format(alertInputLayout), Ends: a.EndsAt.In(s.TimeZone).Format(alertInputLayout),
	}
	switch a.Scope {
	case editorial.ScopeTopic:
		f.Topic = a.Target
	case editorial.ScopeService:
		f.Service = a.Target
	}
	return s.renderAlertForm(c, fiber.StatusOK, a.ID, f, &a, nil)
}

// alertOf reads the alert the URL names; a 404 when there is none.
func (s *alertDesk) alertOf(c *fiber.Ctx) (editorial.Alert, error) {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil {
		return editorial.Alert{}, fiber.ErrNotFound
	}
	return s.ed.db.Alert(c.UserContext(), id)
}

func (s *alertDesk) alertCreate(c *fiber.Ctx) error { return s.alertSubmit(c, nil) }

func (s *alertDesk) alertSave(c *fiber.Ctx) error {
	a, err := s.alertOf(c)
	if err != nil {
		return err
	}
	return s.alertSubmit(c, &a)
}

// alertSubmit checks the form and saves the alert, new (old nil) or
// changed; the form comes back with every problem at once.
func (s *alertDesk) alertSubmit(c *fiber.Ctx, old *editorial.Alert) error {
	f := alertForm{
		Scope: c.FormValue("scope"), Topic: c.FormValue("topic"), Service: strings.TrimSpace(c.FormValue("service")),
		Severity: c.FormValue("severity"), Link: strings.TrimSpace(c.FormValue("link")),
		Starts: strings.TrimSpace(c.FormValue("starts_at")), Ends: strings.TrimSpace(c.FormValue("ends_at")),
		Text: map[string]string{},
	}
	for _, l := range catalogue.Languages {
		if t := strings.TrimSpace(c.FormValue("text." + l)); t != "" {
			f.Text[l] = t
		}
	}
	a, errs := s.checkAlert(c, f, old == nil)
	var id int64
	if old != nil {
		id, a.ID = old.ID, old.ID
	}
	if len(errs) > 0 {
		return s.renderAlertForm(c, fiber.StatusUnprocessableEntity, id, f, old, errs)
	}
	id, err := s.ed.db.SaveAlert(c.UserContext(), a, actor(c))
	if err != nil {
		return err
	}
	if err := s.reloadAlerts(c); err != nil {
		return err
	}
	done := "alert_saved"
	if old == nil {
		done = "alert_created"
	}
	return redirectDone(c, alertURL(id), done, 0)
}

// reloadAlerts gives this instance's pages the alerts as saved, at once;
// the others follow the change feed.
func (s *alertDesk) reloadAlerts(c *fiber.Ctx) error {
	if s.Site.Alerts == nil {
		return nil
	}
	return s.Site.Alerts.Reload(c.UserContext())
}

// alertProblem is one problem of the form: the control's id and the
// message key with its values.
type alertProblem struct {
	id, key string
	args    []any
}

// checkAlert turns the form into an alert, or says what to put right, in
// the order of the form. A new alert may not have ended already.
func (s *alertDesk) checkAlert(c *fiber.Ctx, f alertForm, isNew bool) (editorial.Alert, []alertProblem) {
	d := s.Directory()
	var errs []alertProblem
	a := editorial.Alert{Scope: f.Scope, Severity: f.Severity, Link: f.Link, Text: catalogue.Text{}}
	switch f.Scope {
	case editorial.ScopeSite:
	case editorial.ScopeTopic:
		a.Target = f.Topic
		if _, ok := d.TopicOf[f.Topic]; !ok {
			errs = append(errs, alertProblem{"alert-topic", "editor.alerts.error_topic", nil})
		}
	case editorial.ScopeService:
		a.Target = f.Service
		if f.Service == "" {
			errs = append(errs, alertProblem{"alert-service", "editor.alerts.error_service_empty", nil})
		} else if _, ok := d.ServiceOf[f.Service]; !ok {
			errs = append(errs, alertProblem{"alert-service", "editor.alerts.error_service", []any{"Slug", f.Service}})
		}
	default:
		errs = append(errs, alertProblem{"alert-scope-site", "editor.alerts.error_scope", nil})
	}
	for _, l := range alertLangs(d) {
		t := f.Text[l]
		switch {
		case t == "" && l == d.DefaultLang:
			errs = append(errs, alertProblem{alertTextID(l), "editor.alerts.error_text_default", []any{"Lang", web.T(c, web.LanguageKey(l))}})
		case len([]rune(t)) > editorial.MaxAlertText:
			errs = append(errs, alertProblem{alertTextID(l), "editor.alerts.error_text_long", []any{"Lang", web.T(c, web.LanguageKey(l)), "Max", editorial.MaxAlertText}})
		}
		if t != "" {
			a.Text[l] = t
		}
	}
	if f.Severity != editorial.SeverityInfo && f.Severity != editorial.SeverityWarning {
		errs = append(errs, alertProblem{"alert-severity-info", "editor.alerts.error_severity", nil})
	}
	example := s.alertExample()
	var startOK, endOK bool
	if a.StartsAt, startOK = s.parseAlertTime(f.Starts); !startOK {
		errs = append(errs, alertProblem{"alert-starts", "editor.alerts.error_starts", []any{"Example", example}})
	}
	if a.EndsAt, endOK = s.parseAlertTime(f.Ends); !endOK {
		errs = append(errs, alertProblem{"alert-ends", "editor.alerts.error_ends", []any{"Example", example}})
	}
	switch {
	case startOK && endOK && !a.EndsAt.After(a.StartsAt):
		errs = append(errs, alertProblem{"alert-ends", "editor.alerts.error_order", nil})
	case endOK && isNew && !a.EndsAt.After(time.Now()):
		errs = append(errs, alertProblem{"alert-ends", "editor.alerts.error_ended", nil})
	}
	if !editorial.ValidAlertLink(f.Link) {
		errs = append(errs, alertProblem{"alert-link", "editor.alerts.error_link", nil})
	}
	return a, errs
}

// parseAlertTime reads a date and time typed on the council's clock.
func (s *alertDesk) parseAlertTime(v string) (time.Time, bool) {
	for _, layout := range alertInputLayouts {
		if t, err := time.ParseInLocation(layout, v, s.TimeZone); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// alertExample is tomorrow at nine as the date and time fields take it.
func (s *alertDesk) alertExample() string {
	t := s.Today().AddDate(0, 0, 1)
	return time.Date(t.Year(), t.Month(), t.Day(), 9, 0, 0, 0, time.UTC).Format("2006-01-02 15:04")
}

func alertTextID(lang string) string { return "alert-text-" + lang }

func (s *alertDesk) renderAlertForm(c *fiber.Ctx, status int, id int64, f alertForm, old *editorial.Alert, errs []alertProblem) error {
	d := s.Directory()
	lang := web.LangOf(c)
	p := alertFormPage{
		editorPage: s.newEditorPage(c, "editor.alerts.new", alertsURL),
		Heading:    web.T(c, "editor.alerts.new"), Action: alertsURL + "/new",
		ID: id, Form: f, TimeZone: s.TimeZone.String(), Example: s.alertExample(),
		Errors: map[string]string{}, MaxText: editorial.MaxAlertText,
	}
	if old != nil {
		p.Title = web.T(c, "editor.alerts.edit")
		p.Heading, p.Action = p.Title, alertURL(old.ID)
		p.Running = old.ActiveAt(time.Now())
		p.CreatedBy, p.Created, p.UpdatedBy, p.Updated = old.CreatedBy, s.at(c, old.CreatedAt), old.UpdatedBy, s.at(c, old.UpdatedAt)
	}
	for _, e := range errs {
		msg := web.T(c, e.key, e.args...)
		p.Problems = append(p.Problems, web.FormProblem{ID: e.id, Message: msg})
		if p.Errors[e.id] == "" {
			p.Errors[e.id] = msg
		}
	}
	if len(errs) > 0 {
		p.Title = web.T(c, "editor.alerts.error_title_prefix") + " " + p.Title
	}
	defName := web.T(c, web.LanguageKey(d.DefaultLang))
	for _, l := range alertLangs(d) {
		name := web.T(c, web.LanguageKey(l))
		tf := alertTextField{
			ID: alertTextID(l), Name: "text." + l, Lang: l, Value: f.Text[l], Default: l == d.DefaultLang,
			Label: web.T(c, "editor.alerts.text_in", "Lang", name), Error: p.Errors[alertTextID(l)],
		}
		if !tf.Default {
			tf.Missing = tf.Value == ""
			tf.FallbackHint = web.T(c, "editor.alerts.text_fallback", "Lang", name, "Default", defName)
		}
		p.Texts = append(p.Texts, tf)
	}
	p.Topics = []edOption{{Value: "", Label: web.T(c, "editor.alerts.choose_topic")}}
	for _, t := range d.Topics {
		title, _ := t.Title.In(lang, d.DefaultLang)
		p.Topics = append(p.Topics, edOption{Value: t.Slug, Label: title, Selected: t.Slug == f.Topic})
	}
	for i := range d.Services {
		sum := &d.Services[i]
		title, _ := sum.Title.In(lang, d.DefaultLang)
		p.Services = append(p.Services, edOption{Value: sum.Slug, Label: title})
	}
	c.Status(status)
	return web.Render(c, "editor/alert_form", p)
}
