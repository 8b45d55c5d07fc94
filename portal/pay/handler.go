// Package pay holds the payment pages: paying an application's fee with the
// provider's checkout and coming back, the simulated provider's checkout,
// the provider's webhook, the applicant's payment history and receipts, and
// the staff's finance list and refunds.
package pay

import (
	"github.com/gofiber/fiber/v2"

	"sportello/applications"
	"sportello/payments"
	"sportello/portal/access"
	"sportello/portal/auth"
	"sportello/portal/web"
)

// Handler serves the payment pages.
type Handler struct {
	*web.Shared
	pay    *payments.Service
	apps   *applications.Store
	access *access.Access
}

// New returns the payment pages' handler.
func New(sh *web.Shared, pay *payments.Service, apps *applications.Store, acc *access.Access) *Handler {
	return &Handler{Shared: sh, pay: pay, apps: apps, access: acc}
}

// Routes mounts the payment pages. staffOnly guards the finance pages.
func (s *Handler) Routes(r fiber.Router, a *auth.Auth, staffOnly fiber.Handler) {
	r.Post(WebhookPath, s.paymentWebhook) // signed by the provider; exempt from CSRF
	r.Get("/payments/simulated/:session", a.FormPage(), s.paymentSimulatedShow)
	r.Post("/payments/simulated/:session", s.paymentSimulatedChoose)
	r.Get("/applications/:ref/pay", a.RequireSignIn(), s.paymentPayShow)
	r.Post("/applications/:ref/pay", a.RequireSignIn(), s.paymentStart)
	r.Get("/payments/return", a.RequireSignIn(), s.paymentReturn)
	r.Get("/payments/cancelled", a.RequireSignIn(), s.paymentCancelled)
	r.Get("/account/payments", a.RequireSignIn(), s.paymentIndex)
	r.Get("/account/payments/:id/receipt", a.RequireSignIn(), s.paymentReceipt)
	r.Get("/staff/payments", staffOnly, s.paymentFinance)
	r.Get("/staff/payments.csv", staffOnly, s.paymentFinanceCSV)
	r.Get("/staff/payments/:id/refund", staffOnly, s.paymentRefundShow)
	r.Post("/staff/payments/:id/refund", staffOnly, s.paymentRefund)
}
