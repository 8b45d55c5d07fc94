package portal

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"sportello/catalogue"
	"sportello/catalogue/sqlstore"
	"sportello/payments"
	"sportello/portal/applications"
	"sportello/portal/auth"
	"sportello/portal/forms"
	"sportello/search"
)

// edSite is a portal with its own database and search index, loaded with
// the demo catalogue and served on a loopback port with the development
// identity provider: editing tests change the catalogue, so they must not
// share the fixture's.
type edSite struct {
	base  string
	srv   *Server
	db    *sqlstore.DB
	index *search.Index
}

func startEditorSite(t testing.TB) *edSite {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	db, err := sqlstore.Open(ctx, filepath.Join(dir, "sportello.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	cat, err := catalogue.Load(catalogue.DemoJSON())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Import(ctx, cat); err != nil {
		t.Fatal(err)
	}
	idx, err := search.Open(ctx, filepath.Join(dir, "index"), db, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idx.Close() })
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	log := slog.New(slog.DiscardHandler)
	if testing.Verbose() {
		log = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	a, idp, err := auth.NewDevelopment(auth.Config{BaseURL: base}, db, log)
	if err != nil {
		t.Fatal(err)
	}
	apps, err := applications.New(db, applications.Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	sim, err := payments.NewSimulated(db, payments.SimulatedConfig{Env: "test"})
	if err != nil {
		t.Fatal(err)
	}
	pay, err := payments.New(db, payments.Options{Provider: sim, Fulfiller: apps, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := New(Config{BaseURL: base, Env: "test", DemoSignIn: true, Log: log}, Deps{
		Catalogue: db, Search: idx, Auth: a, DevIdP: idp, Applications: apps,
		Forms: forms.NewValidator(forms.Options{Currency: "EUR"}), Payments: pay,
	})
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.App().Listener(ln) }()
	t.Cleanup(func() { _ = srv.App().ShutdownWithTimeout(5 * time.Second) })
	return &edSite{base: base, srv: srv, db: db, index: idx}
}

// edBrowser is one person's browser on an edSite: cookies, and redirects
// seen rather than followed.
type edBrowser struct {
	t      testing.TB
	base   string
	client *http.Client
}

func (s *edSite) browser(t testing.TB) *edBrowser {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &edBrowser{t: t, base: s.base, client: &http.Client{
		Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

type edResponse struct {
	status   int
	body     string
	location string
	url      string
}

func (b *edBrowser) do(req *http.Request) edResponse {
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
	return edResponse{status: res.StatusCode, body: string(body), location: res.Header.Get("Location"), url: req.URL.String()}
}

func (b *edBrowser) abs(u string) string {
	if strings.HasPrefix(u, "/") {
		return b.base + u
	}
	return u
}

func (b *edBrowser) get(u string, header ...string) edResponse {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodGet, b.abs(u), nil)
	if err != nil {
		b.t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return b.do(req)
}

// follow gets u and follows its redirects.
func (b *edBrowser) follow(r edResponse) edResponse {
	b.t.Helper()
	for i := 0; i < 10 && r.status >= 300 && r.status < 400; i++ {
		r = b.get(r.location)
	}
	return r
}

func (b *edBrowser) post(u string, form url.Values) edResponse {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodPost, b.abs(u), strings.NewReader(form.Encode()))
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

func (b *edBrowser) postFile(u string, form url.Values, field, name string, content []byte) edResponse {
	b.t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, vs := range form {
		for _, v := range vs {
			w.WriteField(k, v)
		}
	}
	fw, err := w.CreateFormFile(field, name)
	if err != nil {
		b.t.Fatal(err)
	}
	fw.Write(content)
	w.Close()
	req, err := http.NewRequest(http.MethodPost, b.abs(u), &buf)
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", w.FormDataContentType())
	return b.do(req)
}

// signIn signs in as a development persona ("editor", "admin", "resident")
// and lands on returnTo.
func (b *edBrowser) signIn(returnTo, persona string) edResponse {
	b.t.Helper()
	r := b.get(auth.LoginURL(returnTo, ""))
	for i := 0; i < 10 && r.status >= 300 && r.status < 400 && !strings.Contains(r.location, "/dev-idp/login"); i++ {
		r = b.get(r.location)
	}
	login, err := url.Parse(b.abs(r.location))
	if err != nil || !strings.Contains(login.Path, "/dev-idp/login") {
		b.t.Fatalf("sign-in did not reach the provider: %d %s", r.status, r.location)
	}
	if p := b.get(login.String()); p.status != http.StatusOK {
		b.t.Fatalf("provider's sign-in page: %d", p.status)
	}
	r = b.follow(b.post("/dev-idp/login", url.Values{"authRequestID": {login.Query().Get("authRequestID")}, "persona": {persona}}))
	if r.status != http.StatusOK {
		b.t.Fatalf("signing in as %s ended with %d at %s: %.500s", persona, r.status, r.url, r.body)
	}
	return r
}

var edCSRF = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

func edToken(t testing.TB, body string) string {
	t.Helper()
	m := edCSRF.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no CSRF token in %.600s", body)
	}
	return m[1]
}

func expect(t testing.TB, r edResponse, status int, want ...string) {
	t.Helper()
	if r.status != status {
		t.Fatalf("%s: status %d, want %d (location %q)\n%.3000s", r.url, r.status, status, r.location, mainOf(r.body))
	}
	for _, w := range want {
		if !strings.Contains(r.body, w) {
			t.Errorf("%s lacks %q\n%.3000s", r.url, w, mainOf(r.body))
		}
	}
}

func expectNot(t testing.TB, r edResponse, unwanted ...string) {
	t.Helper()
	for _, w := range unwanted {
		if strings.Contains(r.body, w) {
			t.Errorf("%s contains %q", r.url, w)
		}
	}
}

// mainOf is the page's <main>, for failure messages.
func mainOf(body string) string {
	if i := strings.Index(body, "<main"); i >= 0 {
		body = body[i:]
	}
	return body
}

// serviceForm is the editor's form for a service as the page would submit
// it, with its token, base revision and button.
func serviceForm(t testing.TB, s *catalogue.Service, csrf string, base int64, action string) url.Values {
	t.Helper()
	v := serviceValues(s, catalogue.Languages)
	v.Set("_csrf", csrf)
	v.Set("base_revision", itoa64(base))
	v.Set("action", action)
	return v
}

// publishedService reads a service as published now.
func (s *edSite) publishedService(t testing.TB, slug string) *catalogue.Service {
	t.Helper()
	svc, err := s.db.Service(context.Background(), slug)
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

// searchSlugs searches the site's index directly.
func (s *edSite) searchSlugs(t testing.TB, q, lang string) []string {
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
