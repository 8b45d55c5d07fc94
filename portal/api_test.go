package portal

import (
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"sportello/applications"
	"sportello/portal/api"
	"sportello/reports"
)

func getJSON(t *testing.T, path string, into any) *http.Response {
	t.Helper()
	res, body := get(t, path, nil)
	if !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("GET %s: Content-Type %q", path, res.Header.Get("Content-Type"))
	}
	if err := json.Unmarshal([]byte(body), into); err != nil {
		t.Fatalf("GET %s: invalid JSON: %v\n%s", path, err, excerpt(body))
	}
	return res
}

func TestAPIServiceList(t *testing.T) {
	tests := []struct {
		path  string
		check func(t *testing.T, b api.ServiceListBody)
	}{
		{"/api/v1/services", func(t *testing.T, b api.ServiceListBody) {
			if b.Total != 132 || len(b.Services) != api.DefaultPerPage || b.Page != 1 {
				t.Errorf("total %d, page %d, %d services", b.Total, b.Page, len(b.Services))
			}
		}},
		{"/api/v1/services?page=7&per_page=20", func(t *testing.T, b api.ServiceListBody) {
			if len(b.Services) != 12 {
				t.Errorf("last page has %d services, want 12", len(b.Services))
			}
		}},
		{"/api/v1/services?topic=waste-recycling&per_page=100", func(t *testing.T, b api.ServiceListBody) {
			if b.Total != 10 {
				t.Errorf("waste services: %d, want 10", b.Total)
			}
			for _, s := range b.Services {
				if s.Topic != "waste-recycling" {
					t.Errorf("%s is in topic %s", s.Slug, s.Topic)
				}
			}
		}},
		{"/api/v1/services?audience=business&online=1&free=1&per_page=100", func(t *testing.T, b api.ServiceListBody) {
			if b.Total == 0 {
				t.Error("no free online business services")
			}
			for _, s := range b.Services {
				if !s.Online || !s.Free || !slices.Contains(s.Audience, "business") || s.Fee != nil {
					t.Errorf("%s does not pass the filters: %+v", s.Slug, s)
				}
			}
		}},
		{"/api/v1/services?lang=es&per_page=100", func(t *testing.T, b api.ServiceListBody) {
			byLang := map[string]int{}
			for _, s := range b.Services {
				byLang[s.Lang]++
				if s.Slug == "resident-parking-permit" && (s.Lang != "es" || s.Fee == nil || s.Fee.Formatted != "40,00\u00a0€ al año") {
					t.Errorf("resident-parking-permit in es: %+v %+v", s, s.Fee)
				}
			}
			if byLang["es"] == 0 || byLang["en"] == 0 {
				t.Errorf("languages of a spanish list: %v; want both es and the en fallback", byLang)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			var b api.ServiceListBody
			if res := getJSON(t, tt.path, &b); res.StatusCode != http.StatusOK {
				t.Fatalf("status %d", res.StatusCode)
			}
			tt.check(t, b)
		})
	}
	runScenarios(t, []scenario{
		{name: "unknown topic", path: "/api/v1/services?topic=nope", status: http.StatusBadRequest, contains: []string{`"code":"api.unknown_topic"`}},
		{name: "unknown audience", path: "/api/v1/services?audience=aliens", status: http.StatusBadRequest, contains: []string{`"code":"api.unknown_audience"`}},
	})
}

func TestAPITopicList(t *testing.T) {
	var b api.TopicListBody
	getJSON(t, "/api/v1/topics?lang=it", &b)
	if len(b.Topics) != 13 || b.Topics[0].Title != "Rifiuti e raccolta differenziata" || b.Topics[0].Services != 10 {
		t.Errorf("topics: %+v", b.Topics)
	}
}

func TestAPISearch(t *testing.T) {
	var b api.SearchBody
	getJSON(t, "/api/v1/search?q=parking&topic=parking-transport&per_page=3", &b)
	if b.Total == 0 || len(b.Hits) == 0 || len(b.Hits) > 3 || b.Facets.Topics["parking-transport"] != b.Total {
		t.Fatalf("search: total %d, %d hits, facets %+v", b.Total, len(b.Hits), b.Facets)
	}
	marked := false
	for _, f := range b.Hits[0].TitleFragments {
		marked = marked || f.Mark
	}
	if !marked || b.Hits[0].Title == "" || !strings.HasPrefix(b.Hits[0].URL, "https://portanova.example/services/") {
		t.Errorf("first hit: %+v", b.Hits[0])
	}
	getJSON(t, "/api/v1/search?q=recyclign", &b)
	if b.DidYouMean != "recycling" {
		t.Errorf("did_you_mean = %q, want recycling", b.DidYouMean)
	}
	// A filter the search does not know is refused, as the service list
	// refuses it, not dropped.
	runScenarios(t, []scenario{
		{name: "unknown topic", path: "/api/v1/search?q=bin&topic=nope", status: http.StatusBadRequest, contains: []string{`"code":"api.unknown_topic"`}},
		{name: "unknown audience", path: "/api/v1/search?q=bin&audience=aliens", status: http.StatusBadRequest, contains: []string{`"code":"api.unknown_audience"`}},
	})
}

func TestAPISuggest(t *testing.T) {
	var b api.SuggestBody
	getJSON(t, "/api/v1/suggest?q=park&lang=en", &b)
	if len(b.Suggestions) == 0 || len(b.Suggestions) > api.SuggestLimit {
		t.Fatalf("suggestions: %+v", b.Suggestions)
	}
	for _, s := range b.Suggestions {
		if s.Title == "" || s.URL != "/services/"+s.Slug {
			t.Errorf("suggestion %+v", s)
		}
	}
	getJSON(t, "/api/v1/suggest?q=", &b)
	if b.Suggestions == nil || len(b.Suggestions) != 0 {
		t.Errorf("empty prefix: %+v, want []", b.Suggestions)
	}
}

// Every documented path answers as documented, and every API route is
// documented.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	var doc struct {
		OpenAPI string `json:"openapi"`
		Servers []struct {
			URL string `json:"url"`
		} `json:"servers"`
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	type operation struct {
		Parameters []struct {
			Name    string `json:"name"`
			In      string `json:"in"`
			Example string `json:"example"`
		} `json:"parameters"`
		Responses map[string]any `json:"responses"`
	}
	getJSON(t, "/api/v1/openapi.json", &doc)
	// The Open311 paths name a report: one made for the test.
	live := open311Example(t)
	if !strings.HasPrefix(doc.OpenAPI, "3.") || len(doc.Servers) != 1 || doc.Servers[0].URL != "/api/v1" {
		t.Fatalf("not an OpenAPI 3 document for /api/v1: %s %+v", doc.OpenAPI, doc.Servers)
	}
	documented := map[string]bool{}
	for path, item := range doc.Paths {
		// A path may name its own server: the Open311 API is at the root.
		base := "/api/v1"
		if raw, ok := item["servers"]; ok {
			var servers []struct {
				URL string `json:"url"`
			}
			if err := json.Unmarshal(raw, &servers); err != nil || len(servers) != 1 {
				t.Fatalf("%s: servers %s", path, raw)
			}
			base = strings.TrimSuffix(servers[0].URL, "/")
		}
		for method, raw := range item {
			if method == "servers" {
				continue
			}
			var op operation
			if err := json.Unmarshal(raw, &op); err != nil {
				t.Fatalf("%s %s: %v", method, path, err)
			}
			documented[strings.ToUpper(method)+" "+fiberPath(base, path)] = true
			if _, ok := op.Responses["200"]; !ok && !(method == "post" && op.Responses["201"] != nil) {
				t.Errorf("%s %s documents no 200 response", method, path)
			}
			url := base + path
			for _, p := range op.Parameters {
				if p.In == "path" {
					if p.Example == "" {
						t.Errorf("%s %s: path parameter %s has no example", method, path, p.Name)
					}
					example := p.Example
					if v, ok := live[p.Name]; ok {
						example = v
					}
					url = strings.ReplaceAll(url, "{"+p.Name+"}", example)
				}
			}
			if res, body := get(t, url, nil); res.StatusCode != http.StatusOK {
				t.Errorf("documented %s %s answers %d\n%s", method, url, res.StatusCode, excerpt(body))
			}
		}
	}
	var routes []string
	for _, r := range fixture.srv.App().GetRoutes(true) {
		if (strings.HasPrefix(r.Path, "/api/v1/") || strings.HasPrefix(r.Path, "/open311/") && r.Path != "/open311/*") && r.Method != http.MethodHead {
			routes = append(routes, r.Method+" "+r.Path)
		}
	}
	sort.Strings(routes)
	if len(routes) == 0 {
		t.Fatal("no API routes found")
	}
	for _, r := range routes {
		if !documented[r] {
			t.Errorf("route %s is not in openapi.json", r)
		}
	}
}

// fiberPath turns /services/{slug} into base/services/:slug, and
// /requests/{id}.{format} into base/requests/:id.:format.
func fiberPath(base, p string) string {
	return base + pathParam.ReplaceAllString(p, ":$1")
}

var pathParam = regexp.MustCompile(`\{([a-z_]+)\}`)

// open311Example makes a report through the Open311 store and returns the
// values of the API's path parameters that name it.
func open311Example(t *testing.T) map[string]string {
	t.Helper()
	ctx := context.Background()
	svc, err := fixture.store.Service(ctx, "report-a-pothole")
	if err != nil {
		t.Fatal(err)
	}
	token, err := applications.NewToken()
	if err != nil {
		t.Fatal(err)
	}
	r, err := fixture.deps.Open311.Reports.Create(ctx, reports.NewReport{Token: token, Service: svc, CatalogueVersion: 1, Lang: "en",
		Point: &reports.Point{Lat: 41.22, Lng: 1.726}, Address: "Carrer Major 1", Description: "A hole"})
	if err != nil {
		t.Fatal(err)
	}
	return map[string]string{"service_request_id": string(r.Reference), "token": token}
}
