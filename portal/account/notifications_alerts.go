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
		return s.refuse(c, "#support-alerts", "notifications.error.alerts_no_answers",
			func(p *notificationsPage, msg string) { p.Alerts.Error = msg })
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
