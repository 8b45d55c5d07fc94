package portal

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"sportello/applications"
	"sportello/catalogue/sqlstore"
	"sportello/metrics"
	"sportello/payments"
	"sportello/payments/stripe"
	"sportello/portal/auth"
	"sportello/reports"
	"sportello/search"
	"sportello/store"
	"sportello/store/storetest"
)

// The live site: the portal on a real loopback listener with its own
// development identity provider, and browsers that keep cookies and sign in
// through that provider. Flows that need a session (sign-in, CSRF tokens,
// two people at once) run here rather than through app.Test, which keeps no
// cookies; and signing in needs the site at a real address, because the
// portal talks to its provider over HTTP as it would to a real one.

// liveSite is one portal served on a loopback port.
type liveSite struct {
	base   string // "http://127.0.0.1:port"
	issuer string // base + auth.DevIdPPath: each site's provider has people of its own
	srv    *Server
	// db, store and index are the fixture's unless the site has its own
	// catalogue.
	db    *store.DB
	store *sqlstore.Store
	index *search.Index
	// metrics and metricsBase ("http://127.0.0.1:port", serving /metrics
	// and /readyz) are set on an observed site only.
	metrics     *metrics.Metrics
	metricsBase string
}

// siteOption changes what a live site is built from; without options it
// shares the fixture's database, index, applications and (simulated)
// payments.
type siteOption func(*siteOptions)

type siteOptions struct {
	ownCatalogue                   bool
	observed                       bool
	stripeAPIURL, stripeWebhookKey string
	limits                         Limits
	pendingQuota                   int64
	now                            func() time.Time
	timeZone                       *time.Location
	sitemapSize                    int
}

// sitemapSize lists at most n URLs in a sitemap file, so that the demo
// needs several.
func sitemapSize(n int) siteOption { return func(o *siteOptions) { o.sitemapSize = n } }

// withLimits serves the site with these limits instead of the defaults.
func withLimits(l Limits) siteOption { return func(o *siteOptions) { o.limits = l } }

// inTimeZone serves the site on the council's clock loc instead of UTC.
func inTimeZone(loc *time.Location) siteOption { return func(o *siteOptions) { o.timeZone = loc } }

// ownCatalogue gives the site a database and search index of its own,
// loaded with the demo catalogue: tests that edit the catalogue must not
// change what the other tests read from the fixture.
func ownCatalogue(o *siteOptions) { o.ownCatalogue = true }

// observed gives the site metrics of its own, recorded by its portal, its
// applications, its payments and its sign-in, and the metrics listener the
// binary starts (/metrics, /readyz) on a loopback port of its own, as
// cmd/sportello wires them. The site has its own catalogue too.
func observed(o *siteOptions) { o.ownCatalogue, o.observed = true, true }

// pendingQuota gives the site a database of its own (ownCatalogue) and an
// applications store whose forms in progress may keep n bytes of uploads
// per person or session and per address.
func pendingQuota(n int64) siteOption {
	return func(o *siteOptions) { o.ownCatalogue, o.pendingQuota = true, n }
}

// clockedApplications gives the site a database of its own (ownCatalogue)
// and an applications store on the clock now, so that a test sends an
// application on one day and reads it on another.
func clockedApplications(now func() time.Time) siteOption {
	return func(o *siteOptions) { o.ownCatalogue, o.now = true, now }
}

// stripePayments takes the site's payments through the Stripe provider at
// apiURL (stripe-mock), verifying webhooks with webhookSecret, instead of
// the simulated checkout.
func stripePayments(apiURL, webhookSecret string) siteOption {
	return func(o *siteOptions) { o.stripeAPIURL, o.stripeWebhookKey = apiURL, webhookSecret }
}

