package api

import (
	_ "embed"

	"github.com/gofiber/fiber/v2"
)

// openAPI describes the JSON API under /api/v1. A test checks that every
// documented path answers and every API route is documented.
//
//go:embed openapi.json
var openAPI []byte

func (s *Handler) apiOpenAPI(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	return c.Send(openAPI)
}
