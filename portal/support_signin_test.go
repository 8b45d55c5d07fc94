package portal

import (
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"sportello/portal/auth"
)

// supportSite is a portal over the fixture's store and index with its own
// development identity provider, served on a loopback port so that a
// cookie-keeping client can sign in through it like a browser.
type supportSite struct {
	base string
	srv  *Server
}

func startSupportSite(t *testing.T) *supportSite {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	a, idp, err := auth.NewDevelopment(auth.Config{BaseURL: base}, fixture.store, log)
	if err != nil {
		t.Fatal(err)
	}
	deps := fixture.deps
	deps.Auth, deps.DevIdP = a, idp
	srv, err := New(Config{BaseURL: base, Env: "test", DemoSignIn: true, Log: log}, deps)
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.App().Listener(ln) }()
	t.Cleanup(func() { _ = srv.App().ShutdownWithTimeout(5 * time.Second) })
	return &supportSite{base: base, srv: srv}
}

// supportBrowser is a cookie-keeping HTTP client that follows redirects
// and counts the pages it was shown.
type supportBrowser struct {
	t      *testing.T
	site   *supportSite
	client *http.Client
}

// supportPage is a page as the browser got it, after redirects.
type supportPage struct {
	status int
	body   string
	url    *url.URL
}

func (s *supportSite) browser(t *testing.T) *supportBrowser {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &supportBrowser{t: t, site: s, client: &http.Client{
		Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) > 15 {
				return errors.New("too many redirects")
			}
			return nil
		},
	}}
}

func (b *supportBrowser) do(method, path string, form url.Values) supportPage {
	b.t.Helper()
	u := path
	if strings.HasPrefix(path, "/") {
		u = b.site.base + path
	}
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		b.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	res, err := b.client.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	buf, err := io.ReadAll(res.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	return supportPage{status: res.StatusCode, body: string(buf), url: res.Request.URL}
}

func (b *supportBrowser) get(path string) supportPage { return b.do(http.MethodGet, path, nil) }

// post submits form to path with the CSRF token of the page it is on.
func (b *supportBrowser) post(on supportPage, path string, form url.Values) supportPage {
	b.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	form.Set("_csrf", supportCSRF(b.t, on.body))
	return b.do(http.MethodPost, path, form)
}

// signIn signs in as the development provider's persona from the sign-in
// link with returnTo, and returns the page landed on.
func (b *supportBrowser) signIn(persona, returnTo string) supportPage {
	b.t.Helper()
	login := b.get(auth.LoginURL(returnTo, ""))
	if login.status != http.StatusOK || login.url.Path != auth.DevIdPPath+"/login" {
		b.t.Fatalf("expected the provider's sign-in page, got %d at %s", login.status, login.url)
	}
	id := login.url.Query().Get("authRequestID")
	return b.do(http.MethodPost, auth.DevIdPPath+"/login", url.Values{"authRequestID": {id}, "persona": {persona}})
}

var supportCSRFField = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

func supportCSRF(t *testing.T, body string) string {
	t.Helper()
	m := supportCSRFField.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no CSRF token on the page:\n%s", excerpt(body))
	}
	return m[1]
}
