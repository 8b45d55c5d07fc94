package portal

import (
	"github.com/gofiber/fiber/v2"

	"sportello/catalogue"
	"sportello/portal/web"
)

type journeyIndexPage struct {
	web.Page
	Resident LinkList
	Business LinkList
}

func (s *Server) journeyIndex(c *fiber.Ctx) error {
	d := s.directory()
	p := web.NewPage(c, "journeys.title")
	return web.Render(c, "journey_index", journeyIndexPage{
		Page:     p,
		Resident: d.journeyLinks(p.Lang, catalogue.AudienceResident),
		Business: d.journeyLinks(p.Lang, catalogue.AudienceBusiness),
	})
}
