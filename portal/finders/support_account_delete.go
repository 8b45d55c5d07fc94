package finders

import (
	"github.com/gofiber/fiber/v2"

	"sportello/portal/web"
)

// supportAccountDelete deletes the resident's saved answers: POST
// /account/support/delete.
func (s *Handler) supportAccountDelete(c *fiber.Ctx) error {
	v := web.ViewerOf(c)
	saved := s.saved
	if v == nil || saved == nil {
		return web.NewError(fiber.StatusNotFound, "", nil)
	}
	if err := saved.DeleteSavedAnswers(c.UserContext(), v.PersonID); err != nil {
		return web.NewError(fiber.StatusInternalServerError, "", err)
	}
	return c.Redirect(supportAccountPath+"?deleted=1", fiber.StatusSeeOther)
}
