// Package staff holds the caseworkers' pages: the queue of applications,
// one application with its answers, files, history and payments, and the
// decisions on it.
package staff

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"sportello/accounts"
	"sportello/acting"
	"sportello/applications"
	"sportello/applications/forms"
	"sportello/portal/access"
	"sportello/portal/apply"
	"sportello/portal/pay"
	"sportello/portal/web"
)

// Handler serves the caseworkers' pages.
type Handler struct {
	*web.Shared
	apps   *applications.Store
	forms  *forms.Validator
	access *access.Access
	apply  *apply.Handler
	pay    *pay.Handler
	people accounts.People
	orgs   Organisations
}

// Organisations names the organisations applications are made for.
type Organisations interface {
	Organisation(ctx context.Context, id int64) (acting.Organisation, error)
}

// New returns the caseworkers' pages' handler. people names who did what in
// an application's history and who sent it for the applicant; nil shows
// their roles only. orgs names the organisation an application is made
// for; nil leaves it out.
func New(sh *web.Shared, apps *applications.Store, fv *forms.Validator, acc *access.Access, ap *apply.Handler, p *pay.Handler, people accounts.People, orgs Organisations) *Handler {
	return &Handler{Shared: sh, apps: apps, forms: fv, access: acc, apply: ap, pay: p, people: people, orgs: orgs}
}

// Routes mounts the caseworkers' pages behind staffOnly.
func (s *Handler) Routes(r fiber.Router, staffOnly fiber.Handler) {
	r.Get("/staff", staffOnly, s.staffQueue)
	r.Get("/staff/applications/:ref", staffOnly, s.staffApplicationShow)
	r.Post("/staff/applications/:ref/status", staffOnly, s.staffApplicationStatus)
	r.Get("/staff/files/:id", staffOnly, s.staffFile)
}
