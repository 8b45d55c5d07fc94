package portal

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"
)

func TestSecurityHeaders(t *testing.T) {
	want := map[string]string{
		"Content-Security-Policy":   "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https://tile.openstreetmap.org; form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'",
		"X-Content-Type-Options":    "nosniff",
		"Referrer-Policy":           "strict-origin-when-cross-origin",
		"Strict-Transport-Security": "max-age=31536000; includeSubDomains",
		"X-Frame-Options":           "DENY",
	}
	for _, path := range []string{"/", "/services/report-a-pothole", "/search?q=bin", "/nope", "/api/v1/topics", "/api/v1/nope", "/healthz", "/sitemap.xml", fixture.srv.Site.Assets.URL("app.css")} {
		res, _ := get(t, path, nil)
		for h, v := range want {
			if got := res.Header.Get(h); got != v {
				t.Errorf("GET %s: %s = %q, want %q", path, h, got, v)
			}
		}
		if coep := res.Header.Get("Cross-Origin-Embedder-Policy"); coep == "require-corp" {
			t.Errorf("GET %s: COEP require-corp", path)
		}
		if res.Header.Get("X-Request-Id") == "" {
			t.Errorf("GET %s: no request id", path)
		}
	}
}

func TestSecurityHeadersHTTP(t *testing.T) {
	srv, err := New(Config{
		BaseURL: "http://localhost:8080", FormActionOrigins: []string{"https://id.example"},
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
	}, fixture.deps)
	if err != nil {
		t.Fatal(err)
	}
	res, err := srv.App().Test(httptest.NewRequest(http.MethodGet, "/", nil), -1)
	if err != nil {
		t.Fatal(err)
	}
	if hsts := res.Header.Get("Strict-Transport-Security"); hsts != "" {
		t.Errorf("HSTS sent for an http base URL: %q", hsts)
	}
	if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "form-action 'self' https://id.example;") {
		t.Errorf("CSP lacks the identity provider's origin in form-action: %q", csp)
	}
}

func TestLanguageSwitching(t *testing.T) {
	res, body := get(t, "/topics?lang=it", nil)
	var cookie *http.Cookie
	for _, c := range res.Cookies() {
		if c.Name == "lang" {
			cookie = c
		}
	}
	if cookie == nil || cookie.Value != "it" || !cookie.HttpOnly || cookie.SameSite != http.SameSiteLaxMode || !cookie.Secure {
		t.Fatalf("?lang=it set cookie %+v, want lang=it HttpOnly SameSite=Lax Secure", cookie)
	}
	if !strings.Contains(body, `<a href="/topics?lang=es" lang="es" hreflang="es">Español</a>`) ||
		!strings.Contains(body, `<a href="/topics?lang=it" lang="it" hreflang="it" aria-current="true">Italiano</a>`) {
		t.Errorf("language switcher missing or wrong:\n%s", excerpt(body))
	}
	// The cookie wins over Accept-Language; ?lang wins over both.
	tests := []struct {
		path, cookie, accept, want string
	}{
		{"/", "it", "es", `<html lang="it">`},
		{"/", "", "fr-CH, fr;q=0.9", `<html lang="fr">`},
		{"/", "xx", "ca", `<html lang="ca">`},
		{"/?lang=es", "it", "fr", `<html lang="es">`},
		{"/search?q=bin&lang=ca", "", "", `value="bin"`},
	}
	for _, tt := range tests {
		h := map[string]string{}
		if tt.cookie != "" {
			h["Cookie"] = "lang=" + tt.cookie
		}
		if tt.accept != "" {
			h["Accept-Language"] = tt.accept
		}
		if _, body := get(t, tt.path, h); !strings.Contains(body, tt.want) {
			t.Errorf("GET %s cookie=%q accept=%q: want %s", tt.path, tt.cookie, tt.accept, tt.want)
		}
	}
	// The switcher keeps the rest of the query.
	if _, body := get(t, "/search?q=bin&lang=ca", nil); !strings.Contains(body, `href="/search?lang=es&amp;q=bin"`) {
		t.Errorf("switcher on a search page loses the query:\n%s", excerpt(body))
	}
}

func TestErrorPages(t *testing.T) {
	runScenarios(t, []scenario{
		{
			name: "404 in the reader's language", path: "/no/such/page?lang=fr", status: http.StatusNotFound,
			contains: []string{`<html lang="fr">`, "Page introuvable", `action="/search"`, `href="/"`, "référence"},
		},
		{
			// CSRF protection answers before routing: a POST without a
			// token is refused whatever the path.
			name: "a post without a CSRF token is a 403 page", method: http.MethodPost, path: "/topics", status: http.StatusForbidden,
			contains: []string{`action="/search"`, `href="/"`},
		},
		{
			name: "api errors are json", path: "/api/v1/services/no-such-service", status: http.StatusNotFound,
			contains: []string{`"error":{"status":404,"code":"error.404"`},
			excludes: []string{"<html"},
		},
		{
			name: "unknown api path is a json 404", path: "/api/v1/nothing", status: http.StatusNotFound,
			contains: []string{`"code":"error.404"`},
		},
	})
}

