package auth

import (
	"slices"

	"github.com/gofiber/fiber/v2"

	"sportello/portal/web"
)

// Levels of assurance, as in the catalogue's service "assurance" field.
const (
	AssuranceNone        = "none"        // the form works without signing in
	AssuranceLow         = "low"         // any sign-in
	AssuranceSubstantial = "substantial" // acr = Config.ACRSubstantial or higher
	AssuranceHigh        = "high"        // acr = Config.ACRHigh
)

// rank orders the levels; an unknown level ranks above high, so that a typo
// in the catalogue refuses rather than lets anyone in.
func rank(level string) int {
	switch level {
	case AssuranceNone, "":
		return 0
	case AssuranceLow:
		return 1
	case AssuranceSubstantial:
		return 2
	case AssuranceHigh:
		return 3
	}
	return 4
}

// levelOf is the level an acr value stands for. Any sign-in is at least low.
func (c Config) levelOf(acr string) string {
	switch acr {
	case c.ACRHigh:
		return AssuranceHigh
	case c.ACRSubstantial:
		return AssuranceSubstantial
	}
	return AssuranceLow
}

// acrFor is the acr_values to request for a level, "" when none is needed.
func (c Config) acrFor(level string) string {
	switch level {
	case AssuranceSubstantial:
		return c.ACRSubstantial
	case AssuranceHigh:
		return c.ACRHigh
	}
	return ""
}

// Satisfies reports whether viewer may use a service of level: anyone for
// "none", otherwise a signed-in person whose sign-in reached the level.
func (a *Auth) Satisfies(viewer *web.Viewer, level string) bool {
	if rank(level) == 0 {
		return true
	}
	if viewer == nil {
		return false
	}
	return rank(a.cfg.levelOf(viewer.ACR)) >= rank(level)
}

// LevelOf is the level of assurance of the viewer's sign-in ("" for nobody).
func (a *Auth) LevelOf(viewer *web.Viewer) string {
	if viewer == nil {
		return ""
	}
	return a.cfg.levelOf(viewer.ACR)
}

// LevelOfACR is the level of assurance an acr value stands for, for a
// sign-in other than the request's (the history of sign-ins).
func (a *Auth) LevelOfACR(acr string) string { return a.cfg.levelOf(acr) }

// RequireSignIn sends anonymous visitors to sign in, coming back here after.
func (a *Auth) RequireSignIn() fiber.Handler { return a.RequireAssurance(AssuranceLow) }

// RequireAssurance lets through people whose sign-in reached level. Anyone
// else is sent to sign in (again, for step-up) with the level requested and
// a way back here. If the provider then still answers with a lower level,
// the callback shows a page explaining it instead of coming back, so this
// never loops.
func (a *Auth) RequireAssurance(level string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if a.Satisfies(web.ViewerOf(c), level) {
			return c.Next()
		}
		if rank(level) > rank(AssuranceHigh) {
			return web.NewError(fiber.StatusInternalServerError, "", errUnknownLevel(level))
		}
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.Redirect(LoginURL(requestPath(c), level), fiber.StatusSeeOther)
	}
}

// RequireRole lets through signed-in people holding any of roles, and keeps
// what they see out of shared caches. Anonymous visitors are sent to sign
// in; signed-in people without the role get a 403 page (not a redirect,
// which would loop) whose message is forbiddenKey, saying who the pages are
// for ("" for the generic one).
func RequireRole(forbiddenKey string, roles ...string) fiber.Handler {
	if forbiddenKey == "" {
		forbiddenKey = "auth.error.role"
	}
	return func(c *fiber.Ctx) error {
		v := web.ViewerOf(c)
		if v == nil {
			c.Set(fiber.HeaderCacheControl, "no-store")
			return c.Redirect(LoginURL(requestPath(c), ""), fiber.StatusSeeOther)
		}
		if !slices.ContainsFunc(roles, v.Has) {
			return web.NewError(fiber.StatusForbidden, forbiddenKey, nil)
		}
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.Next()
	}
}

type errUnknownLevel string

func (e errUnknownLevel) Error() string {
	return "auth: unknown level of assurance " + string(e) + ": use none, low, substantial or high"
}
