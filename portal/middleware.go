package portal

import (
	"log/slog"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/helmet"
	"github.com/gofiber/fiber/v2/middleware/recover"
	"github.com/gofiber/fiber/v2/middleware/requestid"

	"sportello/portal/web"
)

// contentSecurityPolicy forbids inline script and every foreign origin
// except the identity provider's, which sign-in forms post to.
func (s *Server) contentSecurityPolicy() string {
	formAction := "'self'"
	for _, o := range s.cfg.FormActionOrigins {
		formAction += " " + o
	}
	return strings.Join([]string{
		"default-src 'self'",
		"script-src 'self'",
		"style-src 'self'",
		"img-src 'self' data:",
		"form-action " + formAction,
		"frame-ancestors 'none'",
		"base-uri 'self'",
		"object-src 'none'",
	}, "; ")
}

// securityHeaders sets every header helmet knows, explicitly: its defaults
// send no CSP, no HSTS, and COEP require-corp, which blocks any cross-origin
// resource without a CORP header for a cross-origin isolation this site
// does not need.
func (s *Server) securityHeaders() fiber.Handler {
	h := helmet.New(helmet.Config{
		XSSProtection:             "0", // the old XSS auditor did harm; CSP does the job
		ContentTypeNosniff:        "nosniff",
		XFrameOptions:             "DENY",
		ReferrerPolicy:            "strict-origin-when-cross-origin",
		CrossOriginEmbedderPolicy: "unsafe-none",
		CrossOriginOpenerPolicy:   "same-origin",
		CrossOriginResourcePolicy: "same-site",
		OriginAgentCluster:        "?1",
		XDNSPrefetchControl:       "off",
		XDownloadOptions:          "noopen",
		XPermittedCrossDomain:     "none",
		ContentSecurityPolicy:     s.contentSecurityPolicy(),
		PermissionPolicy:          "camera=(), microphone=(), geolocation=(), payment=()",
	})
	// helmet only sends HSTS when the request itself arrived over TLS, which
	// behind a TLS-terminating proxy it never does: decide by the base URL.
	hsts := strings.HasPrefix(s.cfg.BaseURL, "https://")
	return func(c *fiber.Ctx) error {
		if hsts {
			c.Set(fiber.HeaderStrictTransportSecurity, "max-age=31536000; includeSubDomains")
		}
		return h(c)
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
		s.log.LogAttrs(c.UserContext(), levelFor(c.Response().StatusCode()), "request",
			slog.String("request_id", reqID),
			slog.String("method", c.Method()),
			slog.String("route", c.Route().Path),
			slog.String("path", c.Path()),
			slog.Int("status", c.Response().StatusCode()),
			slog.Duration("duration", time.Since(start)),
		)
		return nil
	}
}

func (s *Server) middleware(app *fiber.App) {
	app.Use(requestid.New(requestid.Config{ContextKey: web.LocalRequestID}))
	app.Use(s.accessLog())
	app.Use(recover.New())
	app.Use(s.securityHeaders())
	app.Use(s.site.Middleware())
}

func levelFor(status int) slog.Level {
	if status >= 500 {
		return slog.LevelError
	}
	return slog.LevelInfo
}
