package auth

import (
	"crypto/rand"
	"crypto/rsa"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// noSessionLeft checks that a refused sign-in left the browser signed out
// and the database without a session for it.
func noSessionLeft(t *testing.T, r *rp, b *browser) {
	t.Helper()
	if id := b.cookie("sportello_session"); id != "" {
		if n := count(t, r.db, "SELECT COUNT(*) FROM auth_sessions WHERE id_hash = ?", hashID(id)); n != 0 {
			t.Errorf("the refused sign-in left its session row")
		}
	}
	if n := count(t, r.db, "SELECT COUNT(*) FROM auth_sessions WHERE person_id IS NOT NULL"); n != 0 {
		t.Errorf("a refused sign-in left %d signed-in sessions", n)
	}
	stop := b.stop
	b.stop = func(*url.URL) bool { return true }
	defer func() { b.stop = stop }()
	if p := b.get("/private"); p.status != http.StatusSeeOther {
		t.Errorf("after a refused sign-in /private answers %d, want a redirect to sign-in", p.status)
	}
}

// TestCallbackRefusesBadTokens: every ID token that is not exactly right is
// refused with a clear page, and nobody is signed in.
func TestCallbackRefusesBadTokens(t *testing.T) {
	f := newForger(t)
	r := startForgedRP(t, f, "sqlite", nil)
	otherKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	const verifyFailed = "Sign-in could not be verified"
	tests := []struct {
		name   string
		claims func(map[string]any)
		sign   func([]byte) string
		at     func(string) string
		info   func(string) map[string]any
		status int
		want   string
	}{
		{name: "wrong nonce", claims: func(c map[string]any) { c["nonce"] = "not-the-one-sent" }, status: 400, want: verifyFailed},
		{name: "no nonce", claims: func(c map[string]any) { delete(c, "nonce") }, status: 400, want: verifyFailed},
		{name: "expired ID token", claims: func(c map[string]any) {
			c["exp"] = time.Now().Add(-time.Hour).Unix()
			c["iat"] = time.Now().Add(-2 * time.Hour).Unix()
		}, status: 400, want: verifyFailed},
		{name: "wrong audience", claims: func(c map[string]any) { c["aud"] = "another-client" }, status: 400, want: verifyFailed},
		{name: "wrong issuer", claims: func(c map[string]any) { c["iss"] = "https://evil.example" }, status: 400, want: verifyFailed},
		{name: "signed by another key", sign: func(p []byte) string { return f.signWith(otherKey, f.kid, p) }, status: 400, want: verifyFailed},
		{name: "alg none", sign: unsigned, status: 400, want: verifyFailed},
		{name: "at_hash of another access token", at: func(s string) string { return s + "-other" }, status: 400, want: verifyFailed},
		{name: "userinfo about someone else", info: func(string) map[string]any { return map[string]any{"sub": "person-2"} }, status: 400, want: verifyFailed},
		// The control: the same flow with an honest token signs in.
		{name: "valid token", status: 200, want: "private page for Ada Test"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f.set(func(f *forger) { f.claims, f.sign, f.at, f.info = tt.claims, tt.sign, tt.at, tt.info })
			b := newBrowser(t, r.base)
			p := b.get("/private")
			if p.status != tt.status {
				t.Fatalf("status %d, want %d, at %s:\n%.2000s", p.status, tt.status, p.url, p.body)
			}
			mustContain(t, p, tt.want)
			if tt.status == 200 {
				return
			}
			if p.url.Path != PathCallback {
				t.Errorf("refused at %s, want the callback", p.url)
			}
			mustContain(t, p, "you are not signed in", `href="/auth/login?return_to=%2Fprivate"`)
			mustNotContain(t, p, "go-oidc", "oidc:")
			noSessionLeft(t, r, b)
		})
	}
}

