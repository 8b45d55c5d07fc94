package account

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"sportello/notify"
	"sportello/portal/web"
)

// confirmPage is templates/account/confirm.html: the address a link would
// confirm, with the button that does it, or why it cannot.
type confirmPage struct {
	web.Page
	Email   string
	Action  string
	Problem string // translation key, "" when the link works
}

// emailConfirmShow shows what the link in a confirmation mail confirms,
// with a button: GET /account/notifications/confirm/{token}. Following a
// link changes nothing by itself (mail scanners follow links too); the
// button posts the change.
func (s *Handler) emailConfirmShow(c *fiber.Ctx) error {
	token := c.Params("token")
	conf, err := s.notes.Confirmation(c.UserContext(), web.ViewerOf(c).PersonID, token)
	return s.renderConfirm(c, token, conf.Email, err)
}

// emailConfirm confirms the address: POST
// /account/notifications/confirm/{token}.
func (s *Handler) emailConfirm(c *fiber.Ctx) error {
	token := c.Params("token")
	_, err := s.notes.ConfirmEmail(c.UserContext(), web.ViewerOf(c).PersonID, token)
	if err == nil {
		return done(c, "confirmed")
	}
	return s.renderConfirm(c, token, "", err)
}

func (s *Handler) renderConfirm(c *fiber.Ctx, token, email string, err error) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	p := confirmPage{Page: web.NewPage(c, "notifications.confirm.title"), Email: email, Action: ConfirmPath + token}
	switch {
	case err == nil:
	case errors.Is(err, notify.ErrConfirmationUnknown):
		c.Status(fiber.StatusNotFound)
		p.Problem = "notifications.confirm.unknown"
	case errors.Is(err, notify.ErrConfirmationExpired):
		c.Status(fiber.StatusGone)
		p.Problem = "notifications.confirm.expired"
	case errors.Is(err, notify.ErrConfirmationNotYours):
		c.Status(fiber.StatusForbidden)
		p.Problem = "notifications.confirm.not_yours"
	default:
		return err
	}
	if p.Problem != "" {
		p.Title = web.T(c, p.Problem+".title")
	}
	return web.Render(c, "account/confirm", p)
}
