package auth

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"

	"sportello/accounts"
	"sportello/assets"
	"sportello/portal/devidp"
	"sportello/portal/web"
	"sportello/store"
	"sportello/store/storetest"
	"sportello/templates"
)

// dialects are the databases every store test runs on.
var dialects = storetest.Dialects

// testDB opens an empty, migrated database of dialect.
func testDB(t *testing.T, dialect string) *store.DB { return storetest.Open(t, dialect) }

// clock is a settable time for the session timeouts.
type clock struct{ offset atomic.Int64 }

func (c *clock) Now() time.Time          { return time.Now().Add(time.Duration(c.offset.Load())) }
func (c *clock) Advance(d time.Duration) { c.offset.Add(int64(d)) }

func testLogger(t *testing.T) *slog.Logger {
	if testing.Verbose() {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.DiscardHandler)
}

// rp is Sportello as a relying party, served over HTTP on a loopback port:
// the sign-in routes, the shared templates and a few guarded test pages.
type rp struct {
	base  string
	auth  *Auth
	db    *store.DB
	clock *clock
	idp   *devidp.IDP // nil when the provider is another server
}

type rpOptions struct {
	dialect string
	// issuer of an outside provider; "" mounts the development provider
	// under /dev-idp on the same listener, as the binary does.
	issuer       string
	clientSecret string
	config       func(*Config)
}

func startRP(t *testing.T, o rpOptions) *rp {
	t.Helper()
	if o.dialect == "" {
		o.dialect = store.DialectSQLite
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	r := &rp{base: base, db: testDB(t, o.dialect), clock: &clock{}}
	cfg := Config{
		Issuer:       o.issuer,
		ClientID:     devidp.ClientID,
		ClientSecret: o.clientSecret,
		BaseURL:      base,
	}
	if o.issuer == "" {
		cfg.Issuer = base + "/dev-idp"
		cfg.DemoSignIn = true
		r.idp, err = devidp.New(devidp.Config{
			Issuer:                 cfg.Issuer,
			RedirectURIs:           []string{cfg.RedirectURI()},
			PostLogoutRedirectURIs: []string{cfg.PostLogoutRedirectURI()},
			BackChannelLogoutURI:   cfg.BackChannelLogoutURI(),
			Logger:                 testLogger(t),
		})
		if err != nil {
			t.Fatal(err)
		}
		cfg.ClientSecret = r.idp.ClientSecret
	}
	if o.config != nil {
		o.config(&cfg)
	}
	r.auth, err = New(cfg, accounts.New(r.db, r.clock.Now), testLogger(t), DevIdPPath+"/")
	if err != nil {
		t.Fatal(err)
	}
	r.auth.now = r.clock.Now
	app := newTestApp(t, r.auth, r.idp)
	go func() { _ = app.Listener(ln) }()
	t.Cleanup(func() { _ = app.ShutdownWithTimeout(5 * time.Second) })
	return r
}

// newTestApp wires the sign-in routes the way routes.go does, with an error
// handler that shows the translated message.
func newTestApp(t *testing.T, a *Auth, idp http.Handler) *fiber.App {
	t.Helper()
	locales, err := fs.Sub(web.Locales, "locales")
	if err != nil {
		t.Fatal(err)
	}
	tr, err := web.NewTranslator(locales)
	if err != nil {
		t.Fatal(err)
	}
	as, err := web.NewAssets(assets.FS)
	if err != nil {
		t.Fatal(err)
	}
	site := web.NewSite(tr, as, a.cfg.BaseURL, a.DemoSignIn())
	engine, err := web.NewEngine(templates.FS, site)
	if err != nil {
		t.Fatal(err)
	}
	app := fiber.New(fiber.Config{
		Immutable:             true,
		Views:                 engine,
		DisableStartupMessage: true,
		ErrorHandler: func(c *fiber.Ctx, err error) error {
			status, key := fiber.StatusInternalServerError, "error.500"
			var we *web.Error
			var fe *fiber.Error
			switch {
			case errors.As(err, &we):
				status, key = we.Status, we.Key
			case errors.As(err, &fe):
				status, key = fe.Code, web.StatusKey(fe.Code)
			}
			c.Status(status)
			c.Set(fiber.HeaderContentType, fiber.MIMETextPlainCharsetUTF8)
			return c.SendString("error page: " + key + ": " + web.T(c, key))
		},
	})
	app.Use(site.Middleware())
	if idp != nil {
		app.Use("/dev-idp", adaptor.HTTPHandler(http.StripPrefix("/dev-idp", idp)))
	}
	app.Use(a.Sessions())
	app.Use(a.CSRF())

	app.Get(PathLogin, a.Login)
	app.Get(PathCallback, a.Callback)
	app.Post(PathLogout, a.Logout)
	app.Post(PathBackChannelLogout, a.BackChannelLogout)
	app.Get(PathAccount, a.Account)

	app.Get("/", func(c *fiber.Ctx) error {
		if v := web.ViewerOf(c); v != nil {
			return c.SendString("home page for " + v.Name + " csrf=" + web.NewPage(c, "").CSRF)
		}
		return c.SendString("home page, signed out")
	})
	app.Get("/private", a.RequireSignIn(), func(c *fiber.Ctx) error {
		return c.SendString("private page for " + web.ViewerOf(c).Name)
	})
	app.Get("/high", a.RequireAssurance(AssuranceHigh), func(c *fiber.Ctx) error {
		return c.SendString("high-assurance page for " + web.ViewerOf(c).Name)
	})
	app.Get("/staff", RequireRole("", web.RoleEditor), func(c *fiber.Ctx) error {
		return c.SendString("editors' page for " + web.ViewerOf(c).Name)
	})
	app.Get("/form", a.FormPage(), func(c *fiber.Ctx) error {
		return c.SendString("form csrf=" + web.NewPage(c, "").CSRF)
	})
	app.Post("/form", func(c *fiber.Ctx) error {
		return c.SendString("form accepted")
	})
	return app
}

// browser is an HTTP client with cookies that records the redirects it
// follows and can stop before one.
type browser struct {
	t       *testing.T
	base    string
	client  *http.Client
	visited []string
	stop    func(*url.URL) bool
}

func newBrowser(t *testing.T, base string) *browser {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	b := &browser{t: t, base: base}
	b.client = &http.Client{
		Jar:     jar,
		Timeout: 30 * time.Second,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			b.visited = append(b.visited, req.URL.String())
			if len(via) > 15 {
				return errors.New("too many redirects")
			}
			if b.stop != nil && b.stop(req.URL) {
				return http.ErrUseLastResponse
			}
			return nil
		},
	}
	return b
}

