package public

import "github.com/gofiber/fiber/v2"

func (s *Handler) journeyIndex(c *fiber.Ctx) error {
	return renderAudienceIndex(c, "journeys.title", "journey_index", s.Directory().JourneyLinks)
}
