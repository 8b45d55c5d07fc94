package api

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"sportello/portal/web"
	"sportello/search"
)

type SearchBody struct {
	Query      string    `json:"query"`
	Total      int       `json:"total"`
	Page       int       `json:"page"`
	PerPage    int       `json:"per_page"`
	Hits       []apiHit  `json:"hits"`
	Facets     apiFacets `json:"facets"`
	DidYouMean string    `json:"did_you_mean,omitempty"`
}

type apiHit struct {
	Slug             string        `json:"slug"`
	URL              string        `json:"url"`
	Score            float64       `json:"score"`
	Title            string        `json:"title"`
	Snippet          string        `json:"snippet"`
	TitleFragments   []apiFragment `json:"title_fragments"`
	SnippetFragments []apiFragment `json:"snippet_fragments"`
}

type apiFragment struct {
	Text string `json:"text"`
	Mark bool   `json:"mark,omitempty"`
}

type apiFacets struct {
	Topics    map[string]int `json:"topics"`
	Audiences map[string]int `json:"audiences"`
	Online    int            `json:"online"`
	Free      int            `json:"free"`
}

func (s *Handler) apiSearch(c *fiber.Ctx) error {
	d := s.Directory()
	f, err := readFilters(c, d)
	if err != nil {
		return err
	}
	req := f.Request(web.LangOf(c))
	if c.Query("per_page") != "" {
		req.PerPage = perPage(c)
	}
	res, err := s.index.Search(c.UserContext(), req)
	if err != nil {
		return web.NewError(fiber.StatusInternalServerError, "error.search", err)
	}
	body := SearchBody{
		Query: f.Query, Total: res.Total, Page: res.Page, PerPage: res.PerPage, Hits: []apiHit{},
		Facets: apiFacets{
			Topics: nonNilCounts(res.Facets.Topics), Audiences: nonNilCounts(res.Facets.Audiences),
			Online: res.Facets.Online, Free: res.Facets.Free,
		},
		DidYouMean: res.DidYouMean,
	}
	for _, h := range res.Hits {
		body.Hits = append(body.Hits, apiHit{
			Slug: h.Slug, URL: s.BaseURL + web.ServiceURL(h.Slug), Score: h.Score,
			Title: plain(h.Title), Snippet: plain(h.Snippet),
			TitleFragments: fragments(h.Title), SnippetFragments: fragments(h.Snippet),
		})
	}
	return c.JSON(body)
}

func plain(fs []search.Fragment) string {
	var b strings.Builder
	for _, f := range fs {
		b.WriteString(f.Text)
	}
	return b.String()
}

func fragments(fs []search.Fragment) []apiFragment {
	out := make([]apiFragment, len(fs))
	for i, f := range fs {
		out[i] = apiFragment{Text: f.Text, Mark: f.Mark}
	}
	return out
}

func nonNilCounts(m map[string]int) map[string]int {
	if m == nil {
		return map[string]int{}
	}
	return m
}
