package onbehalf

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"sportello/acting"
	"sportello/portal/web"
)

// organisationLeave takes the signed-in member out of the organisation:
// POST /account/organisations/{id}/leave. The last owner is refused with
// the page and what to do (422); anyone not a member gets a 404.
func (h *Handler) organisationLeave(c *fiber.Ctx) error {
	page, err := h.organisationPage(c, inviteForm{Role: acting.RoleMember})
	if err != nil {
		return err
	}
	err = h.acting.RemoveMember(c.UserContext(), page.ID, viewer(c).PersonID)
	if errors.Is(err, acting.ErrLastOwner) {
		return h.lastOwner(c, page, "#leave-submit", "acting.members.error.last_owner_leave")
	}
	if errors.Is(err, acting.ErrNotFound) {
		return notFound()
	}
	if err != nil {
		return err
	}
	return c.Redirect(IndexPath+"?done=left", fiber.StatusSeeOther)
}

// organisationRemove takes a member out: POST
// /account/organisations/{id}/members/{person}/remove. Only owners
// remove; a member who is not gets a 403, anyone else a 404, as does a
// person who is not a member. The last owner is refused (422).
func (h *Handler) organisationRemove(c *fiber.Ctx) error {
	page, err := h.organisationPage(c, inviteForm{Role: acting.RoleMember})
	if err != nil {
		return err
	}
	if !page.Owner {
		return web.NewError(fiber.StatusForbidden, "acting.error.owner_only", nil)
	}
	person, err := c.ParamsInt("person")
	if err != nil || person <= 0 {
		return notFound()
	}
	err = h.acting.RemoveMember(c.UserContext(), page.ID, int64(person))
	if errors.Is(err, acting.ErrLastOwner) {
		return h.lastOwner(c, page, "#org-members", "acting.members.error.last_owner_remove")
	}
	if errors.Is(err, acting.ErrNotFound) {
		return notFound()
	}
	if err != nil {
		return err
	}
	if int64(person) == viewer(c).PersonID {
		return c.Redirect(IndexPath+"?done=left", fiber.StatusSeeOther)
	}
	return c.Redirect(organisationURL(page.ID)+"?done=removed", fiber.StatusSeeOther)
}

// lastOwner shows the organisation's page saying why its last owner
// cannot go and what to do instead.
func (h *Handler) lastOwner(c *fiber.Ctx, page organisationPage, href, key string) error {
	msg := web.T(c, key)
	page.Errors = append(page.Errors, errorLink{Href: href, Message: msg})
	page.Title = web.T(c, "apply.error_title_prefix") + " " + page.Title
	c.Status(fiber.StatusUnprocessableEntity)
	return web.Render(c, "acting/organisation_show", page)
}
