// Package public holds the public site: the home page, search, every
// service, topic, life-event and journey page, the business hub, the
// sitemap, and the "was this page useful?" feedback form.
package public

import (
	"github.com/gofiber/fiber/v2"

	"sportello/catalogue"
	"sportello/editorial"
	"sportello/portal/auth"
	"sportello/portal/web"
	"sportello/search"
)

// Handler serves the public site.
type Handler struct {
	*web.Shared
	store  catalogue.Store
	index  search.Searcher
	md     *web.Markdown
	engine *web.Engine
	// services caches rendered service pages per catalogue version.
	services *web.VersionCache[RenderedService]
	// business caches the page for businesses' groups per catalogue
	// version and language (business_show.go).
	business *web.VersionCache[businessContent]
	// feedback keeps page feedback; nil turns the feedback form off.
	feedback      editorial.Feedback
	feedbackLimit fiber.Handler
	insights      *Insights
	// SitemapSize is the most URLs one sitemap file lists
	// (defaultSitemapSize; tests make it small).
	SitemapSize int
}

// New returns the public site's handler. feedback and insights may be nil.
func New(sh *web.Shared, store catalogue.Store, index search.Searcher, engine *web.Engine, feedback editorial.Feedback, insights *Insights) *Handler {
	return &Handler{
		Shared: sh, store: store, index: index, md: web.NewMarkdown(), engine: engine,
		services: web.NewVersionCache[RenderedService](serviceCacheSize),
		business: web.NewVersionCache[businessContent](len(catalogue.Languages)),
		feedback: feedback, feedbackLimit: feedbackRateLimit.Handler(sh.Counter), insights: insights,
		SitemapSize: defaultSitemapSize,
	}
}

// Markdown renders editors' Markdown the way the public pages do.
func (s *Handler) Markdown() *web.Markdown { return s.md }

// Routes mounts the public pages.
func (s *Handler) Routes(r fiber.Router, a *auth.Auth) {
	r.Get("/", s.HomeShow)
	r.Get("/search", s.searchShow)
	r.Get("/services/:slug", s.serviceShow)
	r.Get("/topics", s.topicIndex)
	r.Get("/topics/:slug", s.topicShow)
	r.Get("/life-events", s.lifeEventIndex)
	r.Get("/life-events/:slug", s.lifeEventShow)
	r.Get("/journeys", s.journeyIndex)
	r.Get("/journeys/:slug", s.journeyShow)
	r.Get("/business", s.businessShow)
	r.Get("/accessibility", s.accessibilityShow)
	r.Get("/privacy", s.privacyShow)
	r.Get("/privacy/:slug", s.privacyServiceShow)
	r.Get("/cookies", s.cookiesShow(a))
	r.Get("/services/:slug/feedback", a.FormPage(), s.feedbackShow)
	r.Post("/services/:slug/feedback", s.feedbackLimited, s.feedbackSubmit)
}
