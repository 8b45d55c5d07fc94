package devidp

import (
	"cmp"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/subtle"
	"errors"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
	"golang.org/x/text/language"
)

// How long the provider's artefacts live. Short, because the provider keeps
// everything in memory and a code or token is used within seconds.
const (
	authRequestTTL = 10 * time.Minute
	accessTokenTTL = 5 * time.Minute
	idTokenTTL     = 5 * time.Minute
)

// errNotFound is what the op package reports to the relying party as an
// invalid request or grant (a reused code, an unknown request).
var errNotFound = notFoundError{}

type notFoundError struct{}

func (notFoundError) Error() string { return "devidp: not found (expired or already used)" }
func (notFoundError) IsNotFound()   {}

// storage is the provider's state, in memory: one registered client, the
// pending sign-ins, the access tokens and the signed-in sessions.
type storage struct {
	key    signingKey
	client *client
	cfg    Config

	mu       sync.Mutex
	requests map[string]*authRequest // by request id
	codes    map[string]string       // code -> request id
	tokens   map[string]accessToken  // by token id
	sessions map[string]session      // by sid
}

type accessToken struct {
	subject, clientID, sid string
	scopes                 []string
	expires                time.Time
}

// session is one sign-in at the provider, identified by the sid claim.
type session struct {
	SID      string
	Subject  string
	ClientID string
	ACR      string
	Started  time.Time
}

func newStorage(key *rsa.PrivateKey, keyID string, cfg Config, secret string) *storage {
	return &storage{
		key: signingKey{id: keyID, key: key},
		client: &client{
			issuer:        cfg.Issuer,
			secret:        secret,
			redirectURIs:  slices.Clone(cfg.RedirectURIs),
			postLogoutURI: slices.Clone(cfg.PostLogoutRedirectURIs),
		},
		cfg:      cfg,
		requests: map[string]*authRequest{},
		codes:    map[string]string{},
		tokens:   map[string]accessToken{},
		sessions: map[string]session{},
	}
}

