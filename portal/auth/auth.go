// Package auth signs people in with the council's identity provider over
// OpenID Connect (authorization code flow with PKCE), runs server-side
// sessions (their rows are the accounts package's), protects forms against
// CSRF, and guards pages by sign-in, role and level of assurance. Sportello
// never sees a password.
//
// Wiring, in this order (see routes.go):
//
//	app.Use(a.Sessions())            // puts the *web.Viewer in Locals
//	app.Use(a.CSRF())                // checks every unsafe request, sets the token
//	app.Get(auth.PathLogin, signInLimit, a.Login)    // Config.SignInRateLimit, web.RateLimit
//	app.Get(auth.PathCallback, signInLimit, a.Callback)
//	app.Post(auth.PathLogout, a.Logout)
//	app.Post(auth.PathBackChannelLogout, a.BackChannelLogout)
//	app.Get(auth.PathAccount, a.Account)
//	app.Get("/services/:slug/apply", a.FormPage(), ...)        // an anonymous form
//	app.Get("/backoffice", auth.RequireRole("", web.RoleCaseworker), ...)
package auth

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/csrf"
	"github.com/gofiber/fiber/v2/middleware/session"

	"sportello/accounts"
	"sportello/portal/web"
)

// Auth is sign-in, sessions and guards. Build it once with New.
type Auth struct {
	cfg      Config
	log      *slog.Logger
	people   accounts.Sessions
	sessions *session.Store
	rp       *lazyProvider
	csrf     fiber.Handler
	now      func() time.Time

	cookieName     string
	csrfCookieName string
	csrfExempt     []string
	// csrfExemptIf are the requests, besides csrfExempt's paths, that
	// carry their own proof (ExemptCSRF).
	csrfExemptIf []func(*fiber.Ctx) bool
	// linker takes over what was done for the person at the counter
	// (LinkSignIns); nil links nothing.
	linker Linker
}

// Linker links a sign-in to the records kept of the person before they
// ever signed in (package assist): by the email the provider verified and
// the national ID number it vouches for (either may be ""), never by name.
type Linker interface {
	Link(ctx context.Context, personID int64, verifiedEmail, nationalID string) (int, error)
}

// LinkSignIns makes every sign-in link the person's records through l.
func (a *Auth) LinkSignIns(l Linker) { a.linker = l }

// Keys in the Fiber session's data.
const (
	keyCSRF    = "auth.csrf"    // the CSRF middleware's token
	keyPending = "auth.pending" // sign-ins in progress (JSON of []pendingLogin)
)

// localForceCSRF marks a request whose page has a form (FormPage).
const localForceCSRF = "auth.force_csrf"

// New builds sign-in for cfg, recording people and their sessions in
// people. It does not contact the identity provider: that happens at the
// first sign-in and is retried with backoff, so a provider that is down does
// not stop the site from starting.
// csrfExempt lists path prefixes that carry their own signature and are not
// CSRF-checked (the Stripe webhook, the development provider's mount point
// "/dev-idp/"); the back-channel logout endpoint is always exempt.
func New(cfg Config, people accounts.Sessions, log *slog.Logger, csrfExempt ...string) (*Auth, error) {
	if cfg.Issuer == "" {
		return nil, errors.New("auth: no identity provider: set SPORTELLO_OIDC_ISSUER, or start the development provider and pass its issuer")
	}
	if people == nil {
		return nil, errors.New("auth: a store for people and sessions is required")
	}
	if err := cfg.Validate(""); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	log = log.With("component", "auth")
	a := &Auth{
		cfg:        cfg,
		people:     people,
		log:        log,
		now:        time.Now,
		csrfExempt: append([]string{PathBackChannelLogout}, csrfExempt...),
	}
	clock := func() time.Time { return a.now() }
	a.rp = &lazyProvider{cfg: cfg, log: log, now: clock}

	// The __Host- prefix makes the browser refuse the cookie unless it is
	// Secure, has Path=/ and no Domain: no subdomain can plant or read it.
	a.cookieName, a.csrfCookieName = "sportello_session", "sportello_csrf"
	if cfg.secure() {
		a.cookieName, a.csrfCookieName = "__Host-sportello_session", "__Host-sportello_csrf"
	}
	a.sessions = session.New(session.Config{
		Expiration: cfg.IdleTimeout,
		Storage:    sessionStorage{sessions: people, idle: cfg.IdleTimeout, absolute: cfg.AbsoluteTimeout},
		KeyLookup:  "cookie:" + a.cookieName,
		CookiePath: "/",
		// The server enforces the idle and absolute timeouts; the cookie
		// itself ends with the browser.
		CookieSessionOnly: true,
		CookieSecure:      cfg.secure(),
		CookieHTTPOnly:    true,
		// Lax, not Strict: the identity provider's redirect back to the
		// callback is a cross-site navigation and must carry the cookie.
		CookieSameSite: fiber.CookieSameSiteLaxMode,
		KeyGenerator:   rand.Text,
	})
	a.csrf = csrf.New(csrf.Config{
		Next:              a.skipCSRF,
		KeyLookup:         "form:_csrf",
		CookieName:        a.csrfCookieName,
		CookiePath:        "/",
		CookieSecure:      cfg.secure(),
		CookieHTTPOnly:    true,
		CookieSameSite:    fiber.CookieSameSiteLaxMode,
		CookieSessionOnly: true,
		Expiration:        cfg.AbsoluteTimeout,
		Session:           a.sessions,
		SessionKey:        keyCSRF,
		ContextKey:        web.LocalCSRF,
		KeyGenerator:      rand.Text,
		ErrorHandler: func(c *fiber.Ctx, err error) error {
			return web.NewError(fiber.StatusForbidden, "auth.error.csrf", err)
		},
	})
	return a, nil
}

