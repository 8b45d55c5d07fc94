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
	page := AccountPage{
		Page:         web.NewPage(c, "account.title"),
		Person:       v,
		Level:        a.LevelOf(v),
		ProviderName: a.cfg.ProviderName,
		Issuer:       v.Issuer,
		Demo:         a.cfg.DemoSignIn,
	}
	return web.Render(c, "account/show", page)
}
