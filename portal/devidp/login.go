package devidp

import (
	"bytes"
	"context"
	"crypto/rand"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

//go:embed pages.html
var pagesHTML string

//go:embed style.css
var styleCSS string

var pages = template.Must(template.New("pages").Parse(pagesHTML))

// Assurance levels, weakest first, as the sign-in page offers them.
var levels = []string{"low", "substantial", "high"}

// frame is what every page's head needs. Title is a message key; T
// translates a key into the page's language.
type frame struct{ Title, Issuer, Lang string }

// T is the text of key in the page's language.
func (f frame) T(key string) string { return text(f.Lang, key) }

type messagePage struct {
	frame
	Message string
}

type loginPage struct {
	frame
	Action    string
	RequestID string
	Requested string // the level the relying party asked for, "" when none
	Levels    []string
	Personas  []personaView
}

type personaView struct {
	Key, Name, Email, Level string
	Groups                  []string
}

// showLogin is the sign-in page the authorize endpoint sends the browser to.
func (d *IDP) showLogin(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("authRequestID")
	req, ok := d.storage.pendingRequest(id)
	if !ok {
		d.problem(w, r, "problem.unknown_request")
		return
	}
	page := loginPage{frame: d.frame(r, req.uiLocales, "login.title"), Action: d.cfg.Issuer + "/login", RequestID: id, Requested: d.levelOf(req.acrValues), Levels: levels}
	for _, p := range personas {
		page.Personas = append(page.Personas, personaView{
			Key: p.Key, Name: p.Name, Email: p.Email,
			Level: p.defaultLevel, Groups: p.groupsFor(d.cfg.Groups),
		})
	}
	d.render(w, http.StatusOK, "login", page)
}

// submitLogin signs the chosen demo person in and lets the op package issue
// the code.
func (d *IDP) submitLogin(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		d.problem(w, r, "problem.unreadable")
		return
	}
	id := r.PostForm.Get("authRequestID")
	p, ok := personaByKey(r.PostForm.Get("persona"))
	if !ok {
		d.problem(w, r, "problem.persona")
		return
	}
	level := r.PostForm.Get("level")
	if level == "" {
		level = p.defaultLevel
	}
	acr, ok := d.acrOf(level)
	if !ok {
		d.problem(w, r, "problem.level")
		return
	}
	if err := d.storage.completeSignIn(id, p.Key, acr); err != nil {
		d.problem(w, r, "problem.unknown_request")
		return
	}
	d.log.Info("devidp: demo sign-in", "persona", p.Key, "acr", acr)
	http.Redirect(w, r, d.cfg.Issuer+"/authorize/callback?id="+url.QueryEscape(id), http.StatusSeeOther)
}

type sessionsPage struct {
	frame
	Action      string
	Sessions    []session
	BackChannel bool
	Message     string // a message key
}

// showSessions lists the provider-side sessions, each with a button that
// ends it by back-channel logout, to try single sign-out.
func (d *IDP) showSessions(w http.ResponseWriter, r *http.Request) {
	page := sessionsPage{frame: d.frame(r, nil, "sessions.title"), Action: d.cfg.Issuer + "/sessions/end", Sessions: d.storage.sessionsSnapshot(), BackChannel: d.cfg.BackChannelLogoutURI != ""}
	switch r.URL.Query().Get("ended") {
	case "ok":
		page.Message = "sessions.ended_ok"
	case "failed":
		page.Message = "sessions.ended_failed"
	}
	d.render(w, http.StatusOK, "sessions", page)
}

func (d *IDP) endSession(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		d.problem(w, r, "problem.form")
		return
	}
	result := "ok"
	if err := d.LogoutSession(r.Context(), r.PostForm.Get("sid")); err != nil {
		d.log.Warn("devidp: back-channel logout", "err", err)
		result = "failed"
	}
	q := url.Values{"ended": {result}, "lang": {langOf(r, nil)}}
	http.Redirect(w, r, d.cfg.Issuer+"/?"+q.Encode(), http.StatusSeeOther)
}

func (d *IDP) showSignedOut(w http.ResponseWriter, r *http.Request) {
	d.render(w, http.StatusOK, "signed-out", messagePage{frame: d.frame(r, nil, "signed_out.title")})
}

