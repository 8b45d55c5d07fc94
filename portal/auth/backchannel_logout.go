package auth

import (
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"sportello/accounts"
)

// BackChannelLogout implements OIDC Back-Channel Logout 1.0:
// POST /auth/backchannel-logout with a logout_token form field. The token is
// verified (signature, issuer, audience, expiry, the logout event, no nonce)
// and its jti must not have been seen before; then every session of its sid,
// or of its sub when it has no sid, ends. The answer is 200 or 400 with a
// small JSON body, as the specification asks; it is never cached. The route
// is exempt from CSRF: the token's signature is the proof.
func (a *Auth) BackChannelLogout(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	raw := strings.Clone(c.FormValue("logout_token"))
	if raw == "" {
		return a.backChannelError(c, fiber.StatusBadRequest, "invalid_request", "logout_token is missing", nil)
	}
	rp, err := a.rp.get(c.UserContext())
	if err != nil {
		return a.backChannelError(c, fiber.StatusServiceUnavailable, "temporarily_unavailable", "the identity provider's keys cannot be fetched", err)
	}
	tok, err := rp.verifier.VerifyLogout(c.UserContext(), raw)
	if err != nil {
		return a.backChannelError(c, fiber.StatusBadRequest, "invalid_request", "the logout token is not valid", err)
	}
	ended, err := a.people.BackChannelLogout(c.UserContext(), tok.Issuer, tok.TokenID, tok.Expiry, tok.SessionID, tok.Subject)
	if errors.Is(err, accounts.ErrReplayed) {
		return a.backChannelError(c, fiber.StatusBadRequest, "invalid_request", "the logout token was already used", err)
	}
	if err != nil {
		return a.backChannelError(c, fiber.StatusInternalServerError, "server_error", "the sessions could not be ended", err)
	}
	a.log.Info("back-channel logout", "issuer", tok.Issuer, "subject", tok.Subject, "sid", tok.SessionID, "sessions", ended)
	return c.SendStatus(fiber.StatusOK)
}

func (a *Auth) backChannelError(c *fiber.Ctx, status int, code, description string, cause error) error {
	a.log.Warn("back-channel logout refused", "status", status, "reason", description, "err", cause)
	return c.Status(status).JSON(fiber.Map{"error": code, "error_description": description})
}
