package apply

import (
	"context"
	"errors"
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"sportello/applications"
	"sportello/applications/forms"
	"sportello/catalogue"
	"sportello/portal/web"
	"sportello/reports"
)

// Reports at a place (package reports). A service of kind "report" is
// applied for like any other, with three differences when the portal has
// a reports store: its location question has a map and coordinates, "check
// your answers" lists the reports of the same service already made within
// reports.DefaultRadius of the pin, each with "Add my report to this one",
// and sending it makes the report with the application (reports.Create).

// isReport reports whether svc's applications are reports at a place.
func (s *Handler) isReport(svc *catalogue.Service) bool {
	return s.Reports != nil && catalogue.TransactionOf(svc.Kind) == catalogue.TransactionReport
}

// nearbyView is the "already reported" part of "check your answers".
type nearbyView struct {
	Count   int
	Metres  int
	Reports []nearbyReport
	Action  string // where "Add my report to this one" posts
	Token   string
}

// nearbyReport is one report near the pin, without anything personal: its
// reference, how far, when, its status and how many added theirs.
type nearbyReport struct {
	ID         int64
	Reference  string
	Distance   int
	Reported   string
	Status     string
	Supporters int
}

// placeOf returns the place the answers give: the first location or
// address answer's lines (the street, the landmark) and its pin.
func placeOf(svc *catalogue.Service, answers forms.Answers) (string, *reports.Point) {
	for _, f := range svc.OnlineForm.Fields {
		if f.Type != forms.TypeLocation && f.Type != forms.TypeAddress {
			continue
		}
		a := answers.Get(f.Name)
		if a == nil {
			continue
		}
		var address string
		if a.Address != nil {
			address = strings.Join(a.Address.Lines(), ", ")
		}
		var p *reports.Point
		if a.Point != nil {
			p = &reports.Point{Lat: a.Point.Lat, Lng: a.Point.Lng}
		}
		if address != "" || p != nil {
			return address, p
		}
	}
	return "", nil
}

// descriptionOf returns the first long answer: what the reporter wrote
// about the problem.
func descriptionOf(svc *catalogue.Service, answers forms.Answers) string {
	for _, f := range svc.OnlineForm.Fields {
		if f.Type == forms.TypeTextarea {
			if a := answers.Get(f.Name); a != nil && a.Text != "" {
				return a.Text
			}
		}
	}
	return ""
}

// nearby lists the open reports of svc near the answers' pin; nil when
// there is no pin or none is near.
func (s *Handler) nearby(c *fiber.Ctx, svc *catalogue.Service, answers forms.Answers, token string) (*nearbyView, error) {
	if !s.isReport(svc) {
		return nil, nil
	}
	_, p := placeOf(svc, answers)
	if p == nil {
		return nil, nil
	}
	near, err := s.Reports.Nearby(c.UserContext(), reports.NearbyQuery{Service: svc.Slug, Point: *p, Radius: reports.DefaultRadius})
	if err != nil || len(near) == 0 {
		return nil, err
	}
	lang := web.LangOf(c)
	v := &nearbyView{Count: len(near), Metres: reports.DefaultRadius, Action: applyFormURL(svc.Slug) + "/support", Token: token}
	for _, n := range near {
		v.Reports = append(v.Reports, nearbyReport{
			ID: n.ID, Reference: n.Reference.String(), Distance: int(n.Distance + 0.5),
			Reported: s.Date(lang, n.CreatedAt), Status: web.T(c, "reports.status."+string(n.Status)), Supporters: n.Supporters,
		})
	}
	return v, nil
}

// submitReport sends a report: the application and the report, in one
// transaction.
func (s *Handler) submitReport(ctx context.Context, in applications.SubmitInput) (*applications.Application, error) {
	address, p := placeOf(in.Service, in.Answers)
	r, err := s.Reports.Create(ctx, reports.NewReport{
		Token: in.Token, Service: in.Service, CatalogueVersion: in.CatalogueVersion, PersonID: in.PersonID,
		Contact: in.Contact, Lang: in.Lang, Point: p, Address: address, Description: descriptionOf(in.Service, in.Answers),
		Answers: in.Answers, Files: in.Files,
	})
	if err != nil {
		return nil, err
	}
	return &applications.Application{ID: r.ApplicationID, Reference: r.Reference, ServiceSlug: r.ServiceSlug,
		PersonID: r.PersonID, Status: applications.StatusSubmitted, SubmittedAt: r.CreatedAt, DueDate: r.DueDate}, nil
}

