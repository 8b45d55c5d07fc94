package portal

import (
	"github.com/gofiber/fiber/v2"

	"sportello/catalogue"
	"sportello/portal/web"
)

type journeyPage struct {
	web.Page
	Summary string
	Steps   []journeyStep
}

type journeyStep struct {
	Number   int
	Title    string
	Services CardList
}

func (s *Server) journeyShow(c *fiber.Ctx) error {
	d := s.directory()
	j, ok := d.journeys[c.Params("slug")]
	if !ok {
		return catalogue.ErrNotFound
	}
	return web.Render(c, "journey_show", s.journeyPageOf(c, d, j))
}

// journeyPageOf builds the page of journey j from d, which previews give
// with the draft in place of the published journey.
func (s *Server) journeyPageOf(c *fiber.Ctx, d *directory, j *catalogue.Journey) journeyPage {
	p := web.NewPage(c, "")
	// A journey is translated whole, like a service: its title decides.
	p.Title, p.Fallback = d.text(j.Title, p.Lang)
	text := p.Lang
	if p.Fallback != "" {
		text = p.Fallback
	}
	page := journeyPage{Page: p}
	page.Summary, _ = j.Summary.In(text, d.defaultLang)
	for i, st := range j.Steps {
		title, _ := st.Title.In(text, d.defaultLang)
		var list []*catalogue.ServiceSummary
		for _, slug := range st.Services {
			if sum, ok := d.services[slug]; ok {
				list = append(list, sum)
			}
		}
		page.Steps = append(page.Steps, journeyStep{Number: i + 1, Title: title, Services: s.cards(d, p.Lang, list)})
	}
	return page
}
