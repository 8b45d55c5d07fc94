package devmail

import (
	"github.com/gofiber/fiber/v2"

	"sportello/portal/web"
)

// htmlPolicy is the Content-Security-Policy of a message's HTML. sandbox
// gives the document an origin of its own and forbids scripts, forms,
// pop-ups and navigating the page around it; nothing may load from
// anywhere, so a message cannot call home; only the mail's own inline
// styles apply, since that is how mail is styled; and only the mailbox's
// own page may frame it.
const htmlPolicy = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; form-action 'none'; base-uri 'none'"

// devMailHTML serves a message's HTML as a document of its own, for the
// frame of its page: GET /dev-mail/{id}/html.
func (h *Handler) devMailHTML(c *fiber.Ctx) error {
	m, err := h.message(c)
	if err != nil {
		return err
	}
	if m.HTML == "" {
		return web.NewError(fiber.StatusNotFound, "", nil)
	}
	c.Set(fiber.HeaderContentSecurityPolicy, htmlPolicy)
	c.Set(fiber.HeaderXFrameOptions, "SAMEORIGIN")
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Type("html", "utf-8")
	return c.SendString(m.HTML)
}
