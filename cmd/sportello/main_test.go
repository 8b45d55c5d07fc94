package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"runtime/debug"
	"runtime/metrics"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"sportello/catalogue"
	"sportello/notify"
)

// env returns a getenv over the given variables.
func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

func TestLoadConfigDefaults(t *testing.T) {
	c, err := loadConfig(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.Env != envDevelopment || c.Addr != ":8080" || c.BaseURL != "http://localhost:8080" {
		t.Errorf("defaults: env %q addr %q base %q", c.Env, c.Addr, c.BaseURL)
	}
	if c.DatabaseURL != filepath.Join("data", "sportello.db") {
		t.Errorf("default database %q, want SQLite in ./data", c.DatabaseURL)
	}
	if !c.DevIdP() {
		t.Error("with no issuer in development the development identity provider must run")
	}
	if c.MemoryLimit != 0 {
		t.Errorf("memory limit %d by default, want none", c.MemoryLimit)
	}
	if c, _ := loadConfig(env(map[string]string{"SPORTELLO_MEMORY_LIMIT_MB": "250"})); c.MemoryLimit != 250<<20 {
		t.Errorf("SPORTELLO_MEMORY_LIMIT_MB=250: %d bytes", c.MemoryLimit)
	}
	if c.IndexDir != filepath.Join("data", "index") || c.ShutdownTimeout != 20*time.Second || c.ChangePoll != 5*time.Second {
		t.Errorf("index dir %q, shutdown timeout %v, change poll %v; want data/index, 20s, 5s", c.IndexDir, c.ShutdownTimeout, c.ChangePoll)
	}
	if c, _ := loadConfig(env(map[string]string{"SPORTELLO_DATA_DIR": "/srv/shared"})); c.IndexDir != filepath.Join("/srv/shared", "index") {
		t.Errorf("the index follows the data directory by default: %q", c.IndexDir)
	}
	if strings.Join(c.OIDC.Scopes, " ") != "openid profile email" || c.OIDC.RolesClaim != "groups" || c.OIDC.TaxIDClaim != "tax_id" {
		t.Errorf("OIDC defaults: scopes %v, roles claim %q, tax ID claim %q", c.OIDC.Scopes, c.OIDC.RolesClaim, c.OIDC.TaxIDClaim)
	}
}

func TestLoadConfigErrors(t *testing.T) {
	secretFile := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(secretFile, []byte("s3cret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		vars map[string]string
		want []string // each must be in the error; none means no error
	}{
		{"production refuses every embedded default", map[string]string{"SPORTELLO_ENV": "production"},
			[]string{"SPORTELLO_DATABASE_URL: production needs PostgreSQL", "SPORTELLO_OIDC_ISSUER: production needs", "SPORTELLO_BASE_URL: production needs an https://",
				"SPORTELLO_STRIPE_SECRET_KEY: production needs Stripe", "SPORTELLO_SMTP_URL: production needs a mail server"}},
		{"production with the real things", map[string]string{
			"SPORTELLO_ENV": "production", "SPORTELLO_DATABASE_URL": "postgres://db/sportello",
			"SPORTELLO_OIDC_ISSUER": "https://id.example", "SPORTELLO_OIDC_CLIENT_ID": "sportello",
			"SPORTELLO_BASE_URL":          "https://portal.example",
			"SPORTELLO_STRIPE_SECRET_KEY": "sk_live_x", "SPORTELLO_STRIPE_WEBHOOK_SECRET_FILE": secretFile,
			"SPORTELLO_SMTP_URL": "smtp://sportello:pw@mail.example:587", "SPORTELLO_MAIL_FROM": "Council of Porta Nova <no-reply@portanova.example>"}, nil},
		{"a mail server", map[string]string{"SPORTELLO_SMTP_URL_FILE": secretFile + "-smtp", "SPORTELLO_MAIL_FROM": "no-reply@portanova.example",
			"SPORTELLO_SMTP_TIMEOUT": "10s", "SPORTELLO_MAIL_INTERVAL": "1s", "SPORTELLO_MAIL_MAX_ATTEMPTS": "5"}, nil},
		{"a mail server of another scheme", map[string]string{"SPORTELLO_SMTP_URL": "https://sportello:s3cretpw@mail.example", "SPORTELLO_MAIL_FROM": "a@b.example"},
			[]string{"SPORTELLO_SMTP_URL: the scheme must be smtp:// (STARTTLS) or smtps:// (implicit TLS)"}},
		{"a mail server URL that does not parse", map[string]string{"SPORTELLO_SMTP_URL": "smtp://sportello:s3cret%pw@mail.example", "SPORTELLO_MAIL_FROM": "a@b.example"},
			[]string{"SPORTELLO_SMTP_URL: it is not a URL", "percent-encode"}},
		{"a mail server without a sender", map[string]string{"SPORTELLO_SMTP_URL": "smtp://relay.internal:25"}, []string{"SPORTELLO_MAIL_FROM: required with SPORTELLO_SMTP_URL"}},
		{"a sender that is not an address", map[string]string{"SPORTELLO_MAIL_FROM": "Porta Nova"}, []string{`SPORTELLO_MAIL_FROM: "Porta Nova" is not an address such as`}},
		{"bad mail settings", map[string]string{"SPORTELLO_SMTP_TIMEOUT": "soon", "SPORTELLO_MAIL_INTERVAL": "-1s", "SPORTELLO_MAIL_MAX_ATTEMPTS": "0"},
			[]string{"SPORTELLO_SMTP_TIMEOUT", "SPORTELLO_MAIL_INTERVAL", "SPORTELLO_MAIL_MAX_ATTEMPTS"}},
		{"Stripe key without webhook secret", map[string]string{"SPORTELLO_STRIPE_SECRET_KEY": "sk_test_x"}, []string{"SPORTELLO_STRIPE_WEBHOOK_SECRET: required"}},
		{"Stripe webhook secret without key", map[string]string{"SPORTELLO_STRIPE_WEBHOOK_SECRET": "whsec_x"}, []string{"SPORTELLO_STRIPE_SECRET_KEY: SPORTELLO_STRIPE_WEBHOOK_SECRET or SPORTELLO_STRIPE_API_URL is set without it"}},
		{"bad Stripe API URL", map[string]string{"SPORTELLO_STRIPE_SECRET_KEY": "sk_test_x", "SPORTELLO_STRIPE_WEBHOOK_SECRET": "whsec_x", "SPORTELLO_STRIPE_API_URL": "localhost:12111"}, []string{"SPORTELLO_STRIPE_API_URL"}},
		{"Stripe against stripe-mock", map[string]string{"SPORTELLO_STRIPE_SECRET_KEY": "sk_test_x", "SPORTELLO_STRIPE_WEBHOOK_SECRET": "whsec_x", "SPORTELLO_STRIPE_API_URL": "http://127.0.0.1:12111"}, nil},
		{"unknown environment", map[string]string{"SPORTELLO_ENV": "staging"}, []string{`SPORTELLO_ENV: "staging" must be`}},
		{"bad base URL", map[string]string{"SPORTELLO_BASE_URL": "portal.example"}, []string{"SPORTELLO_BASE_URL"}},
		{"issuer without client", map[string]string{"SPORTELLO_OIDC_ISSUER": "https://id.example"}, []string{"SPORTELLO_OIDC_CLIENT_ID: required"}},
		{"bad duration", map[string]string{"SPORTELLO_SESSION_IDLE_TIMEOUT": "soon"}, []string{"SPORTELLO_SESSION_IDLE_TIMEOUT"}},
		{"several instances", map[string]string{"SPORTELLO_INDEX_DIR": "/var/lib/sportello/index", "SPORTELLO_SHUTDOWN_TIMEOUT": "45s", "SPORTELLO_CHANGE_POLL_INTERVAL": "2s"}, nil},
		{"bad shutdown timeout and poll", map[string]string{"SPORTELLO_SHUTDOWN_TIMEOUT": "0s", "SPORTELLO_CHANGE_POLL_INTERVAL": "often"},
			[]string{"SPORTELLO_SHUTDOWN_TIMEOUT", "SPORTELLO_CHANGE_POLL_INTERVAL"}},
		{"bad upload limit", map[string]string{"SPORTELLO_UPLOAD_MAX_MB": "-3"}, []string{"SPORTELLO_UPLOAD_MAX_MB"}},
		{"memory limit in megabytes", map[string]string{"SPORTELLO_MEMORY_LIMIT_MB": "250MiB"}, []string{`SPORTELLO_MEMORY_LIMIT_MB: "250MiB" is not a positive whole number`}},
		{"bad pending quota", map[string]string{"SPORTELLO_PENDING_QUOTA_MB": "lots"}, []string{"SPORTELLO_PENDING_QUOTA_MB"}},
		{"bad time zone", map[string]string{"SPORTELLO_TIME_ZONE": "Mars/Olympus"}, []string{"SPORTELLO_TIME_ZONE"}},
		{"a map of its own", map[string]string{"SPORTELLO_MAP_TILES": "https://{s}.tiles.example/{z}/{x}/{y}.png", "SPORTELLO_MAP_CENTER": "40.4168,-3.7038",
			"SPORTELLO_MAP_AREA": "40.30,-3.85,40.55,-3.55"}, nil},
		{"bad map settings", map[string]string{"SPORTELLO_MAP_TILES": "tiles.example/{z}/{x}/{y}.png", "SPORTELLO_MAP_CENTER": "north", "SPORTELLO_MAP_AREA": "1,2,3"},
			[]string{"SPORTELLO_MAP_TILES", "SPORTELLO_MAP_CENTER: \"north\" is not latitude,longitude", "SPORTELLO_MAP_AREA"}},
		{"a map centre outside the area", map[string]string{"SPORTELLO_MAP_CENTER": "40.4168,-3.7038,14"}, []string{"SPORTELLO_MAP_CENTER: 40.416800,-3.703800 is outside SPORTELLO_MAP_AREA"}},
		{"trusted proxies", map[string]string{"SPORTELLO_TRUSTED_PROXIES": "10.0.0.5, 10.1.0.0/16,2001:db8::/32"}, nil},
		{"a trusted proxy that is a host name", map[string]string{"SPORTELLO_TRUSTED_PROXIES": "10.0.0.5,proxy.internal"}, []string{`SPORTELLO_TRUSTED_PROXIES: "proxy.internal" is not an IP address or CIDR range`}},
		{"a trusted proxy with a bad range", map[string]string{"SPORTELLO_TRUSTED_PROXIES": "10.0.0.0/33"}, []string{`SPORTELLO_TRUSTED_PROXIES: "10.0.0.0/33"`}},
		{"metrics address", map[string]string{"SPORTELLO_METRICS_ADDR": "127.0.0.1:9090"}, nil},
		{"metrics address without a port", map[string]string{"SPORTELLO_METRICS_ADDR": "127.0.0.1"}, []string{`SPORTELLO_METRICS_ADDR: "127.0.0.1" must be a host and port`}},
		{"profiling without a metrics listener", map[string]string{"SPORTELLO_PROFILING": "on"}, []string{"SPORTELLO_PROFILING: profiles are served on the metrics listener"}},
		{"profiling neither on nor off", map[string]string{"SPORTELLO_PROFILING": "yes"}, []string{`SPORTELLO_PROFILING: "yes" must be on or off`}},
		{"missing secret file", map[string]string{"SPORTELLO_OIDC_CLIENT_SECRET_FILE": "/no/such/file"}, []string{"SPORTELLO_OIDC_CLIENT_SECRET_FILE"}},
		{"secret from a file", map[string]string{"SPORTELLO_OIDC_CLIENT_SECRET_FILE": secretFile}, nil},
	}
	if err := os.WriteFile(secretFile+"-smtp", []byte("smtps://sportello:s3cret@mail.example\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := loadConfig(env(tt.vars))
			if err != nil && strings.Contains(err.Error(), "s3cret") {
				t.Errorf("the error repeats a password: %v", err)
			}
			if len(tt.want) == 0 {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("no error; want %q", tt.want)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%v", w, err)
				}
			}
		})
	}
	c, _ := loadConfig(env(map[string]string{"SPORTELLO_OIDC_CLIENT_SECRET_FILE": secretFile}))
	if c.OIDC.ClientSecret != "s3cret" {
		t.Errorf("secret from file = %q", c.OIDC.ClientSecret)
	}
	if !c.SimulatedPayments() {
		t.Error("without a Stripe key the simulated payment provider must take the fees")
	}
	c, _ = loadConfig(env(map[string]string{"SPORTELLO_STRIPE_SECRET_KEY": "sk_test_x", "SPORTELLO_STRIPE_WEBHOOK_SECRET_FILE": secretFile}))
	if c.Stripe.WebhookSecret != "s3cret" || c.SimulatedPayments() {
		t.Errorf("Stripe webhook secret from file = %q, simulated %v", c.Stripe.WebhookSecret, c.SimulatedPayments())
	}
	if pc := portalConfig(c, nil); !slices.Contains(pc.FormActionOrigins, stripeCheckoutOrigin) {
		t.Errorf("with Stripe, form-action origins %v lack %s", pc.FormActionOrigins, stripeCheckoutOrigin)
	}
	c, _ = loadConfig(env(map[string]string{"SPORTELLO_TRUSTED_PROXIES": " 10.0.0.5 , ::FFFF:10.0.0.6,10.1.0.0/16 "}))
	if got := portalConfig(c, nil).TrustedProxies; !slices.Equal(got, []string{"10.0.0.5", "10.0.0.6", "10.1.0.0/16"}) {
		t.Errorf("trusted proxies reach the portal as %q", got)
	}
	if c, _ := loadConfig(env(nil)); !c.DevMail() || c.Mail.Interval != 2*time.Second || c.Mail.MaxAttempts != 8 || c.Mail.Timeout != 30*time.Second {
		t.Errorf("without a mail server in development: dev mailbox %v, interval %v, tries %d, timeout %v", c.DevMail(), c.Mail.Interval, c.Mail.MaxAttempts, c.Mail.Timeout)
	}
	c, _ = loadConfig(env(map[string]string{"SPORTELLO_SMTP_URL_FILE": secretFile + "-smtp", "SPORTELLO_MAIL_FROM": "Porta Nova <no-reply@portanova.example>"}))
	if c.DevMail() || c.Mail.SMTP != (notify.SMTPConfig{Host: "mail.example", Port: 465, Username: "sportello", Password: "s3cret", Implicit: true}) || c.Mail.From.Address != "no-reply@portanova.example" {
		t.Errorf("the mail server from a file: %+v, from %v", c.Mail.SMTP, c.Mail.From)
	}
	if c, _ := loadConfig(env(nil)); len(c.TrustedProxies) != 0 {
		t.Errorf("by default no proxy is trusted, got %q", c.TrustedProxies)
	}
}

