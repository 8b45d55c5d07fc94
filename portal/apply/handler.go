// Package apply holds the pages of applying online — a service's form,
// check your answers, sending, the confirmation — and the applicant's own
// applications in the account: the list, one application with its history,
// answering a request for more information, withdrawing, their files.
package apply

import (
	"sportello/accounts"

	"github.com/gofiber/fiber/v2"

	"sportello/applications"
	"sportello/applications/forms"
	"sportello/catalogue"
	"sportello/portal/access"
	"sportello/portal/auth"
	"sportello/portal/pay"
	"sportello/portal/web"
	"sportello/reports"
)

// Handler serves applying and the account's applications.
type Handler struct {
	*web.Shared
	store  catalogue.Store
	apps   *applications.Store
	forms  *forms.Validator
	auth   *auth.Auth
	access *access.Access
	pay    *pay.Handler
	// Saved are the support-finder answers residents saved, which a form
	// may offer (apply_prefill.go); nil offers none of them.
	Saved accounts.Answers
	// Reports are the reports at a place, which the report-kind services'
	// forms make (apply_report.go), and Map how their location questions
	// draw the map; nil Reports keeps reports plain applications.
	Reports reports.Store
	Map     *web.Map
}

// New returns the handler of applying and the account's applications.
func New(sh *web.Shared, store catalogue.Store, apps *applications.Store, fv *forms.Validator, a *auth.Auth, acc *access.Access, p *pay.Handler) *Handler {
	return &Handler{Shared: sh, store: store, apps: apps, forms: fv, auth: a, access: acc, pay: p}
}

// Routes mounts applying and the account's applications.
func (s *Handler) Routes(r fiber.Router) {
	r.Get("/services/:slug/apply", s.auth.FormPage(), s.applyShow)
	r.Post("/services/:slug/apply", s.applyContinue)
	r.Get("/services/:slug/apply/check", s.auth.FormPage(), s.applyCheck)
	r.Post("/services/:slug/apply/submit", s.applySubmit)
	r.Get("/services/:slug/apply/confirmation", s.auth.FormPage(), s.applyConfirmation)
	r.Post("/services/:slug/apply/support", s.applySupport)
	r.Get("/services/:slug/apply/added", s.auth.FormPage(), s.applyAdded)
	r.Get("/account/applications", s.auth.RequireSignIn(), s.accountApplicationsIndex)
	r.Get("/account/applications/:ref", s.auth.RequireSignIn(), s.accountApplicationShow)
	r.Post("/account/applications/:ref/withdraw", s.auth.RequireSignIn(), s.accountApplicationWithdraw)
	r.Post("/account/applications/:ref/respond", s.auth.RequireSignIn(), s.accountApplicationRespond)
	r.Get("/account/files/:id", s.auth.RequireSignIn(), s.accountApplicationFile)
}
