package apply

import (
	"github.com/gofiber/fiber/v2"

	"sportello/applications"
	"sportello/applications/forms"
	"sportello/catalogue"
	"sportello/portal/web"
)

// Longest texts a person may send with a change, in characters.
const (
	MaxWithdrawReason  = 1000
	maxResponseMessage = 5000
)

// accountApplicationWithdraw withdraws one of the person's applications,
// with their reason: POST /account/applications/{ref}/withdraw.
func (s *Handler) accountApplicationWithdraw(c *fiber.Ctx) error {
	ref, err := applications.ParseReference(c.Params("ref"))
	if err != nil {
		return err
	}
	// A member or a representative withdraws for the applicant.
	app, err := s.access.Application(c, ref)
	if err != nil {
		return err
	}
	limit := MaxWithdrawReason
	form := &catalogue.OnlineForm{Fields: []catalogue.Field{{Name: "reason", Type: forms.TypeTextarea, MaxLength: &limit}}}
	res, err := s.forms.Validate(c.UserContext(), form, forms.Values{"reason": {c.FormValue("reason")}}, nil)
	if err != nil {
		return err
	}
	if !res.OK() {
		page, err := s.accountApplicationPage(c)
		if err != nil {
			return err
		}
		fe := res.Errors[0]
		page.Withdraw = appWithdrawForm{Reason: c.FormValue("reason"), ReasonError: ErrorText(c, fe)}
		page.Errors = []ErrorLink{{Href: "#withdraw-reason", Message: page.Withdraw.ReasonError}}
		page.Title = web.T(c, "apply.error_title_prefix") + " " + page.Title
		c.Status(fiber.StatusUnprocessableEntity)
		return web.Render(c, "applications/show", page)
	}
	if err := s.apps.WithdrawFor(c.UserContext(), app.PersonID, web.ViewerOf(c).PersonID, ref, res.Answers.Get("reason").Text); err != nil {
		return err
	}
	return c.Redirect("/account/applications/"+ref.String()+"?done=withdrawn", fiber.StatusSeeOther)
}
