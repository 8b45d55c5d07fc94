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
)

// routes lists every route of the portal; it reads as the site map.
func (s *Server) routes(app *fiber.App) {
	s.middleware(app)

	app.Get(web.AssetsPrefix+"*", s.Site.Assets.Handler())
	app.Get("/healthz", s.healthShow)
	app.Get("/sitemap.xml", s.sitemapShow)

	// Sign-in. The development provider sits before the session and CSRF
	// middleware: it is another party, with its own forms and state.
	if s.idp != nil {
		app.Use(auth.DevIdPPath, adaptor.HTTPHandler(http.StripPrefix(auth.DevIdPPath, s.idp)))
	}
	app.Use(s.auth.Sessions(), s.privateWhenSignedIn, s.auth.CSRF())
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
	// /services/{slug}/apply..., /account/applications..., /account/files/{id}
	s.apply.Routes(app)
	// The caseworkers: /staff, /staff/applications/{ref}, /staff/files/{id}
	s.staff.Routes(app, staffOnly)

	// Support finder and business permit finder.
	// (support: begin)
	app.Get("/support-finder", s.supportStart)
	app.Get("/support-finder/questions/:name", s.auth.FormPage(), s.supportQuestionShow)
	app.Post("/support-finder/questions/:name", s.supportQuestionAnswer)
	app.Get("/support-finder/answers", s.auth.FormPage(), s.supportAnswersShow)
	app.Get("/support-finder/results", s.auth.FormPage(), s.supportResultsShow)
	app.Post("/support-finder/restart", s.supportRestart)
	app.Post("/support-finder/save", s.auth.RequireSignIn(), s.supportSave)
	app.Get("/account/support", s.auth.RequireSignIn(), s.supportAccountShow)
	app.Post("/account/support/delete", s.auth.RequireSignIn(), s.supportAccountDelete)
	app.Get("/business/start", s.businessStart)
	app.Get("/business/start/questions", s.businessStartQuestions)
	app.Get("/business/start/plan", s.businessStartPlan)
	// (support: end)

	// Payments: /applications/{ref}/pay, /payments/..., the provider's
	// webhook, /account/payments, /staff/payments.
	s.pay.Routes(app, s.auth, staffOnly)

	// Content editors.
	// (editor: begin)
	app.Get("/services/:slug/feedback", s.auth.FormPage(), s.feedbackShow)
	app.Post("/services/:slug/feedback", s.feedbackLimited, s.feedbackSubmit)
	app.Get("/preview/:token", s.previewShow)
	ed := app.Group("/editor", editorOnly)
	ed.Get("/", s.editorIndex)
	ed.Get("/reviews", s.editorReviews)
	ed.Get("/search", s.editorSearch)
	ed.Post("/search/synonyms", s.editorSynonymSave)
	ed.Post("/search/synonyms/:id/delete", s.editorSynonymDelete)
	ed.Post("/search/best-bets", s.editorBestBetSave)
	ed.Post("/search/best-bets/delete", s.editorBestBetDelete)
	ed.Get("/feedback", s.editorFeedback)
	ed.Get("/duplicates", s.editorDuplicates)
	ed.Get("/audit", s.editorAudit)
	ed.Get("/import", s.editorImportShow)
	ed.Post("/import", publisherOnly, s.editorImport)
	ed.Get("/export.json", s.editorExportJSON)
	ed.Get("/export.csv", s.editorExportCSV)
	ed.Get("/create/:kind", s.entryNew)
	ed.Post("/create/:kind", s.entryCreate)
	ed.Get("/entries/:kind/:slug", s.entryShow)
	ed.Post("/entries/:kind/:slug", s.entrySave)
	ed.Post("/entries/:kind/:slug/publish", publisherOnly, s.entryPublish)
	ed.Post("/entries/:kind/:slug/archive", publisherOnly, s.entryArchive)
	ed.Post("/entries/:kind/:slug/discard", s.entryDiscard)
	ed.Post("/entries/:kind/:slug/review", s.entryReview)
	ed.Post("/entries/:kind/:slug/duplicate", s.entryDuplicate)
	ed.Get("/entries/:kind/:slug/preview", s.entryPreview)
	ed.Post("/entries/:kind/:slug/preview-link", s.entryPreviewLink)
	ed.Get("/entries/:kind/:slug/revisions", s.entryRevisions)
	ed.Get("/entries/:kind/:slug/diff", s.entryDiff)
	ed.Post("/entries/:kind/:slug/revisions/:rev/restore", s.entryRestore)
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
