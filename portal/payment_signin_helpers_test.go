package portal

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"go/build"
	"io"
	"log/slog"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"sportello/catalogue/sqlstore"
	"sportello/payments"
	"sportello/payments/stripe"
	"sportello/portal/applications"
	"sportello/portal/auth"
)

// The payment tests' real components: the portal on a loopback listener
// with its own development identity provider, a browser that signs in
// through it, and stripe-mock for the Stripe provider.

// newSimulatedPayments is the payments service the binary builds without a
// Stripe key: the simulated provider, with the applications store moving
// applications on.
func newSimulatedPayments(db *sqlstore.DB, apps *applications.Store, log *slog.Logger) (*payments.Service, error) {
	sim, err := payments.NewSimulated(db, payments.SimulatedConfig{Env: "test"})
	if err != nil {
		return nil, err
	}
	return payments.New(db, payments.Options{Provider: sim, Fulfiller: apps, Logger: log})
}

// paySite is a portal over the fixture's store, served on a loopback port.
type paySite struct {
	base   string
	issuer string
	srv    *Server
}

// startPaySite serves the portal with pay as its payments service (the
// fixture's simulated one when nil).
func startPaySite(t *testing.T, pay *payments.Service) *paySite {
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
	a, idp, err := auth.NewDevelopment(auth.Config{BaseURL: base}, fixture.store, log, PaymentsWebhookPath)
	if err != nil {
		t.Fatal(err)
	}
	deps := fixture.deps
	deps.Auth, deps.DevIdP = a, idp
	if pay != nil {
		deps.Payments = pay
	}
	srv, err := New(Config{BaseURL: base, Env: "test", DemoSignIn: true, Log: log}, deps)
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.App().Listener(ln) }()
	t.Cleanup(func() { _ = srv.App().ShutdownWithTimeout(5 * time.Second) })
	return &paySite{base: base, issuer: base + auth.DevIdPPath, srv: srv}
}

// payBrowser is one person's browser: it keeps cookies and follows
// redirects within the site, and stops at one that leaves it (a hosted
// checkout), so that tests see where it would go.
type payBrowser struct {
	t      *testing.T
	site   *paySite
	client *http.Client
}

// payPage is an answer as the browser got it, after redirects.
type payPage struct {
	status   int
	body     string
	url      *url.URL
	location string // set when the browser stopped at a redirect off the site
	header   http.Header
}

func (s *paySite) browser(t *testing.T) *payBrowser {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &payBrowser{t: t, site: s, client: &http.Client{
		Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) > 15 {
				return errors.New("too many redirects")
			}
			if !strings.HasPrefix(req.URL.String(), s.base) {
				return http.ErrUseLastResponse
			}
			return nil
		},
	}}
}

func (b *payBrowser) send(req *http.Request) payPage {
	b.t.Helper()
	res, err := b.client.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	buf, err := io.ReadAll(res.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	return payPage{status: res.StatusCode, body: string(buf), url: res.Request.URL, location: res.Header.Get("Location"), header: res.Header}
}

func (b *payBrowser) abs(path string) string {
	if strings.HasPrefix(path, "/") {
		return b.site.base + path
	}
	return path
}

func (b *payBrowser) get(path string) payPage {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodGet, b.abs(path), nil)
	if err != nil {
		b.t.Fatal(err)
	}
	return b.send(req)
}

// post submits form to path with the CSRF token of the page it is on.
func (b *payBrowser) post(on payPage, path string, form url.Values) payPage {
	b.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	form.Set("_csrf", payCSRF(b.t, on.body))
	req, err := http.NewRequest(http.MethodPost, b.abs(path), strings.NewReader(form.Encode()))
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.send(req)
}

// postMultipart submits a form with files (field name -> file name and
// content).
func (b *payBrowser) postMultipart(path string, form url.Values, files map[string][2]string) payPage {
	b.t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, vs := range form {
		for _, v := range vs {
			w.WriteField(k, v)
		}
	}
	for field, f := range files {
		fw, err := w.CreateFormFile(field, f[0])
		if err != nil {
			b.t.Fatal(err)
		}
		fw.Write([]byte(f[1]))
	}
	w.Close()
	req, err := http.NewRequest(http.MethodPost, b.abs(path), &buf)
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", w.FormDataContentType())
	return b.send(req)
}

