package public

import (
	"github.com/gofiber/fiber/v2"

	"sportello/catalogue"
	"sportello/portal/web"
)

type lifeEventIndexPage struct {
	web.Page
	Resident web.LinkList
	Business web.LinkList
}

func (s *Handler) lifeEventIndex(c *fiber.Ctx) error {
	d := s.Directory()
	p := web.NewPage(c, "life_events.title")
	return web.Render(c, "lifeevent_index", lifeEventIndexPage{
		Page:     p,
		Resident: d.LifeEventLinks(p.Lang, catalogue.AudienceResident),
		Business: d.LifeEventLinks(p.Lang, catalogue.AudienceBusiness),
	})
}
