package public

import (
	"slices"

	"github.com/gofiber/fiber/v2"

	"sportello/catalogue"
	"sportello/portal/web"
)

type topicPage struct {
	web.Page
	Description web.Localised
	Resident    web.CardList
	Business    web.CardList
}

func (s *Handler) topicShow(c *fiber.Ctx) error {
	d := s.Directory()
	return showBySlug(c, d.TopicOf, "topic_show", func(e *catalogue.Topic) (any, error) { return s.TopicPageOf(c, d, e) })
}

// TopicPageOf builds the page of topic t from d, which previews give with
// the draft in place of the published topic.
func (s *Handler) TopicPageOf(c *fiber.Ctx, d *web.Directory, t *catalogue.Topic) (topicPage, error) {
	p := web.NewPage(c, "")
	p.Title, p.Fallback = d.Text(t.Title, p.Lang)
	p.ServiceAlerts = web.AlertsFor(c, t.Slug, "")
	// A service for both goes with the residents'; search filtered by
	// audience counts it for both.
	var resident, business []*catalogue.ServiceSummary
	forBusiness := 0
	for _, sum := range d.InLang(p.Lang, d.ByTopic[t.Slug]) {
		if slices.Contains(sum.Audience, catalogue.AudienceBusiness) {
			forBusiness++
		}
		if slices.Contains(sum.Audience, catalogue.AudienceResident) {
			resident = append(resident, sum)
		} else {
			business = append(business, sum)
		}
	}
	page := topicPage{Page: p, Description: d.Loc(t.Description, p.Lang)}
	all := func(audience string, count int) web.AllOf {
		return web.AllOf{URL: SearchForm{Topic: t.Slug, Audience: audience}.url(nil), Count: count}
	}
	var err error
	if page.Resident, err = d.CardsUpTo(c.UserContext(), p.Lang, resident, all(catalogue.AudienceResident, len(resident))); err != nil {
		return page, err
	}
	page.Business, err = d.CardsUpTo(c.UserContext(), p.Lang, business, all(catalogue.AudienceBusiness, forBusiness))
	return page, err
}

// showBySlug renders the page of the entry the URL's slug names in entries,
// a 404 when there is none.
func showBySlug[E any](c *fiber.Ctx, entries map[string]*E, name string, page func(*E) (any, error)) error {
	e, ok := entries[c.Params("slug")]
	if !ok {
		return catalogue.ErrNotFound
	}
	p, err := page(e)
	if err != nil {
		return err
	}
	return web.Render(c, name, p)
}
