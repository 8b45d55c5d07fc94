package portal

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestSearchShow(t *testing.T) {
	runScenarios(t, []scenario{
		{
			name: "no query shows the form and topics", path: "/search", status: http.StatusOK,
			contains: []string{`<h1>Search</h1>`, `name="q"`, `href="/topics/housing"`},
			excludes: []string{"result"},
		},
		{
			name: "results are counted and highlighted", path: "/search?q=bin", status: http.StatusOK,
			contains: []string{
				"Search results for “bin”", "6 results", `<mark>bin</mark>`,
				`href="/services/report-overflowing-litter-bin"`, `value="bin"`,
				`name="topic" value="waste-recycling"`, "Can be done online", `<span class="count">(`,
			},
		},
		{
			name: "filters are a plain form that keeps its state", path: "/search?q=permit&topic=parking-transport&online=1&free=0", status: http.StatusOK,
			contains: []string{
				`id="topic-parking-transport" name="topic" value="parking-transport" checked`,
				`id="filter-online" name="online" value="1" checked`,
				`<input type="hidden" name="q" value="permit">`,
			},
			excludes: []string{`id="filter-free" name="free" value="1" checked`},
		},
		{
			name: "did you mean", path: "/search?q=recyclign", status: http.StatusOK,
			contains: []string{"Did you mean", `href="/search?q=recycling"`},
		},
		{
			name: "empty state helps", path: "/search?q=zzqqxx", status: http.StatusOK,
			contains: []string{"0 results", "We could not find a matching service", "Check the spelling.", `href="/topics/waste-recycling"`, "hello@portanova.example"},
		},
		{
			name: "one result is singular", path: "/search?q=pothole&topic=roads-streets-safety", status: http.StatusOK,
			contains: []string{"1 result<", `href="/services/report-a-pothole"`},
		},
		{
			name: "filters alone list services, paginated", path: "/search?audience=business", status: http.StatusOK,
			contains: []string{"Page 1 of", `href="/search?audience=business&amp;page=2" rel="next"`},
			excludes: []string{`rel="prev"`},
		},
		{
			name: "second page links back", path: "/search?audience=business&page=2", status: http.StatusOK,
			contains: []string{"Page 2 of", `href="/search?audience=business" rel="prev"`},
		},
		{
			name: "spanish search", path: "/search?q=aparcamiento&lang=es", status: http.StatusOK,
			contains: []string{`<html lang="es">`, "resultados", "<mark>"},
		},
	})
}

// Whatever a resident types, the page answers (never a 500) and what they
// typed never comes back as markup.
func TestSearchShowHostileInput(t *testing.T) {
	inputs := []string{
		`"unbalanced quote`, `+bin -parking`, `title:bin`, `bin:`, `:`, `*`, `?`, `~2`, `bin^10`, `(bin`, `/regex.*/`,
		`' OR 1=1; DROP TABLE services;--`, `%`, `\`, "\x00\x01\x1f bin \x7f", "\u202e bin", "bin\r\nSet-Cookie: x=y",
		`"><script>alert(1)</script>`, strings.Repeat("a", 10<<10), strings.Repeat("bin ", 2500), strings.Repeat("é", 1000) + "\xff\xfe",
	}
	for _, in := range inputs {
		for _, base := range []string{"/search?q=", "/api/v1/search?q=", "/api/v1/suggest?q="} {
			path := base + url.QueryEscape(in)
			res, body := get(t, path, nil)
			if res.StatusCode != http.StatusOK {
				t.Errorf("GET %.80s: status %d, want 200\n%s", path, res.StatusCode, excerpt(body))
			}
			if strings.Contains(body, "<script>alert") {
				t.Errorf("GET %.80s: the query came back unescaped", path)
			}
		}
	}
	for _, path := range []string{
		"/search?q=bin&page=-1", "/search?q=bin&page=abc", "/search?q=bin&page=99999999999999999999",
		"/search?q=bin&page=5000", "/search?topic=%27;--&audience=alien&online=maybe",
	} {
		if res, body := get(t, path, nil); res.StatusCode != http.StatusOK {
			t.Errorf("GET %s: status %d, want 200\n%s", path, res.StatusCode, excerpt(body))
		}
	}
}

// On a phone the results come first and the filters wait behind a
// disclosure that works without JavaScript (issue 15): the results are
// before the filters in the page, and the <details> is closed until a
// filter is set, then open saying how many, in every language.
func TestSearchResultsBeforeFilters(t *testing.T) {
	tests := []struct {
		path, summary string
		open          bool
	}{
		{"/search?q=bin", "Filter the results", false},
		{"/search?q=permit&topic=parking-transport&online=1", "Filter the results <span class=\"count\">(2 set)</span>", true},
		{"/search?q=permiso&online=1&lang=es", "Filtrar los resultados <span class=\"count\">(1 aplicados)</span>", true},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			_, body := get(t, tt.path, nil)
			results, filters := strings.Index(body, `class="result-count"`), strings.Index(body, `class="filters-disclosure"`)
			if results < 0 || filters < 0 || results > filters {
				t.Fatalf("results at %d, filters at %d: the results must come first", results, filters)
			}
			if first := strings.Index(body, `class="result__title"`); first < 0 || first > filters {
				t.Errorf("the first result (at %d) is not before the filters (at %d)", first, filters)
			}
			if !strings.Contains(body, tt.summary+"</h2></summary>") {
				t.Errorf("the disclosure's summary is not %q", tt.summary)
			}
			if open := strings.Contains(body, `<details class="filters-disclosure" open>`); open != tt.open {
				t.Errorf("disclosure open = %v, want %v", open, tt.open)
			}
			if strings.Contains(body, "<script>") || strings.Contains(body, ` style="`) {
				t.Error("inline script or style")
			}
		})
	}
	_, css := get(t, fixture.srv.Site.Assets.URL("app.css"), nil)
	for _, want := range []string{`grid-template-areas: "filters results"`, ".search-layout__filters { grid-area: filters; }"} {
		if !strings.Contains(css, want) {
			t.Errorf("app.css lacks %s: wide screens would put the filters after the results", want)
		}
	}
}
