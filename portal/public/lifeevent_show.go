package public

import (
	"github.com/gofiber/fiber/v2"

	"sportello/catalogue"
	"sportello/portal/web"
)

type lifeEventPage struct {
	web.Page
	Business bool // a moment in a business's life, not a person's
	Services web.CardList
	Journeys web.LinkList
}

func (s *Handler) lifeEventShow(c *fiber.Ctx) error {
	d := s.Directory()
	return showBySlug(c, d.LifeEventOf, "lifeevent_show", func(e *catalogue.LifeEvent) (any, error) { return s.LifeEventPageOf(c, d, e) })
}

// LifeEventPageOf builds the page of life event le from d, which previews
// give with the draft in place of the published life event.
func (s *Handler) LifeEventPageOf(c *fiber.Ctx, d *web.Directory, le *catalogue.LifeEvent) (lifeEventPage, error) {
	p := web.NewPage(c, "")
	p.Title, p.Fallback = d.Text(le.Title, p.Lang)
	services, err := d.Cards(c.UserContext(), p.Lang, d.InLang(p.Lang, d.ByLifeEvent[le.Slug]))
	return lifeEventPage{
		Page:     p,
		Business: le.Audience == catalogue.AudienceBusiness,
		Services: services,
		Journeys: d.JourneysFor(p.Lang, d.ByLifeEvent[le.Slug]),
	}, err
}
