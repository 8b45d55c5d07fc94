package auth

import (
	"crypto/rand"
	"encoding/json"
	"errors"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/session"
	"golang.org/x/oauth2"

	"sportello/portal/web"
)

// pendingLogin is a sign-in in progress, kept in the browser's server-side
// session until the provider sends the browser back.
type pendingLogin struct {
	State    string `json:"state"`
	Nonce    string `json:"nonce"`
	Verifier string `json:"verifier"` // PKCE code verifier
	ReturnTo string `json:"return_to"`
	Level    string `json:"level"`
	Created  int64  `json:"created"`
}

const (
	// pendingTTL is how long the person has at the provider.
	pendingTTL = 10 * time.Minute
	// maxPending sign-ins in progress per session, one per tab or so; the
	// oldest is dropped beyond it.
	maxPending = 5
)

// Login starts sign-in: GET /auth/login?return_to=/local/path&level=high.
// It sends the browser to the identity provider with a state, a nonce and a
// PKCE challenge bound to the browser's server-side session.
func (a *Auth) Login(c *fiber.Ctx) error {
	returnTo, ok := localPath(c.Query("return_to"))
	if !ok {
		return a.problem(c, fiber.StatusBadRequest, "auth.problem.return_to", PathLogin, errors.New("return_to is not a local path"))
	}
	level := c.Query("level")
	if !validLevel(level) {
		return a.problem(c, fiber.StatusBadRequest, "auth.problem.level", LoginURL(returnTo, ""), errUnknownLevel(level))
	}
	viewer := web.ViewerOf(c)
	if viewer != nil && a.Satisfies(viewer, level) {
		// Already signed in well enough: no round trip to the provider.
		return c.Redirect(returnTo, fiber.StatusSeeOther)
	}
	rp, err := a.rp.get(c.UserContext())
	if err != nil {
		return a.problem(c, fiber.StatusServiceUnavailable, "auth.problem.unavailable", LoginURL(returnTo, level), err)
	}

	p := pendingLogin{
		State:    rand.Text(),
		Nonce:    rand.Text(),
		Verifier: oauth2.GenerateVerifier(),
		ReturnTo: returnTo,
		Level:    level,
		Created:  a.now().Unix(),
	}
	sess, err := a.sessions.Get(c)
	if err != nil {
		return web.NewError(fiber.StatusInternalServerError, "", err)
	}
	pending := append(a.pendingOf(sess), p)
	if len(pending) > maxPending {
		pending = pending[len(pending)-maxPending:]
	}
	if err := setPending(sess, pending); err != nil {
		return web.NewError(fiber.StatusInternalServerError, "", err)
	}
	if err := sess.Save(); err != nil {
		return web.NewError(fiber.StatusInternalServerError, "", err)
	}

	opts := []oauth2.AuthCodeOption{oauth2.S256ChallengeOption(p.Verifier), oidc.Nonce(p.Nonce)}
	if acr := a.cfg.acrFor(level); acr != "" {
		opts = append(opts, oauth2.SetAuthURLParam("acr_values", acr))
	}
	if viewer != nil {
		// Step-up: the provider must authenticate again, not reuse the
		// weaker sign-in it remembers.
		opts = append(opts, oauth2.SetAuthURLParam("prompt", "login"))
	}
	if lang := web.LangOf(c); lang != "" {
		opts = append(opts, oauth2.SetAuthURLParam("ui_locales", lang))
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Redirect(rp.oauth.AuthCodeURL(p.State, opts...), fiber.StatusSeeOther)
}

// pendingOf returns the session's unexpired sign-ins in progress.
func (a *Auth) pendingOf(sess *session.Session) []pendingLogin {
	raw, _ := sess.Get(keyPending).(string)
	if raw == "" {
		return nil
	}
	var all []pendingLogin
	if err := json.Unmarshal([]byte(raw), &all); err != nil {
		return nil // unreadable: start afresh
	}
	cutoff := a.now().Add(-pendingTTL).Unix()
	live := all[:0]
	for _, p := range all {
		if p.Created > cutoff {
			live = append(live, p)
		}
	}
	return live
}

func setPending(sess *session.Session, pending []pendingLogin) error {
	if len(pending) == 0 {
		sess.Delete(keyPending)
		return nil
	}
	raw, err := json.Marshal(pending)
	if err != nil {
		return err
	}
	sess.Set(keyPending, string(raw))
	return nil
}
