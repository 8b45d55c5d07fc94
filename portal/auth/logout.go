package auth

import (
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"sportello/portal/web"
)

// Logout signs out: POST /auth/logout (CSRF-checked). The session is deleted
// server-side, so the old cookie is worth nothing. When the provider offers
// RP-initiated logout the browser goes there too (with id_token_hint and
// post_logout_redirect_uri) to end the provider's session; otherwise the
// sign-out is local and the browser goes to the home page.
func (a *Auth) Logout(c *fiber.Ctx) error {
	id := strings.Clone(c.Cookies(a.cookieName))
	var issuer, idToken string
	if id != "" {
		var err error
		if issuer, idToken, err = a.people.IDToken(c.UserContext(), id); err != nil {
			return web.NewError(fiber.StatusInternalServerError, "", err)
		}
	}
	if err := a.EndSession(c); err != nil {
		return err
	}
	if idToken == "" {
		return c.Redirect("/", fiber.StatusSeeOther)
	}
	a.log.Info("signed out", "issuer", issuer)

	// The local session is gone whatever happens next: with the provider
	// unreachable, sign-out is local only.
	if issuer == a.cfg.Issuer {
		if rp, err := a.rp.get(c.UserContext()); err == nil && rp.endSession != "" {
			u, err := url.Parse(rp.endSession)
			if err == nil {
				q := u.Query()
				q.Set("id_token_hint", idToken)
				q.Set("post_logout_redirect_uri", a.cfg.PostLogoutRedirectURI())
				q.Set("client_id", a.cfg.ClientID)
				u.RawQuery = q.Encode()
				return c.Redirect(u.String(), fiber.StatusSeeOther)
			}
			a.log.Warn("auth: the provider's end_session_endpoint is not a URL", "endpoint", rp.endSession, "err", err)
		}
	}
	return c.Redirect("/", fiber.StatusSeeOther)
}

// EndSession ends the request's session here: its row, its cookies, and
// the viewer of the rest of the request. The provider's session is left
// alone (Logout also ends that one when it can).
func (a *Auth) EndSession(c *fiber.Ctx) error {
	sess, err := a.sessions.Get(c)
	if err != nil {
		return web.NewError(fiber.StatusInternalServerError, "", err)
	}
	if err := sess.Destroy(); err != nil {
		return web.NewError(fiber.StatusInternalServerError, "", err)
	}
	c.Cookie(&fiber.Cookie{
		Name: a.csrfCookieName, Value: "", Path: "/", Expires: time.Unix(0, 0), MaxAge: -1,
		Secure: a.cfg.secure(), HTTPOnly: true, SameSite: fiber.CookieSameSiteLaxMode,
	})
	c.Locals(web.LocalViewer, nil)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return nil
}
