package public

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"sportello/catalogue"
	"sportello/portal/web"
)

type lifeEventPage struct {
	web.Page
	Business bool // a moment in a business's life, not a person's
	Services web.CardList
	Pager    pager // the services, web.ListCap to a page
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
	list := d.InLang(p.Lang, d.ByLifeEvent[le.Slug])
	// A page past the end shows the last.
	page := min(web.PageNumber(c.Query("page")), max((len(list)+web.ListCap-1)/web.ListCap, 1))
	pg := pagerOf(p.Lang, "list.pages", page, len(list), web.ListCap, func(n int) string {
		if n == 1 {
			return web.LifeEventURL(le.Slug)
		}
		return web.LifeEventURL(le.Slug) + "?page=" + strconv.Itoa(n)
	})
	from := (pg.Page - 1) * web.ListCap
	services, err := d.Cards(c.UserContext(), p.Lang, list[from:min(from+web.ListCap, len(list))])
	return lifeEventPage{
		Page:     p,
		Business: le.Audience == catalogue.AudienceBusiness,
		Services: services,
		Pager:    pg,
		Journeys: d.JourneysFor(p.Lang, d.ByLifeEvent[le.Slug]),
	}, err
}