// applySupport adds the person's report to one already made nearby
// instead of sending theirs: POST /services/{slug}/apply/support. They are
// told when it moves on, at their account's address, or at the one they
// gave with the form; their form in progress is then emptied.
func (s *Handler) applySupport(c *fiber.Ctx) error {
	_, svc, err := s.applyForm(c)
	if svc == nil {
		return err
	}
	if !s.isReport(svc) {
		return catalogue.ErrNotFound
	}
	ctx := c.UserContext()
	token := c.FormValue(inputToken)
	ps := s.apps.Pending()
	pend, err := ps.Load(ctx, token, pendingOwnerOf(c), svc.Slug)
	switch {
	case errors.Is(err, applications.ErrNoPending):
		return web.NewError(fiber.StatusBadRequest, "apply.error.expired", err)
	case err != nil:
		return err
	case pend.Reference != "":
		return c.Redirect(applyStepURL(svc.Slug, "confirmation", token), fiber.StatusSeeOther)
	}
	res, err := s.applyRevalidate(ctx, svc, pend)
	if err != nil {
		return err
	}
	if !res.OK() {
		return c.Redirect(applyStepURL(svc.Slug, "", token), fiber.StatusSeeOther)
	}
	// Only a report the page offered: of this service, near this pin.
	id, _ := strconv.ParseInt(c.FormValue("report"), 10, 64)
	near, err := s.nearby(c, svc, res.Answers, token)
	if err != nil {
		return err
	}
	var target *nearbyReport
	if near != nil {
		for i := range near.Reports {
			if near.Reports[i].ID == id {
				target = &near.Reports[i]
			}
		}
	}
	if target == nil {
		return web.NewError(fiber.StatusConflict, "reports.error.support_gone", nil)
	}
	sup := reports.Supporter{Lang: web.LangOf(c)}
	told := "1"
	if v := web.ViewerOf(c); v != nil {
		sup.PersonID = v.PersonID
	} else {
		sup.Email = pend.Contact.Email
		if sup.Email == "" {
			told = "0"
		}
	}
	added, err := s.Reports.AddSupporter(ctx, id, sup)
	if errors.Is(err, reports.ErrConflict) {
		return web.NewError(fiber.StatusConflict, "reports.error.support_gone", err)
	}
	if err != nil {
		return err
	}
	if !added {
		told = "already"
	}
	// Nothing of the form is needed any more.
	pend.Values = forms.Values{}
	for _, f := range svc.OnlineForm.Fields {
		if err := ps.Drop(ctx, pend, f.Name); err != nil {
			return err
		}
	}
	if err := ps.Save(ctx, pend); err != nil {
		return err
	}
	q := url.Values{"ref": {target.Reference}, "told": {told}}
	return c.Redirect(applyFormURL(svc.Slug)+"/added?"+q.Encode(), fiber.StatusSeeOther)
}

// applyAddedPage is templates/apply/added.html's data.
type applyAddedPage struct {
	web.Page
	Service   applyService
	Reference string
	Told      string // "1": they will be told; "0": no address to tell; "already": they had added theirs before
}

// applyAdded says the person's report was added to another: GET
// /services/{slug}/apply/added?ref=&told=. It holds nothing personal: the
// reference is the other report's, which says nothing of who made it.
func (s *Handler) applyAdded(c *fiber.Ctx) error {
	d, svc, err := s.applyOnlineService(c)
	if err != nil {
		return err
	}
	if !s.isReport(svc) {
		return catalogue.ErrNotFound
	}
	ref, err := applications.ParseReference(c.Query("ref"))
	if err != nil {
		return catalogue.ErrNotFound
	}
	p := web.NewPage(c, "reports.added.title")
	page := applyAddedPage{Page: p, Service: s.applyServiceView(d, svc, p.Lang), Reference: ref.String(), Told: c.Query("told")}
	if page.Told != "0" && page.Told != "already" {
		page.Told = "1"
	}
	return web.Render(c, "apply/added", page)
}

// reportProgress is a report's status and the council's notes, on its
// reporter's page of the application.
type reportProgress struct {
	Status     string
	StatusCode string
	Supporters int
	Events     []reportEvent
}

type reportEvent struct {
	At, To, Note string
}

// reportProgressOf reads the report an application is, if it is one.
func (s *Handler) reportProgressOf(c *fiber.Ctx, app *applications.Application) (*reportProgress, error) {
	if s.Reports == nil || catalogue.TransactionOf(s.Directory().KindOf(app.ServiceSlug)) != catalogue.TransactionReport {
		return nil, nil
	}
	r, err := s.Reports.ByApplication(c.UserContext(), app.ID)
	if errors.Is(err, reports.ErrNotFound) {
		return nil, nil // sent before reports had a place of their own
	}
	if err != nil {
		return nil, err
	}
	lang := web.LangOf(c)
	p := &reportProgress{Status: web.T(c, "reports.status."+string(r.Status)), StatusCode: string(r.Status), Supporters: r.Supporters}
	for i := len(r.Events) - 1; i >= 0; i-- {
		e := r.Events[i]
		p.Events = append(p.Events, reportEvent{At: s.DateTime(lang, e.At), To: web.T(c, "reports.status."+string(e.To)), Note: e.Note})
	}
	return p, nil
}
