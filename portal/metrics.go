package portal

import (
	"context"
	"slices"
	"time"

	"github.com/gofiber/fiber/v2"

	"sportello/metrics"
	"sportello/search"
)

// observe records each request's route pattern, status and duration. It
// runs before every other middleware, so the time covers them all and the
// status is the one the client got (accessLog has run the error handler).
func (s *Server) observe(c *fiber.Ctx) error {
	start := time.Now()
	err := c.Next()
	s.metrics.HTTPRequest(methodLabel(c.Method()), s.routeLabel(c.Route()), c.Response().StatusCode(), time.Since(start))
	return err
}

// unmatchedRoute labels the requests no route answered: unknown paths, and
// requests a site-wide middleware refused before they reached their route
// (a failed CSRF check).
const unmatchedRoute = "unmatched"

// routeLabel is the pattern of the route that answered ("/services/:slug"),
// never the request's path, which may hold a secret (a preview token) or a
// person's data, and has no bound. r is the last route or middleware the
// request went through.
func (s *Server) routeLabel(r *fiber.Route) string {
	switch {
	case len(r.Handlers) == 0:
		// The Route Fiber makes up when nothing matched; its Path is the
		// request's.
		return unmatchedRoute
	case s.routed[&r.Handlers[0]]:
		return r.Path
	case r.Path != "/":
		// A handler or middleware mounted at a prefix (the development
		// identity provider, a group's guard): the prefix is a pattern too.
		return r.Path
	}
	return unmatchedRoute
}

// routedHandlers tells the app's routes from its middleware (app.Use) by
// the address of their first handler. Fiber keeps which is which to
// itself, and a middleware at "/" has the same method and path as the home
// page; but GetRoutes(true) leaves middleware out, and its copies share
// their handlers with the routes the router matches.
func routedHandlers(app *fiber.App) map[*fiber.Handler]bool {
	routed := map[*fiber.Handler]bool{}
	for _, r := range app.GetRoutes(true) {
		if len(r.Handlers) > 0 {
			routed[&r.Handlers[0]] = true
		}
	}
	return routed
}

// methodLabel returns Fiber's constant for each method it routes, so the
// label never holds the request's own bytes.
func methodLabel(m string) string {
	if i := slices.Index(fiber.DefaultMethods, m); i >= 0 {
		return fiber.DefaultMethods[i]
	}
	return "OTHER"
}

// observedSearcher is the index as residents search it, on the site and
// through the API: each search's time and whether it found nothing go to
// the metrics. The editor's search-quality pages use the index directly,
// so that their judged runs do not count as residents' searches.
type observedSearcher struct {
	search.Searcher
	metrics *metrics.Metrics
}

func observeSearches(s search.Searcher, m *metrics.Metrics) search.Searcher {
	if m == nil {
		return s
	}
	return observedSearcher{Searcher: s, metrics: m}
}

func (o observedSearcher) Search(ctx context.Context, r search.Request) (search.Result, error) {
	start := time.Now()
	res, err := o.Searcher.Search(ctx, r)
	if err == nil {
		o.metrics.Search(time.Since(start), res.Total)
	}
	return res, err
}