// TestCallbackRefusesBadState: the state must be this browser's, unused.
func TestCallbackRefusesBadState(t *testing.T) {
	f := newForger(t)
	r := startForgedRP(t, f, "sqlite", nil)

	// callbackURL starts sign-in in b and returns the provider's answer
	// without following it.
	callbackURL := func(b *browser) string {
		b.stop = func(u *url.URL) bool { return u.Path == PathCallback }
		defer func() { b.stop = nil }()
		p := b.get(PathLogin + "?return_to=/private")
		loc := p.header.Get("Location")
		if p.status != http.StatusFound || !strings.Contains(loc, PathCallback) {
			t.Fatalf("the provider did not answer with the callback: %d %q", p.status, loc)
		}
		return loc
	}
	withState := func(u, state string) string {
		parsed, _ := url.Parse(u)
		q := parsed.Query()
		if state == "" {
			q.Del("state")
		} else {
			q.Set("state", state)
		}
		parsed.RawQuery = q.Encode()
		return parsed.String()
	}

	tests := []struct {
		name string
		run  func(t *testing.T) (*browser, page)
	}{
		{"missing state", func(t *testing.T) (*browser, page) {
			b := newBrowser(t, r.base)
			return b, b.get(withState(callbackURL(b), ""))
		}},
		{"wrong state", func(t *testing.T) (*browser, page) {
			b := newBrowser(t, r.base)
			return b, b.get(withState(callbackURL(b), "AAAAAAAAAAAAAAAAAAAAAAAAAA"))
		}},
		{"another browser's state", func(t *testing.T) (*browser, page) {
			victim := newBrowser(t, r.base)
			u := callbackURL(victim)
			b := newBrowser(t, r.base)
			return b, b.get(u)
		}},
		{"no session at all", func(t *testing.T) (*browser, page) {
			b := newBrowser(t, r.base)
			return b, b.get(PathCallback + "?code=abc&state=def")
		}},
		{"provider refused", func(t *testing.T) (*browser, page) {
			b := newBrowser(t, r.base)
			u, _ := url.Parse(callbackURL(b))
			q := url.Values{"error": {"access_denied"}, "state": {u.Query().Get("state")}}
			return b, b.get(PathCallback + "?" + q.Encode())
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, p := tt.run(t)
			if p.status != http.StatusBadRequest {
				t.Fatalf("status %d, want 400:\n%.1500s", p.status, p.body)
			}
			if tt.name == "provider refused" {
				mustContain(t, p, "Sign-in was cancelled")
			} else {
				mustContain(t, p, "This sign-in has expired", "Try signing in again")
			}
			noSessionLeft(t, r, b)
		})
	}

	// A callback URL used twice: the second use is refused, and the
	// sign-in from the first stays.
	t.Run("replayed callback", func(t *testing.T) {
		b := newBrowser(t, r.base)
		u := callbackURL(b)
		if p := b.get(u); p.status != http.StatusOK || !strings.Contains(p.body, "private page for Ada Test") {
			t.Fatalf("first use: %d %s", p.status, p.url)
		}
		p := b.get(u)
		if p.status != http.StatusBadRequest || !strings.Contains(p.body, "This sign-in has expired") {
			t.Fatalf("second use: %d %.500s", p.status, p.body)
		}
		if p := b.get("/private"); p.status != http.StatusOK {
			t.Fatal("a replayed callback signed the person out")
		}
	})
}

// TestReusedCode: a code already exchanged is refused by the provider, and
// Sportello shows a page and signs nobody in.
func TestReusedCode(t *testing.T) {
	r := startRP(t, rpOptions{})
	a := newBrowser(t, r.base)
	login := a.get("/private")
	a.stop = func(u *url.URL) bool { return u.Path == PathCallback }
	answer := a.pickPersona(login, "resident", "")
	a.stop = nil
	used, err := url.Parse(answer.header.Get("Location"))
	if err != nil || used.Query().Get("code") == "" {
		t.Fatalf("no code in %q", answer.header.Get("Location"))
	}
	if p := a.get(used.String()); p.status != http.StatusOK {
		t.Fatalf("the first use of the code failed: %d", p.status)
	}

	// Another browser, with its own sign-in in progress, presents the code.
	b := newBrowser(t, r.base)
	b.get("/private")
	var state string
	for _, v := range b.visited {
		if u, err := url.Parse(v); err == nil && u.Path == "/dev-idp/authorize" {
			state = u.Query().Get("state")
		}
	}
	if state == "" {
		t.Fatal("no state in the second browser's authorization request")
	}
	p := b.get(PathCallback + "?" + url.Values{"code": {used.Query().Get("code")}, "state": {state}}.Encode())
	if p.status != http.StatusBadRequest {
		t.Fatalf("a reused code: %d, want 400", p.status)
	}
	mustContain(t, p, "Sign-in could not be completed")
	if id := b.cookie("sportello_session"); id != "" && count(t, r.db, "SELECT COUNT(*) FROM auth_sessions WHERE id_hash = ?", hashID(id)) != 0 {
		t.Error("the reused code left a session")
	}
	if n := count(t, r.db, "SELECT COUNT(*) FROM auth_sessions WHERE person_id IS NOT NULL"); n != 1 {
		t.Errorf("%d signed-in sessions, want only the first browser's", n)
	}
}

