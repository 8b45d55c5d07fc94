package public

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
	Services web.CardList
}

func (s *Handler) journeyShow(c *fiber.Ctx) error {
	d := s.Directory()
	return showBySlug(c, d.JourneyOf, "journey_show", func(e *catalogue.Journey) (any, error) { return s.JourneyPageOf(c, d, e) })
}

// JourneyPageOf builds the page of journey j from d, which previews give
// with the draft in place of the published journey.
func (s *Handler) JourneyPageOf(c *fiber.Ctx, d *web.Directory, j *catalogue.Journey) (journeyPage, error) {
	p := web.NewPage(c, "")
	// A journey is translated whole, like a service: its title decides.
	p.Title, p.Fallback = d.Text(j.Title, p.Lang)
	text := p.Lang
	if p.Fallback != "" {
		text = p.Fallback
	}
	page := journeyPage{Page: p}
	page.Summary, _ = j.Summary.In(text, d.DefaultLang)
	for i, st := range j.Steps {
		title, _ := st.Title.In(text, d.DefaultLang)
		var list []*catalogue.ServiceSummary
		for _, slug := range st.Services {
			if sum, ok := d.ServiceOf[slug]; ok {
				list = append(list, sum)
			}
		}
		cards, err := d.Cards(c.UserContext(), p.Lang, list)
		if err != nil {
			return page, err
		}
		page.Steps = append(page.Steps, journeyStep{Number: i + 1, Title: title, Services: cards})
	}
	return page, nil
}
