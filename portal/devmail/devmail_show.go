package devmail

import (
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"sportello/notify"
	"sportello/portal/web"
	"sportello/store"
)

// showPage is templates/devmail/show.html's data.
type showPage struct {
	web.Page
	Mail    notify.DevMail
	Sent    string
	HTMLURL string // "" when the message has no HTML
}

// devMailShow shows one message: its headers, its text and, in a sandboxed
// frame, its HTML: GET /dev-mail/{id}.
func (h *Handler) devMailShow(c *fiber.Ctx) error {
	m, err := h.message(c)
	if err != nil {
		return err
	}
	p := web.NewPage(c, "")
	p.Title = web.T(c, "devmail.message_title", "Subject", m.Subject)
	page := showPage{Page: p, Mail: m, Sent: h.DateTime(p.Lang, m.Sent)}
	if m.HTML != "" {
		page.HTMLURL = Path + "/" + strconv.FormatInt(m.ID, 10) + "/html"
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return web.Render(c, "devmail/show", page)
}

// message is the message the route's id names, or a 404.
func (h *Handler) message(c *fiber.Ctx) (notify.DevMail, error) {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil {
		return notify.DevMail{}, web.NewError(fiber.StatusNotFound, "", err)
	}
	m, err := h.box.Get(c.UserContext(), id)
	if errors.Is(err, store.ErrNotFound) {
		return m, web.NewError(fiber.StatusNotFound, "", err)
	}
	return m, err
}
