package portal

import (
	"github.com/gofiber/fiber/v2"
)

// accountApplicationFile sends a file of one of the person's applications as
// a download: GET /account/files/{id}. Another person's file is a 404, like
// one that does not exist.
func (s *Server) accountApplicationFile(c *fiber.Ctx) error {
	f, err := s.apps.File(c.UserContext(), appViewer(c).PersonID, c.Params("id"))
	if err != nil {
		return err
	}
	return s.appSendFile(c, f)
}
