package portal

import (
	"github.com/gofiber/fiber/v2"
)

type health struct {
	Status           string `json:"status"`
	CatalogueVersion int64  `json:"catalogue_version,omitempty"`
	Error            string `json:"error,omitempty"`
}

// healthShow reports whether the store answers, for load balancers and
// orchestrators. The error text names the component, never a driver message.
func (s *Server) healthShow(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	v, err := s.store.Version(c.UserContext())
	if err != nil {
		s.Log.Error("health check: catalogue store", "error", err.Error())
		return c.Status(fiber.StatusServiceUnavailable).JSON(health{Status: "unavailable", Error: "catalogue store does not answer"})
	}
	return c.JSON(health{Status: "ok", CatalogueVersion: v})
}