// TestReturnTo: only local paths are accepted; anything else is refused
// before a session exists.
func TestReturnTo(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"", "/", true},
		{"/services/x/apply", "/services/x/apply", true},
		{"/search?q=parking+permit&page=2", "/search?q=parking+permit&page=2", true},
		{"/auth/logout", "/", true},
		{"//evil.example/path", "", false},
		{"/\\evil.example", "", false},
		{"/ok\\..\\evil", "", false},
		{"https://evil.example/", "", false},
		{"javascript:alert(1)", "", false},
		{"evil.example", "", false},
		{"/\t/evil.example", "", false},
		{"/a\nLocation: x", "", false},
		{"/\x00", "", false},
		{"/" + strings.Repeat("a", maxReturnTo), "", false},
	}
	for _, tt := range tests {
		got, ok := localPath(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("localPath(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}

	f := newForger(t)
	r := startForgedRP(t, f, "sqlite", nil)
	for _, bad := range []string{"//evil.example", "https://evil.example/x", "/\\evil.example"} {
		b := newBrowser(t, r.base)
		p := b.get(PathLogin + "?return_to=" + url.QueryEscape(bad))
		if p.status != http.StatusBadRequest || p.url.Host != strings.TrimPrefix(r.base, "http://") {
			t.Errorf("return_to=%q: %d at %s", bad, p.status, p.url)
		}
		mustContain(t, p, "This link leads away from the site")
		if p.header.Get("Set-Cookie") != "" {
			t.Errorf("return_to=%q set a cookie", bad)
		}
	}
	if n := count(t, r.db, "SELECT COUNT(*) FROM auth_sessions"); n != 0 {
		t.Errorf("refused sign-ins created %d sessions", n)
	}
	// A good one comes back where asked.
	b := newBrowser(t, r.base)
	if p := b.get(PathLogin + "?return_to=" + url.QueryEscape("/form?x=1")); p.url.Path != "/form" || p.url.RawQuery != "x=1" {
		t.Errorf("return_to=/form?x=1 landed at %s", p.url)
	}
}

// TestProviderUnavailable: the site works while the provider is down, sign-in
// says so (503), and it recovers after the backoff.
func TestProviderUnavailable(t *testing.T) {
	f := newForger(t)
	f.set(func(f *forger) { f.down = true })
	r := startForgedRP(t, f, "sqlite", nil)
	b := newBrowser(t, r.base)
	if p := b.get("/"); p.status != http.StatusOK {
		t.Fatalf("home page while the provider is down: %d", p.status)
	}
	p := b.get("/private")
	if p.status != http.StatusServiceUnavailable || p.header.Get("Retry-After") == "" {
		t.Fatalf("sign-in while the provider is down: %d, Retry-After %q", p.status, p.header.Get("Retry-After"))
	}
	mustContain(t, p, "Sign-in is unavailable", "try again shortly")
	if n := count(t, r.db, "SELECT COUNT(*) FROM auth_sessions"); n != 0 {
		t.Errorf("an unavailable sign-in created %d sessions", n)
	}

	// Back up, but within the backoff nobody is sent there yet.
	f.set(func(f *forger) { f.down = false })
	if p := b.get("/private"); p.status != http.StatusServiceUnavailable {
		t.Fatalf("within the backoff: %d, want 503", p.status)
	}
	r.clock.Advance(2 * minBackoff)
	if p := b.get("/private"); p.status != http.StatusOK {
		t.Fatalf("after the backoff: %d at %s", p.status, p.url)
	}
}
