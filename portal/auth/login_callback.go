package auth

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"strings"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/session"
	"golang.org/x/oauth2"

	"sportello/portal/web"
)

// Callback finishes sign-in: GET /auth/callback?code=…&state=…. It checks
// the state against the session, exchanges the code with the PKCE verifier,
// verifies the ID token (signature, issuer, audience, expiry, nonce,
// at_hash), merges userinfo, records the person and starts a new session
// (new id, against session fixation). Any failure shows a page and leaves
// no signed-in session behind.
func (a *Auth) Callback(c *fiber.Ctx) error {
	sess, err := a.sessions.Get(c)
	if err != nil {
		return web.NewError(fiber.StatusInternalServerError, "", err)
	}
	signedIn := web.ViewerOf(c) != nil
	state := c.Query("state")
	pending := a.pendingOf(sess)
	var p pendingLogin
	found := false
	for i, candidate := range pending {
		if state != "" && subtle.ConstantTimeCompare([]byte(candidate.State), []byte(state)) == 1 {
			p, found = candidate, true
			pending = append(pending[:i], pending[i+1:]...)
			break
		}
	}
	// refuse ends the attempt and signs nobody in. A signed-in session
	// keeps its sign-in and loses only this attempt. An anonymous one loses
	// every sign-in in progress but keeps what else it holds (support
	// finder answers, a pending form): any site can link here with a
	// made-up state. It is deleted when sign-in was all it held.
	refuse := func(status int, key string, cause error) error {
		if !sess.Fresh() {
			if !signedIn {
				pending = nil
			}
			err := setPending(sess, pending)
			if err == nil {
				if !signedIn && len(sess.Keys()) == 0 {
					err = sess.Destroy()
				} else {
					err = sess.Save()
				}
			}
			if err != nil {
				a.log.Error("auth: ending a refused sign-in attempt", "err", err)
			}
		}
		retry := PathLogin
		if found {
			retry = LoginURL(p.ReturnTo, p.Level)
		}
		return a.problem(c, status, key, retry, cause)
	}
	if !found {
		return refuse(fiber.StatusBadRequest, "auth.problem.state", errors.New("state missing, unknown, expired or already used"))
	}
	if e := c.Query("error"); e != "" {
		return refuse(fiber.StatusBadRequest, "auth.problem.cancelled",
			fmt.Errorf("the provider answered %q: %s", e, c.Query("error_description")))
	}
	code := c.Query("code")
	if code == "" {
		return refuse(fiber.StatusBadRequest, "auth.problem.exchange", errors.New("no code in the callback"))
	}
	rp, err := a.rp.get(c.UserContext())
	if err != nil {
		return refuse(fiber.StatusServiceUnavailable, "auth.problem.unavailable", err)
	}

	ctx := oidc.ClientContext(c.UserContext(), a.cfg.HTTPClient)
	tok, err := rp.oauth.Exchange(ctx, code, oauth2.VerifierOption(p.Verifier))
	if err != nil {
		return refuse(fiber.StatusBadRequest, "auth.problem.exchange", err)
	}
	rawID, _ := tok.Extra("id_token").(string)
	if rawID == "" {
		return refuse(fiber.StatusBadGateway, "auth.problem.token", errors.New("the token response has no id_token"))
	}
	idt, err := rp.verifier.Verify(ctx, rawID)
	if err != nil {
		return refuse(fiber.StatusBadRequest, "auth.problem.token", err)
	}
	// go-oidc leaves the nonce to the caller.
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(p.Nonce)) != 1 {
		return refuse(fiber.StatusBadRequest, "auth.problem.token", errors.New("the ID token's nonce does not match the one sent"))
	}
	if idt.AccessTokenHash != "" {
		if err := idt.VerifyAccessToken(tok.AccessToken); err != nil {
			return refuse(fiber.StatusBadRequest, "auth.problem.token", err)
		}
	}
	claims := map[string]any{}
	if err := idt.Claims(&claims); err != nil {
		return refuse(fiber.StatusBadRequest, "auth.problem.token", err)
	}
	if rp.userinfo {
		ui, err := rp.provider.UserInfo(ctx, oauth2.StaticTokenSource(tok))
		if err != nil {
			return refuse(fiber.StatusBadGateway, "auth.problem.userinfo", err)
		}
		if ui.Subject != idt.Subject {
			return refuse(fiber.StatusBadRequest, "auth.problem.token",
				fmt.Errorf("userinfo is about %q, the ID token about %q", ui.Subject, idt.Subject))
		}
		uiClaims := map[string]any{}
		if err := ui.Claims(&uiClaims); err != nil {
			return refuse(fiber.StatusBadGateway, "auth.problem.userinfo", err)
		}
		mergeUserinfo(claims, uiClaims)
	}
	who := a.cfg.personFrom(idt.Issuer, idt.Subject, claims)
	acr := stringClaim(claims, "acr")
	sid := stringClaim(claims, "sid")

	taxID, _ := claimAt(claims, a.cfg.TaxIDClaim)
	sessionID, err := a.startSession(sess, pending, taxID)
	if err != nil {
		return web.NewError(fiber.StatusInternalServerError, "", err)
	}
	personID, err := a.people.SignIn(c.UserContext(), sessionID, who, sid, acr, rawID)
	if err != nil {
		return web.NewError(fiber.StatusInternalServerError, "", err)
	}
	if a.linker != nil {
		// A failure leaves the records for the next sign-in; it does not
		// keep the person out.
		if _, err := a.linker.Link(c.UserContext(), personID, who.Email, a.cfg.nationalID(claims)); err != nil {
			a.log.Error("auth: linking what was done at the counter", "person_id", personID, "err", err)
		}
	}
	a.log.Info("signed in", "issuer", who.Issuer, "subject", who.Subject, "roles", strings.Join(who.Roles, " "), "acr", acr)

	if !a.Satisfies(&web.Viewer{ACR: acr}, p.Level) {
		// Signed in, but below what the service needs: explain rather than
		// send the browser back to a page that would ask again.
		got, need := a.cfg.levelOf(acr), p.Level
		return a.assuranceProblem(c, p, got, need)
	}
	return c.Redirect(p.ReturnTo, fiber.StatusSeeOther)
}

