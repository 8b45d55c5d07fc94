package portal

import (
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/recover"
	"github.com/gofiber/fiber/v2/middleware/requestid"

	"sportello/portal/web"
)

// contentSecurityPolicy forbids inline script and every foreign origin
// except the identity provider's, which sign-in forms post to, and the map
// tile server's, whose tiles are images.
func (s *Server) contentSecurityPolicy() string {
	formAction := "'self'"
	for _, o := range s.cfg.FormActionOrigins {
		formAction += " " + o
	}
	imgSrc := "img-src 'self' data:"
	for _, o := range s.cfg.Map.TileOrigins() {
		imgSrc += " " + o
	}
	return strings.Join([]string{
		"default-src 'self'",
		"script-src 'self'",
		"style-src 'self'",
		imgSrc,
		"form-action " + formAction,
		"frame-ancestors 'none'",
		"base-uri 'self'",
		"object-src 'none'",
	}, "; ")
}

// securityHeaders are the headers every answer carries: every header
// helmet knows, each chosen explicitly, since helmet's defaults send no CSP,
// no HSTS, and COEP require-corp, which blocks any cross-origin resource
// without a CORP header for a cross-origin isolation this site does not
// need. They are set here rather than by helmet so that handleError can set
// them too, on the answer to a request Fiber refused before any middleware
// ran (a request line too long for the read buffer).
func (s *Server) securityHeaders() [][2]string {
	h := [][2]string{
		{fiber.HeaderXXSSProtection, "0"}, // the old XSS auditor did harm; CSP does the job
		{fiber.HeaderXContentTypeOptions, "nosniff"},
		{fiber.HeaderXFrameOptions, "DENY"},
		{fiber.HeaderReferrerPolicy, "strict-origin-when-cross-origin"},
		{"Cross-Origin-Embedder-Policy", "unsafe-none"},
		{"Cross-Origin-Opener-Policy", "same-origin"},
		{fiber.HeaderCrossOriginResourcePolicy, "same-site"},
		{"Origin-Agent-Cluster", "?1"},
		{fiber.HeaderXDNSPrefetchControl, "off"},
		{fiber.HeaderXDownloadOptions, "noopen"},
		{fiber.HeaderXPermittedCrossDomainPolicies, "none"},
		{fiber.HeaderContentSecurityPolicy, s.contentSecurityPolicy()},
		{fiber.HeaderPermissionsPolicy, "camera=(), microphone=(), geolocation=(), payment=()"},
	}
	// Behind a TLS-terminating proxy the request never arrives over TLS:
	// decide on HSTS by the base URL.
	if strings.HasPrefix(s.BaseURL, "https://") {
		h = append(h, [2]string{fiber.HeaderStrictTransportSecurity, "max-age=31536000; includeSubDomains"})
	}
	return h
}

func (s *Server) setSecurityHeaders(c *fiber.Ctx) {
	for _, h := range s.headers {
		c.Set(h[0], h[1])
	}
}

// accessLog logs one line per request. It runs the error handler itself so
// that the logged status is the one the client gets.
func (s *Server) accessLog() fiber.Handler {
	return func(c *fiber.Ctx) error {
		start := time.Now()
		err := c.Next()
		if err != nil {
			if herr := c.App().ErrorHandler(c, err); herr != nil {
				_ = c.SendStatus(fiber.StatusInternalServerError)
			}
		}
		reqID, _ := c.Locals(web.LocalRequestID).(string)
		s.Log.LogAttrs(c.UserContext(), levelFor(c.Response().StatusCode()), "request",
			slog.String("request_id", reqID),
			slog.String("method", c.Method()),
			slog.String("route", c.Route().Path),
			slog.String("path", s.logPath(c.Path())),
			slog.Int("status", c.Response().StatusCode()),
			slog.Duration("duration", time.Since(start)),
		)
		return nil
	}
}

// privateWhenSignedIn keeps shared caches from storing pages made for a
// signed-in person: even a public page then carries their name and a CSRF
// token. Pages for anonymous visitors are left as they are.
func (s *Server) privateWhenSignedIn(c *fiber.Ctx) error {
	err := c.Next()
	if web.ViewerOf(c) == nil {
		return err
	}
	// An error becomes a page later, in handleError, with the name too.
	if err != nil || strings.HasPrefix(string(c.Response().Header.ContentType()), fiber.MIMETextHTML) {
		c.Set(fiber.HeaderCacheControl, "private, no-store")
	}
	return err
}

// secretParam reports whether a route parameter is a bearer secret: a
// preview link's token opens an unpublished draft for a week, a simulated
// payment's session id settles the payment. The log, read by more people
// than these links are for, masks them.
func secretParam(name string) bool { return name == "token" || name == "session" }

// secretRoutes returns the patterns, split at "/", of the app's routes with
// a secret parameter.
func secretRoutes(app *fiber.App) [][]string {
	var out [][]string
	for _, r := range app.GetRoutes(true) {
		if slices.ContainsFunc(r.Params, secretParam) {
			out = append(out, strings.Split(r.Path, "/"))
		}
	}
	return out
}

// logPath is a request's path as the log shows it, the values of secret
// parameters masked. It matches the path against the routes' patterns
// rather than reading the route that answered, because a request refused
// by a middleware (a CSRF failure) never reaches its route.
func (s *Server) logPath(path string) string {
	segs := strings.Split(strings.TrimSuffix(path, "/"), "/")
	for _, pattern := range s.secretRoutes {
		if len(pattern) != len(segs) {
			continue
		}
		masked := slices.Clone(segs)
		for i, p := range pattern {
			name, param := strings.CutPrefix(p, ":")
			if !param && !strings.EqualFold(p, segs[i]) {
				masked = nil
				break
			}
			if param && secretParam(name) {
				masked[i] = "***"
			}
		}
		if masked != nil {
			return strings.Join(masked, "/")
		}
	}
	return path
}

func (s *Server) middleware(app *fiber.App) {
	if s.metrics != nil {
		app.Use(s.observe)
	}
	app.Use(requestid.New(requestid.Config{ContextKey: web.LocalRequestID}))
	app.Use(s.accessLog())
	app.Use(recover.New())
	app.Use(func(c *fiber.Ctx) error {
		s.setSecurityHeaders(c)
		return c.Next()
	})
	app.Use(s.Site.Middleware())
	// Before anything reads a body: sessions, CSRF, the sign-in provider.
	app.Use(s.bodyLimit)
}

func levelFor(status int) slog.Level {
	if status >= 500 {
		return slog.LevelError
	}
	return slog.LevelInfo
}
