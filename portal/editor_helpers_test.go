package portal

import (
	"context"
	"net/url"
	"strconv"
	"testing"

	"sportello/catalogue"
	"sportello/portal/editor"
	"sportello/search"
)

// The editor tests run on a live site with its own catalogue
// (startLiveSite(t, ownCatalogue)): they change it.

// serviceForm is the editor's form for a service as the page would submit
// it, with its token, base revision and button.
func serviceForm(t testing.TB, s *catalogue.Service, csrf string, base int64, action string) url.Values {
	t.Helper()
	v := editor.EntryValues(catalogue.KindService, s, catalogue.Languages)
	v.Set("_csrf", csrf)
	v.Set("base_revision", strconv.FormatInt(base, 10))
	v.Set("action", action)
	return v
}

// publishedService reads a service as published now.
func (s *liveSite) publishedService(t testing.TB, slug string) *catalogue.Service {
	t.Helper()
	svc, err := s.store.Service(context.Background(), slug)
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

// searchSlugs searches the site's index directly.
func (s *liveSite) searchSlugs(t testing.TB, q, lang string) []string {
	t.Helper()
	r, err := s.index.Search(context.Background(), search.Request{Query: q, Lang: lang})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, h := range r.Hits {
		out = append(out, h.Slug)
	}
	return out
}
