package pay

import (
	"github.com/gofiber/fiber/v2"

	"sportello/payments"
	"sportello/portal/web"
)

// paymentSimulatedPage is templates/payments/simulated.html's data.
type paymentSimulatedPage struct {
	web.Page
	Reference string
	Service   string // the line item, as the checkout was started with it
	Amount    string
	Expires   string
	Open      bool
	Action    string
	Message   string // translation key, when the checkout cannot be answered
}

// paymentSimulatedShow is the simulated provider's checkout page: the
// amount, the service, and Pay, Decline and Cancel: GET
// /payments/simulated/{session}. Like a provider's hosted checkout, its
// URL is the key to it; it is 404 when Stripe is configured.
func (s *Handler) paymentSimulatedShow(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	page, err := s.paymentSimulatedPage(c)
	if err != nil {
		return err
	}
	return web.Render(c, "payments/simulated", page)
}

func (s *Handler) paymentSimulatedPage(c *fiber.Ctx) (paymentSimulatedPage, error) {
	co, err := s.pay.SimulatedCheckout(c.UserContext(), c.Params("session"))
	if err != nil {
		return paymentSimulatedPage{}, err
	}
	p := web.NewPage(c, "payments.simulated.title")
	page := paymentSimulatedPage{
		Page:      p,
		Reference: co.Reference,
		Service:   co.Title,
		Amount:    web.Money{Minor: co.Amount, Currency: co.Currency}.Format(p.Lang),
		Expires:   s.DateTime(p.Lang, co.ExpiresAt),
		Open:      co.Open,
		Action:    payments.DefaultSimulatedPath + co.SessionID,
	}
	if !co.Open {
		page.Message = "payments.simulated.closed"
	}
	return page, nil
}