// startLiveSite serves a portal until the test ends.
func startLiveSite(t testing.TB, opts ...siteOption) *liveSite {
	t.Helper()
	var o siteOptions
	for _, opt := range opts {
		opt(&o)
	}
	log := slog.New(slog.DiscardHandler)
	if testing.Verbose() {
		log = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	site := &liveSite{db: fixture.db, store: fixture.store, index: fixture.index}
	deps := fixture.deps
	// Each site counts its own clients' requests for the rate limits, as
	// a deployment of its own would: the tests' sign-ins from one address
	// would otherwise add up to the limit.
	deps.RateLimits = storetest.Open(t, store.DialectSQLite)
	if o.ownCatalogue {
		var err error
		site.db, site.store, site.index, deps, err = openDemo(context.Background(), t.TempDir(), log)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { site.db.Close() })
		t.Cleanup(func() { site.store.Close() })
		t.Cleanup(func() { site.index.Close() })
	}
	if o.observed {
		site.metrics, site.metricsBase = observeSite(t, site, &deps, log)
	}
	if o.pendingQuota > 0 || o.now != nil {
		var err error
		if deps.Applications, err = applications.New(site.db, applications.Options{PendingQuota: o.pendingQuota, Now: o.now, Logger: log}); err != nil {
			t.Fatal(err)
		}
	}
	if o.stripeAPIURL != "" {
		p, err := stripe.New(stripe.Config{SecretKey: "sk_test_sportello", WebhookSecret: o.stripeWebhookKey, APIURL: o.stripeAPIURL, Logger: log})
		if err != nil {
			t.Fatal(err)
		}
		if deps.Payments, err = payments.New(site.db, payments.Options{Provider: p, Fulfiller: deps.Applications, Logger: log}); err != nil {
			t.Fatal(err)
		}
	}

	// Listen before building sign-in: the site's address is the
	// provider's issuer and the address it sends people back to.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	site.base = "http://" + ln.Addr().String()
	site.issuer = site.base + auth.DevIdPPath
	// The webhook is exempt from CSRF as in the binary: Stripe signs it.
	deps.Auth, deps.DevIdP, err = devSignIn(auth.Config{BaseURL: site.base, Metrics: site.metrics}, site.db, log)
	if err != nil {
		t.Fatal(err)
	}
	// Reports are made through the site's applications store, whichever
	// the options chose.
	if deps.Reports != nil {
		deps.Reports = reports.New(site.db, deps.Applications, reports.Options{Area: &testMap.Area, Now: o.now, Logger: log})
	}
	deps.Auth.LinkSignIns(deps.Assist)
	if deps.Open311.Reports != nil {
		deps.Open311.Reports = reports.New(site.db, deps.Applications, reports.Options{Area: &testMap.Area, Now: o.now, Logger: log})
		deps.Open311.Keys = reports.NewAPIKeys(site.db, nil)
	}
	site.srv, err = New(Config{BaseURL: site.base, Env: "test", DemoSignIn: true, Limits: o.limits, TimeZone: o.timeZone, Map: testMap, Log: log}, deps)
	if err != nil {
		t.Fatal(err)
	}
	if o.sitemapSize > 0 {
		site.srv.public.SitemapSize = o.sitemapSize
	}
	ctx, stop := context.WithCancel(context.Background())
	served := make(chan struct{})
	go func() { _ = site.srv.Serve(ctx, ln, 5*time.Second); close(served) }()
	t.Cleanup(func() { stop(); <-served })
	return site
}

