package account

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"sportello/portal/web"
	"sportello/supportalerts"
)

// alertsChoose turns support alerts on (the box ticked) or off: POST
// /account/notifications/support-alerts.
func (s *Handler) alertsChoose(c *fiber.Ctx) error {
	v := web.ViewerOf(c)
	if c.FormValue("alerts") != "on" {
		if err := s.alerts.OptOut(c.UserContext(), v.PersonID); err != nil {
			return err
		}
		return done(c, "alerts_off")
	}
	err := s.alerts.OptIn(c.UserContext(), v.PersonID, web.LangOf(c))
	if errors.Is(err, supportalerts.ErrNoAnswers) {
		p, err := s.page(c)
		if err != nil {
			return err
		}
		p.Alerts.Error = web.T(c, "notifications.error.alerts_no_answers")
		p.Errors = []errorLink{{Href: "#support-alerts", Message: p.Alerts.Error}}
		p.Title = web.T(c, "notifications.error_title_prefix") + " " + p.Title
		c.Status(fiber.StatusUnprocessableEntity)
		return web.Render(c, "account/notifications", p)
	}
	if err != nil {
		return err
	}
	return done(c, "alerts_on")
}

// alertsDelete deletes the saved answers and what the alerts kept, and
// turns them off, in one transaction: POST
// /account/notifications/support-alerts/delete.
func (s *Handler) alertsDelete(c *fiber.Ctx) error {
	if err := s.alerts.Forget(c.UserContext(), web.ViewerOf(c).PersonID); err != nil {
		return err
	}
	return done(c, "deleted")
}
