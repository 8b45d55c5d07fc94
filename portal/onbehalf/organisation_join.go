package onbehalf

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"sportello/acting"
	"sportello/portal/web"
)

// organisationJoinShow shows an invitation to join an organisation: GET
// /account/organisations/join/{token}.
func (h *Handler) organisationJoinShow(c *fiber.Ctx) error {
	inv, err := h.acting.Invitation(c.UserContext(), c.Params("token"))
	if errors.Is(err, acting.ErrNotFound) {
		return linkGone()
	}
	if err != nil {
		return err
	}
	return showAccept(c, "join", inv.OrganisationName, []fact{
		{web.T(c, "acting.organisation"), inv.OrganisationName},
		{web.T(c, "acting.role"), web.T(c, "acting.role."+inv.Role)},
	})
}

// organisationJoin makes the signed-in person a member: POST
// /account/organisations/join/{token}.
func (h *Handler) organisationJoin(c *fiber.Ctx) error {
	org, err := h.acting.Join(c.UserContext(), c.Params("token"), viewer(c).PersonID)
	if errors.Is(err, acting.ErrNotFound) {
		return linkGone()
	}
	if err != nil {
		return err
	}
	return c.Redirect(organisationURL(org.ID)+"?done=joined", fiber.StatusSeeOther)
}