func TestAccessLog(t *testing.T) {
	var buf strings.Builder
	srv, err := New(Config{BaseURL: "https://portanova.example", Log: slog.New(slog.NewJSONHandler(&buf, nil))},
		fixture.deps)
	if err != nil {
		t.Fatal(err)
	}
	res, err := srv.App().Test(httptest.NewRequest(http.MethodGet, "/services/nope", nil), -1)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != http.StatusNotFound {
		t.Fatalf("status %d", res.StatusCode)
	}
	line := buf.String()
	for _, want := range []string{`"msg":"request"`, `"method":"GET"`, `"route":"/services/:slug"`, `"status":404`, `"duration":`, `"request_id":"` + res.Header.Get("X-Request-Id") + `"`} {
		if !strings.Contains(line, want) {
			t.Errorf("access log lacks %s:\n%s", want, line)
		}
	}
}

// Paths holding a bearer secret are logged with it masked: by the access
// log and by the error log, also when a middleware refused the request
// before it reached its route.
func TestLogMasksSecrets(t *testing.T) {
	var buf strings.Builder
	srv, err := New(Config{BaseURL: "https://portanova.example", Log: slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))},
		fixture.deps)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, method, path, secret string
		want                       []string
	}{
		{"preview link", http.MethodGet, "/preview/abc.def", "abc.def",
			[]string{`"route":"/preview/:token"`, `"path":"/preview/***"`}},
		{"simulated payment", http.MethodGet, "/payments/simulated/cs_sim_a1b2c3", "a1b2c3",
			[]string{`"route":"/payments/simulated/:session"`, `"path":"/payments/simulated/***"`}},
		{"refused before its route", http.MethodPost, "/payments/simulated/cs_sim_d4e5f6", "d4e5f6",
			[]string{`"path":"/payments/simulated/***"`, `"status":403`}},
		{"a path without secrets", http.MethodGet, "/services/nope", "",
			[]string{`"path":"/services/nope"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			buf.Reset()
			res, err := srv.App().Test(httptest.NewRequest(tt.method, tt.path, nil), -1)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			log := buf.String()
			if !strings.Contains(log, `"msg":"request"`) || !strings.Contains(log, `"msg":"request failed"`) {
				t.Fatalf("want an access log line and an error log line:\n%s", log)
			}
			if tt.secret != "" && strings.Contains(log, tt.secret) {
				t.Errorf("the log holds the secret %q:\n%s", tt.secret, log)
			}
			for _, w := range tt.want {
				if !strings.Contains(log, w) {
					t.Errorf("the log lacks %s:\n%s", w, log)
				}
			}
		})
	}
}

// A handler that panics gives the resident the 500 page, not a stack trace.
func TestPanicIsA500Page(t *testing.T) {
	srv, _, _ := newOwnServer(t)
	srv.App().Get("/test-panic", func(*fiber.Ctx) error { panic("secret internal detail") })
	status, b := body(t, srv, "/test-panic?lang=ca")
	if status != http.StatusInternalServerError || !strings.Contains(b, "Alguna cosa ha fallat per part nostra") {
		t.Errorf("panic: %d\n%s", status, excerpt(b))
	}
	if strings.Contains(b, "secret internal detail") || strings.Contains(b, "goroutine") {
		t.Errorf("the panic leaked into the page:\n%s", excerpt(b))
	}
}

// Pages made for a signed-in person (their name, their CSRF token) are
// kept out of shared caches; anonymous pages and the JSON API are not
// changed.
func TestSignedInPagesAreNotCached(t *testing.T) {
	site := startLiveSite(t)
	anon := site.browser(t, stopAtRedirects)
	marta := site.browser(t, stopAtRedirects)
	marta.signIn("resident", "/")
	for _, tc := range []struct {
		path       string
		anon, sign string // Cache-Control for an anonymous visitor, for Marta
	}{
		{"/", "", "private, no-store"},
		{"/services/report-a-pothole", "", "private, no-store"},
		{"/search?q=bin", "", "private, no-store"},
		{"/no/such/page", "", "private, no-store"},
		{"/api/v1/suggest?q=bin", "public, max-age=300", "public, max-age=300"},
	} {
		if got := anon.get(tc.path).header.Get("Cache-Control"); got != tc.anon {
			t.Errorf("anonymous GET %s: Cache-Control %q, want %q", tc.path, got, tc.anon)
		}
		if got := marta.get(tc.path).header.Get("Cache-Control"); got != tc.sign {
			t.Errorf("signed-in GET %s: Cache-Control %q, want %q", tc.path, got, tc.sign)
		}
	}
}

// A request line longer than the read buffer is refused by Fiber before any
// middleware runs and before its path is read, so even under /api the
// answer is the error page; it carries the security headers all the same.
// (app.Test reports this refusal as an error, so the request goes over
// HTTP.)
func TestOverlongRequest(t *testing.T) {
	site := startLiveSite(t)
	r := site.browser(t, stopAtRedirects).get("/api/v1/search?q=" + strings.Repeat("a", 17000))
	if r.status != http.StatusRequestHeaderFieldsTooLarge {
		t.Fatalf("status %d, want 431\n%s", r.status, excerpt(r.body))
	}
	for _, h := range []string{"Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy"} {
		if r.header.Get(h) == "" {
			t.Errorf("the 431 answer lacks %s", h)
		}
	}
}