// observeSite builds the site's metrics, its applications and payments
// recording into them, and the readiness probe, starts the metrics
// listener, and returns the metrics with the listener's address.
func observeSite(t testing.TB, site *liveSite, deps *Deps, log *slog.Logger) (*metrics.Metrics, string) {
	t.Helper()
	m := metrics.New()
	m.WatchDB(site.db.SQL())
	var err error
	if deps.Applications, err = applications.New(site.db, applications.Options{DataDir: t.TempDir(), Logger: log, Metrics: m}); err != nil {
		t.Fatal(err)
	}
	sim, err := payments.NewSimulated(site.db, payments.SimulatedConfig{Env: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if deps.Payments, err = payments.New(site.db, payments.Options{Provider: sim, Fulfiller: deps.Applications, Logger: log, Metrics: m}); err != nil {
		t.Fatal(err)
	}
	probe := &metrics.Probe{Ping: site.db.SQL().PingContext, CatalogueVersion: site.store.Version, IndexVersion: site.index.Version, Log: log}
	m.WatchIndex(probe)
	deps.Metrics, deps.Ready = m, probe
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ms := metrics.Server("", m, probe, false)
	go func() { _ = ms.Serve(ln) }()
	t.Cleanup(func() { ms.Close() })
	return m, "http://" + ln.Addr().String()
}

// onSite reports whether u (a path or an absolute URL) is on the site.
func (s *liveSite) onSite(u string) bool {
	if strings.HasPrefix(u, "/") {
		return !strings.HasPrefix(u, "//") // "//host/path" is another host
	}
	return u == s.base || strings.HasPrefix(u, s.base+"/")
}

// personID is the id Sportello gave a persona of this site's provider.
func (s *liveSite) personID(t testing.TB, persona string) int64 {
	t.Helper()
	var id int64
	err := s.db.SQL().QueryRow(s.db.Rebind(`SELECT id FROM people WHERE issuer = ? AND subject = ?`), s.issuer, persona).Scan(&id)
	if err != nil {
		t.Fatalf("person %s of %s: %v", persona, s.issuer, err)
	}
	return id
}

// redirects is what a browser does with a redirect.
type redirects int

const (
	// followRedirects is a person's browser: it follows redirects within
	// the site and stops at one that leaves it (a hosted checkout), so the
	// test sees where it would go.
	followRedirects redirects = iota
	// stopAtRedirects makes every redirect an answer of its own, for tests
	// about where the portal sends people (the 303 after a form, the way to
	// sign in); follow takes the rest of the way.
	stopAtRedirects
)

// maxRedirects bounds a chain of redirects, as browsers do: a loop fails
// the test rather than hanging it.
const maxRedirects = 10

// browser is one person's browser on a live site: its cookie jar holds the
// session, so two browsers are two people.
type browser struct {
	t      testing.TB
	site   *liveSite
	client *http.Client
}

func (s *liveSite) browser(t testing.TB, r redirects) *browser {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &browser{t: t, site: s, client: &http.Client{
		Jar:     jar,
		Timeout: 30 * time.Second,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if r == stopAtRedirects || !s.onSite(req.URL.String()) {
				return http.ErrUseLastResponse
			}
			if len(via) >= maxRedirects {
				return fmt.Errorf("more than %d redirects", maxRedirects)
			}
			return nil
		},
	}}
}

// response is an answer as the browser got it.
type response struct {
	status int
	body   string
	header http.Header
	// url is where the answer came from, after the redirects followed.
	url *url.URL
	// location is where a redirect the browser stopped at points.
	location string
}

func (b *browser) abs(path string) string {
	if strings.HasPrefix(path, "/") {
		return b.site.base + path
	}
	return path
}

func (b *browser) do(req *http.Request) response {
	b.t.Helper()
	res, err := b.client.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	return response{status: res.StatusCode, body: string(body), header: res.Header, url: res.Request.URL, location: res.Header.Get("Location")}
}

// get fetches path with the request headers given as name, value pairs.
func (b *browser) get(path string, header ...string) response {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodGet, b.abs(path), nil)
	if err != nil {
		b.t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return b.do(req)
}

// follow follows the redirects within the site that r leads to.
func (b *browser) follow(r response) response {
	b.t.Helper()
	for i := 0; i < maxRedirects && r.status >= 300 && r.status < 400 && b.site.onSite(r.location); i++ {
		r = b.get(r.location)
	}
	return r
}

// post sends form exactly as given: tests that choose the CSRF token
// themselves, or leave it out on purpose, use it.
func (b *browser) post(path string, form url.Values) response {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodPost, b.abs(path), strings.NewReader(form.Encode()))
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

// postForm submits a form of the page on, with that page's CSRF token, as
// pressing its button would.
func (b *browser) postForm(on response, path string, form url.Values) response {
	b.t.Helper()
	withToken := url.Values{}
	maps.Copy(withToken, form)
	withToken.Set("_csrf", csrfOf(b.t, on.body))
	return b.post(path, withToken)
}

// upload is a file for postMultipart.
type upload struct {
	field, name string
	content     []byte
}

// postMultipart sends form as multipart/form-data, the encoding of forms
// with file inputs, with files attached. Like post, it adds nothing.
func (b *browser) postMultipart(path string, form url.Values, files ...upload) response {
	b.t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, vs := range form {
		for _, v := range vs {
			if err := w.WriteField(k, v); err != nil {
				b.t.Fatal(err)
			}
		}
	}
	for _, f := range files {
		fw, err := w.CreateFormFile(f.field, f.name)
		if err != nil {
			b.t.Fatal(err)
		}
		if _, err := fw.Write(f.content); err != nil {
			b.t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		b.t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, b.abs(path), &buf)
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", w.FormDataContentType())
	return b.do(req)
}

// signIn signs in as a persona of the development provider ("resident",
// "business", "editor", "caseworker", "admin") at the persona's usual level
// of assurance, starting from the sign-in link that returns to returnTo, and
// returns the page the browser lands on, which must be returnTo.
func (b *browser) signIn(persona, returnTo string) response {
	b.t.Helper()
	return b.signInAtLevel(persona, returnTo, "")
}

// signInAtLevel is signIn at a level of assurance ("low", "substantial",
// "high") other than the persona's usual one.
func (b *browser) signInAtLevel(persona, returnTo, level string) response {
	b.t.Helper()
	want, err := url.Parse(returnTo)
	if err != nil {
		b.t.Fatal(err)
	}
	login := b.follow(b.get(auth.LoginURL(returnTo, level)))
	if login.status != http.StatusOK || login.url.Path != auth.DevIdPPath+"/login" {
		b.t.Fatalf("signing in as %s: expected the provider's sign-in page, got %d at %s", persona, login.status, login.url)
	}
	r := b.follow(b.post(auth.DevIdPPath+"/login", url.Values{
		"authRequestID": {login.url.Query().Get("authRequestID")}, "persona": {persona}, "level": {level},
	}))
	if r.status != http.StatusOK || r.url.Path != want.Path {
		b.t.Fatalf("signing in as %s ended with %d at %s, want 200 at %s\n%s", persona, r.status, r.url, returnTo, excerptMain(r.body))
	}
	return r
}

var formTokenField = regexp.MustCompile(`name="(_csrf|_token)" value="([^"]*)"`)

// formTokens returns the hidden inputs of a page's form: the CSRF token,
// which must be there, and the submission token of an application form
// ("" on other forms).
func formTokens(t testing.TB, body string) (csrf, token string) {
	t.Helper()
	for _, m := range formTokenField.FindAllStringSubmatch(body, -1) {
		switch m[1] {
		case "_csrf":
			csrf = m[2]
		case "_token":
			token = m[2]
		}
	}
	if csrf == "" {
		t.Fatalf("no CSRF token on the page:\n%s", excerptMain(body))
	}
	return csrf, token
}

// csrfOf is the CSRF token of a page's form.
func csrfOf(t testing.TB, body string) string {
	t.Helper()
	csrf, _ := formTokens(t, body)
	return csrf
}

// must fails the test unless r has status and holds every text in want. A
// wrong status stops the test: the steps after it would only fail again.
func must(t testing.TB, r response, status int, want ...string) {
	t.Helper()
	if r.status != status {
		t.Fatalf("%s: status %d, want %d (location %q)\n%s", r.url, r.status, status, r.location, excerptMain(r.body))
	}
	for _, w := range want {
		if !strings.Contains(r.body, w) {
			t.Errorf("%s: body lacks %q\n%s", r.url, w, excerptMain(r.body))
		}
	}
}

// mustNot fails the test if r holds any text in unwanted.
func mustNot(t testing.TB, r response, unwanted ...string) {
	t.Helper()
	for _, w := range unwanted {
		if strings.Contains(r.body, w) {
			t.Errorf("%s: body contains %q", r.url, w)
		}
	}
}

// excerptMain is the start of the page's <main>, where failures show, for
// failure messages.
func excerptMain(body string) string {
	if i := strings.Index(body, "<main"); i >= 0 {
		body = body[i:]
	}
	return excerpt(body)
}
