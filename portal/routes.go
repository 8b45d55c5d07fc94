package portal

import (
	"net/http"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"

	"sportello/portal/auth"
	"sportello/portal/web"
)

// routes lists every route of the portal; it reads as the site map.
func (s *Server) routes(app *fiber.App) {
	s.middleware(app)

	app.Get(web.AssetsPrefix+"*", s.site.Assets.Handler())
	app.Get("/healthz", s.healthShow)
	app.Get("/sitemap.xml", s.sitemapShow)

	// Sign-in. The development provider sits before the session and CSRF
	// middleware: it is another party, with its own forms and state.
	if s.idp != nil {
		app.Use(auth.DevIdPPath, adaptor.HTTPHandler(http.StripPrefix(auth.DevIdPPath, s.idp)))
	}
	app.Use(s.auth.Sessions(), s.auth.CSRF())
	app.Get(auth.PathLogin, s.auth.RateLimit(), s.auth.Login)
	app.Get(auth.PathCallback, s.auth.RateLimit(), s.auth.Callback)
	app.Post(auth.PathLogout, s.auth.Logout)
	app.Post(auth.PathBackChannelLogout, s.auth.BackChannelLogout)
	app.Get(auth.PathAccount, s.auth.Account)

	// Public pages.
	app.Get("/", s.homeShow)
	app.Get("/search", s.searchShow)
	app.Get("/services/:slug", s.serviceShow)
	app.Get("/topics", s.topicIndex)
	app.Get("/topics/:slug", s.topicShow)
	app.Get("/life-events", s.lifeEventIndex)
	app.Get("/life-events/:slug", s.lifeEventShow)
	app.Get("/journeys", s.journeyIndex)
	app.Get("/journeys/:slug", s.journeyShow)
	app.Get("/business", s.businessShow)

	// Applying online, the applicant's account, the caseworkers' queue.
	// (applications: begin)
	// (applications: end)

	// Support finder and business permit finder.
	// (support: begin)
	// (support: end)

	// Payments.
	// (payments: begin)
	// (payments: end)

	// Content editors.
	// (editor: begin)
	// (editor: end)

	// JSON API for machines; every route here is in openapi.json.
	api := app.Group("/api/v1")
	api.Get("/openapi.json", s.apiOpenAPI)
	api.Get("/services", s.apiServiceList)
	api.Get("/services/:slug", s.apiServiceShow)
	api.Get("/topics", s.apiTopicList)
	api.Get("/search", s.apiSearch)
	api.Get("/suggest", s.apiSuggest)

	// Anything else falls through to Fiber's 404, which handleError turns
	// into the helpful 404 page (or a JSON 404 under /api).
}
