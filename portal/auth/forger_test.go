package auth

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// forger is an OpenID Provider whose ID tokens the test writes: it serves
// discovery, its JWKS, an authorize endpoint that approves at once, a token
// endpoint (with a real PKCE check and single-use codes) and userinfo. Each
// test bends the tokens through claims and sign to check a refusal.
type forger struct {
	t   *testing.T
	srv *httptest.Server
	key *rsa.PrivateKey
	kid string

	mu     sync.Mutex
	down   bool                            // discovery answers 503
	grants map[string]grant                // by code
	claims func(c map[string]any)          // edits the ID token's claims
	sign   func(payload []byte) string     // replaces RS256 with the JWKS key
	info   func(sub string) map[string]any // userinfo; nil for none
	at     func(accessToken string) string // the access token the ID token's at_hash is computed over
}

type grant struct {
	nonce, challenge, redirect string
}

const forgerClient = "sportello-test"

func newForger(t *testing.T) *forger {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	f := &forger{t: t, key: key, kid: "test-key", grants: map[string]grant{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", f.discovery)
	mux.HandleFunc("GET /keys", f.keys)
	mux.HandleFunc("GET /authorize", f.authorize)
	mux.HandleFunc("POST /token", f.token)
	mux.HandleFunc("GET /userinfo", f.userinfo)
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

func (f *forger) set(fn func(f *forger)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	fn(f)
}

func (f *forger) discovery(w http.ResponseWriter, _ *http.Request) {
	f.mu.Lock()
	down := f.down
	f.mu.Unlock()
	if down {
		http.Error(w, "maintenance", http.StatusServiceUnavailable)
		return
	}
	iss := f.srv.URL
	writeJSON(w, map[string]any{
		"issuer":                                iss,
		"authorization_endpoint":                iss + "/authorize",
		"token_endpoint":                        iss + "/token",
		"jwks_uri":                              iss + "/keys",
		"userinfo_endpoint":                     iss + "/userinfo",
		"response_types_supported":              []string{"code"},
		"subject_types_supported":               []string{"public"},
		"id_token_signing_alg_values_supported": []string{"RS256"},
		"code_challenge_methods_supported":      []string{"S256"},
	})
}

func (f *forger) keys(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &f.key.PublicKey, KeyID: f.kid, Algorithm: "RS256", Use: "sig"}}})
}

func (f *forger) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("code_challenge_method") != "S256" || q.Get("client_id") != forgerClient {
		http.Error(w, "PKCE S256 and the test client are required", http.StatusBadRequest)
		return
	}
	code := rand.Text()
	f.mu.Lock()
	f.grants[code] = grant{nonce: q.Get("nonce"), challenge: q.Get("code_challenge"), redirect: q.Get("redirect_uri")}
	f.mu.Unlock()
	back, _ := url.Parse(q.Get("redirect_uri"))
	v := url.Values{"code": {code}, "state": {q.Get("state")}}
	back.RawQuery = v.Encode()
	http.Redirect(w, r, back.String(), http.StatusFound)
}

func (f *forger) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	g, ok := f.grants[r.PostForm.Get("code")]
	delete(f.grants, r.PostForm.Get("code")) // single use
	claimsFn, signFn, atFn := f.claims, f.sign, f.at
	f.mu.Unlock()
	sum := sha256.Sum256([]byte(r.PostForm.Get("code_verifier")))
	if !ok || base64.RawURLEncoding.EncodeToString(sum[:]) != g.challenge || r.PostForm.Get("redirect_uri") != g.redirect {
		w.WriteHeader(http.StatusBadRequest)
		writeJSON(w, map[string]string{"error": "invalid_grant"})
		return
	}
	accessToken := "at-" + rand.Text()
	hashed := accessToken
	if atFn != nil {
		hashed = atFn(accessToken)
	}
	atSum := sha256.Sum256([]byte(hashed))
	now := time.Now()
	claims := map[string]any{
		"iss":            f.srv.URL,
		"sub":            "person-1",
		"aud":            forgerClient,
		"exp":            now.Add(5 * time.Minute).Unix(),
		"iat":            now.Unix(),
		"nonce":          g.nonce,
		"at_hash":        base64.RawURLEncoding.EncodeToString(atSum[:16]),
		"acr":            "substantial",
		"sid":            "sid-1",
		"name":           "Ada Test",
		"email":          "ada@example.org",
		"email_verified": true,
		"groups":         []string{"editors"},
	}
	if claimsFn != nil {
		claimsFn(claims)
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		f.t.Error(err)
		return
	}
	var idToken string
	if signFn != nil {
		idToken = signFn(payload)
	} else {
		idToken = f.signWith(f.key, f.kid, payload)
	}
	writeJSON(w, map[string]any{"access_token": accessToken, "token_type": "Bearer", "expires_in": 300, "id_token": idToken})
}

func (f *forger) userinfo(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	info := f.info
	f.mu.Unlock()
	if info == nil {
		writeJSON(w, map[string]any{"sub": "person-1"})
		return
	}
	writeJSON(w, info("person-1"))
}

// signWith signs payload with RS256 and a kid.
func (f *forger) signWith(key *rsa.PrivateKey, kid string, payload []byte) string {
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: key, KeyID: kid}},
		(&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		f.t.Fatal(err)
	}
	jws, err := signer.Sign(payload)
	if err != nil {
		f.t.Fatal(err)
	}
	s, err := jws.CompactSerialize()
	if err != nil {
		f.t.Fatal(err)
	}
	return s
}

// unsigned is a JWT with "alg": "none" and no signature.
func unsigned(payload []byte) string {
	header := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`))
	return header + "." + base64.RawURLEncoding.EncodeToString(payload) + "."
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

// startForgedRP runs Sportello against the forger.
func startForgedRP(t *testing.T, f *forger, dialect string, config func(*Config)) *rp {
	t.Helper()
	return startRP(t, rpOptions{dialect: dialect, issuer: f.srv.URL, clientSecret: "s3cret", config: func(c *Config) {
		c.ClientID = forgerClient
		if config != nil {
			config(c)
		}
	}})
}
