package onbehalf

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"sportello/acting"
	"sportello/portal/web"
)

// acceptPage is templates/acting/accept.html's data: an invitation's link,
// to accept once signed in.
type acceptPage struct {
	web.Page
	Lead   string
	Facts  []fact
	Action string
	Button string
}

type fact struct{ Term, Value string }

// The links' tokens are capabilities: whoever holds one and is signed in
// may accept it (docs/adr/0022-acting-for-someone-else.md). An unknown,
// used or expired link is a 404 that says so.
func linkGone() error { return web.NewError(fiber.StatusNotFound, "acting.error.link", nil) }

// showAccept renders the page of a link to accept: kind ("accept",
// "join") names its title, lead and button, about name.
func showAccept(c *fiber.Ctx, kind, name string, facts []fact) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	page := acceptPage{
		Page:   web.NewPage(c, ""),
		Lead:   web.T(c, "acting."+kind+".lead", "Name", name),
		Action: c.Path(),
		Button: web.T(c, "acting."+kind+".button"),
		Facts:  facts,
	}
	page.Title = web.T(c, "acting."+kind+".title", "Name", name)
	return web.Render(c, "acting/accept", page)
}

// representationAcceptShow shows what accepting an authorisation means:
// GET /account/acting/accept/{token}.
func (h *Handler) representationAcceptShow(c *fiber.Ctx) error {
	r, err := h.acting.Offer(c.UserContext(), c.Params("token"))
	if errors.Is(err, acting.ErrNotFound) {
		return linkGone()
	}
	if err != nil {
		return err
	}
	return showAccept(c, "accept", r.PrincipalName, []fact{
		{web.T(c, "acting.accept.for"), r.PrincipalName},
		{web.T(c, "acting.services"), h.servicesText(c, r.Services)},
		{web.T(c, "acting.until"), h.ISODate(web.LangOf(c), r.Until)},
	})
}

// representationAccept makes the signed-in person the representative:
// POST /account/acting/accept/{token}.
func (h *Handler) representationAccept(c *fiber.Ctx) error {
	v := viewer(c)
	_, err := h.acting.Accept(c.UserContext(), c.Params("token"), v.PersonID, v.Name)
	switch {
	case errors.Is(err, acting.ErrNotFound):
		return linkGone()
	case errors.Is(err, acting.ErrInvalid):
		return web.NewError(fiber.StatusUnprocessableEntity, "acting.error.self", err)
	case err != nil:
		return err
	}
	return c.Redirect(IndexPath+"?done=accepted", fiber.StatusSeeOther)
}
