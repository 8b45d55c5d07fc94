package portal

import (
	"github.com/gofiber/fiber/v2"
	"sportello/portal/web"
)

type apiTopic struct {
	Slug        string `json:"slug"`
	URL         string `json:"url"`
	Title       string `json:"title"`
	Description string `json:"description"`
	Services    int    `json:"services"`
}

type apiTopicListBody struct {
	Topics []apiTopic `json:"topics"`
}

func (s *Server) apiTopicList(c *fiber.Ctx) error {
	d := s.directory()
	lang := web.LangOf(c)
	body := apiTopicListBody{Topics: make([]apiTopic, 0, len(d.Topics))}
	for _, t := range d.Topics {
		title, _ := t.Title.In(lang, d.defaultLang)
		desc, _ := t.Description.In(lang, d.defaultLang)
		body.Topics = append(body.Topics, apiTopic{
			Slug: t.Slug, URL: s.cfg.BaseURL + topicURL(t.Slug), Title: title, Description: desc,
			Services: len(d.byTopic[t.Slug]),
		})
	}
	return c.JSON(body)
}
