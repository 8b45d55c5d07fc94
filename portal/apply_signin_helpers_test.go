package portal

import (
	"bytes"
	"io"
	"log/slog"
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

	"sportello/portal/auth"
)

// livePortal is the portal on a real loopback listener, with the
// development identity provider mounted on it, for flows that need a
// browser's cookies: the anonymous form (its CSRF token lives in a session),
// sign-in, and two people at once. It shares the fixture's database,
// index and stores.
type livePortal struct {
	base string
	srv  *Server
}

func startLivePortal(t *testing.T) *livePortal {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	log := slog.New(slog.DiscardHandler)
	if testing.Verbose() {
		log = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
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
	return &livePortal{base: base, srv: srv}
}

// visitor is one person's browser: a cookie jar that does not follow
// redirects unless asked, so tests see each 303.
type visitor struct {
	t      *testing.T
	base   string
	client *http.Client
}

func (p *livePortal) visitor(t *testing.T) *visitor {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &visitor{t: t, base: p.base, client: &http.Client{
		Jar:     jar,
		Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}}
}

// response is what a request got back.
type response struct {
	status   int
	body     string
	header   http.Header
	location string
	url      string
}

func (v *visitor) do(req *http.Request) response {
	v.t.Helper()
	res, err := v.client.Do(req)
	if err != nil {
		v.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		v.t.Fatal(err)
	}
	return response{status: res.StatusCode, body: string(b), header: res.Header, location: res.Header.Get("Location"), url: req.URL.String()}
}

func (v *visitor) abs(u string) string {
	if strings.HasPrefix(u, "/") {
		return v.base + u
	}
	return u
}

func (v *visitor) get(u string) response {
	v.t.Helper()
	req, err := http.NewRequest(http.MethodGet, v.abs(u), nil)
	if err != nil {
		v.t.Fatal(err)
	}
	return v.do(req)
}

// follow fetches u and follows redirects, at most ten.
func (v *visitor) follow(u string) response {
	v.t.Helper()
	r := v.get(u)
	for i := 0; i < 10 && r.status >= 300 && r.status < 400; i++ {
		r = v.get(r.location)
	}
	return r
}

func (v *visitor) post(u string, form url.Values) response {
	v.t.Helper()
	req, err := http.NewRequest(http.MethodPost, v.abs(u), strings.NewReader(form.Encode()))
	if err != nil {
		v.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return v.do(req)
}

// upload is a file for postMultipart.
type upload struct {
	field, name string
	content     []byte
}

// postMultipart posts a form the way a browser sends one with file inputs.
// Every file input of the form is sent, empty when nothing was chosen.
func (v *visitor) postMultipart(u string, form url.Values, files ...upload) response {
	v.t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, vs := range form {
		for _, s := range vs {
			if err := w.WriteField(k, s); err != nil {
				v.t.Fatal(err)
			}
		}
	}
	for _, f := range files {
		fw, err := w.CreateFormFile(f.field, f.name)
		if err != nil {
			v.t.Fatal(err)
		}
		if _, err := fw.Write(f.content); err != nil {
			v.t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		v.t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, v.abs(u), &buf)
	if err != nil {
		v.t.Fatal(err)
	}
	req.Header.Set("Content-Type", w.FormDataContentType())
	return v.do(req)
}

// signIn signs in as a development persona ("resident", "business",
// "caseworker", "admin") at level ("" for the persona's usual one), starting
// from returnTo, and returns the page the provider sends the browser back
// to.
func (v *visitor) signIn(returnTo, persona, level string) response {
	v.t.Helper()
	r := v.get(auth.LoginURL(returnTo, level))
	for i := 0; i < 10 && r.status >= 300 && r.status < 400; i++ {
		if strings.Contains(r.location, "/dev-idp/login") {
			break
		}
		r = v.get(r.location)
	}
	login, err := url.Parse(v.abs(r.location))
	if err != nil || !strings.Contains(login.Path, "/dev-idp/login") {
		v.t.Fatalf("sign-in did not reach the provider's page: %d %s", r.status, r.location)
	}
	page := v.get(login.String())
	if page.status != http.StatusOK {
		v.t.Fatalf("provider's sign-in page: %d %.300s", page.status, page.body)
	}
	r = v.post("/dev-idp/login", url.Values{"authRequestID": {login.Query().Get("authRequestID")}, "persona": {persona}, "level": {level}})
	for i := 0; i < 10 && r.status >= 300 && r.status < 400; i++ {
		r = v.get(r.location)
	}
	if r.status != http.StatusOK {
		v.t.Fatalf("signing in as %s: ended with %d at %s: %.500s", persona, r.status, r.url, r.body)
	}
	return r
}

var hiddenInput = regexp.MustCompile(`name="(_csrf|_token)" value="([^"]*)"`)

// hidden returns the hidden inputs _csrf and _token of a page's form.
func hidden(t *testing.T, body string) (csrf, token string) {
	t.Helper()
	for _, m := range hiddenInput.FindAllStringSubmatch(body, -1) {
		switch m[1] {
		case "_csrf":
			csrf = m[2]
		case "_token":
			token = m[2]
		}
	}
	if csrf == "" {
		t.Fatalf("no CSRF token on the page: %.600s", body)
	}
	return csrf, token
}

func must(t *testing.T, r response, status int, want ...string) {
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

func mustNot(t *testing.T, r response, unwanted ...string) {
	t.Helper()
	for _, w := range unwanted {
		if strings.Contains(r.body, w) {
			t.Errorf("%s: body contains %q", r.url, w)
		}
	}
}

// excerptMain is the page's <main>, where the failures are.
func excerptMain(body string) string {
	if i := strings.Index(body, "<main"); i >= 0 {
		body = body[i:]
	}
	return excerpt(body)
}

var referencePattern = regexp.MustCompile(`id="reference">([A-Z]{2}-[0-9A-Z]{4}-[0-9A-Z]{4})<`)

// referenceOf reads the reference off a confirmation page.
func referenceOf(t *testing.T, body string) string {
	t.Helper()
	m := referencePattern.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no reference on the confirmation page: %s", excerptMain(body))
	}
	return m[1]
}
