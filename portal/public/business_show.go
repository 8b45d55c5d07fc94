package public

import (
	"slices"

	"github.com/gofiber/fiber/v2"

	"sportello/catalogue"
	"sportello/portal/web"
)

type businessPage struct {
	web.Page
	Groups   []businessGroup
	Journeys web.LinkList
}

// businessGroup is the services for one moment in a business's life, or
// (Title "") those that belong to none.
type businessGroup struct {
	Title    web.Localised
	URL      string
	Services web.CardList
}

func (s *Handler) businessShow(c *fiber.Ctx) error {
	d := s.Directory()
	p := web.NewPage(c, "business.title")
	page := businessPage{Page: p, Journeys: d.JourneyLinks(p.Lang, catalogue.AudienceBusiness)}
	grouped := map[string]bool{}
	for i := range d.LifeEvents {
		le := &d.LifeEvents[i]
		if le.Audience != catalogue.AudienceBusiness {
			continue
		}
		var list []*catalogue.ServiceSummary
		for _, sum := range d.ByLifeEvent[le.Slug] {
			if slices.Contains(sum.Audience, catalogue.AudienceBusiness) {
				list = append(list, sum)
				grouped[sum.Slug] = true
			}
		}
		all := web.AllOf{URL: web.LifeEventURL(le.Slug), Count: len(d.ByLifeEvent[le.Slug])}
		cards, err := d.CardsUpTo(c.UserContext(), p.Lang, d.InLang(p.Lang, list), all)
		if err != nil {
			return err
		}
		page.Groups = append(page.Groups, businessGroup{Title: d.Loc(le.Title, p.Lang), URL: web.LifeEventURL(le.Slug), Services: cards})
	}
	var others []*catalogue.ServiceSummary
	all := web.AllOf{URL: SearchForm{Audience: catalogue.AudienceBusiness}.url(nil)}
	for i := range d.Services {
		sum := &d.Services[i]
		if !slices.Contains(sum.Audience, catalogue.AudienceBusiness) {
			continue
		}
		all.Count++ // search lists every service for businesses
		if !grouped[sum.Slug] {
			others = append(others, sum)
		}
	}
	cards, err := d.CardsUpTo(c.UserContext(), p.Lang, d.InLang(p.Lang, others), all)
	if err != nil {
		return err
	}
	page.Groups = append(page.Groups, businessGroup{Title: web.Localised{Text: web.T(c, "business.other")}, Services: cards})
	return web.Render(c, "business_show", page)
}
