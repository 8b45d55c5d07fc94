package portal

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"sportello/catalogue"
	"sportello/catalogue/sqlstore"
	"sportello/portal/auth"
	"sportello/store"
	"sportello/store/storetest"
)

// newOwnServer is a portal over its own SQLite store with the demo
// catalogue, for tests that change or break the store. It shares the
// fixture's index: these tests do not search.
func newOwnServer(t *testing.T) (*Server, *sqlstore.Store, *catalogue.Catalogue) {
	t.Helper()
	ctx := context.Background()
	sqldb, db, err := openStores(ctx, filepath.Join(t.TempDir(), "own.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sqldb.Close() })
	t.Cleanup(func() { db.Close() })
	cat, err := catalogue.Load(catalogue.DemoJSON())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Import(ctx, cat); err != nil {
		t.Fatal(err)
	}
	srv, err := New(Config{BaseURL: "https://portanova.example", Log: slog.New(slog.NewTextHandler(io.Discard, nil))},
		fixture.with(sqldb, db))
	if err != nil {
		t.Fatal(err)
	}
	return srv, db, cat
}

func body(t *testing.T, srv *Server, path string) (int, string) {
	t.Helper()
	res, err := srv.App().Test(httptest.NewRequest(http.MethodGet, path, nil), -1)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, string(b)
}

// After an import, Reload shows the new catalogue: changed texts, new and
// archived services, and no stale cached page.
func TestReload(t *testing.T) {
	srv, db, cat := newOwnServer(t)
	ctx := context.Background()
	if _, b := body(t, srv, "/services/report-a-pothole"); !strings.Contains(b, "<h1>Report a pothole</h1>") {
		t.Fatalf("before the import:\n%s", excerpt(b))
	}
	for i := range cat.Services {
		if cat.Services[i].Slug == "report-a-pothole" {
			cat.Services[i].Title["en"] = "Report a hole in the road"
		}
	}
	archived := cat.Services[len(cat.Services)-1].Slug
	cat.Services = cat.Services[:len(cat.Services)-1]
	if _, err := db.Import(ctx, cat); err != nil {
		t.Fatal(err)
	}
	if err := srv.Reload(ctx); err != nil {
		t.Fatal(err)
	}
	if _, b := body(t, srv, "/services/report-a-pothole"); !strings.Contains(b, "<h1>Report a hole in the road</h1>") {
		t.Errorf("after the import the service page still shows the old title")
	}
	if status, _ := body(t, srv, "/services/"+archived); status != http.StatusNotFound {
		t.Errorf("archived service %s answers %d, want 404", archived, status)
	}
	if _, b := body(t, srv, "/topics/roads-streets-safety"); !strings.Contains(b, "Report a hole in the road") {
		t.Errorf("the topic page lists the old title")
	}
	// Reloading an unchanged catalogue is cheap and changes nothing.
	before := srv.Directory()
	if err := srv.Reload(ctx); err != nil {
		t.Fatal(err)
	}
	if srv.Directory() != before {
		t.Error("Reload replaced the directory although the version did not change")
	}
}

func TestHealthShowStoreDown(t *testing.T) {
	srv, db, _ := newOwnServer(t)
	db.Close()
	status, b := body(t, srv, "/healthz")
	if status != http.StatusServiceUnavailable || !strings.Contains(b, `"status":"unavailable"`) {
		t.Errorf("healthz with a closed store: %d %s", status, b)
	}
	if strings.Contains(strings.ToLower(b), "sql") {
		t.Errorf("healthz shows a driver message: %s", b)
	}
	// Pages whose data is not in memory fail politely, without the cause.
	status, b = body(t, srv, "/services/report-a-pothole")
	if status != http.StatusInternalServerError || !strings.Contains(b, "Something went wrong on our side") ||
		strings.Contains(strings.ToLower(b), "sql") || strings.Contains(b, "goroutine") {
		t.Errorf("service page with a closed store: %d\n%s", status, excerpt(b))
	}
}

func TestNewNeedsItsParts(t *testing.T) {
	if _, err := New(Config{BaseURL: "https://x.example"}, Deps{}); err == nil {
		t.Error("New without a store or searcher succeeded")
	}
	if _, err := New(Config{}, fixture.deps); err == nil {
		t.Error("New without a base URL succeeded")
	}
}

// Behind a trusted proxy the rate limits count each client the proxy
// names in X-Forwarded-For; from anyone else the header is the client's own
// say and is ignored.
func TestTrustedProxies(t *testing.T) {
	tests := []struct {
		name    string
		proxies []string
		// secondClient is the status for another client's first request,
		// after one client used the limit of one.
		secondClient int
	}{
		{"no proxy", nil, http.StatusTooManyRequests},
		// app.Test's connections come from 0.0.0.0.
		{"from a trusted proxy", []string{"0.0.0.0"}, http.StatusBadRequest},
		{"from an address that is not a trusted proxy", []string{"10.0.0.0/8"}, http.StatusTooManyRequests},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Counts of their own: every subtest's clients start afresh.
			srv := signInLimited(t, storetest.Open(t, store.DialectSQLite), 1, tt.proxies)
			signIn := func(client string) int { return signInElsewhere(t, srv, client).StatusCode }
			if got := signIn("192.0.2.1"); got != http.StatusBadRequest {
				t.Fatalf("first client's first sign-in: %d, want 400", got)
			}
			if got := signIn("192.0.2.2"); got != tt.secondClient {
				t.Errorf("second client's first sign-in: %d, want %d", got, tt.secondClient)
			}
			if got := signIn("192.0.2.1"); got != http.StatusTooManyRequests {
				t.Errorf("first client's second sign-in: %d, want 429", got)
			}
		})
	}
}

