package auth

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// TestBackChannelLogout: the development provider ends sessions by sid and by
// sub; bad signatures, tampered tokens and replayed jtis are refused and end
// nothing.
func TestBackChannelLogout(t *testing.T) {
	r := startRP(t, rpOptions{})
	ctx := context.Background()
	signedIn := func(b *browser) bool {
		b.stop = func(*url.URL) bool { return true }
		defer func() { b.stop = nil }()
		return b.get("/private").status == http.StatusOK
	}
	post := func(token string) page {
		return newBrowser(t, r.base).post(PathBackChannelLogout, url.Values{"logout_token": {token}})
	}

	first, second := newBrowser(t, r.base), newBrowser(t, r.base)
	first.signIn("/private", "resident", "")
	second.signIn("/private", "resident", "")
	if !signedIn(first) || !signedIn(second) {
		t.Fatal("sign-in failed")
	}
	sessions := r.idp.Sessions()
	if len(sessions) != 2 {
		t.Fatalf("the provider has %d sessions, want 2", len(sessions))
	}

	// Forged and tampered tokens end nothing.
	otherKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	valid, err := r.idp.LogoutToken("resident", "")
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(valid, ".")
	payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
	signer, _ := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: otherKey}, (&jose.SignerOptions{}).WithType("logout+jwt"))
	jws, _ := signer.Sign(payload)
	reSigned, _ := jws.CompactSerialize()
	tampered := parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte(strings.Replace(string(payload), `"resident"`, `"admin"`, 1))) + "." + parts[2]
	idToken := "" // an ID token is not a logout token
	if err := r.db.SQL().QueryRow("SELECT id_token FROM auth_sessions LIMIT 1").Scan(&idToken); err != nil {
		t.Fatal(err)
	}
	for name, token := range map[string]string{
		"signed by another key": reSigned,
		"tampered payload":      tampered,
		"alg none":              unsigned(payload),
		"an ID token":           idToken,
		"not a JWT":             "hello",
	} {
		if p := post(token); p.status != http.StatusBadRequest || !strings.Contains(p.body, "invalid_request") {
			t.Errorf("%s: %d %s", name, p.status, p.body)
		}
	}
	if !signedIn(first) || !signedIn(second) {
		t.Fatal("a refused logout token ended a session")
	}

	// By sid: the provider's page button does this; only that sign-in ends.
	if err := r.idp.LogoutSession(ctx, sessions[0].SID); err != nil {
		t.Fatal(err)
	}
	if signedIn(first) == signedIn(second) {
		t.Fatal("logout by sid did not end exactly one of the two sessions")
	}

	// By sub: every session of the person ends; the same token again is a
	// replay.
	if p := post(valid); p.status != http.StatusOK || p.header.Get("Cache-Control") != "no-store" {
		t.Fatalf("logout by sub: %d %s (Cache-Control %q)", p.status, p.body, p.header.Get("Cache-Control"))
	}
	if signedIn(first) || signedIn(second) {
		t.Fatal("logout by sub left a session")
	}
	third := newBrowser(t, r.base)
	third.signIn("/private", "resident", "")
	if p := post(valid); p.status != http.StatusBadRequest || !strings.Contains(p.body, "already used") {
		t.Fatalf("replayed logout token: %d %s", p.status, p.body)
	}
	if !signedIn(third) {
		t.Fatal("a replayed logout token ended a session")
	}
}

// TestLocalLogout: without end_session_endpoint (like Dex) sign-out is local.
func TestLocalLogout(t *testing.T) {
	f := newForger(t)
	r := startForgedRP(t, f, "sqlite", nil)
	b := newBrowser(t, r.base)
	p := b.get("/private")
	if p.status != http.StatusOK {
		t.Fatalf("sign-in: %d", p.status)
	}
	home := b.get("/")
	b.visited = nil
	out := b.post(PathLogout, url.Values{"_csrf": {csrfFrom(t, home.body)}})
	if out.url.String() != r.base+"/" || len(b.visited) != 1 {
		t.Fatalf("local sign-out went %v, ended at %s", b.visited, out.url)
	}
	mustContain(t, out, "home page, signed out")
	if n := count(t, r.db, "SELECT COUNT(*) FROM auth_sessions"); n != 0 {
		t.Fatalf("%d sessions after sign-out", n)
	}
}

// TestLogoutAfterExpiry: signing out of a session that already expired is
// not an error page.
func TestLogoutAfterExpiry(t *testing.T) {
	r := startRP(t, rpOptions{})
	b := newBrowser(t, r.base)
	b.signIn("/private", "resident", "")
	token := csrfFrom(t, b.get("/").body)
	r.clock.Advance(31 * time.Minute)
	p := b.post(PathLogout, url.Values{"_csrf": {token}})
	if p.status != http.StatusOK || p.url.Path != "/" {
		t.Fatalf("sign-out after the idle timeout: %d at %s", p.status, p.url)
	}
	mustContain(t, p, "home page, signed out")
}