// CreateAuthRequest records a sign-in request. PKCE with S256 is required,
// as a council provider should: a relying party that forgets it fails here.
func (s *storage) CreateAuthRequest(_ context.Context, req *oidc.AuthRequest, _ string) (op.AuthRequest, error) {
	if req.CodeChallenge == "" || req.CodeChallengeMethod != oidc.CodeChallengeMethodS256 {
		return nil, oidc.ErrInvalidRequest().WithDescription("PKCE with code_challenge_method=S256 is required")
	}
	// Every string is copied: behind Fiber's net/http adaptor the request's
	// strings share fasthttp's buffers, which are reused after the request.
	now := time.Now()
	a := &authRequest{
		id:           rand.Text(),
		created:      now,
		clientID:     strings.Clone(req.ClientID),
		redirectURI:  strings.Clone(req.RedirectURI),
		state:        strings.Clone(req.State),
		nonce:        strings.Clone(req.Nonce),
		scopes:       cloneAll(req.Scopes),
		responseType: oidc.ResponseType(strings.Clone(string(req.ResponseType))),
		responseMode: oidc.ResponseMode(strings.Clone(string(req.ResponseMode))),
		challenge: &oidc.CodeChallenge{
			Challenge: strings.Clone(req.CodeChallenge),
			Method:    oidc.CodeChallengeMethod(strings.Clone(string(req.CodeChallengeMethod))),
		},
		acrValues: cloneAll(req.ACRValues),
		uiLocales: localeStrings(req.UILocales),
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for id, r := range s.requests {
		if now.Sub(r.created) > authRequestTTL {
			delete(s.requests, id)
			if r.code != "" {
				delete(s.codes, r.code)
			}
		}
	}
	s.requests[a.id] = a
	return a.snapshot(), nil
}

func (s *storage) AuthRequestByID(_ context.Context, id string) (op.AuthRequest, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.requests[id]
	if !ok || time.Since(r.created) > authRequestTTL {
		return nil, errNotFound
	}
	return r.snapshot(), nil
}

func (s *storage) AuthRequestByCode(_ context.Context, code string) (op.AuthRequest, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id, ok := s.codes[code]
	if !ok {
		return nil, errNotFound
	}
	r, ok := s.requests[id]
	if !ok || time.Since(r.created) > authRequestTTL {
		return nil, errNotFound
	}
	return r.snapshot(), nil
}

func (s *storage) SaveAuthCode(_ context.Context, id, code string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.requests[id]
	if !ok {
		return errNotFound
	}
	r.code = code
	s.codes[code] = id
	return nil
}

// DeleteAuthRequest is called once the code has been exchanged, which is
// what makes a second exchange of the same code fail.
func (s *storage) DeleteAuthRequest(_ context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r, ok := s.requests[id]; ok {
		delete(s.codes, r.code)
		delete(s.requests, id)
	}
	return nil
}

// completeSignIn marks a request as signed in by a demo person at a level,
// and starts the provider-side session the sid claim names.
func (s *storage) completeSignIn(id, subject, acr string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.requests[id]
	if !ok || r.done || time.Since(r.created) > authRequestTTL {
		return errNotFound
	}
	r.done = true
	r.subject = subject
	r.acr = acr
	r.authTime = time.Now()
	r.sid = rand.Text()
	s.sessions[r.sid] = session{SID: r.sid, Subject: subject, ClientID: r.clientID, ACR: acr, Started: r.authTime}
	return nil
}

// pendingRequest returns a copy of a request still waiting for sign-in.
func (s *storage) pendingRequest(id string) (authRequest, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.requests[id]
	if !ok || r.done || time.Since(r.created) > authRequestTTL {
		return authRequest{}, false
	}
	return *r.snapshot(), true
}

func (s *storage) CreateAccessToken(_ context.Context, req op.TokenRequest) (string, time.Time, error) {
	t := accessToken{subject: req.GetSubject(), scopes: slices.Clone(req.GetScopes()), expires: time.Now().Add(accessTokenTTL)}
	if a, ok := req.(*authRequest); ok {
		t.clientID = a.clientID
		t.sid = a.sid
	}
	id := rand.Text()
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	for k, old := range s.tokens {
		if now.After(old.expires) {
			delete(s.tokens, k)
		}
	}
	s.tokens[id] = t
	return id, t.expires, nil
}

// errNoRefresh: the client is registered without the refresh_token grant,
// so the op package never asks for refresh tokens; these answer anyone who
// tries anyway.
var errNoRefresh = errors.New("devidp: refresh tokens are not issued")

func (s *storage) CreateAccessAndRefreshTokens(context.Context, op.TokenRequest, string) (string, string, time.Time, error) {
	return "", "", time.Time{}, errNoRefresh
}

func (s *storage) TokenRequestByRefreshToken(context.Context, string) (op.RefreshTokenRequest, error) {
	return nil, op.ErrInvalidRefreshToken
}

func (s *storage) GetRefreshTokenInfo(context.Context, string, string) (string, string, error) {
	return "", "", op.ErrInvalidRefreshToken
}

// TerminateSession ends the person's sessions with the client (RP-initiated
// logout through end_session) and revokes their access tokens.
func (s *storage) TerminateSession(_ context.Context, userID, clientID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for sid, sess := range s.sessions {
		if sess.Subject == userID && sess.ClientID == clientID {
			delete(s.sessions, sid)
		}
	}
	for id, t := range s.tokens {
		if t.subject == userID && t.clientID == clientID {
			delete(s.tokens, id)
		}
	}
	return nil
}

func (s *storage) RevokeToken(_ context.Context, tokenOrID, userID, clientID string) *oidc.Error {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.tokens[tokenOrID]
	if !ok {
		return nil // RFC 7009: an unknown token is not an error
	}
	if t.clientID != clientID {
		return oidc.ErrInvalidClient().WithDescription("token was not issued to this client")
	}
	delete(s.tokens, tokenOrID)
	return nil
}

func (s *storage) SigningKey(context.Context) (op.SigningKey, error) { return s.key, nil }

func (s *storage) SignatureAlgorithms(context.Context) ([]jose.SignatureAlgorithm, error) {
	return []jose.SignatureAlgorithm{jose.RS256}, nil
}

func (s *storage) KeySet(context.Context) ([]op.Key, error) {
	return []op.Key{publicKey{s.key}}, nil
}

func (s *storage) GetClientByClientID(_ context.Context, clientID string) (op.Client, error) {
	if clientID != ClientID {
		return nil, errNotFound
	}
	return s.client, nil
}

func (s *storage) AuthorizeClientIDSecret(_ context.Context, clientID, secret string) error {
	if clientID != ClientID || subtle.ConstantTimeCompare([]byte(secret), []byte(s.client.secret)) != 1 {
		return oidc.ErrInvalidClient().WithDescription("unknown client or wrong secret")
	}
	return nil
}

// SetUserinfoFromScopes is deprecated in op; SetUserinfoFromRequest does
// the work.
func (s *storage) SetUserinfoFromScopes(context.Context, *oidc.UserInfo, string, string, []string) error {
	return nil
}

// SetUserinfoFromRequest fills the ID token. The client does not assert
// userinfo claims in the ID token, so with an access token the op package
// passes only "openid" here: the ID token then carries sub, acr and sid, and
// the relying party must read name, email and groups from userinfo, as it
// must with many real providers.
func (s *storage) SetUserinfoFromRequest(_ context.Context, info *oidc.UserInfo, req op.IDTokenRequest, scopes []string) error {
	if err := s.fillUserinfo(info, req.GetSubject(), scopes); err != nil {
		return err
	}
	if a, ok := req.(*authRequest); ok && a.sid != "" {
		info.AppendClaims("sid", a.sid)
	}
	return nil
}

func (s *storage) SetUserinfoFromToken(_ context.Context, info *oidc.UserInfo, tokenID, subject, _ string) error {
	s.mu.Lock()
	t, ok := s.tokens[tokenID]
	s.mu.Unlock()
	if !ok || time.Now().After(t.expires) || t.subject != subject {
		return errors.New("devidp: access token expired or revoked")
	}
	return s.fillUserinfo(info, t.subject, t.scopes)
}

func (s *storage) SetIntrospectionFromToken(_ context.Context, resp *oidc.IntrospectionResponse, tokenID, subject, clientID string) error {
	s.mu.Lock()
	t, ok := s.tokens[tokenID]
	s.mu.Unlock()
	if !ok || time.Now().After(t.expires) || t.subject != subject {
		return nil // inactive
	}
	info := new(oidc.UserInfo)
	if err := s.fillUserinfo(info, t.subject, t.scopes); err != nil {
		return err
	}
	resp.SetUserInfo(info)
	resp.Active = true
	resp.Scope = t.scopes
	resp.ClientID = t.clientID
	return nil
}

func (s *storage) GetPrivateClaimsFromScopes(context.Context, string, string, []string) (map[string]any, error) {
	return nil, nil
}

// The JWT profile grant is not offered: the client authenticates with its
// secret.
var errNoJWTProfile = errors.New("devidp: the JWT profile grant is not supported")

func (s *storage) GetKeyByIDAndClientID(context.Context, string, string) (*jose.JSONWebKey, error) {
	return nil, errNoJWTProfile
}

func (s *storage) ValidateJWTProfileScopes(context.Context, string, []string) ([]string, error) {
	return nil, errNoJWTProfile
}

func (s *storage) Health(context.Context) error { return nil }

// fillUserinfo sets the claims of a demo person for the granted scopes.
func (s *storage) fillUserinfo(info *oidc.UserInfo, subject string, scopes []string) error {
	p, ok := personaByKey(subject)
	if !ok {
		return errNotFound
	}
	info.Subject = p.Key
	for _, scope := range scopes {
		switch scope {
		case oidc.ScopeProfile:
			info.Name = p.Name
			info.GivenName = p.GivenName
			info.FamilyName = p.FamilyName
			info.PreferredUsername = p.Key
			info.Locale = oidc.NewLocale(language.Make(p.PreferredLang))
			info.AppendClaims("groups", p.groupsFor(s.cfg.Groups))
			if p.NationalID != "" {
				info.AppendClaims(NationalIDClaim, p.NationalID)
			}
			if p.TaxID != "" {
				info.AppendClaims(cmp.Or(s.cfg.TaxIDClaim, "tax_id"), p.TaxID)
			}
		case oidc.ScopeEmail:
			info.Email = p.Email
			info.EmailVerified = true
		case "groups":
			info.AppendClaims("groups", p.groupsFor(s.cfg.Groups))
		}
	}
	return nil
}

func (p persona) groupsFor(g Groups) []string {
	groups := p.groups(g)
	if groups == nil {
		return []string{}
	}
	return groups
}

// sessionsSnapshot lists the provider-side sessions, newest first.
func (s *storage) sessionsSnapshot() []session {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]session, 0, len(s.sessions))
	for _, sess := range s.sessions {
		out = append(out, sess)
	}
	slices.SortFunc(out, func(a, b session) int { return b.Started.Compare(a.Started) })
	return out
}

