package public

import (
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"sportello/portal/web"
)

// countSearchClick counts a click on a search result for the insights: a
// service page opened from this site's search results page. The browser
// says so in the Referer header (the site's Referrer-Policy sends the full
// address within the site), so result links stay plain links to the
// service and nothing but the query and the page language is looked at.
func (s *Handler) countSearchClick(c *fiber.Ctx) {
	if s.feedback == nil {
		return
	}
	ref := c.Get(fiber.HeaderReferer)
	if ref == "" {
		return
	}
	u, err := url.Parse(ref)
	if err != nil || u.Path != "/search" || u.Host != string(c.Request().Host()) {
		return
	}
	if q := u.Query().Get("q"); q != "" {
		s.insights.Click(web.LangOf(c), q, strings.Clone(c.Params("slug")))
	}
}

// recordSearch counts a search for the insights: its first page only, so
// paging through results is one search.
func (s *Handler) recordSearch(lang, query string, page, total int) {
	if s.feedback == nil || page > 1 {
		return
	}
	s.insights.Search(lang, query, total)
}
