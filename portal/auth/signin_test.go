package auth

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"sportello/accounts"
)

// TestSignInWithDevelopmentProvider runs the whole flow against the
// development provider over HTTP: sign-in from a guarded page, the account
// page, roles, a new session id, the cookie flags, and sign-out with
// RP-initiated logout after which the old cookie gets nothing.
func TestSignInWithDevelopmentProvider(t *testing.T) {
	for _, dialect := range dialects {
		t.Run(dialect, func(t *testing.T) {
			r := startRP(t, rpOptions{dialect: dialect})
			b := newBrowser(t, r.base)

			// An anonymous visit to a page without a form leaves no trace.
			home := b.get("/")
			if home.status != http.StatusOK || home.header.Get("Set-Cookie") != "" {
				t.Fatalf("anonymous home page: %d, Set-Cookie %q", home.status, home.header.Get("Set-Cookie"))
			}
			if n := count(t, r.db, "SELECT COUNT(*) FROM auth_sessions"); n != 0 {
				t.Fatalf("an anonymous page view wrote %d sessions", n)
			}

			// A guarded page sends the browser to sign in, and sign-in
			// brings it back.
			login := b.get("/private?tab=2")
			if login.url.Path != "/dev-idp/login" {
				t.Fatalf("expected the provider's sign-in page, got %s", login.url)
			}
			mustContain(t, login, `name="persona" value="resident"`, `name="persona" value="business"`,
				`name="persona" value="editor"`, `name="persona" value="caseworker"`, `name="persona" value="admin"`,
				"Demo sign-in is active")
			firstID := b.cookie("sportello_session")
			if firstID == "" {
				t.Fatal("starting sign-in set no session cookie")
			}
			auth := ""
			for _, u := range b.visited {
				if strings.Contains(u, "/dev-idp/authorize?") {
					auth = u
				}
			}
			for _, want := range []string{"code_challenge_method=S256", "code_challenge=", "nonce=", "state=", "scope=openid+profile+email"} {
				if !strings.Contains(auth, want) {
					t.Errorf("authorization request %s lacks %s", auth, want)
				}
			}

			landed := b.pickPersona(login, "editor", "")
			if landed.status != http.StatusOK || landed.url.Path != "/private" || landed.url.RawQuery != "tab=2" {
				t.Fatalf("after sign-in: %d at %s: %s", landed.status, landed.url, landed.body)
			}
			// The name comes from userinfo: the provider's ID token has only sub,
			// acr and sid, so this also proves userinfo was merged.
			mustContain(t, landed, "private page for Élodie Martin")

			sessionID := b.cookie("sportello_session")
			if sessionID == "" || sessionID == firstID {
				t.Fatalf("the session id did not change at sign-in (%q, then %q)", firstID, sessionID)
			}
			if n := count(t, r.db, "SELECT COUNT(*) FROM auth_sessions WHERE id_hash = ?", hashID(firstID)); n != 0 {
				t.Fatal("the pre-sign-in session still exists")
			}
			if n := count(t, r.db, "SELECT COUNT(*) FROM auth_sessions WHERE id_hash = ?", sessionID); n != 0 {
				t.Fatal("the session id is stored in clear")
			}
			if n := count(t, r.db, "SELECT COUNT(*) FROM people WHERE subject = 'editor' AND roles = 'editor' AND email_verified = ?", true); n != 1 {
				t.Fatalf("people rows for the editor: %d", n)
			}

			account := b.get("/account")
			mustContain(t, account, "Your account", "Élodie Martin", "elodie.martin@porta-nova.example", "verified",
				"Catalogue editor", r.base+"/dev-idp", "substantial", "demo sign-in", `action="/auth/logout"`)
			if account.header.Get("Cache-Control") != "no-store" {
				t.Errorf("account page Cache-Control = %q", account.header.Get("Cache-Control"))
			}
			if b.get("/staff").status != http.StatusOK {
				t.Error("the editor cannot open the editors' page")
			}

			// Sign-out needs the CSRF token.
			if p := b.post("/auth/logout", url.Values{}); p.status != http.StatusForbidden {
				t.Fatalf("sign-out without a CSRF token: %d", p.status)
			}
			if p := b.post("/auth/logout", url.Values{"_csrf": {"forged"}}); p.status != http.StatusForbidden {
				t.Fatalf("sign-out with a wrong CSRF token: %d", p.status)
			}
			if p := b.get("/private"); p.url.Path != "/private" {
				t.Fatal("a refused sign-out signed the person out")
			}

			b.visited = nil
			out := b.post("/auth/logout", url.Values{"_csrf": {csrfFrom(t, account.body)}})
			if out.status != http.StatusOK || out.url.Path != "/" {
				t.Fatalf("after sign-out: %d at %s", out.status, out.url)
			}
			mustContain(t, out, "home page, signed out")
			if len(b.visited) == 0 || !strings.Contains(b.visited[0], "/dev-idp/end_session?") ||
				!strings.Contains(b.visited[0], "id_token_hint=") ||
				!strings.Contains(b.visited[0], "post_logout_redirect_uri="+url.QueryEscape(r.base+"/")) {
				t.Errorf("sign-out did not go through the provider's end_session: %v", b.visited)
			}
			if n := count(t, r.db, "SELECT COUNT(*) FROM auth_sessions WHERE id_hash = ?", hashID(sessionID)); n != 0 {
				t.Fatal("the session survived sign-out")
			}
			if len(r.idp.Sessions()) != 0 {
				t.Errorf("the provider's session survived RP-initiated logout: %v", r.idp.Sessions())
			}

			// The old cookie, replayed by hand, gets nothing.
			replay := newBrowser(t, r.base)
			replay.stop = func(*url.URL) bool { return true }
			req, _ := http.NewRequest(http.MethodGet, r.base+"/private", nil)
			req.AddCookie(&http.Cookie{Name: "sportello_session", Value: sessionID})
			p := replay.do(req)
			if p.status != http.StatusSeeOther || !strings.HasPrefix(p.header.Get("Location"), "/auth/login?return_to=%2Fprivate") {
				t.Fatalf("the old cookie after sign-out: %d, Location %q", p.status, p.header.Get("Location"))
			}
		})
	}
}

