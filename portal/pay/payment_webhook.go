package pay

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"sportello/payments"
)

// WebhookPath is where Stripe posts its events. It carries its own
// signature, so sign-in's CSRF check must exempt it: pass it to auth.New.
const WebhookPath = "/payments/stripe/webhook"

// paymentWebhook receives the provider's signed events: POST
// /payments/stripe/webhook. The signature is checked on the raw body, byte
// for byte. 400 tells the provider the request was refused for good (a bad
// signature, an event of another API version); 200 that it was recorded,
// also when it was already or is about a session Sportello does not know;
// 500 that it should retry later.
func (s *Handler) paymentWebhook(c *fiber.Ctx) error {
	err := s.pay.HandleWebhook(c.UserContext(), c.Body(), c.Get("Stripe-Signature"))
	c.Set(fiber.HeaderCacheControl, "no-store")
	switch {
	case err == nil:
		return c.Status(fiber.StatusOK).SendString("ok")
	case errors.Is(err, payments.ErrBadSignature), errors.Is(err, payments.ErrBadEvent):
		return c.Status(fiber.StatusBadRequest).SendString("refused: " + err.Error())
	}
	// The cause is logged by the payments service; the provider only needs
	// to know to retry.
	return c.Status(fiber.StatusInternalServerError).SendString("not processed; retry later")
}
