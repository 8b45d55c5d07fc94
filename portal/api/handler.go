// Package api is the JSON API for machines under /api/v1: services, topics,
// service alerts, search and suggestions, described by the OpenAPI document
// it serves.
package api

import (
	"github.com/gofiber/fiber/v2"

	"sportello/catalogue"
	"sportello/portal/web"
	"sportello/search"
)

// Handler serves the JSON API.
type Handler struct {
	*web.Shared
	store catalogue.Store
	index search.Searcher
}

// New returns the JSON API's handler.
func New(sh *web.Shared, store catalogue.Store, index search.Searcher) *Handler {
	return &Handler{Shared: sh, store: store, index: index}
}

// Routes mounts the API; every route here is in openapi.json.
func (s *Handler) Routes(r fiber.Router) {
	r.Get("/openapi.json", s.apiOpenAPI)
	r.Get("/services", s.apiServiceList)
	r.Get("/services/:slug", s.apiServiceShow)
	r.Get("/topics", s.apiTopicList)
	r.Get("/alerts", s.apiAlertList)
	r.Get("/search", s.apiSearch)
	r.Get("/suggest", s.apiSuggest)
}