// Session is a sign-in at the provider, named by the sid claim of the ID
// token it issued.
type Session struct {
	SID, Subject, ACR string
	Started           time.Time
}

// Sessions lists the provider-side sessions, newest first.
func (d *IDP) Sessions() []Session {
	var out []Session
	for _, s := range d.storage.sessionsSnapshot() {
		out = append(out, Session{SID: s.SID, Subject: s.Subject, ACR: s.ACR, Started: s.Started})
	}
	return out
}

// LogoutSession ends a provider-side session and sends Sportello an OIDC
// Back-Channel Logout 1.0 logout token for it.
func (d *IDP) LogoutSession(ctx context.Context, sid string) error {
	if d.cfg.BackChannelLogoutURI == "" {
		return errors.New("devidp: no back-channel logout URI is configured")
	}
	sess, ok := d.storage.takeSession(sid)
	if !ok {
		return fmt.Errorf("devidp: no session %q", sid)
	}
	token, err := d.LogoutToken(sess.Subject, sess.SID)
	if err != nil {
		return err
	}
	body := url.Values{"logout_token": {token}}.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.cfg.BackChannelLogoutURI, strings.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := d.http.Do(req)
	if err != nil {
		return fmt.Errorf("devidp: sending the logout token: %w", err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4096))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("devidp: the relying party answered the logout token with %s", resp.Status)
	}
	return nil
}

// LogoutToken signs a logout token for subject and sid (either may be
// empty, not both) with the provider's key.
func (d *IDP) LogoutToken(subject, sid string) (string, error) {
	now := time.Now()
	claims := map[string]any{
		"iss":    d.cfg.Issuer,
		"aud":    ClientID,
		"iat":    now.Unix(),
		"exp":    now.Add(2 * time.Minute).Unix(),
		"jti":    rand.Text(),
		"events": map[string]any{"http://schemas.openid.net/event/backchannel-logout": map[string]any{}},
	}
	if subject != "" {
		claims["sub"] = subject
	}
	if sid != "" {
		claims["sid"] = sid
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	signer, err := jose.NewSigner(
		jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: d.storage.key.key, KeyID: d.storage.key.id}},
		(&jose.SignerOptions{}).WithType("logout+jwt"),
	)
	if err != nil {
		return "", err
	}
	jws, err := signer.Sign(payload)
	if err != nil {
		return "", err
	}
	return jws.CompactSerialize()
}

// levelOf returns the strongest level named in acr_values, "" for none.
func (d *IDP) levelOf(acrValues []string) string {
	switch {
	case hasACR(acrValues, d.cfg.ACR.High):
		return "high"
	case hasACR(acrValues, d.cfg.ACR.Substantial):
		return "substantial"
	case hasACR(acrValues, d.cfg.ACR.Low):
		return "low"
	}
	return ""
}

func (d *IDP) acrOf(level string) (string, bool) {
	switch level {
	case "low":
		return d.cfg.ACR.Low, true
	case "substantial":
		return d.cfg.ACR.Substantial, true
	case "high":
		return d.cfg.ACR.High, true
	}
	return "", false
}

// frame starts a page titled by the message key title, in the language
// langOf picks for r and the sign-in request's ui_locales.
func (d *IDP) frame(r *http.Request, uiLocales []string, title string) frame {
	return frame{Title: title, Issuer: d.cfg.Issuer, Lang: langOf(r, uiLocales)}
}

// problem answers 400 with the message key's text.
func (d *IDP) problem(w http.ResponseWriter, r *http.Request, message string) {
	d.render(w, http.StatusBadRequest, "problem", messagePage{frame: d.frame(r, nil, "problem.title"), Message: message})
}

// showStyle serves the pages' style sheet: a file, not inline, so that the
// portal's Content-Security-Policy (style-src 'self') allows it.
func (d *IDP) showStyle(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	_, _ = io.WriteString(w, styleCSS)
}

func (d *IDP) render(w http.ResponseWriter, status int, name string, data any) {
	var buf bytes.Buffer
	if err := pages.ExecuteTemplate(&buf, name, data); err != nil {
		d.log.Error("devidp: rendering a page", "page", name, "err", err)
		http.Error(w, "the development identity provider could not render its page", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; form-action 'self' http: https:; frame-ancestors 'none'")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}
