package portal

import (
	"github.com/gofiber/fiber/v2"

	"sportello/catalogue"
	"sportello/portal/web"
)

type homePage struct {
	web.Page
	Search             SearchBox
	TopTasks           CardList
	Topics             LinkList
	LifeEvents         LinkList
	BusinessLifeEvents LinkList
	Journeys           LinkList
}

func (s *Server) homeShow(c *fiber.Ctx) error {
	d := s.directory()
	p := web.NewPage(c, "")
	lang := p.Lang
	return web.Render(c, "home_show", homePage{
		Page:               p,
		Search:             SearchBox{Lang: lang, ID: "home-search"},
		TopTasks:           s.cards(d, lang, d.topTasks),
		Topics:             d.topicLinks(lang),
		LifeEvents:         d.lifeEventLinks(lang, catalogue.AudienceResident),
		BusinessLifeEvents: d.lifeEventLinks(lang, catalogue.AudienceBusiness),
		Journeys:           d.journeyLinks(lang, ""),
	})
}