// TestImportExport runs the binary's import and export commands against a
// SQLite database, as an operator would.
func TestImportExport(t *testing.T) {
	dir := t.TempDir()
	vars := map[string]string{"SPORTELLO_DATA_DIR": dir}
	ctx := context.Background()
	cli := func(args ...string) (string, error) {
		var out, errOut bytes.Buffer
		err := run(ctx, args, env(vars), &out, &errOut)
		return out.String(), err
	}

	good := filepath.Join(dir, "porta-nova.json")
	if err := os.WriteFile(good, catalogue.DemoJSON(), 0o644); err != nil {
		t.Fatal(err)
	}
	// A broken file reports every problem with its path and writes nothing.
	demo := catalogue.DemoJSON()
	firstFee := bytes.Count(demo[:bytes.Index(demo, []byte(`"amount": 4000`))], []byte{'\n'}) + 1
	broken := []struct {
		name   string
		data   []byte
		errors []string
	}{
		{"wrong types", bytes.Replace(demo, []byte(`"amount": 4000`), []byte(`"amount": 40.5`), -1),
			[]string{"services[10].fee.amount: must be a whole number of cents", fmt.Sprintf("line %d:", firstFee)}},
		{"broken references", bytes.Replace(bytes.Replace(demo,
			[]byte(`"topic": "waste-recycling"`), []byte(`"topic": "no-such-topic"`), 1),
			[]byte(`"related": [`), []byte(`"related": ["no-such-service", `), 1),
			[]string{"services[0].topic", "no-such-topic", "no-such-service"}},
		// Found as the services are written, one at a time: the import
		// goes on to list them all, then writes nothing.
		{"problems in two services", replaceNth(replaceNth(demo, `"topic": "waste-recycling"`, `"topic": "no-such-topic"`, 3),
			`"department": "waste-services"`, `"department": "no-such-department"`, 7),
			[]string{"services[3].topic", "services[7].department", "no-such-department"}},
		// Files that once knocked the server over: refused at their path.
		{"nested too deep", bytes.Replace(demo, []byte(`"fee": null,`), []byte(`"fee": `+strings.Repeat("[", 50_000)+`,`), 1),
			[]string{"services[0].fee[0][0]", "nested more than 32 levels deep"}},
		{"a 10 MB title", bytes.Replace(demo, []byte(`"en": "Report a missed bin collection"`), []byte(`"en": "`+strings.Repeat("x", 10<<20)+`"`), 1),
			[]string{"services[0].title.en: is 10 MB long; a text may be at most 64 KB"}},
	}
	for _, b := range broken {
		path := filepath.Join(dir, "broken.json")
		if err := os.WriteFile(path, b.data, 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := cli("import", path)
		if err == nil {
			t.Fatalf("%s: importing a broken file succeeded", b.name)
		}
		for _, want := range append(b.errors, "nothing was written") {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("%s: import error lacks %q:\n%v", b.name, want, err)
			}
		}
	}
	if _, err := cli("export"); err == nil {
		t.Error("export after a refused import found a catalogue")
	}

	out, err := cli("import", good)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "132 services added") {
		t.Errorf("first import said %q", out)
	}
	out, err = cli("import", good)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "0 services added, 0 updated, 0 archived, 132 unchanged; catalogue version 1") {
		t.Errorf("second import of the same file said %q", out)
	}

	exported := filepath.Join(dir, "exported.json")
	if _, err := cli("export", exported); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(exported)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := catalogue.Load(data); err != nil {
		t.Errorf("the export does not import again: %v", err)
	}
	out, err = cli("import", exported)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "132 unchanged") {
		t.Errorf("re-importing the export changed something: %q", out)
	}
}

