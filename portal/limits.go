package portal

import (
	"bytes"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"sportello/portal/web"
)

// Limits bound what one client can make the server hold: how long it may
// take to send a request or read an answer, how large a body may be, and
// how many connections one address may keep open. Zero fields take
// DefaultLimits' values (MaxConnsPerIP: a negative value turns the cap off).
//
// Bodies are not read before the handler runs (fasthttp's
// StreamRequestBody): the server reads ahead at most 8 KB of a body,
// whatever length it announces, so a client that announces 50 MB and sends
// one byte holds a few kilobytes until the read timeout closes its
// connection. Only the upload routes take large bodies, and only as
// multipart forms, whose files Go's multipart reader writes to temporary
// files instead of memory.
type Limits struct {
	// ReadHeaderTimeout bounds the request line and headers.
	ReadHeaderTimeout time.Duration
	// ReadTimeout bounds a body on the ordinary routes, counted from the
	// end of the headers.
	ReadTimeout time.Duration
	// UploadTimeout is ReadTimeout for the upload routes: 51 MB take
	// five minutes at 1.4 Mbit/s.
	UploadTimeout time.Duration
	// WriteTimeout bounds writing one answer.
	WriteTimeout time.Duration
	// IdleTimeout is how long a kept-alive connection may wait for its
	// next request.
	IdleTimeout time.Duration
	// BodyMax is the largest body, in bytes, of an ordinary route: every
	// form but the uploads, the payment provider's webhook.
	BodyMax int
	// MaxConnsPerIP caps the connections one client address may have
	// open at once; the trusted proxies' own addresses are not capped.
	MaxConnsPerIP int
}

// DefaultLimits are the limits of an unset setting.
var DefaultLimits = Limits{
	ReadHeaderTimeout: 10 * time.Second,
	ReadTimeout:       30 * time.Second,
	UploadTimeout:     5 * time.Minute,
	WriteTimeout:      2 * time.Minute,
	IdleTimeout:       time.Minute,
	BodyMax:           1 << 20,
	MaxConnsPerIP:     100,
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits
	set := func(v *time.Duration, def time.Duration) {
		if *v <= 0 {
			*v = def
		}
	}
	set(&l.ReadHeaderTimeout, d.ReadHeaderTimeout)
	set(&l.ReadTimeout, d.ReadTimeout)
	set(&l.UploadTimeout, d.UploadTimeout)
	set(&l.WriteTimeout, d.WriteTimeout)
	set(&l.IdleTimeout, d.IdleTimeout)
	if l.BodyMax <= 0 {
		l.BodyMax = d.BodyMax
	}
	switch {
	case l.MaxConnsPerIP == 0:
		l.MaxConnsPerIP = d.MaxConnsPerIP
	case l.MaxConnsPerIP < 0:
		l.MaxConnsPerIP = 0
	}
	return l
}

// readAhead is how much of a body fasthttp reads before the handler runs
// when bodies are streamed (readBodyWithStreaming). A larger body is read
// from the connection by the handler.
const readAhead = 8 << 10

// bodyRoute is a route that takes more than Limits.BodyMax: a multipart
// form with files.
type bodyRoute struct {
	pattern []string // the route's path split at "/", ":name" for a parameter
	max     int      // bytes of the whole body
	key     string   // the message when a body is larger
}

// uploadRoutes lists the routes that take files, with their body limits;
// limits_test.go checks that each is a POST route of the app.
func uploadRoutes(uploadMax, importMax int) []bodyRoute {
	return []bodyRoute{
		{strings.Split("/services/:slug/apply", "/"), uploadMax, "error.413.upload"},
		{strings.Split("/account/applications/:ref/respond", "/"), uploadMax, "error.413.upload"},
		{strings.Split("/editor/import", "/"), importMax, "error.413.import"},
	}
}

// bodyRule is the limit of one request.
type bodyRule struct {
	max     int
	timeout time.Duration
	key     string
	upload  bool
}

