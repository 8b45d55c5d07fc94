// Package finders holds the two finders: "What help can I get?" (the
// support finder, with saved answers in the account) and the business
// permit finder, which plans a business's permits from the catalogue's
// business types.
package finders

import (
	"github.com/gofiber/fiber/v2"

	"sportello/accounts"
	"sportello/catalogue"
	"sportello/portal/auth"
	"sportello/portal/web"
)

// Handler serves the finders' pages.
type Handler struct {
	*web.Shared
	store catalogue.Store
	auth  *auth.Auth
	// saved keeps the answers residents chose to save; nil: saving is not
	// offered.
	saved accounts.Answers
	// compiled holds the finders of the catalogue version (eligibility.go).
	compiled finderCache
	// PlanTargets lists the organisations the signed-in person may save a
	// business permit plan to (portal/onbehalf); nil offers none.
	PlanTargets func(c *fiber.Ctx) ([]PlanTarget, error)
}

// PlanTarget is an organisation a plan may be saved to: its name, and the
// form's action, which takes the plan's query in the field "query".
type PlanTarget struct{ Name, Action string }

// New returns the finders' handler.
func New(sh *web.Shared, store catalogue.Store, a *auth.Auth, saved accounts.Answers) *Handler {
	return &Handler{Shared: sh, store: store, auth: a, saved: saved}
}

// Routes mounts the finders.
func (s *Handler) Routes(r fiber.Router) {
	r.Get("/support-finder", s.supportStart)
	r.Get("/support-finder/questions/:name", s.auth.FormPage(), s.supportQuestionShow)
	r.Post("/support-finder/questions/:name", s.supportQuestionAnswer)
	r.Get("/support-finder/answers", s.auth.FormPage(), s.supportAnswersShow)
	r.Get("/support-finder/results", s.auth.FormPage(), s.supportResultsShow)
	r.Post("/support-finder/restart", s.supportRestart)
	r.Post("/support-finder/save", s.auth.RequireSignIn(), s.supportSave)
	r.Get("/account/support", s.auth.RequireSignIn(), s.supportAccountShow)
	r.Post("/account/support/delete", s.auth.RequireSignIn(), s.supportAccountDelete)
	r.Get("/business/start", s.businessStart)
	r.Get("/business/start/questions", s.businessStartQuestions)
	r.Get("/business/start/plan", s.businessStartPlan)
}
