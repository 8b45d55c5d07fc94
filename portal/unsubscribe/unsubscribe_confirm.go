package unsubscribe

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"sportello/notify"
	"sportello/portal/web"
)

// unsubscribeConfirm turns the link's kind of mail off and says so: POST
// /unsubscribe/{token}, from the page's button or a mail client's one-click
// request. Doing it again changes nothing and says the same.
func (h *Handler) unsubscribeConfirm(c *fiber.Ctx) error {
	id, kind, err := h.check(c)
	if err != nil {
		return err
	}
	err = h.store.TurnOff(c.UserContext(), id, kind)
	switch {
	case errors.Is(err, notify.ErrUnknownPerson): // the person's account is gone
		return web.NewError(fiber.StatusNotFound, "unsubscribe.error.not_found", err)
	case err != nil:
		return web.NewError(fiber.StatusInternalServerError, "", err)
	}
	h.Log.InfoContext(c.UserContext(), "notifications turned off by an unsubscribe link", "kind", string(kind), "one_click", OneClick(c))
	return c.Render("unsubscribe/done", h.page(c, kind, "unsubscribe.done.title"), "layouts/main")
}
