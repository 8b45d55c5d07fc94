package staff

import (
	"github.com/gofiber/fiber/v2"
)

// staffFile sends any application's file to a member of staff as a
// download, recording in the audit log that they opened it: GET
// /staff/files/{id}.
func (s *Handler) staffFile(c *fiber.Ctx) error {
	f, err := s.apps.StaffFile(c.UserContext(), staffActor(c), c.Params("id"))
	if err != nil {
		return err
	}
	return s.access.SendFile(c, f)
}
