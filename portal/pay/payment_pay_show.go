package pay

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"sportello/applications"
	"sportello/payments"
	"sportello/portal/web"
)

// paymentPayPage is templates/payments/pay.html's data.
type paymentPayPage struct {
	web.Page
	Reference string
	Service   web.Localised
	Kind      string // of the service's transaction: the words of the page
	AppURL    string
	Amount    string // what is due now; "" when nothing is
	When      string // translation key: due on application or on approval
	Action    string // where Pay now posts
	Paid      *paymentRow
	Open      bool // an attempt is open: Pay now resumes it
	Attempts  []paymentRow
	Notice    string // translation key of what just happened
}

// paymentPayShow shows what an application owes and its payment attempts,
// with Pay now when something is due: GET /applications/{ref}/pay. Only
// the applicant sees it; anyone else's reference is a 404.
func (s *Handler) paymentPayShow(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	page, err := s.paymentPayPage(c)
	if err != nil {
		return err
	}
	switch c.Query("notice") {
	case "cancelled", "declined", "expired":
		page.Notice = "payments.notice." + c.Query("notice")
	}
	return web.Render(c, "payments/pay", page)
}

func (s *Handler) paymentPayPage(c *fiber.Ctx) (paymentPayPage, error) {
	app, err := s.paymentApplication(c)
	if err != nil {
		return paymentPayPage{}, err
	}
	attempts, err := s.pay.Attempts(c.UserContext(), app.ID)
	if err != nil {
		return paymentPayPage{}, err
	}
	d := s.Directory()
	kind := d.KindOf(app.ServiceSlug)
	p := web.NewPage(c, web.KindKey(kind, "pay.title"))
	p.Acting = s.access.Label(c, app)
	page := paymentPayPage{
		Page:      p,
		Reference: app.Reference.String(),
		Service:   paymentServiceTitle(d, app.ServiceSlug, app.ServiceSlug, p.Lang),
		Kind:      kind,
		AppURL:    "/account/applications/" + app.Reference.String(),
		Action:    PayURL(app.Reference.String()),
	}
	for i := len(attempts) - 1; i >= 0; i-- { // newest first
		a := attempts[i]
		row := s.paymentRowOf(c, d, a)
		row.Flag, row.Failure = "", "" // staff wording
		page.Attempts = append(page.Attempts, row)
		if a.Settled() && page.Paid == nil {
			page.Paid = &row
		}
		page.Open = page.Open || a.Open()
	}
	if fee := paymentDue(app); fee != nil && page.Paid == nil {
		page.Amount = web.Money{Minor: fee.Amount, Currency: fee.Currency}.Format(p.Lang)
		page.When = "payments.when." + fee.When
	}
	return page, nil
}

// paymentApplication is the signed-in person's application named by the
// route's ref; anyone else's is not found.
func (s *Handler) paymentApplication(c *fiber.Ctx) (*applications.Application, error) {
	return s.paymentApplicationByRef(c, c.Params("ref"))
}

func (s *Handler) paymentApplicationByRef(c *fiber.Ctx, raw string) (*applications.Application, error) {
	v := web.ViewerOf(c)
	if v == nil {
		return nil, web.NewError(fiber.StatusNotFound, "", nil)
	}
	ref, err := applications.ParseReference(raw)
	if err != nil {
		return nil, web.NewError(fiber.StatusNotFound, "", err)
	}
	return s.access.Application(c, ref)
}

// paymentStart starts (or resumes) a checkout for what an application owes
// and sends the browser to the provider: POST /applications/{ref}/pay. The
// payment is recorded before the redirect; the fee comes from the
// application's snapshot, never from the form.
func (s *Handler) paymentStart(c *fiber.Ctx) error {
	app, err := s.paymentApplication(c)
	if err != nil {
		return err
	}
	return s.Checkout(c, app)
}

// Checkout starts (or resumes) the checkout of what app owes and sends the
// browser to the provider; with nothing owed, to the pay page, which says
// why. The caller has checked that the viewer may pay for app.
func (s *Handler) Checkout(c *fiber.Ctx, app *applications.Application) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	ref := app.Reference.String()
	fee := paymentDue(app)
	if fee == nil {
		// Paid meanwhile, or nothing to pay: the page says which.
		return c.Redirect(PayURL(ref), fiber.StatusSeeOther)
	}
	ctx := c.UserContext()
	attempts, err := s.pay.Attempts(ctx, app.ID)
	if err != nil {
		return err
	}
	// The cancel URL names the attempt, so that leaving an old checkout
	// cannot cancel a newer one; an open attempt is resumed, not replaced.
	attempt := 1
	if n := len(attempts); n > 0 {
		attempt = attempts[n-1].Attempt
		if !attempts[n-1].Open() {
			attempt++
		}
	}
	lang := web.LangOf(c)
	title := paymentServiceTitle(s.Directory(), app.ServiceSlug, app.ServiceSlug, lang)
	co, err := s.pay.StartCheckout(ctx, payments.StartInput{
		ApplicationID: app.ID,
		Reference:     ref,
		ServiceSlug:   app.ServiceSlug,
		Fee:           *fee,
		Title:         title.Text,
		Lang:          lang,
		PersonID:      app.PersonID,
		Email:         app.Contact.Email,
		SuccessURL:    s.Absolute("/payments/return?session_id={CHECKOUT_SESSION_ID}"),
		CancelURL:     s.Absolute(paymentCancelPath(ref, attempt)),
	})
	if errors.Is(err, payments.ErrAlreadyPaid) {
		return c.Redirect(PayURL(ref), fiber.StatusSeeOther)
	}
	if err != nil {
		return err
	}
	s.Log.InfoContext(ctx, "checkout started", "reference", ref, "payment_id", co.PaymentID, "resumed", co.Resumed)
	return c.Redirect(co.URL, fiber.StatusSeeOther)
}
