package devidp

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// testIDP serves a provider under /dev-idp of a test server, as the binary
// mounts it, with a client whose callback is never served: the tests stop
// at the redirect and read the code from it.
func testIDP(t *testing.T) (*IDP, string) {
	t.Helper()
	var idp *IDP
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.StripPrefix("/dev-idp", idp).ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	var err error
	idp, err = New(Config{
		Issuer:                 srv.URL + "/dev-idp",
		RedirectURIs:           []string{"http://rp.example/auth/callback"},
		PostLogoutRedirectURIs: []string{"http://rp.example/"},
	})
	if err != nil {
		t.Fatal(err)
	}
	return idp, srv.URL
}

func noRedirects() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// authorize runs the browser's part of sign-in as persona at level and
// returns the redirect to the client's callback.
func authorize(t *testing.T, client *http.Client, authURL, persona, level string) *url.URL {
	t.Helper()
	resp, err := client.Get(authURL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	login, err := resp.Location()
	if err != nil {
		t.Fatalf("authorize answered %d without a redirect to the sign-in page", resp.StatusCode)
	}
	page, err := client.Get(login.String())
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(page.Body)
	page.Body.Close()
	if page.StatusCode != http.StatusOK || !strings.Contains(string(body), `name="persona" value="`+persona+`"`) {
		t.Fatalf("sign-in page %d:\n%s", page.StatusCode, body)
	}
	form := url.Values{"authRequestID": {login.Query().Get("authRequestID")}, "persona": {persona}, "level": {level}}
	resp, err = client.PostForm(strings.Split(login.String(), "?")[0], form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	next, err := resp.Location()
	if err != nil {
		t.Fatalf("sign-in answered %d", resp.StatusCode)
	}
	resp, err = client.Get(next.String())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	back, err := resp.Location()
	if err != nil {
		t.Fatalf("authorize callback answered %d", resp.StatusCode)
	}
	return back
}

func TestCodeFlow(t *testing.T) {
	idp, _ := testIDP(t)
	ctx := context.Background()
	provider, err := oidc.NewProvider(ctx, idp.Issuer())
	if err != nil {
		t.Fatalf("discovery: %v", err)
	}
	var meta struct {
		EndSession  string   `json:"end_session_endpoint"`
		PKCE        []string `json:"code_challenge_methods_supported"`
		BackChannel bool     `json:"backchannel_logout_supported"`
	}
	if err := provider.Claims(&meta); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(meta.EndSession, idp.Issuer()+"/") || !slices.Contains(meta.PKCE, "S256") {
		t.Errorf("discovery: %+v", meta)
	}
	conf := oauth2.Config{
		ClientID: idp.ClientID(), ClientSecret: idp.ClientSecret, Endpoint: provider.Endpoint(),
		RedirectURL: "http://rp.example/auth/callback", Scopes: []string{"openid", "profile", "email"},
	}
	verifier := oauth2.GenerateVerifier()
	back := authorize(t, noRedirects(), conf.AuthCodeURL("st", oauth2.S256ChallengeOption(verifier), oidc.Nonce("n-1"),
		oauth2.SetAuthURLParam("acr_values", "high")), "caseworker", "high")
	if back.Query().Get("state") != "st" || back.Query().Get("code") == "" {
		t.Fatalf("callback %s", back)
	}
	code := back.Query().Get("code")

	if _, err := conf.Exchange(ctx, code, oauth2.VerifierOption("wrong-"+verifier)); err == nil {
		t.Fatal("a wrong PKCE verifier was accepted")
	}
	tok, err := conf.Exchange(ctx, code, oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatalf("exchange: %v", err)
	}
	if _, err := conf.Exchange(ctx, code, oauth2.VerifierOption(verifier)); err == nil {
		t.Fatal("a code was exchanged twice")
	}
	raw, _ := tok.Extra("id_token").(string)
	idt, err := provider.Verifier(&oidc.Config{ClientID: idp.ClientID()}).Verify(ctx, raw)
	if err != nil {
		t.Fatalf("verify: %v", err)
	}
	var claims map[string]any
	_ = idt.Claims(&claims)
	if idt.Subject != "caseworker" || idt.Nonce != "n-1" || claims["acr"] != "high" || claims["sid"] == nil || idt.AccessTokenHash == "" {
		t.Errorf("ID token claims %v", claims)
	}
	if err := idt.VerifyAccessToken(tok.AccessToken); err != nil {
		t.Errorf("at_hash: %v", err)
	}
	info, err := provider.UserInfo(ctx, oauth2.StaticTokenSource(tok))
	if err != nil {
		t.Fatal(err)
	}
	var ui struct {
		Name   string   `json:"name"`
		Groups []string `json:"groups"`
	}
	_ = info.Claims(&ui)
	if info.Subject != "caseworker" || !info.EmailVerified || info.Email != "javier.ortega@porta-nova.example" || ui.Name != "Javier Ortega" || !slices.Equal(ui.Groups, []string{"caseworkers"}) {
		t.Errorf("userinfo %+v %+v", info, ui)
	}
	if s := idp.Sessions(); len(s) != 1 || s[0].Subject != "caseworker" || s[0].ACR != "high" {
		t.Errorf("sessions %+v", s)
	}
}

func TestRefusals(t *testing.T) {
	idp, base := testIDP(t)
	authURL := func(q url.Values) string {
		return idp.Issuer() + "/authorize?" + q.Encode()
	}
	good := url.Values{
		"client_id": {ClientID}, "redirect_uri": {"http://rp.example/auth/callback"}, "response_type": {"code"},
		"scope": {"openid"}, "state": {"s"}, "nonce": {"n"},
		"code_challenge": {"E9Melhoa2OwvFrEMTJguCQaoeYZ6XmNoQ1uQKtdk_BM"}, "code_challenge_method": {"S256"},
	}
	with := func(k, v string) url.Values {
		q := url.Values{}
		for key, vals := range good {
			q[key] = slices.Clone(vals)
		}
		if v == "" {
			q.Del(k)
		} else {
			q.Set(k, v)
		}
		return q
	}
	tests := []struct {
		name string
		url  string
		want string // an error in the redirect, or "" for no redirect to the client
	}{
		{"no PKCE", authURL(with("code_challenge", "")), "invalid_request"},
		{"plain PKCE", authURL(with("code_challenge_method", "plain")), "invalid_request"},
		{"unknown client", authURL(with("client_id", "mallory")), ""},
		{"unregistered redirect", authURL(with("redirect_uri", "http://evil.example/cb")), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := noRedirects().Get(tt.url)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			loc, _ := resp.Location()
			if tt.want == "" {
				if loc != nil && loc.Host == "evil.example" || loc != nil && loc.Host == "rp.example" {
					t.Fatalf("redirected to the client: %s", loc)
				}
				if resp.StatusCode < 400 && loc == nil {
					t.Fatalf("status %d", resp.StatusCode)
				}
				return
			}
			if loc == nil || loc.Host != "rp.example" || loc.Query().Get("error") != tt.want {
				t.Fatalf("status %d, location %v, want error=%s", resp.StatusCode, loc, tt.want)
			}
		})
	}

	// An unknown persona or request is a page, not a sign-in.
	resp, err := http.PostForm(base+"/dev-idp/login", url.Values{"authRequestID": {"nope"}, "persona": {"root"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("unknown persona: %d", resp.StatusCode)
	}
}

// TestFreshKeys: each provider signs with its own new key, so nothing signed
// by an earlier run (or a fixed test key) is accepted.
func TestFreshKeys(t *testing.T) {
	keysOf := func() string {
		idp, base := testIDP(t)
		resp, err := http.Get(base + "/dev-idp/keys")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var set struct {
			Keys []struct {
				N   string `json:"n"`
				Alg string `json:"alg"`
			} `json:"keys"`
		}
		if err := json.NewDecoder(resp.Body).Decode(&set); err != nil || len(set.Keys) != 1 || set.Keys[0].Alg != "RS256" {
			t.Fatalf("keys %+v: %v", set, err)
		}
		if idp.ClientSecret == "" {
			t.Fatal("no client secret")
		}
		return set.Keys[0].N + idp.ClientSecret
	}
	first, second := keysOf(), keysOf()
	if first == second {
		t.Fatal("two providers share a signing key or a client secret")
	}
}

func TestLogoutSessionNeedsURI(t *testing.T) {
	idp, _ := testIDP(t)
	if err := idp.LogoutSession(context.Background(), "x"); err == nil {
		t.Fatal("back-channel logout without a URI must fail")
	}
}

func TestNewValidates(t *testing.T) {
	for _, cfg := range []Config{
		{Issuer: "localhost:8080/dev-idp", RedirectURIs: []string{"http://x/cb"}},
		{Issuer: "http://localhost:8080/dev-idp"},
	} {
		if _, err := New(cfg); err == nil {
			t.Errorf("New(%+v) accepted", cfg)
		}
	}
}

// TestPages renders every page of the provider.
func TestPages(t *testing.T) {
	idp, base := testIDP(t)
	tests := []struct {
		path   string
		status int
		want   string
	}{
		{"/dev-idp/", http.StatusOK, "Nobody is signed in"},
		{"/dev-idp/signed-out", http.StatusOK, "You are signed out"},
		{"/dev-idp/login?authRequestID=unknown", http.StatusBadRequest, "unknown or has expired"},
		{"/dev-idp/style.css", http.StatusOK, ".banner{"},
	}
	for _, tt := range tests {
		resp, err := http.Get(base + tt.path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tt.status || !strings.Contains(string(body), tt.want) {
			t.Errorf("%s: %d, want %d with %q:\n%s", tt.path, resp.StatusCode, tt.status, tt.want, body)
		}
		if strings.HasSuffix(tt.path, ".css") {
			continue
		}
		for _, want := range []string{`href="` + idp.Issuer() + `/style.css"`, "Demo sign-in is active"} {
			if !strings.Contains(string(body), want) {
				t.Errorf("%s lacks %q", tt.path, want)
			}
		}
	}
}
