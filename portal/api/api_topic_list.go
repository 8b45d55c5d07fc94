package api

import (
	"sportello/portal/web"

	"github.com/gofiber/fiber/v2"
)

type apiTopic struct {
	Slug        string `json:"slug"`
	URL         string `json:"url"`
	Title       string `json:"title"`
	Description string `json:"description"`
	Services    int    `json:"services"`
}

type TopicListBody struct {
	Topics []apiTopic `json:"topics"`
}

func (s *Handler) apiTopicList(c *fiber.Ctx) error {
	d := s.Directory()
	lang := web.LangOf(c)
	body := TopicListBody{Topics: make([]apiTopic, 0, len(d.Topics))}
	for _, t := range d.Topics {
		title, _ := t.Title.In(lang, d.DefaultLang)
		desc, _ := t.Description.In(lang, d.DefaultLang)
		body.Topics = append(body.Topics, apiTopic{
			Slug: t.Slug, URL: s.BaseURL + web.TopicURL(t.Slug), Title: title, Description: desc,
			Services: len(d.ByTopic[t.Slug]),
		})
	}
	return c.JSON(body)
}
