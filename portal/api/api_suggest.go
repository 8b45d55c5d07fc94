package api

import (
	"github.com/gofiber/fiber/v2"

	"sportello/portal/public"
	"sportello/portal/web"
)

type SuggestBody struct {
	Query       string          `json:"query"`
	Suggestions []apiSuggestion `json:"suggestions"`
}

type apiSuggestion struct {
	Slug  string `json:"slug"`
	Title string `json:"title"`
	URL   string `json:"url"`
}

const SuggestLimit = 8

// apiSuggest feeds the search box's autocomplete. URLs are relative: the
// script follows them on the same site.
func (s *Handler) apiSuggest(c *fiber.Ctx) error {
	q := public.CleanQuery(c.Query("q"))
	body := SuggestBody{Query: q, Suggestions: []apiSuggestion{}}
	if q != "" {
		list, err := s.index.Suggest(c.UserContext(), web.LangOf(c), q, SuggestLimit)
		if err != nil {
			return web.NewError(fiber.StatusInternalServerError, "error.search", err)
		}
		for _, sg := range list {
			body.Suggestions = append(body.Suggestions, apiSuggestion{Slug: sg.Slug, Title: sg.Title, URL: web.ServiceURL(sg.Slug)})
		}
	}
	// Suggestions change only with the catalogue; a short cache spares the
	// index a request per keystroke when people type the same prefixes.
	c.Set(fiber.HeaderCacheControl, "public, max-age=300")
	return c.JSON(body)
}
