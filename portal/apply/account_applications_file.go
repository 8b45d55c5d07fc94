package apply

import (
	"github.com/gofiber/fiber/v2"
)

// accountApplicationFile sends a file of an application the person may see
// (portal/access) as a download: GET /account/files/{id}. Anyone else's
// file is a 404, like one that does not exist.
func (s *Handler) accountApplicationFile(c *fiber.Ctx) error {
	f, err := s.access.File(c, c.Params("id"))
	if err != nil {
		return err
	}
	return s.access.SendFile(c, f)
}
