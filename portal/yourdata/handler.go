// Package yourdata is "Your data" in the account (GDPR articles 15, 17 and
// 20): everything the council holds about the signed-in person, as a page
// (/account/data) and as one JSON file (/account/data.json), and deleting
// their account (/account/delete). Each area hands over its own part
// through its interface (accounts, applications, payments, notify,
// supportalerts); this package composes them and never reads a table.
package yourdata

import (
	"github.com/gofiber/fiber/v2"

	"sportello/accounts"
	"sportello/acting"
	"sportello/applications"
	"sportello/appointments"
	"sportello/assist"
	"sportello/notify"
	"sportello/payments"
	"sportello/portal/apply"
	"sportello/portal/auth"
	"sportello/portal/web"
	"sportello/reports"
	"sportello/supportalerts"
)

// The pages' paths.
const (
	DataPath    = "/account/data"
	JSONPath    = "/account/data.json"
	DeletePath  = "/account/delete"
	DeletedPath = "/account/deleted"
)

// Areas are where each part of a person's data is kept.
type Areas struct {
	People   accounts.PersonalData
	Answers  accounts.Answers
	Apps     *applications.Store
	Payments *payments.Service
	Notes    *notify.Store
	Alerts   *supportalerts.Alerts
	// Reports forget the person's support of reports at a place; nil when
	// there are none.
	Reports accounts.Eraser
	// Acting erases the person's memberships and representations; nil
	// when the portal has none.
	Acting accounts.Eraser
}

// QA is one saved support-finder answer as the finder words it.
type QA struct {
	Name     string
	Question web.Localised
	Answer   string
}

// Handler serves "Your data" and deleting the account.
type Handler struct {
	*web.Shared
	auth  *auth.Auth
	areas Areas
	apply *apply.Handler
	// SupportAnswers words saved support-finder answers (JSON) in the
	// request's language, the way the finder shows them; nil lists the
	// answers by question name.
	SupportAnswers func(c *fiber.Ctx, raw string) ([]QA, error)
	// RetentionDays is how long a service's applications are kept after
	// they are closed, from the catalogue; false when it does not say, and
	// the pages say it in general words.
	RetentionDays func(serviceSlug string) (int, bool)
	// Assist is what staff did for the person at the counter ("Who acted
	// for you"); nil shows nothing of it.
	Assist *assist.Store
	// Appointments, Acting and Supported are the person's appointments,
	// organisations and representations, and the reports at a place they
	// support; each nil shows nothing of it.
	Appointments appointments.Store
	Acting       acting.Store
	Supported    reports.Supporting
}

// New returns the handler.
func New(sh *web.Shared, a *auth.Auth, areas Areas, ap *apply.Handler) *Handler {
	return &Handler{Shared: sh, auth: a, areas: areas, apply: ap}
}

// Routes mounts the pages, each for the signed-in person only but the
// confirmation that the account is gone.
func (s *Handler) Routes(r fiber.Router) {
	in := s.auth.RequireSignIn()
	r.Get(DataPath, in, s.dataShow)
	r.Get(JSONPath, in, s.dataDownload)
	r.Get(DeletePath, in, s.accountDeleteShow)
	r.Post(DeletePath, in, s.accountDelete)
	r.Get(DeletedPath, s.accountDeletedShow)
}
