package portal

import (
	"net/http"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"

	"sportello/portal/auth"
	"sportello/portal/web"
)

// Who may use the back office, by role.
var (
	staffOnly     = auth.RequireRole("staff.error.forbidden", web.RoleCaseworker, web.RoleAdmin)
	editorOnly    = auth.RequireRole("", web.RoleEditor, web.RoleAdmin)
	publisherOnly = auth.RequireRole("editor.error.publisher", web.RoleAdmin)
	adminOnly     = auth.RequireRole("holidays.error.forbidden", web.RoleAdmin)
	counterOnly   = auth.RequireRole("assist.error.forbidden", web.RoleCounter, web.RoleCaseworker, web.RoleAdmin)
)

// routes lists every route of the portal; it reads as the site map.
func (s *Server) routes(app *fiber.App) {
	s.middleware(app)

	app.Get(web.AssetsPrefix+"*", s.Site.Assets.Handler())
	app.Get("/healthz", s.healthShow)
	if s.ready != nil {
		app.Get("/readyz", adaptor.HTTPHandler(s.ready))
	}
	app.Get("/sitemap.xml", s.public.SitemapShow) // no session: the same for everyone

	// Sign-in. The development provider sits before the session and CSRF
	// middleware: it is another party, with its own forms and state.
	if s.idp != nil {
		app.Use(auth.DevIdPPath, adaptor.HTTPHandler(http.StripPrefix(auth.DevIdPPath, s.idp)))
	}
	app.Use(s.auth.Sessions(), s.privateWhenSignedIn, s.auth.CSRF())
	app.Get(auth.PathLogin, s.signInLimit, s.auth.Login)
	app.Get(auth.PathCallback, s.signInLimit, s.auth.Callback)
	app.Post(auth.PathLogout, s.auth.Logout)
	app.Post(auth.PathBackChannelLogout, s.auth.BackChannelLogout)
	app.Get(auth.PathAccount, s.auth.Account)

	// The public site: /, /search, /services/{slug}, /topics..., /life-events...,
	// /journeys..., /business, /services/{slug}/feedback.
	s.public.Routes(app, s.auth)

	// Applying online, the applicant's account, the caseworkers' queue.
	// /services/{slug}/apply..., /account/applications..., /account/files/{id}
	s.apply.Routes(app)
	// Appointments: booking a time (/services/{slug}/book/...), the
	// resident's (/account/appointments/..., and /appointments/manage/{token}
	// for someone who booked without signing in), and the caseworkers' day
	// at each office (/staff/appointments).
	if s.booking != nil {
		s.booking.Routes(app, staffOnly)
	}
	// The caseworkers: /staff, /staff/applications/{ref}, /staff/files/{id}
	s.staff.Routes(app, staffOnly)
	// Assisted digital, staff applying and paying with a resident at the
	// counter: /staff/assist, /staff/assist/find, /staff/assist/residents...,
	// /staff/assist/visits/{visit}..., with the service's form under it.
	if s.counter != nil {
		s.counter.Routes(app, counterOnly)
	}
	// Notifications that could not be sent: /staff/notifications.
	if s.outbox != nil {
		s.outbox.Routes(app, staffOnly)
	}
	// Reports at a place, for caseworkers: /staff/reports (list and map),
	// /staff/reports/{id} (a report; its status).
	if s.reports != nil {
		s.reports.Routes(app, staffOnly)
	}
	// The council's public holidays, for administrators: /staff/holidays.
	if s.holidays != nil {
		s.holidays.Routes(app, adminOnly)
	}

	// Acting for someone else: /account/acting..., /account/organisations...,
	// and for caseworkers /staff/acting... (organisations to confirm,
	// powers of attorney on paper).
	if s.onbehalf != nil {
		s.onbehalf.Routes(app, staffOnly)
	}

	// Support finder and business permit finder.
	// /support-finder/..., /account/support..., /business/start...
	s.finders.Routes(app)

	// What people are mailed: /account/notifications..., with the link
	// that confirms an address, /account/notifications/confirm/{token}.
	if s.account != nil {
		s.account.Routes(app)
	}

	// Everything held about the signed-in person, and deleting their
	// account: /account/data, /account/data.json, /account/delete,
	// /account/deleted.
	if s.yourdata != nil {
		s.yourdata.Routes(app)
	}

	// Payments: /applications/{ref}/pay, /payments/..., the provider's
	// webhook, /account/payments, /staff/payments.
	s.pay.Routes(app, s.auth, staffOnly)

	// The links at the foot of the mails one may turn off: /unsubscribe/{token}.
	// A mail client's one-click POST is exempt from CSRF (the token is the
	// capability; see portal/unsubscribe).
	if s.unsub != nil {
		s.unsub.Routes(app, s.auth.FormPage())
	}

	// Content editors: /editor/..., and /preview/{token} for shared previews.
	if s.editor != nil {
		s.editor.Routes(app, editorOnly, publisherOnly)
	}

	// The development mailbox, without a mail server outside production:
	// /dev-mail, /dev-mail/{id}, /dev-mail/{id}/html.
	if s.devmail != nil {
		s.devmail.Routes(app)
	}

	// The Open311 GeoReport v2 API over the reports at a place, in JSON and
	// XML: /open311/discovery.json, /open311/v2/services.json,
	// /open311/v2/requests.json...; reading is open, sending takes an API
	// key (exempt from CSRF: open311.Exempt), which administrators issue at
	// /staff/open311-keys. Its routes are in openapi.json too.
	if s.open311 != nil {
		s.open311.Routes(app, adminOnly)
	}

	// JSON API for machines: /api/v1/...; every route is in its openapi.json.
	s.api.Routes(app.Group("/api/v1"))

	// Anything else falls through to Fiber's 404, which handleError turns
	// into the helpful 404 page (or a JSON 404 under /api).
}
