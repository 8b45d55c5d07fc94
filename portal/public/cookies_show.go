package public

import (
	"github.com/gofiber/fiber/v2"

	"sportello/portal/auth"
	"sportello/portal/web"
)

// cookiesPage lists every cookie the site sets. They are all strictly
// necessary, so there is no banner asking for consent (ePrivacy Directive,
// article 5(3)): the page says so.
type cookiesPage struct {
	web.Page
	Cookies []cookieView
	// Payments says that the card payment provider's page sets cookies of
	// its own; false while payments are simulated on this site.
	Payments bool
}

type cookieView struct {
	Name    string
	Purpose string // translation key
	Expires string // already translated
}

// cookiesShow reads the cookies' names and lifetimes from the sign-in's
// settings and the language cookie, so that the page says what the site
// does.
func (s *Handler) cookiesShow(a *auth.Auth) fiber.Handler {
	session, csrf := a.CookieNames()
	cfg := a.Config()
	return func(c *fiber.Ctx) error {
		p := web.NewPage(c, "legal.cookies.title")
		tr := s.Site.Translator
		return web.Render(c, "legal/cookies_show", cookiesPage{
			Page: p,
			Cookies: []cookieView{
				{Name: session, Purpose: "legal.cookies.session.purpose", Expires: tr.T(p.Lang, "legal.cookies.session.expires",
					"Idle", duration(tr, p.Lang, cfg.IdleTimeout), "Absolute", duration(tr, p.Lang, cfg.AbsoluteTimeout))},
				{Name: csrf, Purpose: "legal.cookies.csrf.purpose", Expires: tr.T(p.Lang, "legal.cookies.csrf.expires")},
				{Name: web.LangCookie, Purpose: "legal.cookies.lang.purpose", Expires: tr.T(p.Lang, "legal.cookies.lang.expires",
					"Period", period(tr, p.Lang, web.LangCookieDays))},
			},
			Payments: !p.SimulatedPayments,
		})
	}
}
