package apply

import (
	"context"
	"errors"

	"github.com/gofiber/fiber/v2"

	"sportello/applications"
	"sportello/applications/forms"
	"sportello/catalogue"
	"sportello/portal/web"
)

// applyCheckPage is templates/apply/check.html's data.
type applyCheckPage struct {
	web.Page
	Service applyService
	Token   string
	Action  string
	Answers []Answer
	// Applicant is shown for an application made without signing in,
	// with the details the form did not ask for itself.
	Applicant      *checkContact
	ContactChange  string
	ContactMissing bool
	// PayNext: sending takes the applicant straight to the payment
	// provider (a fee due on application, someone signed in).
	PayNext bool
	// Nearby are the reports already made near a report's pin, which the
	// person may add theirs to instead (apply_report.go); nil when none.
	Nearby *nearbyView
}

// checkContact is the contact details of an anonymous application that
// the form's own questions did not give.
type checkContact struct {
	applications.Contact
	AskName, AskEmail bool
}

// Answer is one answer as read back, with the link to change it.
type Answer struct {
	Label     string
	LabelLang string
	Lines     []string
	ChangeURL string
	Files     []FileLink // set on the account and staff pages
}

// applyCheck shows the answers of a pending application before it is sent:
// GET /services/{slug}/apply/check?token=.
func (s *Handler) applyCheck(c *fiber.Ctx) error {
	d, svc, err := s.applyForm(c)
	if svc == nil {
		return err
	}
	token := c.Query("token")
	pend, err := s.apps.Pending().Load(c.UserContext(), token, pendingOwnerOf(c), svc.Slug)
	switch {
	case errors.Is(err, applications.ErrNoPending):
		return c.Redirect(applyFormURL(svc.Slug), fiber.StatusSeeOther)
	case err != nil:
		return err
	case pend.Reference != "":
		return c.Redirect(applyStepURL(svc.Slug, "confirmation", token), fiber.StatusSeeOther)
	}
	res, err := s.applyRevalidate(c.UserContext(), svc, pend)
	if err != nil {
		return err
	}
	if !res.OK() {
		// The form changed since, or the record was tampered with: the form
		// shows the answers to put right.
		return c.Redirect(applyStepURL(svc.Slug, "", token), fiber.StatusSeeOther)
	}
	p := web.NewPage(c, web.KindKey(svc.Kind, "check.title"))
	p.ServiceAlerts = web.AlertsFor(c, svc.Topic, svc.Slug)
	page := applyCheckPage{
		Page:    p,
		Service: s.applyServiceView(d, svc, p.Lang),
		Token:   token,
		Action:  applyFormURL(svc.Slug) + "/submit",
	}
	page.PayNext = page.Service.OnApplication && web.ViewerOf(c) != nil
	disp := s.appDisplay(c, d)
	change := applyStepURL(svc.Slug, "", token)
	for i := range res.Answers {
		a := &res.Answers[i]
		label, lfb := d.Text(a.Label, p.Lang)
		page.Answers = append(page.Answers, Answer{
			Label: label, LabelLang: lfb, Lines: disp.Answer(a), ChangeURL: change + "#" + firstInput(a),
		})
	}
	if web.ViewerOf(c) == nil {
		page.ContactMissing = pend.Contact.Name == "" && pend.Contact.Email == ""
		if ask := newApplyContact(svc.OnlineForm); ask != nil {
			page.Applicant = &checkContact{Contact: pend.Contact, AskName: ask.AskName, AskEmail: ask.AskEmail}
			page.ContactChange = change + "#contact-name"
			if !ask.AskName {
				page.ContactChange = change + "#contact-email"
			}
		}
	}
	if page.Nearby, err = s.nearby(c, svc, res.Answers, token); err != nil {
		return err
	}
	return web.Render(c, "apply/check", page)
}

// firstInput is the id of the first input of an answer's question, where a
// "Change" link lands.
func firstInput(a *forms.Answer) string {
	switch a.Type {
	case forms.TypeDate:
		return a.Field + "-day"
	case forms.TypeAddress, forms.TypeLocation:
		return a.Field + "-line1"
	}
	return a.Field
}

// applyRevalidate checks a pending application's answers and kept files
// again against the service's current form: nothing reaches the store
// unchecked, even from the server's own disk.
func (s *Handler) applyRevalidate(ctx context.Context, svc *catalogue.Service, pend *applications.PendingForm) (*forms.Result, error) {
	return s.forms.Validate(ctx, svc.OnlineForm, pend.Values, s.apps.Pending().Files(ctx, pend))
}
