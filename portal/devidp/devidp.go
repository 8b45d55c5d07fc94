// Package devidp is the development identity provider: a standards-compliant
// OpenID Provider (zitadel/oidc pkg/op) with five demo people and no
// passwords, so that a fresh checkout signs in with no set-up. Sportello talks
// to it over HTTP exactly as to the council's real provider: discovery, JWKS,
// authorization code with PKCE, token, userinfo, end_session and back-channel
// logout.
//
// It must never run in production: it signs anyone in as anyone. The binary
// only starts it when no SPORTELLO_OIDC_ISSUER is set and SPORTELLO_ENV is not
// production.
package devidp

import (
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/zitadel/oidc/v3/pkg/op"
)

// ClientID is the client the provider registers for Sportello.
const ClientID = "sportello"

// Config describes the one client (Sportello) and how the demo people's
// groups and assurance levels are named, so they match the portal's settings.
type Config struct {
	// Issuer is the provider's public URL, e.g. "http://localhost:8080/dev-idp".
	// The handler serves paths relative to it: mount it with the issuer's
	// path stripped.
	Issuer string
	// RedirectURIs are Sportello's callback URLs (base URL + /auth/callback).
	RedirectURIs []string
	// PostLogoutRedirectURIs are where end_session may send the browser back.
	PostLogoutRedirectURIs []string
	// BackChannelLogoutURI receives logout tokens when a session is ended
	// from the provider's own page ("" disables back-channel logout).
	BackChannelLogoutURI string
	// Groups name the group values put in the "groups" claim; empty fields
	// take the portal's defaults (editors, caseworkers, admins).
	Groups Groups
	// ACR names the acr values issued for each assurance level; empty fields
	// take the portal's defaults (low, substantial, high).
	ACR ACR
	// TaxIDClaim names the claim carrying the business person's tax ID
	// (the portal's SPORTELLO_OIDC_TAX_ID_CLAIM); empty: tax_id.
	TaxIDClaim string
	// HTTPClient sends back-channel logout requests; nil means a client with
	// a 10 second timeout.
	HTTPClient *http.Client
	Logger     *slog.Logger
}

// Groups are the values of the "groups" claim that grant staff roles.
type Groups struct{ Editor, Caseworker, Admin, Counter string }

// NationalIDClaim is the claim carrying a demo person's national ID number.
const NationalIDClaim = "national_id"

// ACR are the acr claim values for the assurance levels.
type ACR struct{ Low, Substantial, High string }

// IDP is the development provider. It is an http.Handler.
type IDP struct {
	// ClientSecret is Sportello's client secret, random for each process.
	ClientSecret string

	cfg     Config
	storage *storage
	mux     *http.ServeMux
	log     *slog.Logger
	http    *http.Client
}

// New builds the provider with a fresh RSA signing key and a fresh client
// secret: nothing signed by an earlier run is accepted.
func New(cfg Config) (*IDP, error) {
	issuer, err := url.Parse(cfg.Issuer)
	if err != nil || (issuer.Scheme != "http" && issuer.Scheme != "https") || issuer.Host == "" {
		return nil, fmt.Errorf("devidp: issuer %q must be an absolute http(s) URL such as http://localhost:8080/dev-idp", cfg.Issuer)
	}
	cfg.Issuer = strings.TrimSuffix(cfg.Issuer, "/")
	if len(cfg.RedirectURIs) == 0 {
		return nil, errors.New("devidp: at least one redirect URI (Sportello's base URL + /auth/callback) is needed")
	}
	cfg.Groups = cfg.Groups.withDefaults()
	cfg.ACR = cfg.ACR.withDefaults()
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	client := cfg.HTTPClient
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}

	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, fmt.Errorf("devidp: generating the signing key: %w", err)
	}
	secret := rand.Text() + rand.Text()
	st := newStorage(key, rand.Text(), cfg, secret)

	var cryptoKey [32]byte
	if _, err := rand.Read(cryptoKey[:]); err != nil {
		return nil, fmt.Errorf("devidp: generating the token key: %w", err)
	}
	opCfg := &op.Config{
		CryptoKey:                cryptoKey,
		DefaultLogoutRedirectURI: "/signed-out",
		CodeMethodS256:           true,
		AuthMethodPost:           true,
		SupportedUILocales:       pageLanguages,
		SupportedClaims:          append(append([]string{}, op.DefaultSupportedClaims...), "groups", "sid"),
		SupportedScopes:          []string{"openid", "profile", "email", "groups"},
		// Advertised so that relying parties can see the provider does it;
		// the logout tokens are sent from the provider's sessions page.
		BackChannelLogoutSupported:        cfg.BackChannelLogoutURI != "",
		BackChannelLogoutSessionSupported: cfg.BackChannelLogoutURI != "",
	}
	opts := []op.Option{op.WithLogger(log)}
	if issuer.Scheme == "http" {
		opts = append(opts, op.WithAllowInsecure())
	}
	provider, err := op.NewProvider(opCfg, st, op.StaticIssuer(cfg.Issuer), opts...)
	if err != nil {
		return nil, fmt.Errorf("devidp: %w", err)
	}

	d := &IDP{ClientSecret: secret, cfg: cfg, storage: st, log: log, http: client}
	d.mux = http.NewServeMux()
	d.mux.HandleFunc("GET /login", d.showLogin)
	d.mux.HandleFunc("POST /login", d.submitLogin)
	d.mux.HandleFunc("GET /{$}", d.showSessions)
	d.mux.HandleFunc("POST /sessions/end", d.endSession)
	d.mux.HandleFunc("GET /signed-out", d.showSignedOut)
	d.mux.HandleFunc("GET /style.css", d.showStyle)
	d.mux.Handle("/", provider)
	return d, nil
}

