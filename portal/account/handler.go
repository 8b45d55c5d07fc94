// Package account holds "Emails from the council", the account page where
// a signed-in person controls what Sportello mails them: the address it
// writes to (the one their identity provider verified, or another they
// confirm by a link), which kinds they receive, the language of their
// mail, the support alerts they may ask for, and the log of what was sent
// and when. It shows and changes only the signed-in person's own data.
package account

import (
	"github.com/gofiber/fiber/v2"

	"sportello/notify"
	"sportello/portal/auth"
	"sportello/portal/web"
	"sportello/supportalerts"
)

// The page's paths.
const (
	NotificationsPath = "/account/notifications"
	emailPath         = NotificationsPath + "/email"
	emailForgetPath   = NotificationsPath + "/email/forget"
	settingsPath      = NotificationsPath + "/settings"
	alertsPath        = NotificationsPath + "/support-alerts"
	alertsDeletePath  = NotificationsPath + "/support-alerts/delete"
	// ConfirmPath + token is the link the confirmation mail carries.
	ConfirmPath = NotificationsPath + "/confirm/"
)

// Handler serves the account's notification pages.
type Handler struct {
	*web.Shared
	auth   *auth.Auth
	notes  *notify.Store
	alerts *supportalerts.Alerts
}

// New returns the handler.
func New(sh *web.Shared, a *auth.Auth, notes *notify.Store, alerts *supportalerts.Alerts) *Handler {
	return &Handler{Shared: sh, auth: a, notes: notes, alerts: alerts}
}

// Routes mounts the pages, each for the signed-in person only.
func (s *Handler) Routes(r fiber.Router) {
	in := s.auth.RequireSignIn()
	r.Get(NotificationsPath, in, s.notificationsShow)
	r.Post(settingsPath, in, s.notificationsSettings)
	r.Post(emailPath, in, s.emailStart)
	r.Post(emailForgetPath, in, s.emailForget)
	r.Get(ConfirmPath+":token", in, s.emailConfirmShow)
	r.Post(ConfirmPath+":token", in, s.emailConfirm)
	r.Post(alertsPath, in, s.alertsChoose)
	r.Post(alertsDeletePath, in, s.alertsDelete)
}

// done redirects to the page with what was done, for its notice.
func done(c *fiber.Ctx, what string) error {
	return c.Redirect(NotificationsPath+"?done="+what, fiber.StatusSeeOther)
}

// refuse shows the page again with the 422 status and one error, the
// message key with its pairs, linked from the summary to href; set puts
// the message (and what was typed) beside its field.
func (s *Handler) refuse(c *fiber.Ctx, href, key string, set func(p *notificationsPage, msg string), pairs ...any) error {
	p, err := s.page(c)
	if err != nil {
		return err
	}
	msg := web.T(c, key, pairs...)
	set(&p, msg)
	p.Errors = []errorLink{{Href: href, Message: msg}}
	p.Title = web.T(c, "notifications.error_title_prefix") + " " + p.Title
	c.Status(fiber.StatusUnprocessableEntity)
	return web.Render(c, "account/notifications", p)
}