// signIn signs in as a development provider persona and returns the page
// landed on.
func (b *payBrowser) signIn(persona string) payPage {
	b.t.Helper()
	login := b.get(auth.LoginURL("/account", ""))
	if login.status != http.StatusOK || login.url.Path != auth.DevIdPPath+"/login" {
		b.t.Fatalf("expected the provider's sign-in page, got %d at %s", login.status, login.url)
	}
	req, err := http.NewRequest(http.MethodPost, b.abs(auth.DevIdPPath+"/login"), strings.NewReader(url.Values{
		"authRequestID": {login.url.Query().Get("authRequestID")}, "persona": {persona},
	}.Encode()))
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	p := b.send(req)
	if p.status != http.StatusOK || p.url.Path != "/account" {
		b.t.Fatalf("signing in as %s ended with %d at %s", persona, p.status, p.url)
	}
	return p
}

// personID is the id Sportello gave a persona of this site's provider.
func (s *paySite) personID(t *testing.T, persona string) int64 {
	t.Helper()
	var id int64
	err := fixture.store.SQL().QueryRow(fixture.store.Rebind(`SELECT id FROM people WHERE issuer = ? AND subject = ?`), s.issuer, persona).Scan(&id)
	if err != nil {
		t.Fatalf("person %s of %s: %v", persona, s.issuer, err)
	}
	return id
}

var payCSRFField = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

func payCSRF(t *testing.T, body string) string {
	t.Helper()
	m := payCSRFField.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no CSRF token on the page:\n%s", payExcerpt(body))
	}
	return m[1]
}

// payExcerpt is the page's main content, for failure messages.
func payExcerpt(body string) string {
	if i := strings.Index(body, `<main`); i >= 0 {
		body = body[i:]
	}
	return excerpt(body)
}

// payMust fails unless the page has status and every text in want.
func payMust(t *testing.T, p payPage, status int, want ...string) {
	t.Helper()
	if p.status != status {
		t.Fatalf("%s: status %d, want %d\n%s", p.url, p.status, status, payExcerpt(p.body))
	}
	for _, w := range want {
		if !strings.Contains(p.body, w) {
			t.Fatalf("%s lacks %q\n%s", p.url, w, payExcerpt(p.body))
		}
	}
}

// payStripeMock starts stripe-mock on free loopback ports for the test and
// returns its URL; the test skips when stripe-mock is not installed (CI
// installs it: go install github.com/stripe/stripe-mock@v0.203.0).
func payStripeMock(t *testing.T) string {
	t.Helper()
	bin, err := exec.LookPath("stripe-mock")
	if err != nil {
		for _, dir := range filepath.SplitList(build.Default.GOPATH) {
			if p := filepath.Join(dir, "bin", "stripe-mock"); fileExists(p) {
				bin = p
			}
		}
	}
	if bin == "" {
		t.Skip("stripe-mock is not installed (not on PATH nor in GOPATH/bin); install it with: go install github.com/stripe/stripe-mock@v0.203.0")
	}
	cmd := exec.Command(bin, "-http-addr", "127.0.0.1:0", "-https-addr", "127.0.0.1:0")
	out, w := io.Pipe()
	cmd.Stdout, cmd.Stderr = w, w
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", bin, err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		w.Close()
	})
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if a, ok := strings.CutPrefix(sc.Text(), "Listening for HTTP at address: "); ok {
				addr <- a
			}
		}
	}()
	var base string
	select {
	case a := <-addr:
		base = "http://" + a
	case <-time.After(60 * time.Second):
		t.Fatal("stripe-mock did not say where it listens within a minute")
	}
	for range 200 {
		req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, base+"/v1/balance", nil)
		req.SetBasicAuth("sk_test_123", "")
		if res, err := http.DefaultClient.Do(req); err == nil {
			res.Body.Close()
			return base
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("stripe-mock at %s does not answer", base)
	return ""
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}

// newStripePayments is the payments service on the Stripe provider at
// apiURL (stripe-mock), over the fixture's database.
func newStripePayments(t *testing.T, apiURL, webhookSecret string) *payments.Service {
	t.Helper()
	quiet := slog.New(slog.DiscardHandler)
	p, err := stripe.New(stripe.Config{SecretKey: "sk_test_sportello", WebhookSecret: webhookSecret, APIURL: apiURL, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	svc, err := payments.New(fixture.store, payments.Options{Provider: p, Fulfiller: fixture.deps.Applications, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	return svc
}
