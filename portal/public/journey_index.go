package public

import (
	"github.com/gofiber/fiber/v2"

	"sportello/catalogue"
	"sportello/portal/web"
)

type journeyIndexPage struct {
	web.Page
	Resident web.LinkList
	Business web.LinkList
}

func (s *Handler) journeyIndex(c *fiber.Ctx) error {
	d := s.Directory()
	p := web.NewPage(c, "journeys.title")
	return web.Render(c, "journey_index", journeyIndexPage{
		Page:     p,
		Resident: d.JourneyLinks(p.Lang, catalogue.AudienceResident),
		Business: d.JourneyLinks(p.Lang, catalogue.AudienceBusiness),
	})
}
