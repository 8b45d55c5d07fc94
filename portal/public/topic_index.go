package public

import (
	"github.com/gofiber/fiber/v2"

	"sportello/portal/web"
)

type topicIndexPage struct {
	web.Page
	Topics web.LinkList
}

func (s *Handler) topicIndex(c *fiber.Ctx) error {
	p := web.NewPage(c, "topics.title")
	return web.Render(c, "topic_index", topicIndexPage{Page: p, Topics: s.Directory().TopicLinks(p.Lang)})
}
