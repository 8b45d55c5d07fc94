package apply

import (
	"errors"
	"time"

	"github.com/gofiber/fiber/v2"

	"sportello/applications"
	"sportello/applications/forms"
	"sportello/catalogue"
	"sportello/portal/web"
)

// applyPage is templates/apply/form.html's data: a service's online form.
type applyPage struct {
	web.Page
	Service applyService
	Action  string
	Token   string
	Fields  []applyField
	Errors  []ErrorLink
	// Applicant is the optional name and email block of a form used without
	// signing in.
	Applicant    *applyContact
	CanSaveDraft bool
	// How long a saved draft is kept, and how many days before its end
	// the person is told (applications.DraftTTL, DraftReminder).
	DraftKeptDays, DraftNoticeDays int
	// DraftSaved is when the draft the form was filled from was saved.
	DraftSaved string
	Multipart  bool // the form has a file input
	// Resident is the name of the resident a member of staff fills it in
	// with at the counter; "" otherwise.
	Resident string
	// For is whom the form is for (apply_for.go): the hidden input's value,
	// "" for the person themselves.
	For string
}

// applyContact is the optional contact block of an anonymous application:
// the name and email the form does not ask for itself.
type applyContact struct {
	AskName, AskEmail bool
	Name              string
	Email             string
	NameError         string
	EmailError        string
}

// newApplyContact is the contact block a form needs from someone not
// signed in, nil when the form itself asks for both their name and email.
func newApplyContact(form *catalogue.OnlineForm) *applyContact {
	name, email := forms.ApplicantFields(form)
	if name != "" && email != "" {
		return nil
	}
	return &applyContact{AskName: name == "", AskEmail: email == ""}
}

// Inputs of the form that are the page's, not answers.
const (
	inputToken        = "_token"
	inputAction       = "_action"
	inputRemove       = "_remove" // a file field whose kept files are to be dropped
	inputContactName  = "_contact-name"
	inputContactEmail = "_contact-email"
	actionSave        = "save"
	actionContinue    = "continue"
)

// applyShow shows a service's online form: GET /services/{slug}/apply. With
// ?token= it shows the answers of a pending application again (a change
// from "check your answers"); otherwise a signed-in person's draft, or an
// empty form with what the council knows about them filled in.
func (s *Handler) applyShow(c *fiber.Ctx) error {
	d, svc, err := s.applyForm(c)
	if svc == nil {
		return err
	}
	v := web.ViewerOf(c)
	values := forms.Values{}
	var pend *applications.PendingForm
	token := c.Query("token")
	draftSaved := ""
	if token != "" {
		pend, err = s.apps.Pending().Load(c.UserContext(), token, pendingOwnerOf(c), svc.Slug)
		switch {
		case errors.Is(err, applications.ErrNoPending):
			// An old link, or another browser's: start again.
			return c.Redirect(formURL(c, svc.Slug), fiber.StatusSeeOther)
		case err != nil:
			return err
		case pend.Reference != "":
			return c.Redirect(stepURL(c, svc.Slug, "confirmation", token), fiber.StatusSeeOther)
		}
		values = pend.Values
	} else {
		if ownAccount(c) && c.Query("for") == "" {
			choices, err := s.applyForChoices(c, svc)
			if err != nil {
				return err
			}
			if choices != nil {
				return s.applyForShow(c, d, svc, choices)
			}
		}
		if token, err = s.apps.Pending().Issue(c.UserContext(), pendingOwnerOf(c)); err != nil {
			return err
		}
	}
	forValue := c.Query("for")
	if pend != nil {
		forValue = pend.For
	}
	behalf, err := s.applyFor(c, svc.Slug, forValue)
	if err != nil {
		return err
	}
	if pend == nil && behalf.Value == "" {
		if ownAccount(c) {
			switch draft, err := s.apps.Draft(c.UserContext(), v.PersonID, svc.Slug); {
			case err == nil:
				values = draft.Values
				draftSaved = s.Date(web.LangOf(c), draft.UpdatedAt)
			case !errors.Is(err, applications.ErrNotFound):
				return err
			}
		}
	}
	var from map[string]forms.Source
	switch ct := counterOf(c); {
	case pend != nil:
	case ct != nil:
		values, from = forms.Fill(svc.OnlineForm, counterOffers(ct), values)
	case v != nil && behalf.Value == "":
		// Someone acting for another is not offered their own details.
		offers, err := s.offers(c, v)
		if err != nil {
			return err
		}
		values, from = forms.Fill(svc.OnlineForm, offers, values)
	}
	page := s.applyFormPage(c, d, svc, token, values, nil, pend)
	page.onBehalf(c, behalf)
	notePrefilled(c, page.Fields, from)
	page.DraftSaved = draftSaved
	if page.Applicant != nil && pend != nil {
		page.Applicant.Name, page.Applicant.Email = pend.Contact.Name, pend.Contact.Email
	}
	return web.Render(c, "apply/form", page)
}

// applyFormPage builds the form page with values and errors.
func (s *Handler) applyFormPage(c *fiber.Ctx, d *web.Directory, svc *catalogue.Service, token string, values forms.Values, errs []forms.FieldError, pend *applications.PendingForm) applyPage {
	p := web.NewPage(c, "")
	p.Title, p.Fallback = d.Text(svc.Title, p.Lang)
	p.ServiceAlerts = web.AlertsFor(c, svc.Topic, svc.Slug)
	page := applyPage{
		Page:          p,
		Service:       s.applyServiceView(d, svc, p.Lang),
		Action:        formURL(c, svc.Slug),
		Token:         token,
		Fields:        s.applyFields(c, d, svc.OnlineForm, values, errs, pend),
		Errors:        applyErrorLinks(c, d, svc.OnlineForm, errs),
		CanSaveDraft:  ownAccount(c),
		Resident:      residentName(c),
		DraftKeptDays: int(applications.DraftTTL / (24 * time.Hour)), DraftNoticeDays: int(applications.DraftReminder / (24 * time.Hour)),
	}
	if len(errs) > 0 {
		page.Title = web.T(c, "apply.error_title_prefix") + " " + page.Title
	}
	if known(c) == nil {
		page.Applicant = newApplyContact(svc.OnlineForm)
	}
	for _, f := range svc.OnlineForm.Fields {
		if f.Type == forms.TypeFile {
			page.Multipart = true
		}
	}
	return page
}

// onBehalf labels the form for whom it is filled in; a form filled in for
// someone else is not saved as the person's own draft.
func (p *applyPage) onBehalf(c *fiber.Ctx, b onBehalf) {
	p.For, p.Acting = b.Value, b.label(c)
	if b.Value != "" {
		p.CanSaveDraft = false
	}
}