// takeSession removes a session so that its logout token is sent once.
func (s *storage) takeSession(sid string) (session, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sess, ok := s.sessions[sid]
	if ok {
		delete(s.sessions, sid)
		for id, t := range s.tokens {
			if t.sid == sid {
				delete(s.tokens, id)
			}
		}
	}
	return sess, ok
}

// authRequest is one sign-in in progress. The op package reads it through
// the op.AuthRequest methods; the storage hands out copies so that a request
// being completed is never read half-written.
type authRequest struct {
	id           string
	created      time.Time
	clientID     string
	redirectURI  string
	state        string
	nonce        string
	scopes       []string
	responseType oidc.ResponseType
	responseMode oidc.ResponseMode
	challenge    *oidc.CodeChallenge
	acrValues    []string
	uiLocales    []string // the languages the relying party asked the pages in

	done     bool
	subject  string
	acr      string
	authTime time.Time
	sid      string
	code     string
}

func (a *authRequest) snapshot() *authRequest {
	c := *a
	c.scopes = slices.Clone(a.scopes)
	c.acrValues = slices.Clone(a.acrValues)
	c.uiLocales = slices.Clone(a.uiLocales)
	return &c
}

func (a *authRequest) GetID() string                         { return a.id }
func (a *authRequest) GetACR() string                        { return a.acr }
func (a *authRequest) GetAMR() []string                      { return []string{"user"} }
func (a *authRequest) GetAudience() []string                 { return []string{a.clientID} }
func (a *authRequest) GetAuthTime() time.Time                { return a.authTime }
func (a *authRequest) GetClientID() string                   { return a.clientID }
func (a *authRequest) GetCodeChallenge() *oidc.CodeChallenge { return a.challenge }
func (a *authRequest) GetNonce() string                      { return a.nonce }
func (a *authRequest) GetRedirectURI() string                { return a.redirectURI }
func (a *authRequest) GetResponseType() oidc.ResponseType    { return a.responseType }
func (a *authRequest) GetResponseMode() oidc.ResponseMode    { return a.responseMode }
func (a *authRequest) GetScopes() []string                   { return a.scopes }
func (a *authRequest) GetState() string                      { return a.state }
func (a *authRequest) GetSubject() string                    { return a.subject }
func (a *authRequest) Done() bool                            { return a.done }

