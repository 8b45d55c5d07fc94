package auth

import (
	"fmt"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// reservedPrefix marks the session keys auth keeps for itself (the CSRF
// token, sign-ins in progress); other packages may not read or change them.
const reservedPrefix = "auth."

// SessionTaxID is the session key of the tax ID the identity provider
// vouched for at sign-in (Config.TaxIDClaim), "" when it carried none.
const SessionTaxID = "idp.tax_id"

// SessionValue returns what the browser's server-side session holds under
// key, "" when nothing (or when the browser has no session). Values live in
// the session row with the CSRF token, so they end with the session: at
// sign-out, after the idle or absolute timeout, or at a back-channel logout.
// They survive sign-in, which gives the session a new id but keeps its data.
func (a *Auth) SessionValue(c *fiber.Ctx, key string) (string, error) {
	if err := checkSessionKey(key); err != nil {
		return "", err
	}
	if c.Cookies(a.cookieName) == "" {
		return "", nil
	}
	sess, err := a.sessions.Get(c)
	if err != nil {
		return "", fmt.Errorf("auth: reading the session: %w", err)
	}
	v, _ := sess.Get(key).(string)
	return v, nil
}

// SetSessionValue keeps value under key in the browser's server-side
// session, creating the session (and its cookie) if there is none; "" removes
// the key. Only strings are kept, so that what a session holds is plain to
// see: callers encode structures themselves (as JSON).
func (a *Auth) SetSessionValue(c *fiber.Ctx, key, value string) error {
	if err := checkSessionKey(key); err != nil {
		return err
	}
	sess, err := a.sessions.Get(c)
	if err != nil {
		return fmt.Errorf("auth: reading the session: %w", err)
	}
	if value == "" {
		sess.Delete(key)
	} else {
		sess.Set(key, strings.Clone(value))
	}
	if err := sess.Save(); err != nil {
		return fmt.Errorf("auth: saving the session: %w", err)
	}
	return nil
}

func checkSessionKey(key string) error {
	if key == "" || strings.HasPrefix(key, reservedPrefix) {
		return fmt.Errorf("auth: session key %q is empty or reserved (keys starting %q belong to sign-in); name it after your area, like \"support.answers\"", key, reservedPrefix)
	}
	return nil
}
