package public

import (
	"github.com/gofiber/fiber/v2"

	"sportello/catalogue"
	"sportello/portal/web"
)

type homePage struct {
	web.Page
	Search             web.SearchBox
	TopTasks           web.CardList
	Topics             web.LinkList
	LifeEvents         web.LinkList
	BusinessLifeEvents web.LinkList
	Journeys           web.LinkList
}

func (s *Handler) HomeShow(c *fiber.Ctx) error {
	d := s.Directory()
	p := web.NewPage(c, "")
	lang := p.Lang
	topTasks, err := d.Cards(c.UserContext(), lang, d.TopTasks)
	if err != nil {
		return err
	}
	return web.Render(c, "home_show", homePage{
		Page:               p,
		Search:             web.SearchBox{Lang: lang, ID: "home-search"},
		TopTasks:           topTasks,
		Topics:             d.TopicLinks(lang),
		LifeEvents:         d.LifeEventLinks(lang, catalogue.AudienceResident),
		BusinessLifeEvents: d.LifeEventLinks(lang, catalogue.AudienceBusiness),
		Journeys:           d.JourneyLinks(lang, ""),
	})
}