// bodyRuleOf is the limit of a request, decided from its headers alone: it
// is asked before the body is read (HeaderReceived) and again by the
// bodyLimit middleware, which must agree. A path the table does not know,
// however Fiber would route it, gets the small limit.
func (s *Server) bodyRuleOf(h *fasthttp.RequestHeader) bodyRule {
	small := bodyRule{max: s.cfg.Limits.BodyMax, timeout: s.cfg.Limits.ReadTimeout, key: "error.413.form"}
	if !h.IsPost() || !bytes.HasPrefix(h.ContentType(), []byte(fiber.MIMEMultipartForm)) {
		return small
	}
	path, _, _ := strings.Cut(string(h.RequestURI()), "?")
	segs := strings.Split(strings.TrimSuffix(path, "/"), "/")
	for _, r := range s.bodyRoutes {
		if matchRoute(r.pattern, segs) {
			return bodyRule{max: r.max, timeout: s.cfg.Limits.UploadTimeout, key: r.key, upload: true}
		}
	}
	return small
}

// matchRoute reports whether a path's segments match a route's pattern
// (case-insensitive, as Fiber routes by default).
func matchRoute(pattern, segs []string) bool {
	if len(pattern) != len(segs) {
		return false
	}
	for i, p := range pattern {
		if strings.HasPrefix(p, ":") {
			if segs[i] == "" {
				return false
			}
			continue
		}
		if !strings.EqualFold(p, segs[i]) {
			return false
		}
	}
	return true
}

// headerReceived sets the body limit and the read deadline of a request
// once its headers are in.
func (s *Server) headerReceived(h *fasthttp.RequestHeader) fasthttp.RequestConfig {
	r := s.bodyRuleOf(h)
	return fasthttp.RequestConfig{ReadTimeout: r.timeout, MaxRequestBodySize: r.max}
}

// bodyLimit refuses a body larger than its route takes, before anything
// reads it, with a page that says how large it may be. A body streamed
// past the read-ahead may be left partly unread by its handler, so its
// connection is closed after the answer rather than read as the next
// request.
func (s *Server) bodyLimit(c *fiber.Ctx) error {
	h := &c.Request().Header
	r := s.bodyRuleOf(h)
	n := h.ContentLength()
	if n == -1 {
		// Chunked: no length was announced. Read it whole, up to the
		// small limit, which then holds whatever the route.
		r.max, r.key = s.cfg.Limits.BodyMax, "error.413.form"
		body, err := io.ReadAll(io.LimitReader(c.Context().RequestBodyStream(), int64(r.max)+1))
		if err != nil {
			c.Context().SetConnectionClose()
			return web.NewError(fiber.StatusBadRequest, "", err)
		}
		if len(body) > r.max {
			c.Context().SetConnectionClose()
			return s.tooLarge(r)
		}
		c.Request().SetBodyRaw(body)
		h.SetContentLength(len(body))
		return c.Next()
	}
	if n > r.max {
		c.Context().SetConnectionClose()
		if rest := c.Context().RequestBodyStream(); r.upload && rest != nil {
			// A browser that is still sending a file when the
			// connection closes shows "connection reset", not the
			// answer: read the rest away (into no memory, within the
			// upload timeout) so that the person sees what to do.
			_, _ = io.CopyN(io.Discard, rest, int64(n))
		}
		return s.tooLarge(r)
	}
	if n > readAhead {
		defer c.Context().SetConnectionClose()
	}
	return c.Next()
}

func (s *Server) tooLarge(r bodyRule) error {
	e := web.NewError(fiber.StatusRequestEntityTooLarge, r.key, nil)
	e.Args = []any{"Max", sizeText(r.max), "FileMax", sizeText(int(s.forms.Options().MaxFileSize))}
	return e
}

// sizeText writes a limit for people: "1 MB", "51 MB", "1.5 MB", "512 KB".
func sizeText(n int) string {
	if n >= 1<<20 {
		return strings.TrimSuffix(strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64), ".0") + " MB"
	}
	return strconv.Itoa((n+1023)/1024) + " KB"
}