// replaceNth replaces the nth (from 0) old in data.
func replaceNth(data []byte, old, new string, n int) []byte {
	at := 0
	for range n {
		at += bytes.Index(data[at:], []byte(old)) + len(old)
	}
	i := at + bytes.Index(data[at:], []byte(old))
	return append(append(append([]byte{}, data[:i]...), new...), data[i+len(old):]...)
}

func TestUnknownCommand(t *testing.T) {
	var out bytes.Buffer
	err := run(context.Background(), []string{"frobnicate"}, env(nil), &out, &out)
	if err == nil || !strings.Contains(err.Error(), `unknown command "frobnicate"`) || !strings.Contains(err.Error(), "usage:") {
		t.Errorf("err = %v", err)
	}
}

// TestServe starts the binary as `go run ./cmd/sportello` does, on a fresh
// data directory: the demo catalogue is imported, the index built, the site
// and the development identity provider answer; then it stops on cancel, and
// starts again on the same data.
func TestServe(t *testing.T) {
	dir := t.TempDir()
	t.Cleanup(func() { debug.SetMemoryLimit(math.MaxInt64); debug.SetGCPercent(100) })
	for start := range 2 {
		addr := reserveAddr(t)
		vars := map[string]string{"SPORTELLO_DATA_DIR": dir, "SPORTELLO_ADDR": addr}
		if start == 1 {
			// An operator's GOGC is the runtime's from the process start
			// (here set by hand, as the test's process started without it)
			// and stays.
			vars["SPORTELLO_MEMORY_LIMIT_MB"] = "300"
			vars["GOGC"] = "80"
			debug.SetGCPercent(80)
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		var logs bytes.Buffer
		go func() { done <- run(ctx, nil, env(vars), io.Discard, &syncWriter{w: &logs}) }()

		base := "http://" + addr
		if err := waitFor(base+"/healthz", done); err != nil {
			cancel()
			t.Fatalf("start %d: %v", start, err)
		}
		if start == 0 {
			eventually(t, "the collector set for serving", 10*time.Millisecond, func() bool { return gcPercent() == servingGCPercent })
			if limit := debug.SetMemoryLimit(-1); limit != math.MaxInt64 {
				t.Errorf("start 0: memory limit %d without SPORTELLO_MEMORY_LIMIT_MB", limit)
			}
		} else {
			eventually(t, "the memory limit set", 10*time.Millisecond, func() bool { return debug.SetMemoryLimit(-1) == 300<<20 })
			if p := gcPercent(); p != 80 {
				t.Errorf("start 1: GOGC=80 but the collector's percentage is %d", p)
			}
		}
		for _, path := range []string{"/", "/services/report-missed-bin-collection", "/dev-idp/.well-known/openid-configuration", "/api/v1/search?q=bin", "/dev-mail"} {
			res, err := http.Get(base + path)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != http.StatusOK {
				t.Errorf("start %d: GET %s = %d", start, path, res.StatusCode)
			}
		}
		// The simulated payment provider is on, says so, and the Stripe
		// webhook route is exempt from CSRF: its own signature check
		// refuses an unsigned post.
		res, err := http.Get(base + "/")
		if err != nil {
			t.Fatal(err)
		}
		home, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if !strings.Contains(string(home), "Payments are simulated") {
			t.Errorf("start %d: the home page lacks the simulated payments banner", start)
		}
		if !strings.Contains(string(home), `<a href="/dev-mail">`) {
			t.Errorf("start %d: the banner does not link the development mailbox", start)
		}
		res, err = http.Post(base+"/payments/stripe/webhook", "application/json", strings.NewReader(`{"id":"evt_1"}`))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusBadRequest {
			t.Errorf("start %d: unsigned webhook = %d, want 400 (not a CSRF refusal)", start, res.StatusCode)
		}
		cancel()
		if err := <-done; err != nil {
			t.Errorf("start %d: serve returned %v", start, err)
		}
	}
}

// waitFor polls url until it answers 200, or serve gives up.
func waitFor(url string, done <-chan error) error {
	for range 300 {
		select {
		case err := <-done:
			return fmt.Errorf("serve stopped: %v", err)
		default:
		}
		if res, err := http.Get(url); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("%s did not answer", url)
}

// eventually polls cond every interval until it holds, and fails the test
// with what otherwise. Only the test binary's deadline (go test -timeout),
// less a minute to report, bounds the wait: a test asserts that something
// happens, never how fast; speed is measured by benchmarks
// (docs/performance.md).
func eventually(t testing.TB, what string, every time.Duration, cond func() bool) {
	t.Helper()
	var deadline time.Time
	if d, ok := t.(interface{ Deadline() (time.Time, bool) }); ok {
		if end, set := d.Deadline(); set {
			deadline = end.Add(-time.Minute)
		}
	}
	for !cond() {
		if !deadline.IsZero() && time.Now().After(deadline) {
			t.Fatalf("%s: it never happened before the test's deadline", what)
		}
		time.Sleep(every)
	}
}

type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

func TestGenerateWritesAValidCatalogue(t *testing.T) {
	path := filepath.Join(t.TempDir(), "synthetic.json")
	if err := run(context.Background(), []string{"generate", "-n", "500", path}, env(nil), io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	c, err := catalogue.Load(data)
	if err != nil {
		t.Fatalf("the generated catalogue does not validate: %v", err)
	}
	if len(c.Services) != 500 {
		t.Errorf("%d services, want 500", len(c.Services))
	}
}

// TestTuneMemoryForBuild: the build's collector setting, and what it
// leaves alone.
func TestTuneMemoryForBuild(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(math.MaxInt64))

	restore := tuneMemoryForBuild(config{ServingGC: true})
	if p, limit := gcPercent(), debug.SetMemoryLimit(-1); p != buildGCPercent || limit != buildHeapLimit {
		t.Errorf("while building: GOGC %d, limit %d; want %d and %d", p, limit, buildGCPercent, buildHeapLimit)
	}
	restore()
	if p, limit := gcPercent(), debug.SetMemoryLimit(-1); p != 100 || limit != math.MaxInt64 {
		t.Errorf("after building: GOGC %d, limit %d; want 100 and none", p, limit)
	}

	// An operator's GOGC holds throughout, and a lower GOMEMLIMIT too.
	debug.SetGCPercent(80)
	tuneMemoryForBuild(config{ServingGC: false})()
	if p := gcPercent(); p != 80 {
		t.Errorf("with GOGC=80: %d while building", p)
	}
	debug.SetMemoryLimit(100 << 20)
	restore = tuneMemoryForBuild(config{ServingGC: true})
	if limit := debug.SetMemoryLimit(-1); limit != 100<<20 {
		t.Errorf("with GOMEMLIMIT=100MiB: limit %d while building", limit)
	}
	restore()
}

// gcPercent reads the collector's GOGC percentage without changing it.
func gcPercent() int {
	s := []metrics.Sample{{Name: "/gc/gogc:percent"}}
	metrics.Read(s)
	return int(s[0].Value.Uint64())
}
