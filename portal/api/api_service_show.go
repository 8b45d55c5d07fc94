package api

import (
	"github.com/gofiber/fiber/v2"
)

// apiServiceShow returns one service in the catalogue interchange format
// (sportello-catalogue/1): every language, so a client can pick its own.
func (s *Handler) apiServiceShow(c *fiber.Ctx) error {
	svc, err := s.store.Service(c.UserContext(), c.Params("slug"))
	if err != nil {
		return err
	}
	return c.JSON(svc)
}
