package counter

import (
	"cmp"
	"slices"
	"time"

	"github.com/gofiber/fiber/v2"

	"sportello/applications"
	"sportello/assist"
	"sportello/catalogue"
	"sportello/portal/apply"
	"sportello/portal/pay"
	"sportello/portal/web"
)

// visitPage is templates/counter/visit.html's data: the resident the
// member of staff is helping, why, what was sent for them, and what staff
// did for them.
type visitPage struct {
	web.Page
	Visit        visitView
	Notice       string // translation key of what just happened
	Services     []serviceOption
	ServiceError string
	StartURL     string
	Applications []visitApplication
	ActedFor     []LogRow
}

type visitView struct {
	ID         int64
	Name       string
	BirthDate  string
	NationalID string
	Email      string
	Lang       string // the language's name
	SignedIn   bool
	Reason     string
	Started    string
}

type serviceOption struct {
	Value, Label, Lang string
}

// visitApplication is an application sent at the counter for the resident.
type visitApplication struct {
	Reference  string
	Service    web.Localised
	Status     string // translation key
	Sent       string
	Due        string // what is owed now, "" when nothing
	PaymentURL string
	LinkURL    string // where "Email a payment link" posts; "" without an address
}

// LogRow is one action of the counter's log, as the counter.log template
// shows it.
type LogRow struct {
	When      string
	At        string
	Staff     string
	Action    string // translation key
	Reason    string
	Reference string
}

// visitShow shows a visit: GET /staff/assist/visits/{visit}.
func (s *Handler) visitShow(c *fiber.Ctx) error {
	v, err := s.visitOf(c)
	if err != nil {
		return err
	}
	page, err := s.visitPage(c, v)
	if err != nil {
		return err
	}
	switch done := c.Query("done"); done {
	case "recorded", "paid", "flagged", "link_sent":
		page.Notice = "assist.notice." + done
	}
	return web.Render(c, "counter/visit", page)
}

// visitStartForm goes to the form of the service chosen: GET
// /staff/assist/visits/{visit}/start?service=.
func (s *Handler) visitStartForm(c *fiber.Ctx) error {
	v, err := s.visitOf(c)
	if err != nil {
		return err
	}
	slug := c.Query("service")
	if sum, ok := s.Directory().ServiceOf[slug]; ok && sum.Online {
		return c.Redirect(apply.CounterFormURL(VisitURL(v.ID), slug), fiber.StatusSeeOther)
	}
	page, err := s.visitPage(c, v)
	if err != nil {
		return err
	}
	page.ServiceError = web.T(c, "assist.error.no_service")
	page.Title = web.T(c, "apply.error_title_prefix") + " " + page.Title
	c.Status(fiber.StatusUnprocessableEntity)
	return web.Render(c, "counter/visit", page)
}

func (s *Handler) visitPage(c *fiber.Ctx, v assist.Visit) (visitPage, error) {
	ctx := c.UserContext()
	p := web.NewPage(c, "")
	p.Title = web.T(c, "assist.visit.title", "Name", v.Resident.Name)
	lang := p.Lang
	page := visitPage{Page: p, StartURL: VisitURL(v.ID) + "/start", Visit: visitView{
		ID: v.ID, Name: v.Resident.Name, NationalID: v.Resident.NationalID, Email: v.Resident.Email,
		Lang: web.LanguageName(cmp.Or(v.Resident.Lang, lang)), SignedIn: v.Resident.PersonID != 0,
		Reason: v.Reason, Started: s.DateTime(lang, v.StartedAt),
	}}
	if v.Resident.BirthDate != "" {
		page.Visit.BirthDate = s.ISODate(lang, v.Resident.BirthDate)
	}
	d := s.Directory()
	for _, sum := range d.InLang(lang, servicesOnline(d)) {
		title, fb := d.Text(sum.Title, lang)
		page.Services = append(page.Services, serviceOption{Value: sum.Slug, Label: title, Lang: fb})
	}
	apps, err := s.residentApplications(c, v)
	if err != nil {
		return page, err
	}
	for _, app := range apps {
		title, fb := d.Text(d.ServiceOf[app.ServiceSlug].Title, lang)
		row := visitApplication{
			Reference: app.Reference.String(), Service: web.Localised{Text: title, Lang: fb},
			Status: apply.KindStatusKey(d.KindOf(app.ServiceSlug), app.Status), Sent: s.DateTime(lang, app.CreatedAt),
		}
		if fee := pay.Due(app); fee != nil {
			row.Due = web.Money{Minor: fee.Amount, Currency: fee.Currency}.Format(lang)
			row.PaymentURL = paymentURL(v.ID, row.Reference)
			if app.PersonID != 0 || app.Contact.Email != "" {
				row.LinkURL = row.PaymentURL + "-link"
			}
		}
		page.Applications = append(page.Applications, row)
	}
	log, err := s.as.ForResident(ctx, v.Resident.ID)
	if err != nil {
		return page, err
	}
	page.ActedFor = LogRows(c, s.Shared, log, false)
	return page, nil
}

// servicesOnline are the services that can be applied for online.
func servicesOnline(d *web.Directory) []*catalogue.ServiceSummary {
	var out []*catalogue.ServiceSummary
	for i := range d.Services {
		if d.Services[i].Online {
			out = append(out, &d.Services[i])
		}
	}
	return out
}

// residentApplications are the applications sent at the counter for the
// visit's resident.
func (s *Handler) residentApplications(c *fiber.Ctx, v assist.Visit) ([]*applications.Application, error) {
	ids, err := s.as.Applications(c.UserContext(), v.Resident.ID)
	if err != nil {
		return nil, err
	}
	return s.apps.Applications(c.UserContext(), ids)
}

// LogRows words the counter's log for a page: staff and staff's actions,
// and what the resident's own sign-in did, named "you" when self (their
// own "Your data"), else "the resident".
func LogRows(c *fiber.Ctx, sh *web.Shared, log []assist.Entry, self bool) []LogRow {
	who := "assist.log.resident"
	if self {
		who = "assist.log.you"
	}
	out := make([]LogRow, 0, len(log))
	for _, e := range log {
		if !slices.Contains(assist.Actions, e.Action) {
			continue
		}
		row := LogRow{When: sh.DateTime(web.LangOf(c), e.At), At: e.At.UTC().Format(time.RFC3339),
			Staff: e.Staff.Name, Action: "assist.action." + e.Action, Reason: e.Reason, Reference: e.Reference}
		if e.Action == assist.ActionLinked {
			row.Staff, row.Reason = web.T(c, who), web.T(c, "assist.linked_by."+e.Reason)
		}
		out = append(out, row)
	}
	return out
}
