package pay

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"sportello/payments"
	"sportello/portal/web"
)

// paymentSimulatedChoose answers the simulated checkout with Pay, Decline
// or Cancel and sends the browser where a provider would: the success page
// after Pay, the cancel page otherwise: POST /payments/simulated/{session}.
// A checkout already answered or expired shows its page again, saying so.
func (s *Handler) paymentSimulatedChoose(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	choice := c.FormValue("choice")
	switch choice {
	case payments.SimulatedPay, payments.SimulatedDecline, payments.SimulatedCancel:
	default:
		return web.NewError(fiber.StatusBadRequest, "payments.simulated.choose", nil)
	}
	to, err := s.pay.SimulatedChoose(c.UserContext(), c.Params("session"), choice)
	if errors.Is(err, payments.ErrNotOpen) {
		page, perr := s.paymentSimulatedPage(c)
		if perr != nil {
			return perr
		}
		page.Open, page.Message = false, "payments.simulated.closed"
		c.Status(fiber.StatusConflict)
		return web.Render(c, "payments/simulated", page)
	}
	if err != nil {
		return err
	}
	return c.Redirect(to, fiber.StatusSeeOther)
}