type page struct {
	status int
	body   string
	url    *url.URL // the last URL requested
	header http.Header
}

func (b *browser) do(req *http.Request) page {
	b.t.Helper()
	resp, err := b.client.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	return page{status: resp.StatusCode, body: string(body), url: resp.Request.URL, header: resp.Header}
}

func (b *browser) abs(u string) string {
	if strings.HasPrefix(u, "/") {
		return b.base + u
	}
	return u
}

func (b *browser) get(u string) page {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodGet, b.abs(u), nil)
	if err != nil {
		b.t.Fatal(err)
	}
	return b.do(req)
}

func (b *browser) post(u string, form url.Values) page {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodPost, b.abs(u), strings.NewReader(form.Encode()))
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

// cookie returns the value of the browser's cookie name for the RP.
func (b *browser) cookie(name string) string {
	u, _ := url.Parse(b.base)
	for _, c := range b.client.Jar.Cookies(u) {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}

// pickPersona submits the development provider's sign-in page (which the
// browser must be on) as persona at level ("" for the persona's usual one),
// following the redirects back to Sportello.
func (b *browser) pickPersona(login page, persona, level string) page {
	b.t.Helper()
	if login.status != http.StatusOK || login.url.Path != "/dev-idp/login" {
		b.t.Fatalf("expected the provider's sign-in page, got %d at %s: %.300s", login.status, login.url, login.body)
	}
	id := login.url.Query().Get("authRequestID")
	return b.post("/dev-idp/login", url.Values{"authRequestID": {id}, "persona": {persona}, "level": {level}})
}

// signIn signs in from path as persona and returns the page landed on.
func (b *browser) signIn(path, persona, level string) page {
	b.t.Helper()
	return b.pickPersona(b.get(path), persona, level)
}

var csrfInBody = regexp.MustCompile(`csrf=([A-Za-z0-9]+)|name="_csrf" value="([^"]+)"`)

// csrfFrom finds the CSRF token in a test page or a form.
func csrfFrom(t *testing.T, body string) string {
	t.Helper()
	m := csrfInBody.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no CSRF token in %.400s", body)
	}
	return m[1] + m[2]
}

func mustContain(t *testing.T, p page, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(p.body, w) {
			t.Errorf("page %s (%d) lacks %q:\n%.1500s", p.url, p.status, w, p.body)
		}
	}
}

func mustNotContain(t *testing.T, p page, unwanted ...string) {
	t.Helper()
	for _, w := range unwanted {
		if strings.Contains(p.body, w) {
			t.Errorf("page %s (%d) contains %q:\n%.1500s", p.url, p.status, w, p.body)
		}
	}
}

// hashID is what the accounts store keeps instead of a session id.
func hashID(id string) string {
	sum := sha256.Sum256([]byte(id))
	return hex.EncodeToString(sum[:])
}

// count runs a COUNT(*) query.
func count(t *testing.T, db *store.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := db.SQL().QueryRowContext(context.Background(), db.Rebind(query), args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}
