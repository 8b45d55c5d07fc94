package apply

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"sportello/applications"
	"sportello/applications/forms"
	"sportello/portal/web"
)

// applySubmit sends a pending application: POST
// /services/{slug}/apply/submit. The form's one-time token makes it safe to
// post twice: a double click, a refresh or a re-post finds the application
// the token already made and shows the same confirmation.
func (s *Handler) applySubmit(c *fiber.Ctx) error {
	d, svc, err := s.applyForm(c)
	if svc == nil {
		return err
	}
	token := c.FormValue(inputToken)
	ps := s.apps.Pending()
	o := pendingOwnerOf(c)
	pend, err := ps.Load(c.UserContext(), token, o, svc.Slug)
	switch {
	case errors.Is(err, applications.ErrNoPending):
		return web.NewError(fiber.StatusBadRequest, "apply.error.expired", err)
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
		return c.Redirect(applyStepURL(svc.Slug, "", token), fiber.StatusSeeOther)
	}
	in := applications.SubmitInput{
		Token:            token,
		Service:          svc,
		CatalogueVersion: d.Version,
		Contact:          pend.Contact,
		Answers:          res.Answers,
		Files:            res.Files,
		Lang:             web.LangOf(c),
	}
	if v := web.ViewerOf(c); v != nil {
		in.PersonID = v.PersonID
	}
	submit := s.apps.Submit
	if s.isReport(svc) {
		submit = s.submitReport
	}
	app, err := submit(c.UserContext(), in)
	if err != nil {
		// A concurrent post of the same form may have finished meanwhile
		// (and removed the kept files this one was reading).
		if again, lerr := ps.Load(c.UserContext(), token, o, svc.Slug); lerr == nil && again.Reference != "" {
			return c.Redirect(applyStepURL(svc.Slug, "confirmation", token), fiber.StatusSeeOther)
		}
		if errors.Is(err, applications.ErrConflict) {
			return web.NewError(fiber.StatusBadRequest, "apply.error.token", err)
		}
		return err
	}
	pend.Reference, pend.DueDate, pend.SubmittedAt = app.Reference.String(), app.DueDate, app.SubmittedAt
	// The store has the answers and its own copies of the files now; the
	// record only answers a second post until it expires.
	pend.Values = forms.Values{}
	for _, f := range svc.OnlineForm.Fields {
		if err := ps.Drop(c.UserContext(), pend, f.Name); err != nil {
			return err
		}
	}
	if err := ps.Save(c.UserContext(), pend); err != nil {
		return err
	}
	if app.Status == applications.StatusAwaitingPayment && in.PersonID != 0 {
		// A fee due on application: straight to the provider, as "Continue
		// to payment" said. The confirmation comes once it is paid.
		return s.pay.Checkout(c, app)
	}
	return c.Redirect(applyStepURL(svc.Slug, "confirmation", token), fiber.StatusSeeOther)
}
