package unsubscribe

import "github.com/gofiber/fiber/v2"

// unsubscribeShow says which mails the link stops and asks to confirm:
// GET /unsubscribe/{token}. Following a link turns nothing off by itself,
// since mail scanners follow links.
func (h *Handler) unsubscribeShow(c *fiber.Ctx) error {
	_, kind, err := h.check(c)
	if err != nil {
		return err
	}
	return c.Render("unsubscribe/show", h.page(c, kind, "unsubscribe.title"), "layouts/main")
}
