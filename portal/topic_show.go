package portal

import (
	"slices"

	"github.com/gofiber/fiber/v2"

	"sportello/catalogue"
	"sportello/portal/web"
)

type topicPage struct {
	web.Page
	Description Localised
	Resident    CardList
	Business    CardList
}

func (s *Server) topicShow(c *fiber.Ctx) error {
	d := s.directory()
	t, ok := d.topics[c.Params("slug")]
	if !ok {
		return catalogue.ErrNotFound
	}
	return web.Render(c, "topic_show", s.topicPageOf(c, d, t))
}

// topicPageOf builds the page of topic t from d, which previews give with
// the draft in place of the published topic.
func (s *Server) topicPageOf(c *fiber.Ctx, d *directory, t *catalogue.Topic) topicPage {
	p := web.NewPage(c, "")
	p.Title, p.Fallback = d.text(t.Title, p.Lang)
	var resident, business []*catalogue.ServiceSummary
	for _, sum := range d.inLang(p.Lang, d.byTopic[t.Slug]) {
		if slices.Contains(sum.Audience, catalogue.AudienceResident) {
			resident = append(resident, sum)
		} else {
			business = append(business, sum)
		}
	}
	return topicPage{
		Page:        p,
		Description: d.loc(t.Description, p.Lang),
		Resident:    s.cards(d, p.Lang, resident),
		Business:    s.cards(d, p.Lang, business),
	}
}