// Config returns the settings in use, defaults filled in.
func (a *Auth) Config() Config { return a.cfg }

// DemoSignIn reports whether the development provider is in use, for the
// layout's banner.
func (a *Auth) DemoSignIn() bool { return a.cfg.DemoSignIn }

// Sessions loads the signed-in person, if any, into Locals (web.LocalViewer).
// It reads the database only when the request carries a session cookie, and
// writes only to extend the idle timeout (at most once a minute).
func (a *Auth) Sessions() fiber.Handler {
	return func(c *fiber.Ctx) error {
		id := strings.Clone(c.Cookies(a.cookieName))
		if id == "" {
			return c.Next()
		}
		who, err := a.people.SignedIn(c.UserContext(), id, a.cfg.IdleTimeout)
		if err != nil {
			return web.NewError(fiber.StatusInternalServerError, "", err)
		}
		if who != nil {
			c.Locals(web.LocalViewer, &web.Viewer{
				PersonID: who.ID, Issuer: who.Issuer, Subject: who.Subject, Name: who.Name,
				Email: who.Email, EmailVerified: who.EmailVerified, Roles: who.Roles, ACR: who.ACR,
			})
		}
		return c.Next()
	}
}

// CSRF checks the token (form field _csrf, bound to the server-side session)
// on every request that is not GET, HEAD, OPTIONS or TRACE, and puts the
// token in Locals (web.LocalCSRF) for forms. For safe requests it only runs
// when someone is signed in (the layout's sign-out form needs it) or the
// route is a FormPage, so anonymous page views create no session.
func (a *Auth) CSRF() fiber.Handler { return a.csrf }

// FormPage makes sure a page showing a form has a CSRF token, creating a
// session for an anonymous visitor if needed. Put it on the GET route of
// every page with a form that works without signing in.
func (a *Auth) FormPage() fiber.Handler {
	return func(c *fiber.Ctx) error {
		if tok, _ := c.Locals(web.LocalCSRF).(string); tok != "" {
			return c.Next()
		}
		c.Locals(localForceCSRF, true)
		return a.csrf(c)
	}
}

// ExemptCSRF lets the requests for which exempt is true through the CSRF
// check: requests that carry their own proof, such as a mail client's
// one-click unsubscribe, whose link holds a capability token. Call it
// before serving.
func (a *Auth) ExemptCSRF(exempt func(*fiber.Ctx) bool) {
	a.csrfExemptIf = append(a.csrfExemptIf, exempt)
}

func (a *Auth) skipCSRF(c *fiber.Ctx) bool {
	path := c.Path()
	for _, p := range a.csrfExempt {
		if path == p || (strings.HasSuffix(p, "/") && strings.HasPrefix(path, p)) {
			return true
		}
	}
	for _, exempt := range a.csrfExemptIf {
		if exempt(c) {
			return true
		}
	}
	if path == PathLogout && web.ViewerOf(c) == nil {
		// Nobody to sign out (the session expired meanwhile): a forged
		// request can do no harm, and the person should not see an error.
		return true
	}
	switch c.Method() {
	case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions, fiber.MethodTrace:
		if force, _ := c.Locals(localForceCSRF).(bool); force {
			return false
		}
		return web.ViewerOf(c) == nil
	}
	return false
}

// PurgeExpired deletes expired sessions and used logout tokens past their
// expiry. Expired sessions are refused anyway; this only reclaims space.
func (a *Auth) PurgeExpired(ctx context.Context) (int64, error) {
	n, err := a.people.PurgeExpired(ctx)
	if err != nil {
		return 0, fmt.Errorf("auth: purging expired sessions: %w", err)
	}
	return n, nil
}

// LoginURL is the sign-in link that brings the person back to returnTo (a
// local path) at level of assurance level ("" or AssuranceLow for plain
// sign-in).
func LoginURL(returnTo, level string) string {
	q := url.Values{}
	if returnTo != "" && returnTo != "/" {
		q.Set("return_to", returnTo)
	}
	if level != "" && level != AssuranceNone && level != AssuranceLow {
		q.Set("level", level)
	}
	if len(q) == 0 {
		return PathLogin
	}
	return PathLogin + "?" + q.Encode()
}

// requestPath is the path and query the browser asked for, to come back to.
func requestPath(c *fiber.Ctx) string {
	return strings.Clone(c.OriginalURL())
}

func validLevel(level string) bool {
	return slices.Contains([]string{"", AssuranceNone, AssuranceLow, AssuranceSubstantial, AssuranceHigh}, level)
}

// CookieNames are the names of the session and CSRF cookies, as the
// cookies page lists them (__Host- prefixed when the site is https).
func (a *Auth) CookieNames() (session, csrf string) { return a.cookieName, a.csrfCookieName }
