package finders

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"sportello/portal/web"
)

// supportSave saves the session's answers in the signed-in resident's
// account: POST /support-finder/save. It writes only with the consent box
// ticked; without it the results page comes back with an error and nothing
// is written.
func (s *Handler) supportSave(c *fiber.Ctx) error {
	v := web.ViewerOf(c)
	saved := s.saved
	if v == nil || saved == nil {
		return web.NewError(fiber.StatusNotFound, "", nil)
	}
	if c.FormValue("consent") != "yes" {
		c.Status(fiber.StatusUnprocessableEntity)
		return s.renderSupportResults(c, web.T(c, "support.error.consent"))
	}
	_, iv, ok, err := s.answeredInterview(c)
	if !ok {
		return err
	}
	data, err := encodeAnswers(iv.answers)
	if err != nil {
		return web.NewError(fiber.StatusInternalServerError, "", err)
	}
	if err := saved.SaveAnswers(c.UserContext(), v.PersonID, data, time.Now()); err != nil {
		return web.NewError(fiber.StatusInternalServerError, "", err)
	}
	return c.Redirect(supportAccountPath+"?saved=1", fiber.StatusSeeOther)
}