// TestRateLimitsAcrossInstances: two servers on one database share the
// sign-in limit, so a client cannot spread its attempts over the instances
// behind a load balancer; the one over the limit is told when to try again.
func TestRateLimitsAcrossInstances(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		one, two := signInLimited(t, db, 3, []string{"0.0.0.0"}), signInLimited(t, storetest.Reopen(t, db), 3, []string{"0.0.0.0"})
		for i, srv := range []*Server{one, two, one} {
			if got := signInElsewhere(t, srv, "192.0.2.1").StatusCode; got != http.StatusBadRequest {
				t.Fatalf("sign-in %d, on instance %d: %d, want 400 (within the limit)", i+1, i%2+1, got)
			}
		}
		res := signInElsewhere(t, two, "192.0.2.1")
		if res.StatusCode != http.StatusTooManyRequests || res.Header.Get(fiber.HeaderRetryAfter) == "" {
			t.Errorf("the fourth sign-in, on the second instance: %d, Retry-After %q; want 429 and when to try again", res.StatusCode, res.Header.Get(fiber.HeaderRetryAfter))
		}
		if got := signInElsewhere(t, two, "192.0.2.2").StatusCode; got != http.StatusBadRequest {
			t.Errorf("another client's first sign-in: %d, want 400", got)
		}
	})
}

// signInLimited is a portal over the fixture whose sign-in limit is limit a
// minute, counted in counts.
func signInLimited(t *testing.T, counts *store.DB, limit int, proxies []string) *Server {
	t.Helper()
	log := slog.New(slog.DiscardHandler)
	deps := fixture.deps
	deps.RateLimits = counts
	var err error
	deps.Auth, deps.DevIdP, err = devSignIn(auth.Config{BaseURL: "https://portanova.example", SignInRateLimit: limit}, fixture.db, log)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := New(Config{BaseURL: "https://portanova.example", TrustedProxies: proxies, Log: log}, deps)
	if err != nil {
		t.Fatal(err)
	}
	return srv
}

// signInElsewhere starts a sign-in from client that would return to
// another site: refused (400) once the limit has counted it.
func signInElsewhere(t *testing.T, srv *Server, client string) *http.Response {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, auth.PathLogin+"?return_to=//elsewhere.example", nil)
	req.Header.Set(fiber.HeaderXForwardedFor, client)
	res, err := srv.App().Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res
}