// ServeHTTP serves the provider. Paths are relative to the issuer.
func (d *IDP) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Robots-Tag", "noindex")
	d.mux.ServeHTTP(w, r)
}

// Issuer is the provider's issuer URL.
func (d *IDP) Issuer() string { return d.cfg.Issuer }

// ClientID is the client id registered for Sportello.
func (d *IDP) ClientID() string { return ClientID }

func (g Groups) withDefaults() Groups {
	if g.Editor == "" {
		g.Editor = "editors"
	}
	if g.Caseworker == "" {
		g.Caseworker = "caseworkers"
	}
	if g.Admin == "" {
		g.Admin = "admins"
	}
	if g.Counter == "" {
		g.Counter = "counter"
	}
	return g
}

func (a ACR) withDefaults() ACR {
	if a.Low == "" {
		a.Low = "low"
	}
	if a.Substantial == "" {
		a.Substantial = "substantial"
	}
	if a.High == "" {
		a.High = "high"
	}
	return a
}

// persona is a demo person offered on the sign-in page.
type persona struct {
	Key           string // the value of the persona button, also the subject
	Name          string
	GivenName     string
	FamilyName    string
	Email         string
	groups        func(Groups) []string
	defaultLevel  string // "low", "substantial" or "high"
	PreferredLang string
	NationalID    string // the national_id claim; "" for none
	// TaxID is the tax ID of the business the person signs in for, which
	// the provider vouches for in the tax ID claim; "" for none.
	TaxID string
}

// personas are the demo people, in the order the sign-in page lists them;
// each one's description is the message persona.<Key>.
// The resident and the business sign in at substantial so that most forms
// work; the admin signs in at high so that high-assurance forms can be tried
// without step-up, and step-up can be tried by choosing a level on the page.
var personas = []persona{
	{Key: "resident", Name: "Marta Vidal", GivenName: "Marta", FamilyName: "Vidal", Email: "marta.vidal@example.org",
		groups: func(Groups) []string { return nil }, defaultLevel: "substantial", PreferredLang: "ca", NationalID: "12345678Z"},
	{Key: "business", Name: "Luca Ferri", GivenName: "Luca", FamilyName: "Ferri", Email: "luca.ferri@forno-ferri.example",
		groups: func(Groups) []string { return nil }, defaultLevel: "substantial", PreferredLang: "it", NationalID: "Y1234567X", TaxID: "B66554433"},
	{Key: "editor", Name: "Élodie Martin", GivenName: "Élodie", FamilyName: "Martin", Email: "elodie.martin@porta-nova.example",
		groups: func(g Groups) []string { return []string{g.Editor} }, defaultLevel: "substantial", PreferredLang: "fr"},
	{Key: "caseworker", Name: "Javier Ortega", GivenName: "Javier", FamilyName: "Ortega", Email: "javier.ortega@porta-nova.example",
		groups: func(g Groups) []string { return []string{g.Caseworker} }, defaultLevel: "substantial", PreferredLang: "es"},
	{Key: "counter", Name: "Aina Puig", GivenName: "Aina", FamilyName: "Puig", Email: "aina.puig@porta-nova.example",
		groups: func(g Groups) []string { return []string{g.Counter} }, defaultLevel: "substantial", PreferredLang: "ca"},
	{Key: "admin", Name: "Sam Adeyemi", GivenName: "Sam", FamilyName: "Adeyemi", Email: "sam.adeyemi@porta-nova.example",
		groups: func(g Groups) []string { return []string{g.Admin, g.Editor, g.Caseworker} }, defaultLevel: "high", PreferredLang: "en"},
}

func personaByKey(key string) (persona, bool) {
	for _, p := range personas {
		if p.Key == key {
			return p, true
		}
	}
	return persona{}, false
}
