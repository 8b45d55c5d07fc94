package pay

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"sportello/catalogue"
	"sportello/payments"
	"sportello/portal/web"
)

// paymentReturnPage is templates/payments/return.html's data.
type paymentReturnPage struct {
	web.Page
	State      string // "received", "confirming", "failed" or "review"
	Payment    paymentRow
	Kind       string // of the service's transaction: what a payment received means
	Reference  string
	AppURL     string
	PayURL     string
	RefreshURL string
	// Sent: the fee was due on application, so its payment sent the
	// application: the page is the application's confirmation, with Due
	// (the decision's date, "" when the service has no set time).
	Sent bool
	Due  string
}

// paymentReturn is where the provider sends the applicant after paying:
// GET /payments/return?session_id=. The URL proves nothing (anyone can type
// it), so the page asks the provider through Confirm and says "payment
// received" only once the payment is recorded as paid; until then it says
// the payment is being confirmed, with a link to look again. Only the
// applicant whose application it is sees it.
func (s *Handler) paymentReturn(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	session := strings.TrimSpace(c.Query("session_id"))
	if session == "" {
		return web.NewError(fiber.StatusNotFound, "", nil)
	}
	ctx := c.UserContext()
	p, err := s.pay.PaymentBySession(ctx, session)
	if err != nil {
		return err
	}
	app, err := s.paymentOwned(c, p)
	if err != nil {
		return err
	}
	if p, err = s.pay.Confirm(ctx, session); err != nil {
		return err
	}
	d := s.Directory()
	page := paymentReturnPage{
		Payment:    s.paymentRowOf(c, d, p),
		Kind:       d.KindOf(app.ServiceSlug),
		Reference:  app.Reference.String(),
		AppURL:     "/account/applications/" + app.Reference.String(),
		PayURL:     PayURL(app.Reference.String()),
		RefreshURL: c.OriginalURL(),
	}
	page.Payment.Flag, page.Payment.Failure = "", ""
	var title string
	switch {
	case p.Settled() && p.FeeWhen == catalogue.FeeOnApplication && page.Kind != catalogue.TransactionPay:
		// (A fine is done once paid: its page stays "Payment received".)
		page.State, title, page.Sent = "received", web.KindKey(page.Kind, "confirmation.title"), true
		// Paying moved the application on, and its due date with it.
		if app, err = s.access.Application(c, app.Reference); err != nil {
			return err
		}
		if app.DueDate != "" {
			page.Due = s.ISODate(web.LangOf(c), app.DueDate)
		}
	case p.Settled():
		page.State, title = "received", "payments.return.received"
	case p.Open():
		page.State, title = "confirming", "payments.return.confirming"
	case p.Status == payments.StatusFlagged:
		page.State, title = "review", "payments.return.review"
	default:
		page.State, title = "failed", "payments.return.failed"
	}
	page.Page = web.NewPage(c, title)
	page.Acting = s.access.Label(c, app)
	return web.Render(c, "payments/return", page)
}
