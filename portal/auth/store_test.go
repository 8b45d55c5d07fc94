package auth

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// newTestStore is the session store on dialect with a settable clock, a
// 30-minute idle and 12-hour absolute timeout.
func newTestStore(t *testing.T, dialect string) (*sessionStore, *clock) {
	t.Helper()
	clk := &clock{}
	return newStore(testDB(t, dialect), 30*time.Minute, 12*time.Hour, clk.Now), clk
}

// signedInSession creates a session as Fiber and the callback do.
func signedInSession(t *testing.T, s *sessionStore, id, subject, sid string) int64 {
	t.Helper()
	if err := s.Set(id, []byte("fiber data"), s.idle); err != nil {
		t.Fatal(err)
	}
	pid, err := s.signIn(context.Background(), id, person{Issuer: "https://id.example", Subject: subject, Name: "N " + subject, Roles: []string{"editor"}}, sid, "substantial", "id-token-"+id)
	if err != nil {
		t.Fatal(err)
	}
	return pid
}

func TestSessionStorage(t *testing.T) {
	for _, dialect := range dialects {
		t.Run(dialect, func(t *testing.T) {
			s, clk := newTestStore(t, dialect)
			ctx := context.Background()

			// Fiber's storage contract: unknown is nil, nil.
			if got, err := s.Get("unknown"); got != nil || err != nil {
				t.Fatalf("Get(unknown) = %q, %v", got, err)
			}
			if err := s.Set("id-1", []byte{0, 1, 2, 255}, s.idle); err != nil {
				t.Fatal(err)
			}
			if got, err := s.Get("id-1"); err != nil || !bytes.Equal(got, []byte{0, 1, 2, 255}) {
				t.Fatalf("Get after Set = %v, %v", got, err)
			}
			if err := s.Set("id-1", []byte("v2"), s.idle); err != nil {
				t.Fatal(err)
			}
			if got, _ := s.Get("id-1"); string(got) != "v2" {
				t.Fatalf("Set did not replace: %q", got)
			}
			if n := count(t, s.db, "SELECT COUNT(*) FROM auth_sessions WHERE id_hash = ?", "id-1"); n != 0 {
				t.Fatal("the session id is stored in clear")
			}
			if err := s.Delete("id-1"); err != nil {
				t.Fatal(err)
			}
			if got, _ := s.Get("id-1"); got != nil {
				t.Fatal("Delete left the session")
			}

			// An idle session expires and stays expired: a late Save does not
			// bring it back.
			if err := s.Set("id-2", []byte("x"), s.idle); err != nil {
				t.Fatal(err)
			}
			clk.Advance(31 * time.Minute)
			if got, _ := s.Get("id-2"); got != nil {
				t.Fatal("an idle session outlived the idle timeout")
			}
			if err := s.Set("id-2", []byte("y"), s.idle); err != nil {
				t.Fatal(err)
			}
			if got, _ := s.Get("id-2"); got != nil {
				t.Fatal("saving an expired session revived it")
			}
			if _, err := s.purge(ctx); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestSessionTimeouts(t *testing.T) {
	for _, dialect := range dialects {
		t.Run(dialect, func(t *testing.T) {
			s, clk := newTestStore(t, dialect)
			ctx := context.Background()
			pid := signedInSession(t, s, "active", "ada", "sid-a")
			signedInSession(t, s, "idle", "bob", "sid-b")

			v, err := s.viewer(ctx, "active")
			if err != nil || v == nil || v.PersonID != pid || v.Subject != "ada" || v.Name != "N ada" || v.ACR != "substantial" || !v.Has("editor") {
				t.Fatalf("viewer = %+v, %v", v, err)
			}
			// Activity every 20 minutes keeps a session alive past the idle
			// timeout, but not past the absolute one.
			for elapsed := 20 * time.Minute; elapsed < 12*time.Hour; elapsed += 20 * time.Minute {
				clk.Advance(20 * time.Minute)
				if v, err := s.viewer(ctx, "active"); err != nil || v == nil {
					t.Fatalf("an active session ended after %s: %v", elapsed, err)
				}
			}
			if v, _ := s.viewer(ctx, "idle"); v != nil {
				t.Fatal("an idle session is still signed in")
			}
			clk.Advance(20 * time.Minute)
			if v, _ := s.viewer(ctx, "active"); v != nil {
				t.Fatal("a session outlived the absolute timeout")
			}
			if got, _ := s.Get("active"); got != nil {
				t.Fatal("Fiber still reads a session past the absolute timeout")
			}

			n, err := s.purge(ctx)
			if err != nil || n != 2 {
				t.Fatalf("purge = %d, %v; want both sessions", n, err)
			}
			if c := count(t, s.db, "SELECT COUNT(*) FROM auth_sessions"); c != 0 {
				t.Fatalf("%d sessions left after purge", c)
			}
			if c := count(t, s.db, "SELECT COUNT(*) FROM people"); c != 2 {
				t.Fatalf("purge removed people: %d left", c)
			}
		})
	}
}

func TestBackChannelStore(t *testing.T) {
	for _, dialect := range dialects {
		t.Run(dialect, func(t *testing.T) {
			s, clk := newTestStore(t, dialect)
			ctx := context.Background()
			const iss = "https://id.example"
			signedInSession(t, s, "ada-phone", "ada", "sid-1")
			signedInSession(t, s, "ada-laptop", "ada", "sid-2")
			signedInSession(t, s, "bob", "bob", "sid-3")
			alive := func(id string) bool {
				v, err := s.viewer(ctx, id)
				if err != nil {
					t.Fatal(err)
				}
				return v != nil
			}
			exp := clk.Now().Add(2 * time.Minute)

			if n, err := s.backChannelLogout(ctx, iss, "jti-1", exp, "sid-1", "ada"); err != nil || n != 1 {
				t.Fatalf("logout by sid ended %d: %v", n, err)
			}
			if alive("ada-phone") || !alive("ada-laptop") || !alive("bob") {
				t.Fatal("logout by sid ended the wrong sessions")
			}
			if _, err := s.backChannelLogout(ctx, iss, "jti-1", exp, "", "bob"); !errors.Is(err, errReplayed) {
				t.Fatalf("a replayed jti: %v", err)
			}
			if !alive("bob") {
				t.Fatal("a replayed jti ended a session")
			}
			if n, err := s.backChannelLogout(ctx, "https://other.example", "jti-2", exp, "", "ada"); err != nil || n != 0 {
				t.Fatalf("another issuer's token ended %d: %v", n, err)
			}
			if n, err := s.backChannelLogout(ctx, iss, "jti-3", exp, "", "ada"); err != nil || n != 1 || alive("ada-laptop") {
				t.Fatalf("logout by sub ended %d: %v", n, err)
			}
			// The same jti from another issuer is another token.
			if _, err := s.backChannelLogout(ctx, "https://other.example", "jti-1", exp, "", "x"); err != nil {
				t.Fatalf("jti of another issuer: %v", err)
			}
			// Used jtis are kept until they expire, then purged.
			clk.Advance(3 * time.Minute)
			if _, err := s.purge(ctx); err != nil {
				t.Fatal(err)
			}
			if c := count(t, s.db, "SELECT COUNT(*) FROM auth_logout_tokens"); c != 0 {
				t.Fatalf("%d expired logout tokens left", c)
			}
		})
	}
}

func TestSignInUpsertsPerson(t *testing.T) {
	for _, dialect := range dialects {
		t.Run(dialect, func(t *testing.T) {
			s, _ := newTestStore(t, dialect)
			ctx := context.Background()
			first := signedInSession(t, s, "one", "ada", "sid-1")
			if err := s.Set("two", []byte("x"), s.idle); err != nil {
				t.Fatal(err)
			}
			second, err := s.signIn(ctx, "two", person{Issuer: "https://id.example", Subject: "ada", Name: "Ada L", Email: "ada@example.org", EmailVerified: true}, "sid-2", "high", "tok")
			if err != nil {
				t.Fatal(err)
			}
			if first != second || first <= 0 || first >= 1<<53+1 {
				t.Fatalf("person ids %d and %d: the same person must keep one positive id below 2^53", first, second)
			}
			v, _ := s.viewer(ctx, "one")
			if v == nil || v.Name != "Ada L" || len(v.Roles) != 0 || !v.EmailVerified || v.ACR != "substantial" {
				t.Fatalf("the first session does not see the refreshed person: %+v", v)
			}
			// Another issuer with the same subject is another person.
			if err := s.Set("three", []byte("x"), s.idle); err != nil {
				t.Fatal(err)
			}
			third, err := s.signIn(ctx, "three", person{Issuer: "https://other.example", Subject: "ada"}, "", "", "tok")
			if err != nil || third == first {
				t.Fatalf("another issuer's ada got id %d (%v)", third, err)
			}
			// Binding a session that does not exist fails rather than
			// signing nobody in silently.
			if _, err := s.signIn(ctx, "missing", person{Issuer: "https://id.example", Subject: "ada"}, "", "", "tok"); err == nil || !strings.Contains(err.Error(), "was not saved") {
				t.Fatalf("signIn on a missing session: %v", err)
			}
		})
	}
}

func TestConfigValidate(t *testing.T) {
	ok := Config{Issuer: "https://id.example/realms/x", ClientID: "sportello", ClientSecret: "s", BaseURL: "https://portal.example"}
	tests := []struct {
		name string
		cfg  Config
		env  string
		want string // "" for valid
	}{
		{"valid production", ok, "production", ""},
		{"development provider", Config{BaseURL: "http://localhost:8080"}, "development", ""},
		{"production without issuer", Config{BaseURL: "https://portal.example"}, "production", "SPORTELLO_OIDC_ISSUER is not set"},
		{"no client id", Config{Issuer: ok.Issuer, BaseURL: ok.BaseURL}, "development", "SPORTELLO_OIDC_CLIENT_ID"},
		{"production without secret", Config{Issuer: ok.Issuer, ClientID: "x", BaseURL: ok.BaseURL}, "production", "SPORTELLO_OIDC_CLIENT_SECRET"},
		{"http base URL in production", Config{Issuer: ok.Issuer, ClientID: "x", ClientSecret: "s", BaseURL: "http://portal.example"}, "production", "SPORTELLO_BASE_URL must be https"},
		{"base URL with a path", Config{BaseURL: "https://portal.example/sportello"}, "development", "without a path"},
		{"issuer not a URL", Config{Issuer: "id.example", ClientID: "x", BaseURL: ok.BaseURL}, "development", "SPORTELLO_OIDC_ISSUER"},
		{"scopes without openid", Config{BaseURL: ok.BaseURL, Scopes: []string{"profile"}}, "development", "must include openid"},
		{"idle longer than absolute", Config{BaseURL: ok.BaseURL, IdleTimeout: 13 * time.Hour}, "development", "must not exceed"},
		{"same acr for both levels", Config{BaseURL: ok.BaseURL, ACRSubstantial: "x", ACRHigh: "x"}, "development", "must differ"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cfg.Validate(tt.env)
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Fatalf("error %v, want one mentioning %q", err, tt.want)
			}
		})
	}
}
