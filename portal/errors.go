package portal

import (
	"errors"
	"log/slog"
	"strings"

	"github.com/gofiber/fiber/v2"

	"sportello/portal/auth"
	"sportello/portal/web"
)

// errorPage is templates/error.html's data.
type errorPage struct {
	web.Page
	Status  int
	Message string
	Search  web.SearchBox
	Topics  web.LinkList
}

// apiError is the body of every JSON error under /api.
type apiError struct {
	Error apiErrorBody `json:"error"`
}

type apiErrorBody struct {
	Status    int    `json:"status"`
	Code      string `json:"code"`
	Message   string `json:"message"`
	RequestID string `json:"request_id,omitempty"`
}

// handleError is the one place errors become responses. The reader gets a
// translated message and a way on; the cause goes to the log only.
func (s *Server) handleError(c *fiber.Ctx, err error) error {
	if up, ok := errors.AsType[*web.StepUp](err); ok {
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.Redirect(auth.LoginURL(up.ReturnTo, up.Level), fiber.StatusSeeOther)
	}
	status, key := web.Classify(err)
	args := web.ArgsOf(err)
	reqID, _ := c.Locals(web.LocalRequestID).(string)
	level := slog.LevelDebug
	if status >= 500 {
		level = slog.LevelError
	}
	s.Log.Log(c.UserContext(), level, "request failed",
		"request_id", reqID, "method", c.Method(), "route", c.Route().Path, "path", s.logPath(c.Path()), "status", status, "error", err.Error())

	c.Response().ResetBody()
	c.Status(status)
	// Also when Fiber refused the request before any middleware ran.
	s.setSecurityHeaders(c)
	if isAPI(c) {
		return c.JSON(apiError{Error: apiErrorBody{
			Status: status, Code: key, Message: web.T(c, key, args...), RequestID: reqID,
		}})
	}
	if web.SiteOf(c) == nil {
		// The error happened before the site middleware ran (a malformed
		// request): there is no language yet, so use the default one.
		c.Locals(web.LocalSite, s.Site)
	}
	page := errorPage{Page: web.NewPage(c, web.StatusKey(status)+".title"), Status: status, Message: web.T(c, key, args...)}
	page.Search = web.SearchBox{Lang: page.Lang, ID: "error-search"}
	if status == fiber.StatusNotFound {
		page.Topics = s.Directory().TopicLinks(page.Lang)
	}
	if rerr := web.Render(c, "error", page); rerr != nil {
		s.Log.Error("rendering the error page failed", "request_id", reqID, "error", rerr.Error())
		c.Response().ResetBody()
		c.Set(fiber.HeaderContentType, fiber.MIMETextPlainCharsetUTF8)
		return c.SendString(page.Message)
	}
	return nil
}

func isAPI(c *fiber.Ctx) bool {
	return strings.HasPrefix(c.Path(), "/api/")
}