// client is Sportello as registered at the provider: a confidential web
// client using the authorization code grant only.
type client struct {
	issuer        string
	secret        string
	redirectURIs  []string
	postLogoutURI []string
}

func (c *client) GetID() string                    { return ClientID }
func (c *client) RedirectURIs() []string           { return c.redirectURIs }
func (c *client) PostLogoutRedirectURIs() []string { return c.postLogoutURI }
func (c *client) ApplicationType() op.ApplicationType {
	return op.ApplicationTypeWeb
}
func (c *client) AuthMethod() oidc.AuthMethod { return oidc.AuthMethodBasic }
func (c *client) ResponseTypes() []oidc.ResponseType {
	return []oidc.ResponseType{oidc.ResponseTypeCode}
}
func (c *client) GrantTypes() []oidc.GrantType {
	return []oidc.GrantType{oidc.GrantTypeCode}
}

// LoginURL is where the authorize endpoint sends the browser to sign in.
func (c *client) LoginURL(id string) string {
	return c.issuer + "/login?authRequestID=" + url.QueryEscape(id)
}
func (c *client) AccessTokenType() op.AccessTokenType { return op.AccessTokenTypeBearer }
func (c *client) IDTokenLifetime() time.Duration      { return idTokenTTL }

// DevMode lets the client use http:// redirect URIs on localhost.
func (c *client) DevMode() bool { return true }
func (c *client) RestrictAdditionalIdTokenScopes() func([]string) []string {
	return func(s []string) []string { return s }
}
func (c *client) RestrictAdditionalAccessTokenScopes() func([]string) []string {
	return func(s []string) []string { return s }
}
func (c *client) IsScopeAllowed(scope string) bool     { return scope == "groups" }
func (c *client) IDTokenUserinfoClaimsAssertion() bool { return false }
func (c *client) ClockSkew() time.Duration             { return 0 }

type signingKey struct {
	id  string
	key *rsa.PrivateKey
}

func (k signingKey) SignatureAlgorithm() jose.SignatureAlgorithm { return jose.RS256 }
func (k signingKey) Key() any                                    { return k.key }
func (k signingKey) ID() string                                  { return k.id }

type publicKey struct{ signingKey }

func (k publicKey) Algorithm() jose.SignatureAlgorithm { return jose.RS256 }
func (k publicKey) Use() string                        { return "sig" }
func (k publicKey) Key() any                           { return &k.key.PublicKey }

var _ op.Storage = (*storage)(nil)

func cloneAll(in []string) []string {
	out := make([]string, len(in))
	for i, s := range in {
		out[i] = strings.Clone(s)
	}
	return out
}

// hasACR reports whether a requested acr_values list asks for value.
func hasACR(values []string, value string) bool {
	return slices.ContainsFunc(values, func(v string) bool { return strings.EqualFold(v, value) })
}
