package account

import (
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"sportello/notify"
	"sportello/portal/web"
)

// emailStart sends a confirmation link to the address the person typed:
// POST /account/notifications/email. The address is used once the link is
// followed (emailConfirm).
func (s *Handler) emailStart(c *fiber.Ctx) error {
	v := web.ViewerOf(c)
	ctx := c.UserContext()
	typed := strings.TrimSpace(c.FormValue("email"))
	var key string
	to, _, err := s.notes.Recipient(ctx, v.PersonID, "")
	if err != nil {
		return err
	}
	switch {
	case typed == "":
		key = "notifications.error.email_empty"
	case strings.EqualFold(typed, to.Address):
		key = "notifications.error.email_same"
	default:
		_, err := s.notes.StartEmailConfirmation(ctx, v.PersonID, typed, web.LangOf(c))
		switch {
		case errors.Is(err, notify.ErrInvalidAddress):
			key = "notifications.error.email_invalid"
		case errors.Is(err, notify.ErrTooManyConfirmations):
			key = "notifications.error.email_too_many"
		case err != nil:
			return err
		default:
			return done(c, "sent")
		}
	}
	return s.refuse(c, "#email", key, func(p *notificationsPage, msg string) { p.Email, p.EmailErr = typed, msg },
		"Max", notify.MaxConfirmationsPerDay)
}

// emailForget goes back to the address the identity provider verified:
// POST /account/notifications/email/forget.
func (s *Handler) emailForget(c *fiber.Ctx) error {
	if err := s.notes.ForgetEmail(c.UserContext(), web.ViewerOf(c).PersonID); err != nil {
		return err
	}
	return done(c, "forgot")
}
