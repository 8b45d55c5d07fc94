package pay

import (
	"errors"
	"net/url"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"sportello/payments"
)

// paymentCancelPath is where the provider sends an applicant who leaves the
// checkout. The payment's id is not known when the checkout is asked for,
// so the URL names the application and the attempt.
func paymentCancelPath(ref string, attempt int) string {
	return "/payments/cancelled?" + url.Values{"ref": {ref}, "attempt": {strconv.Itoa(attempt)}}.Encode()
}

// paymentCancelled closes the attempt the applicant left and sends them
// back to the pay page, which offers to try again: GET
// /payments/cancelled?ref=&attempt=. The provider redirects here with a
// GET; at worst a forged link closes an open checkout, which Pay now starts
// again.
func (s *Handler) paymentCancelled(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	app, err := s.paymentApplicationByRef(c, c.Query("ref"))
	if err != nil {
		return err
	}
	ref := app.Reference.String()
	attempt, _ := strconv.Atoi(c.Query("attempt"))
	attempts, err := s.pay.Attempts(c.UserContext(), app.ID)
	if err != nil {
		return err
	}
	notice := "cancelled"
	for _, p := range attempts {
		if p.Attempt != attempt {
			continue
		}
		switch {
		case p.Open():
			if _, err := s.pay.Cancel(c.UserContext(), p.ID); err != nil && !errors.Is(err, payments.ErrNotOpen) {
				return err
			}
		case p.Status == payments.StatusFailed:
			notice = "declined" // the simulated checkout's Decline comes here too
		case p.Status == payments.StatusExpired:
			notice = "expired"
		}
	}
	// Paid after all (the provider's page was left after paying): the pay
	// page shows the receipt link instead of Pay now.
	return c.Redirect(PayURL(ref)+"?notice="+notice, fiber.StatusSeeOther)
}
