package public

import (
	"slices"

	"github.com/gofiber/fiber/v2"

	"sportello/catalogue"
	"sportello/portal/web"
)

type businessPage struct {
	web.Page
	businessContent
}

// businessGroup is the services for one moment in a business's life, or
// (Title "") those that belong to none.
type businessGroup struct {
	Title    web.Localised
	URL      string
	Services web.CardList
}

// businessShow is the page for businesses: GET /business. Its groups are
// the same for every visitor in a language, and at 100,000 services making
// them walks every service (23 ms a view), so they are kept per catalogue
// version and language.
func (s *Handler) businessShow(c *fiber.Ctx) error {
	d := s.Directory()
	p := web.NewPage(c, "business.title")
	content, ok := s.business.Get(d.Version, p.Lang)
	if !ok {
		var err error
		if content, err = s.businessContentOf(c, d, p.Lang); err != nil {
			return err
		}
		s.business.Put(d.Version, p.Lang, content)
	}
	return web.Render(c, "business_show", businessPage{Page: p, businessContent: content})
}

// businessContent is what the page for businesses shows in a language.
type businessContent struct {
	Groups   []businessGroup
	Journeys web.LinkList
}

func (s *Handler) businessContentOf(c *fiber.Ctx, d *web.Directory, lang string) (businessContent, error) {
	content := businessContent{Journeys: d.JourneyLinks(lang, catalogue.AudienceBusiness)}
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
		cards, err := d.CardsUpTo(c.UserContext(), lang, d.InLang(lang, list), all)
		if err != nil {
			return businessContent{}, err
		}
		content.Groups = append(content.Groups, businessGroup{Title: d.Loc(le.Title, lang), URL: web.LifeEventURL(le.Slug), Services: cards})
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
	cards, err := d.CardsUpTo(c.UserContext(), lang, d.InLang(lang, others), all)
	if err != nil {
		return businessContent{}, err
	}
	content.Groups = append(content.Groups, businessGroup{Title: web.Localised{Text: web.T(c, "business.other")}, Services: cards})
	return content, nil
}
