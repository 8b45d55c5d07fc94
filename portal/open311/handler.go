// Package open311 is the Open311 GeoReport v2 API
// (http://wiki.open311.org/GeoReport_v2) over the reports at a place
// (package reports), under /open311/v2: the services one may report, each
// service's definition (its form's questions as attributes), sending a
// report, and reading reports back, in JSON and in XML; and the
// administrators' page that issues and revokes the API keys sending needs
// (/staff/open311-keys).
//
// Reading is open to anyone and shows nothing personal (no names, no
// addresses to write to, no person ids; the description with e-mail
// addresses and phone numbers masked). Sending needs an API key; the POST
// carries it in its body instead of a cookie, so it is exempt from the CSRF
// check (Exempt). Errors are the specification's: a list of {code,
// description}, with status 400, 403, 404 (or 429, 500).
package open311

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"sportello/applications/forms"
	"sportello/portal/web"
	"sportello/reports"
)

// The paths.
const (
	Prefix   = "/open311"
	V2       = Prefix + "/v2"
	KeysPath = "/staff/open311-keys"
)

// Specification is the address of the GeoReport v2 specification, as
// discovery names it.
const Specification = "http://wiki.open311.org/GeoReport_v2"

// Reports are the reports the API reads and makes: *reports.DB.
type Reports interface {
	reports.Store
	ByToken(ctx context.Context, token string) (*reports.Report, error)
}

// Keys are the API keys: *reports.APIKeys.
type Keys interface {
	Issue(ctx context.Context, name string, by int64) (reports.APIKey, string, error)
	List(ctx context.Context) ([]reports.APIKey, error)
	Get(ctx context.Context, id int64) (reports.APIKey, error)
	Revoke(ctx context.Context, id, by int64) error
	Check(ctx context.Context, secret string) (reports.APIKey, error)
}

// Options are what the API reads and how it presents itself.
type Options struct {
	Reports Reports
	Keys    Keys
	// Forms checks a request's answers as the online form checks them.
	Forms *forms.Validator
	// Jurisdiction is the jurisdiction_id this endpoint serves (one
	// council); a request naming another is refused. Default: the host
	// of the base URL.
	Jurisdiction string
	// Contact is discovery's contact: how a developer reaches the
	// council about the API. Default: the authority's e-mail address.
	Contact string
	// PostsPerMinute bounds the reports one key (or, without a key, one
	// address) may send a minute; default DefaultPostsPerMinute.
	PostsPerMinute int
}

// DefaultPostsPerMinute is the default of Options.PostsPerMinute: more than
// a person at a counter types, few enough that a runaway client cannot
// flood the caseworkers' queue.
const DefaultPostsPerMinute = 30

// Handler serves the API and the keys' page.
type Handler struct {
	*web.Shared
	opts  Options
	limit fiber.Handler
	// changed is when the API's behaviour last changed, for discovery.
	changed time.Time
}

// New returns the API's handler.
func New(sh *web.Shared, opts Options) *Handler {
	if opts.Jurisdiction == "" {
		opts.Jurisdiction = strings.TrimPrefix(strings.TrimPrefix(sh.BaseURL, "https://"), "http://")
	}
	if opts.PostsPerMinute <= 0 {
		opts.PostsPerMinute = DefaultPostsPerMinute
	}
	h := &Handler{Shared: sh, opts: opts, changed: time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)}
	h.limit = web.RateLimit{
		Name: "open311", Max: opts.PostsPerMinute, Window: time.Minute,
		// Per key, by its hash's prefix: the key itself is a secret the
		// counts need not hold.
		Client: func(c *fiber.Ctx) string {
			if k := c.FormValue("api_key"); k != "" {
				return "k:" + hashPrefix(k)
			}
			return "ip:" + c.IP()
		},
		Refuse: func(c *fiber.Ctx) error {
			return h.fail(c, fiber.StatusTooManyRequests, "Too many requests: this API key has sent its limit of service requests for this minute; wait a minute and send again.")
		},
	}.Handler(sh.Counter)
	return h
}

// Routes mounts the API, readable by anyone, and the keys' page behind
// adminOnly.
func (h *Handler) Routes(r fiber.Router, adminOnly fiber.Handler) {
	r.Get(Prefix+"/discovery.:format", h.api(h.discoveryShow))
	r.Get(V2+"/discovery.:format", h.api(h.discoveryShow))
	r.Get(V2+"/services.:format", h.api(h.serviceList))
	r.Get(V2+"/services/:service_code.:format", h.api(h.serviceShow))
	r.Get(V2+"/requests.:format", h.api(h.requestList))
	r.Post(V2+"/requests.:format", h.limit, h.api(h.requestCreate))
	r.Get(V2+"/requests/:service_request_id.:format", h.api(h.requestShow))
	r.Get(V2+"/tokens/:token.:format", h.api(h.tokenShow))
	// Anything else under /open311 answers in the API's error format.
	r.All(Prefix+"/*", h.api(func(c *fiber.Ctx, _ string) error {
		return h.fail(c, fiber.StatusNotFound, "Not found: see "+h.BaseURL+Prefix+"/discovery.json for this endpoint's resources.")
	}))

	r.Get(KeysPath, adminOnly, h.keyIndex)
	r.Post(KeysPath, adminOnly, h.keyCreate)
	r.Post(KeysPath+"/:id/revoke", adminOnly, h.keyRevoke)
}

