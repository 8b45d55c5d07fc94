// Package web is what every page of the portal shares: the page data embedded
// in every template's data, the viewer, the error type handlers return, the
// UI translations, the fingerprinted assets and the template engine.
//
// The public site and the sign-in pages are written by different people
// against this package, so it stays small and its names stay put.
package web

import (
	"net/url"
	"slices"

	"github.com/gofiber/fiber/v2"
)

// Fiber Locals keys.
const (
	LocalViewer    = "viewer"    // *Viewer, set by the session middleware
	LocalLang      = "lang"      // string, set by (*Site).Middleware
	LocalCSRF      = "csrf"      // string, set by the CSRF middleware
	LocalRequestID = "requestid" // string, set by the requestid middleware
	LocalSite      = "site"      // *Site, set by (*Site).Middleware
)

// Roles a viewer may hold.
const (
	RoleEditor     = "editor"
	RoleCaseworker = "caseworker"
	RoleAdmin      = "admin"
)

// Viewer is the signed-in person.
type Viewer struct {
	PersonID      int64
	Issuer        string
	Subject       string
	Name          string
	Email         string
	EmailVerified bool
	Roles         []string // RoleEditor, RoleCaseworker, RoleAdmin; empty for residents
	ACR           string
}

// ViewerOf is the signed-in person of the request, nil for nobody.
func ViewerOf(c *fiber.Ctx) *Viewer {
	v, _ := c.Locals(LocalViewer).(*Viewer)
	return v
}

// Has reports whether the viewer holds role. A nil viewer holds none.
func (v *Viewer) Has(role string) bool {
	return v != nil && slices.Contains(v.Roles, role)
}

// Page is embedded in every page's typed data struct.
type Page struct {
	Lang       string     // current UI language (en, es, ca, it, fr)
	Title      string     // <title>, already translated
	Path       string     // request path with its query, without lang (for the switcher and return_to)
	Langs      []LangLink // language switcher links
	Viewer     *Viewer    // nil when nobody is signed in
	CSRF       string     // CSRF token for forms (hidden input named _csrf); "" without a session
	DemoSignIn bool       // show the "demo sign-in is active" banner
	Authority  string     // council name in Lang
	Contact    Contact    // how to reach the council, for the footer and error pages
	RequestID  string     // shown on error pages so a resident can quote it
	// Fallback is the language the page's main content is shown in when it
	// is not available in Lang ("" when it is). The layout shows a notice and
	// templates put lang="{{.Fallback}}" on the content.
	Fallback string
	// SimulatedPayments shows the "payments are simulated" banner.
	SimulatedPayments bool
	// DevMail says in the banner that mail is kept in the development
	// mailbox, with a link to it.
	DevMail bool
	// ServiceAlerts are the service alerts the page shows at its top: the
	// site-wide ones, and a topic's or service's on its pages (AlertsFor).
	ServiceAlerts []AlertBanner
	// Acting labels a page shown to someone acting for another person or
	// for an organisation ("Acting for Marta Vidal"), translated; the
	// layout shows it as a banner above the page.
	Acting string
}

// LangLink is one entry of the language switcher.
type LangLink struct {
	Lang    string
	Name    string // the language's own name ("Español")
	URL     string
	Current bool
}

// Contact is how to reach the council.
type Contact struct {
	Phone   string
	Email   string
	Website string
}

// FallbackNameKey is the message naming the fallback language in the
// page's language ("inglés" on a Spanish page), for the notice.
func (p Page) FallbackNameKey() string { return LanguageKey(p.Fallback) }

// LangNameKey is the message naming the page's language in itself
// ("español"), for the notice.
func (p Page) LangNameKey() string { return LanguageKey(p.Lang) }

// NewPage fills a Page from the request's Locals and the site configuration.
// titleKey is a translation key; "" leaves Title empty for the caller to set.
func NewPage(c *fiber.Ctx, titleKey string) Page {
	site := SiteOf(c)
	lang := LangOf(c)
	p := Page{
		Lang:      lang,
		Path:      pathWithoutLang(c),
		CSRF:      stringLocal(c, LocalCSRF),
		RequestID: stringLocal(c, LocalRequestID),
	}
	p.Viewer = ViewerOf(c)
	if site == nil {
		return p
	}
	if titleKey != "" {
		p.Title = site.Translator.T(lang, titleKey)
	}
	p.DemoSignIn = site.DemoSignIn
	p.SimulatedPayments = site.SimulatedPayments
	p.DevMail = site.DevMail
	p.ServiceAlerts = AlertsFor(c, "", "")
	a := site.Authority()
	p.Authority, _ = a.Name.In(lang, a.DefaultLanguage)
	p.Contact = Contact{Phone: a.Phone, Email: a.Email, Website: a.Website}
	p.Langs = make([]LangLink, 0, len(site.Languages))
	for _, l := range site.Languages {
		p.Langs = append(p.Langs, LangLink{
			Lang: l, Name: LanguageName(l), URL: WithLang(p.Path, l), Current: l == lang,
		})
	}
	return p
}

// Render renders the page template name inside the main layout. The caller
// sets the status first.
func Render(c *fiber.Ctx, name string, data any) error {
	return c.Render(name, data, "layouts/main")
}

// LangOf returns the request's UI language, "en" when no middleware set one.
func LangOf(c *fiber.Ctx) string {
	if l, ok := c.Locals(LocalLang).(string); ok && l != "" {
		return l
	}
	return "en"
}

// SiteOf returns the site the request is served by, nil outside the portal.
func SiteOf(c *fiber.Ctx) *Site {
	s, _ := c.Locals(LocalSite).(*Site)
	return s
}

// T translates key into the request's language.
func T(c *fiber.Ctx, key string, pairs ...any) string {
	site := SiteOf(c)
	if site == nil {
		return key
	}
	return site.Translator.T(LangOf(c), key, pairs...)
}

// WithLang returns path (which may carry a query) with lang set to l, so a
// language choice is a plain, linkable URL.
func WithLang(path, l string) string {
	u, err := url.Parse(path)
	if err != nil {
		return "/?lang=" + url.QueryEscape(l)
	}
	q := u.Query()
	q.Set("lang", l)
	u.RawQuery = q.Encode()
	return u.String()
}

func pathWithoutLang(c *fiber.Ctx) string {
	path := c.Path()
	raw := string(c.Request().URI().QueryString())
	if raw == "" {
		return path
	}
	q, err := url.ParseQuery(raw)
	if err != nil {
		return path
	}
	q.Del("lang")
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}

func stringLocal(c *fiber.Ctx, key string) string {
	s, _ := c.Locals(key).(string)
	return s
}

// Page returns p. The main layout reads every page's data through it
// ({{$p := .Page}}), so that whether a page embeds Page or is one, its
// fields are found without searching embedded structs on every render.
func (p Page) Page() Page { return p }
