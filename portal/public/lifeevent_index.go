package public

import (
	"github.com/gofiber/fiber/v2"

	"sportello/catalogue"
	"sportello/portal/web"
)

func (s *Handler) lifeEventIndex(c *fiber.Ctx) error {
	return renderAudienceIndex(c, "life_events.title", "lifeevent_index", s.Directory().LifeEventLinks)
}

// audienceIndexPage is a list of links split by audience: the life events
// and the journeys of residents, then of businesses.
type audienceIndexPage struct {
	web.Page
	Resident web.LinkList
	Business web.LinkList
}

func renderAudienceIndex(c *fiber.Ctx, titleKey, name string, links func(lang, audience string) web.LinkList) error {
	p := web.NewPage(c, titleKey)
	return web.Render(c, name, audienceIndexPage{
		Page:     p,
		Resident: links(p.Lang, catalogue.AudienceResident),
		Business: links(p.Lang, catalogue.AudienceBusiness),
	})
}
