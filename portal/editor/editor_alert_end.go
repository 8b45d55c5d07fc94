package editor

import (
	"time"

	"github.com/gofiber/fiber/v2"
)

// alertEnd ends an alert now: it shows no more, and is listed with the
// past ones.
func (s *alertDesk) alertEnd(c *fiber.Ctx) error {
	a, err := s.alertOf(c)
	if err != nil {
		return err
	}
	if err := s.ed.db.EndAlert(c.UserContext(), a.ID, time.Now(), actor(c)); err != nil {
		return err
	}
	if err := s.reloadAlerts(c); err != nil {
		return err
	}
	return redirectDone(c, alertsURL, "alert_ended", 0)
}

// alertDelete deletes an alert, whenever it runs.
func (s *alertDesk) alertDelete(c *fiber.Ctx) error {
	a, err := s.alertOf(c)
	if err != nil {
		return err
	}
	if err := s.ed.db.DeleteAlert(c.UserContext(), a.ID, actor(c)); err != nil {
		return err
	}
	if err := s.reloadAlerts(c); err != nil {
		return err
	}
	return redirectDone(c, alertsURL, "alert_deleted", 0)
}
