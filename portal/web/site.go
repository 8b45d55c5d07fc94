package web

import (
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gofiber/fiber/v2"
	"golang.org/x/text/language"

	"sportello/catalogue"
)

// Site is what NewPage needs beyond the request: translations, assets and
// settings. One Site serves the whole process; (*Site).Middleware puts it in
// every request's Locals.
type Site struct {
	Translator *Translator
	Assets     *Assets
	BaseURL    string   // "https://portanova.example", no trailing slash
	DemoSignIn bool     // show the demo sign-in banner
	Languages  []string // UI languages in switcher order
	Secure     bool     // cookies get the Secure flag (the base URL is https)

	// SimulatedPayments shows the banner that no real money moves; set
	// before serving.
	SimulatedPayments bool
	// DevMail links the development mailbox (/dev-mail) from the banner:
	// mail is kept there rather than sent. Set before serving.
	DevMail bool
	// Alerts are the service alerts pages show (AlertsFor); nil shows
	// none. Set before serving.
	Alerts *Alerts

	authority atomic.Pointer[catalogue.Authority]
	matcher   language.Matcher
}

// NewSite returns a Site for the UI languages, catalogue.Languages.
func NewSite(tr *Translator, assets *Assets, baseURL string, demoSignIn bool) *Site {
	s := &Site{
		Translator: tr,
		Assets:     assets,
		BaseURL:    strings.TrimSuffix(baseURL, "/"),
		DemoSignIn: demoSignIn,
		Languages:  slices.Clone(catalogue.Languages),
		Secure:     strings.HasPrefix(baseURL, "https://"),
	}
	tags := make([]language.Tag, len(s.Languages))
	for i, l := range s.Languages {
		tags[i] = language.Make(l)
	}
	s.matcher = language.NewMatcher(tags)
	s.authority.Store(&catalogue.Authority{Name: catalogue.Text{"en": "Sportello"}, DefaultLanguage: "en"})
	return s
}

// Authority returns the council publishing the catalogue.
func (s *Site) Authority() catalogue.Authority { return *s.authority.Load() }

// SetAuthority replaces the council, after a catalogue import.
func (s *Site) SetAuthority(a catalogue.Authority) {
	if a.DefaultLanguage == "" {
		a.DefaultLanguage = "en"
	}
	s.authority.Store(&a)
}

// LangCookie is the cookie that remembers the reader's language choice,
// for LangCookieDays.
const (
	LangCookie     = "lang"
	LangCookieDays = 365
)

// Middleware puts the site and the reader's language in Locals. The language
// comes from ?lang= (and is then remembered in the lang cookie), else the
// cookie, else Accept-Language, else English.
func (s *Site) Middleware() fiber.Handler {
	return func(c *fiber.Ctx) error {
		c.Locals(LocalSite, s)
		lang := ""
		if q := c.Query("lang"); q != "" && s.supported(q) {
			lang = q
			if c.Cookies(LangCookie) != q {
				c.Cookie(&fiber.Cookie{
					Name: LangCookie, Value: q, Path: "/",
					Expires:  time.Now().AddDate(0, 0, LangCookieDays),
					HTTPOnly: true, SameSite: fiber.CookieSameSiteLaxMode, Secure: s.Secure,
				})
			}
		} else if ck := c.Cookies(LangCookie); s.supported(ck) {
			lang = ck
		} else {
			lang = s.negotiate(c.Get(fiber.HeaderAcceptLanguage))
		}
		c.Locals(LocalLang, strings.Clone(lang))
		c.Vary(fiber.HeaderAcceptLanguage, fiber.HeaderCookie)
		return c.Next()
	}
}

func (s *Site) supported(lang string) bool {
	return lang != "" && slices.Contains(s.Languages, lang)
}

func (s *Site) negotiate(header string) string {
	if header == "" {
		return s.Languages[0]
	}
	tags, _, err := language.ParseAcceptLanguage(header)
	if err != nil || len(tags) == 0 {
		return s.Languages[0]
	}
	_, i, conf := s.matcher.Match(tags...)
	if conf == language.No {
		return s.Languages[0]
	}
	return s.Languages[i]
}
