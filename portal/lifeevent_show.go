package portal

import (
	"github.com/gofiber/fiber/v2"

	"sportello/catalogue"
	"sportello/portal/web"
)

type lifeEventPage struct {
	web.Page
	Business bool // a moment in a business's life, not a person's
	Services CardList
	Journeys LinkList
}

func (s *Server) lifeEventShow(c *fiber.Ctx) error {
	d := s.directory()
	le, ok := d.lifeEvents[c.Params("slug")]
	if !ok {
		return catalogue.ErrNotFound
	}
	return web.Render(c, "lifeevent_show", s.lifeEventPageOf(c, d, le))
}

// lifeEventPageOf builds the page of life event le from d, which previews
// give with the draft in place of the published life event.
func (s *Server) lifeEventPageOf(c *fiber.Ctx, d *directory, le *catalogue.LifeEvent) lifeEventPage {
	p := web.NewPage(c, "")
	p.Title, p.Fallback = d.text(le.Title, p.Lang)
	return lifeEventPage{
		Page:     p,
		Business: le.Audience == catalogue.AudienceBusiness,
		Services: s.cards(d, p.Lang, d.inLang(p.Lang, d.byLifeEvent[le.Slug])),
		Journeys: d.journeysFor(p.Lang, d.byLifeEvent[le.Slug]),
	}
}

// journeysFor lists the journeys that go through at least two of services,
// so a life-event page points to the step-by-step guides for it without
// listing every journey that happens to share one common service.
func (d *directory) journeysFor(lang string, services []*catalogue.ServiceSummary) LinkList {
	in := make(map[string]bool, len(services))
	for _, s := range services {
		in[s.Slug] = true
	}
	out := LinkList{Lang: lang}
	for i := range d.Journeys {
		j := &d.Journeys[i]
		shared := 0
		for _, st := range j.Steps {
			for _, slug := range st.Services {
				if in[slug] {
					shared++
				}
			}
		}
		if shared >= 2 {
			out.Items = append(out.Items, d.journeyLink(j, lang))
		}
	}
	return out
}
