package onbehalf

import (
	"errors"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"sportello/acting"
	"sportello/notify"
	"sportello/portal/apply"
	"sportello/portal/web"
)

// organisationPage is templates/acting/organisation_show.html's data.
type organisationPage struct {
	web.Page
	Notice       string
	ID           int64
	Name, TaxID  string
	Confirmed    bool
	Owner        bool // the viewer may invite
	Members      []memberRow
	Invitations  []memberRow
	Applications []apply.Row
	Plans        []planRow
	Invite       inviteForm
	InviteAction string
	Errors       []errorLink
	LeaveAction  string
}

type memberRow struct {
	Name, Email, Role, Since string
	RemoveAction             string // for an owner, another member's remove form; "" otherwise
}

type planRow struct{ Title, URL, Saved string }

type inviteForm struct {
	Email, Role string
	EmailError  string
	RoleError   string
}

// organisationShow shows an organisation to its members: who is in it,
// who is invited, what was applied for in its name, and its saved business
// permit plans: GET /account/organisations/{id}. Anyone else gets a 404.
func (h *Handler) organisationShow(c *fiber.Ctx) error {
	page, err := h.organisationPage(c, inviteForm{Role: acting.RoleMember})
	if err != nil {
		return err
	}
	switch n := c.Query("done"); n {
	case "registered", "joined", "invited", "plan_saved", "removed":
		page.Notice = "acting.done." + n
	}
	return web.Render(c, "acting/organisation_show", page)
}

func (h *Handler) organisationPage(c *fiber.Ctx, f inviteForm) (organisationPage, error) {
	c.Set(fiber.HeaderCacheControl, "no-store")
	id, err := c.ParamsInt("id")
	if err != nil || id <= 0 {
		return organisationPage{}, notFound()
	}
	org, role, ok, err := h.access.Member(c, int64(id))
	if err != nil {
		return organisationPage{}, err
	}
	if !ok {
		return organisationPage{}, notFound()
	}
	ctx, lang := c.UserContext(), web.LangOf(c)
	page := organisationPage{
		Page: web.NewPage(c, ""), ID: org.ID, Name: org.Name, TaxID: org.TaxID, Confirmed: org.Confirmed(),
		Owner: role == acting.RoleOwner, Invite: f, InviteAction: organisationURL(org.ID) + "/invitations",
		LeaveAction: organisationURL(org.ID) + "/leave",
	}
	page.Title = org.Name
	members, err := h.acting.Members(ctx, org.ID)
	if err != nil {
		return page, err
	}
	for _, m := range members {
		row := memberRow{Name: m.Name, Email: m.Email, Role: web.T(c, "acting.role."+m.Role), Since: h.Date(lang, m.JoinedAt)}
		if page.Owner && m.PersonID != viewer(c).PersonID {
			row.RemoveAction = organisationURL(org.ID) + "/members/" + strconv.FormatInt(m.PersonID, 10) + "/remove"
		}
		page.Members = append(page.Members, row)
	}
	if page.Owner {
		inv, err := h.acting.Invitations(ctx, org.ID)
		if err != nil {
			return page, err
		}
		for _, i := range inv {
			page.Invitations = append(page.Invitations, memberRow{Email: i.Email, Role: web.T(c, "acting.role."+i.Role), Since: h.Date(lang, i.Expires)})
		}
	}
	apps, err := h.apps.ListForOrganisation(ctx, org.ID)
	if err != nil {
		return page, err
	}
	d := h.Directory()
	for _, a := range apps {
		page.Applications = append(page.Applications, h.rows.RowOf(c, d, a, "/account/applications/"))
	}
	plans, err := h.acting.Plans(ctx, org.ID)
	if err != nil {
		return page, err
	}
	for _, p := range plans {
		title := p.BusinessType
		for _, bt := range d.BusinessTypes {
			if bt.Slug == p.BusinessType {
				title = d.Loc(bt.Title, lang).Text
			}
		}
		page.Plans = append(page.Plans, planRow{Title: title, URL: "/business/start/plan?" + p.Query, Saved: h.Date(lang, p.SavedAt)})
	}
	return page, nil
}

// organisationInvite invites someone by email: POST
// /account/organisations/{id}/invitations. Only owners invite; a member
// who is not gets a 403, anyone else a 404.
func (h *Handler) organisationInvite(c *fiber.Ctx) error {
	f := inviteForm{Email: strings.TrimSpace(c.FormValue("email")), Role: c.FormValue("role")}
	page, err := h.organisationPage(c, f)
	if err != nil {
		return err
	}
	if !page.Owner {
		return web.NewError(fiber.StatusForbidden, "acting.error.owner_only", nil)
	}
	addr, err := notify.ParseAddress(f.Email)
	if err != nil {
		page.Invite.EmailError = web.T(c, "acting.error.email")
		page.Errors = append(page.Errors, errorLink{Href: "#invite-email", Message: page.Invite.EmailError})
	}
	if f.Role != acting.RoleOwner && f.Role != acting.RoleMember {
		page.Invite.RoleError = web.T(c, "acting.error.role")
		page.Errors = append(page.Errors, errorLink{Href: "#invite-role-member", Message: page.Invite.RoleError})
	}
	if len(page.Errors) > 0 {
		page.Title = web.T(c, "apply.error_title_prefix") + " " + page.Title
		c.Status(fiber.StatusUnprocessableEntity)
		return web.Render(c, "acting/organisation_show", page)
	}
	_, err = h.acting.Invite(c.UserContext(), acting.Invite{OrganisationID: page.ID, Email: addr, Role: f.Role, By: viewer(c).PersonID, Lang: web.LangOf(c)})
	if errors.Is(err, acting.ErrInvalid) {
		return web.NewError(fiber.StatusUnprocessableEntity, "acting.error.email", err)
	}
	if err != nil {
		return err
	}
	return c.Redirect(organisationURL(page.ID)+"?done=invited", fiber.StatusSeeOther)
}