// Exempt reports whether c is a request to the API that carries its own
// proof (an API key in its body) instead of a session: the CSRF check lets
// it through (auth.Auth.ExemptCSRF). A forged request from a browser would
// need the key, and whoever holds it may send reports anyway.
func Exempt(c *fiber.Ctx) bool {
	return c.Method() == fiber.MethodPost && strings.HasPrefix(c.Path(), V2+"/")
}

// Formats.
const (
	formatJSON = "json"
	formatXML  = "xml"
)

// apiHandler is an API handler given the format asked for.
type apiHandler func(c *fiber.Ctx, format string) error

// api checks the format and the jurisdiction and answers an error the
// handler returns in the API's format: a reports.ErrNotFound is a 404, any
// other a 500 whose cause only the log sees.
func (h *Handler) api(next apiHandler) fiber.Handler {
	return func(c *fiber.Ctx) error {
		c.Set(fiber.HeaderCacheControl, "no-store")
		// Reads are open data; other sites' pages may use them.
		c.Set(fiber.HeaderAccessControlAllowOrigin, "*")
		format := c.Params("format")
		if format != formatJSON && format != formatXML {
			c.Locals(localFormat, formatJSON)
			if strings.HasSuffix(c.Path(), ".xml") {
				c.Locals(localFormat, formatXML)
			}
			if format == "" {
				return next(c, c.Locals(localFormat).(string))
			}
			return h.fail(c, fiber.StatusNotFound, "Unknown format "+format+": add .json or .xml to the resource.")
		}
		c.Locals(localFormat, format)
		if j := strings.TrimSpace(h.param(c, "jurisdiction_id")); j != "" && !strings.EqualFold(j, h.opts.Jurisdiction) {
			return h.fail(c, fiber.StatusNotFound, "jurisdiction_id "+j+" is not served here: this endpoint serves "+h.opts.Jurisdiction+" only; leave jurisdiction_id out or send "+h.opts.Jurisdiction+".")
		}
		err := next(c, format)
		if err == nil {
			return nil
		}
		if errors.Is(err, reports.ErrNotFound) {
			return h.fail(c, fiber.StatusNotFound, "Not found.")
		}
		reqID, _ := c.Locals(web.LocalRequestID).(string)
		h.Log.ErrorContext(c.UserContext(), "open311 request failed", "request_id", reqID, "route", c.Route().Path, "error", err.Error())
		return h.fail(c, fiber.StatusInternalServerError, "The server could not answer; try again later, quoting request "+reqID+".")
	}
}

const localFormat = "open311.format"

// param reads a parameter from the query of a GET or the body of a POST
// (never a POST's query: an api_key there would end up in logs).
func (h *Handler) param(c *fiber.Ctx, name string) string {
	if c.Method() == fiber.MethodPost {
		return c.FormValue(name)
	}
	return c.Query(name)
}

// apiError is one error of the specification's error list.
type apiError struct {
	Code        int    `json:"code" xml:"code"`
	Description string `json:"description" xml:"description"`
}

type xmlErrors struct {
	XMLName xml.Name   `xml:"errors"`
	Errors  []apiError `xml:"error"`
}

// fail answers status with one error.
func (h *Handler) fail(c *fiber.Ctx, status int, description string) error {
	return h.failAll(c, status, []string{description})
}

// failAll answers status with an error per description.
func (h *Handler) failAll(c *fiber.Ctx, status int, descriptions []string) error {
	errs := make([]apiError, len(descriptions))
	for i, d := range descriptions {
		errs[i] = apiError{Code: status, Description: d}
	}
	format, _ := c.Locals(localFormat).(string)
	if format == "" && strings.HasSuffix(c.Path(), ".xml") {
		format = formatXML // refused before api() ran: by the rate limit
	}
	c.Set(fiber.HeaderAccessControlAllowOrigin, "*")
	return h.send(c.Status(status), format, errs, xmlErrors{Errors: errs})
}

// send writes v as JSON or x as XML, with the XML declaration the
// specification asks for.
func (h *Handler) send(c *fiber.Ctx, format string, v, x any) error {
	if format == formatXML {
		b, err := xml.MarshalIndent(x, "", "  ")
		if err != nil {
			return err
		}
		c.Set(fiber.HeaderContentType, "text/xml; charset=utf-8")
		return c.Send(append([]byte(xml.Header), b...))
	}
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	return c.Send(b)
}

// lang is the language of service names and descriptions: locale ("es",
// "es_ES", "es-ES") when it is one of the site's, else the request's
// (Accept-Language). Form errors are then in it too.
func (h *Handler) lang(c *fiber.Ctx) string {
	if l := strings.ToLower(h.param(c, "locale")); l != "" {
		l, _, _ = strings.Cut(strings.ReplaceAll(l, "_", "-"), "-")
		for _, s := range h.Site.Languages {
			if s == l {
				c.Locals(web.LocalLang, l)
				return l
			}
		}
	}
	return web.LangOf(c)
}

// w3c formats t as a W3C date and time in the council's time zone.
func (h *Handler) w3c(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(h.TimeZone).Format(time.RFC3339)
}
