package devmail

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"sportello/portal/web"
)

// listSize is how many of the latest messages the mailbox lists.
const listSize = 200

// indexPage is templates/devmail/index.html's data.
type indexPage struct {
	web.Page
	Messages []listed
}

type listed struct {
	URL, To, Subject, Sent string
}

// devMailIndex lists the latest messages, the newest first: GET /dev-mail.
func (h *Handler) devMailIndex(c *fiber.Ctx) error {
	p := web.NewPage(c, "devmail.title")
	msgs, err := h.box.List(c.UserContext(), listSize)
	if err != nil {
		return err
	}
	page := indexPage{Page: p}
	for _, m := range msgs {
		page.Messages = append(page.Messages, listed{
			URL: Path + "/" + strconv.FormatInt(m.ID, 10), To: m.To, Subject: m.Subject, Sent: h.DateTime(p.Lang, m.Sent),
		})
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return web.Render(c, "devmail/index", page)
}
