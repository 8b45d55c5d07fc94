package auth

import (
	"errors"
	"log/slog"

	"github.com/gofiber/fiber/v2"

	"sportello/portal/web"
)

// ProblemPage is templates/auth/problem.html: why sign-in did not happen
// and a way to try again.
type ProblemPage struct {
	web.Page
	Message  string // translated
	RetryURL string // sign-in link to try again; "" hides it
}

// AccountPage is templates/account/show.html.
type AccountPage struct {
	web.Page
	Person       *web.Viewer
	Level        string // level of assurance of this sign-in
	ProviderName string // the identity provider's name
	Issuer       string // and its issuer URL
	Demo         bool   // signed in with the development provider
}

// problem renders a sign-in refusal: status, a title and message from the
// translation key's ".title" and ".message", and a retry link. pairs are the
// message's template data. The cause goes to the log only.
func (a *Auth) problem(c *fiber.Ctx, status int, key, retryURL string, cause error, pairs ...any) error {
	level := slog.LevelInfo
	if status >= 500 || errors.Is(cause, errUnavailable) {
		level = slog.LevelWarn
	}
	reqID, _ := c.Locals(web.LocalRequestID).(string)
	a.log.Log(c.UserContext(), level, "sign-in refused", "request_id", reqID, "reason", key, "status", status, "err", cause)

	c.Set(fiber.HeaderCacheControl, "no-store")
	if status == fiber.StatusServiceUnavailable {
		c.Set(fiber.HeaderRetryAfter, "30")
	}
	c.Status(status)
	page := ProblemPage{
		Page:     web.NewPage(c, key+".title"),
		Message:  web.T(c, key+".message", pairs...),
		RetryURL: retryURL,
	}
	return web.Render(c, "auth/problem", page)
}
