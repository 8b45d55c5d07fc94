// Package onbehalf holds the pages of acting for someone else: a person's
// organisations (registering a business, its members and invitations, the
// applications made for it and the business permit plans saved to it), the
// people who may act for them and those they act for (authorising someone,
// accepting, ending), and, for caseworkers, confirming an organisation's
// tax ID and recording a power of attorney made on paper. Which
// applications these relations let someone see is decided in
// portal/access.
package onbehalf

import (
	"github.com/gofiber/fiber/v2"

	"sportello/acting"
	"sportello/applications"
	"sportello/portal/access"
	"sportello/portal/apply"
	"sportello/portal/auth"
	"sportello/portal/web"
)

// Paths of the pages.
const (
	IndexPath         = "/account/acting"
	OrganisationsPath = "/account/organisations"
	StaffPath         = "/staff/acting"
)

// Handler serves the pages of acting for someone else.
type Handler struct {
	*web.Shared
	acting acting.Store
	apps   *applications.Store
	access *access.Access
	auth   *auth.Auth
	rows   *apply.Handler // the applications' rows, as the account lists them
	// MaxDocument caps a scanned power of attorney, in bytes.
	MaxDocument int64
}

// New returns the pages' handler.
func New(sh *web.Shared, st acting.Store, apps *applications.Store, acc *access.Access, a *auth.Auth, rows *apply.Handler) *Handler {
	return &Handler{Shared: sh, acting: st, apps: apps, access: acc, auth: a, rows: rows, MaxDocument: 25 << 20}
}

// Routes mounts the pages; staffOnly guards the caseworkers'.
func (h *Handler) Routes(r fiber.Router, staffOnly fiber.Handler) {
	in := h.auth.RequireSignIn()
	r.Get(IndexPath, in, h.actingIndex)
	r.Post(IndexPath+"/representatives", in, h.representativeGrant)
	r.Post(IndexPath+"/representations/:id/end", in, h.representationEnd)
	r.Get(IndexPath+"/accept/:token", in, h.representationAcceptShow)
	r.Post(IndexPath+"/accept/:token", in, h.representationAccept)
	r.Get(OrganisationsPath+"/new", in, h.organisationNew)
	r.Post(OrganisationsPath, in, h.organisationRegister)
	r.Get(OrganisationsPath+"/join/:token", in, h.organisationJoinShow)
	r.Post(OrganisationsPath+"/join/:token", in, h.organisationJoin)
	r.Get(OrganisationsPath+"/:id", in, h.organisationShow)
	r.Post(OrganisationsPath+"/:id/invitations", in, h.organisationInvite)
	r.Post(OrganisationsPath+"/:id/plans", in, h.organisationPlanSave)
	r.Post(OrganisationsPath+"/:id/leave", in, h.organisationLeave)
	r.Post(OrganisationsPath+"/:id/members/:person/remove", in, h.organisationRemove)
	r.Get(StaffPath, staffOnly, h.staffIndex)
	r.Post(StaffPath+"/organisations/:id/confirm", staffOnly, h.staffConfirm)
	r.Post(StaffPath+"/representations", staffOnly, h.staffRecordPaper)
	r.Post(StaffPath+"/representations/:id/end", staffOnly, h.staffEnd)
	r.Get(StaffPath+"/representations/:id/document", staffOnly, h.staffDocument)
}

// errorLink is one line of an error summary.
type errorLink struct{ Href, Message string }

func viewer(c *fiber.Ctx) *web.Viewer { return web.ViewerOf(c) }

func notFound() error { return web.NewError(fiber.StatusNotFound, "", nil) }

// block is the data of a part shared by several pages (templates/acting/
// parts.html): the page's language and CSRF token, the prefix of its ids,
// and a table's rows or a form's fields.
type block struct {
	Lang, CSRF, ID string
	Rows           []repRow
	F              any
	Staff          bool // the words are the caseworker's, about a document
}

// IActForTable and the others are the page's blocks.
func (p actingIndexPage) IActForTable() block {
	return block{Lang: p.Lang, CSRF: p.CSRF, ID: "iactfor", Rows: p.IActFor}
}

func (p actingIndexPage) ActForMeTable() block {
	return block{Lang: p.Lang, CSRF: p.CSRF, ID: "actforme", Rows: p.ActForMe}
}

func (p actingIndexPage) ScopeBlock() block { return block{Lang: p.Lang, ID: "grant", F: p.Form} }

func (p staffPage) ScopeBlock() block {
	return block{Lang: p.Lang, ID: "paper", F: p.Form, Staff: true}
}