// TestSessionCookieFlags checks the cookies of an http and an https site.
func TestSessionCookieFlags(t *testing.T) {
	tests := []struct {
		base, name string
		secure     bool
	}{
		{"http://localhost:8080", "sportello_session", false},
		{"https://portal.example", "__Host-sportello_session", true},
	}
	for _, tt := range tests {
		t.Run(tt.base, func(t *testing.T) {
			db := testDB(t, "sqlite")
			a, err := New(Config{Issuer: "https://id.example", ClientID: "sportello", BaseURL: tt.base}, accounts.New(db, nil), nil)
			if err != nil {
				t.Fatal(err)
			}
			app := newTestApp(t, a, nil)
			req, _ := http.NewRequest(http.MethodGet, tt.base+"/form", nil)
			resp, err := app.Test(req, -1)
			if err != nil {
				t.Fatal(err)
			}
			var session, csrf *http.Cookie
			for _, c := range resp.Cookies() {
				switch c.Name {
				case tt.name:
					session = c
				case strings.Replace(tt.name, "session", "csrf", 1):
					csrf = c
				}
			}
			if session == nil || csrf == nil {
				t.Fatalf("cookies %v: want %s and its CSRF cookie", resp.Header.Values("Set-Cookie"), tt.name)
			}
			for _, c := range []*http.Cookie{session, csrf} {
				if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.Domain != "" || c.Secure != tt.secure {
					t.Errorf("cookie %s: HttpOnly=%v SameSite=%v Path=%q Domain=%q Secure=%v", c.Name, c.HttpOnly, c.SameSite, c.Path, c.Domain, c.Secure)
				}
				if c.MaxAge != 0 || !c.Expires.IsZero() {
					t.Errorf("cookie %s outlives the browser: Max-Age %d, Expires %v", c.Name, c.MaxAge, c.Expires)
				}
			}
			if len(session.Value) < 26 {
				t.Errorf("session id %q is too short to be unguessable", session.Value)
			}
		})
	}
}

// TestCSRF checks forms: an anonymous page with a form gets a token bound to
// a session, a post needs it, and the back-channel endpoint is exempt.
func TestCSRF(t *testing.T) {
	r := startRP(t, rpOptions{})
	b := newBrowser(t, r.base)
	form := b.get("/form")
	token := csrfFrom(t, form.body)
	if token == "" || count(t, r.db, "SELECT COUNT(*) FROM auth_sessions WHERE person_id IS NULL") != 1 {
		t.Fatal("a page with a form did not get a session and a token")
	}
	other := newBrowser(t, r.base)
	otherToken := csrfFrom(t, other.get("/form").body)

	tests := []struct {
		name   string
		b      *browser
		form   url.Values
		status int
	}{
		{"no token", b, url.Values{}, http.StatusForbidden},
		{"wrong token", b, url.Values{"_csrf": {"x" + token}}, http.StatusForbidden},
		{"another session's token", b, url.Values{"_csrf": {otherToken}}, http.StatusForbidden},
		{"own token", b, url.Values{"_csrf": {token}}, http.StatusOK},
		{"own token again", b, url.Values{"_csrf": {token}}, http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := tt.b.post("/form", tt.form)
			if p.status != tt.status {
				t.Fatalf("status %d, want %d: %s", p.status, tt.status, p.body)
			}
			if tt.status == http.StatusForbidden {
				mustContain(t, p, "This form has expired")
			}
		})
	}
	// Exempt: reaches the handler, which refuses for its own reason.
	p := newBrowser(t, r.base).post(PathBackChannelLogout, url.Values{"logout_token": {"not-a-jwt"}})
	if p.status != http.StatusBadRequest || !strings.Contains(p.body, "invalid_request") {
		t.Fatalf("back-channel logout without CSRF token: %d %s", p.status, p.body)
	}
}
