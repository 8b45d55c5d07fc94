package auth

import (
	"github.com/gofiber/fiber/v2"

	"sportello/portal/web"
)

// Account shows who is signed in: GET /account. The details come from the
// identity provider at each sign-in, and the page says so. Anonymous
// visitors are sent to sign in first.
func (a *Auth) Account(c *fiber.Ctx) error {
	v := web.ViewerOf(c)
	if v == nil {
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.Redirect(LoginURL(PathAccount, ""), fiber.StatusSeeOther)
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	provider := a.cfg.ProviderName
	if a.cfg.DemoSignIn {
		// The development provider has no name of its own: it is named in
		// the page's language.
		provider = web.T(c, "account.demo_provider")
	}
	page := AccountPage{
		Page:         web.NewPage(c, "account.title"),
		Person:       v,
		Level:        a.LevelOf(v),
		ProviderName: provider,
		Issuer:       v.Issuer,
		Demo:         a.cfg.DemoSignIn,
	}
	return web.Render(c, "account/show", page)
}