// startSession gives the browser a new session id (the old one, which an
// attacker might have planted, is deleted) with a fresh CSRF token, keeping
// only the other sign-ins in progress. Fiber saves it under the new id,
// which is returned.
func (a *Auth) startSession(sess *session.Session, pending []pendingLogin, taxID any) (string, error) {
	if err := sess.Regenerate(); err != nil {
		return "", fmt.Errorf("auth: renewing the session id: %w", err)
	}
	sess.Delete(keyCSRF)
	// The tax ID the provider vouches for is the sign-in's: another
	// sign-in in the same browser does not inherit it.
	if s, ok := taxID.(string); ok && strings.TrimSpace(s) != "" {
		sess.Set(SessionTaxID, strings.TrimSpace(s))
	} else {
		sess.Delete(SessionTaxID)
	}
	if err := setPending(sess, pending); err != nil {
		return "", err
	}
	// Save hands sess back to Fiber's pool, so the id is read before.
	id := sess.ID()
	if err := sess.Save(); err != nil {
		return "", fmt.Errorf("auth: saving the new session: %w", err)
	}
	return id, nil
}

func (a *Auth) assuranceProblem(c *fiber.Ctx, p pendingLogin, got, need string) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Status(fiber.StatusForbidden)
	a.log.Info("sign-in below the level asked", "got", got, "need", need)
	page := ProblemPage{
		Page: web.NewPage(c, "auth.problem.assurance.title"),
		Message: web.T(c, "auth.problem.assurance.message",
			"Got", web.T(c, "auth.level."+got), "Need", web.T(c, "auth.level."+need)),
		RetryURL: LoginURL(p.ReturnTo, p.Level),
	}
	return web.Render(c, "auth/problem", page)
}
