package portal

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"sportello/applications"
	"sportello/applications/forms"
	"sportello/catalogue"
	"sportello/payments"
	"sportello/portal/web"
)

// What the payment pages share: who is looking, which payments are theirs,
// how a payment reads, and how the payments package's errors become pages.

// paymentRow is one payment attempt as the pages list it.
type paymentRow struct {
	Lang       string // the reader's, for the templates that take a row
	ID         int64
	Attempt    int
	Reference  string
	Service    Localised
	Amount     string // the fee, in the reader's format
	Received   string // what was charged; "" until paid
	Refunded   string // "" when nothing was refunded
	Refundable string // "" when nothing can be refunded
	Status     string // translation key
	StatusCode string
	Started    string
	StartedAt  string // RFC 3339, for <time datetime>
	Paid       string
	Card       string // "Visa ending 4242", "" when the provider did not say
	Flag       string // why staff must look (staff pages only)
	Failure    string // why the attempt ended unpaid (staff pages only)
	Provider   string
	ReceiptURL string // "" when there is no receipt (not paid)
	AppURL     string
	RefundURL  string // staff pages: "" when nothing can be refunded
	Refunds    []refundRow
}

// refundRow is one refund of a payment.
type refundRow struct {
	Amount string
	Reason string
	Status string // translation key
	When   string
	At     string
	Staff  string
}

// paymentViewer is the signed-in person, nil when anonymous.
func paymentViewer(c *fiber.Ctx) *web.Viewer {
	v, _ := c.Locals(web.LocalViewer).(*web.Viewer)
	return v
}

// paymentStatusKey is the translation key of a payment status's name.
func paymentStatusKey(status string) string { return web.PaymentStatusKey(status) }

// paymentMoney formats minor units of a payment's currency (stored in
// lower case) for the reader.
func paymentMoney(minor int64, currency, lang string) string {
	return formatMoney(minor, strings.ToUpper(currency), lang)
}

// paymentDate writes a moment as a date in lang and a time in the council's
// time zone; "" for the zero time.
func (s *Server) paymentDate(lang string, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(s.cfg.TimeZone)
	tr := s.site.Translator
	day := tr.T(lang, forms.KeyDateFormat, "Day", t.Day(), "Month", tr.T(lang, forms.KeyMonthPrefix+strconv.Itoa(int(t.Month()))), "Year", t.Year())
	return day + " " + t.Format("15:04 MST")
}

// paymentServiceTitle is a service's title in lang; a service since
// removed from the catalogue shows the title the payment was made with.
func paymentServiceTitle(d *directory, slug, fallback, lang string) Localised {
	if sum, ok := d.services[slug]; ok {
		return d.loc(sum.Title, lang)
	}
	return Localised{Text: fallback}
}

// paymentCard says which card paid, when the provider told.
func paymentCard(c *fiber.Ctx, brand, last4 string) string {
	if brand == "" || last4 == "" {
		return ""
	}
	name := strings.ToUpper(brand[:1]) + brand[1:]
	return web.T(c, "payments.card", "Brand", name, "Last4", last4)
}

// paymentRowOf describes a payment for the reader.
func (s *Server) paymentRowOf(c *fiber.Ctx, d *directory, p payments.Payment) paymentRow {
	lang := web.LangOf(c)
	r := paymentRow{
		Lang: lang, ID: p.ID, Attempt: p.Attempt, Reference: p.Reference,
		Service:    paymentServiceTitle(d, p.ServiceSlug, p.ServiceTitle, lang),
		Amount:     paymentMoney(p.Amount, p.Currency, lang),
		Status:     paymentStatusKey(p.Status),
		StatusCode: p.Status,
		Started:    s.paymentDate(lang, p.CreatedAt),
		StartedAt:  p.CreatedAt.UTC().Format(time.RFC3339),
		Paid:       s.paymentDate(lang, p.PaidAt),
		Card:       paymentCard(c, p.CardBrand, p.CardLast4),
		Flag:       p.FlagReason,
		Failure:    p.FailureReason,
		Provider:   p.Provider,
	}
	if p.AmountReceived > 0 {
		r.Received = paymentMoney(p.AmountReceived, p.Currency, lang)
	}
	if p.RefundedAmount > 0 {
		r.Refunded = paymentMoney(p.RefundedAmount, p.Currency, lang)
	}
	if left := p.Refundable(); left > 0 {
		r.Refundable = paymentMoney(left, p.Currency, lang)
	}
	if p.Settled() {
		r.ReceiptURL = paymentReceiptURL(p.ID)
	}
	return r
}

func paymentReceiptURL(id int64) string {
	return "/account/payments/" + strconv.FormatInt(id, 10) + "/receipt"
}

func paymentPayURL(ref string) string { return "/applications/" + ref + "/pay" }

// paymentDue is the fee an application owes now, nil when it owes nothing:
// a fee due on application while it awaits payment, or a fee due on
// approval once approved.
func paymentDue(app *applications.Application) *catalogue.Fee {
	f := app.Fee
	if f == nil || f.Amount <= 0 {
		return nil
	}
	switch {
	case app.Status == applications.StatusAwaitingPayment && f.When == catalogue.FeeOnApplication,
		app.Status == applications.StatusApproved && f.When == catalogue.FeeOnApproval:
		return &catalogue.Fee{Amount: f.Amount, Currency: f.Currency, When: f.When}
	}
	return nil
}

// paymentOwned returns a payment whose application is the signed-in
// person's, with that application. Anyone else's payment is not found,
// like one that does not exist, so that its existence cannot be probed.
func (s *Server) paymentOwned(c *fiber.Ctx, p payments.Payment) (*applications.Application, error) {
	v := paymentViewer(c)
	if v == nil {
		return nil, web.NewError(fiber.StatusNotFound, "", nil)
	}
	ref, err := applications.ParseReference(p.Reference)
	if err != nil {
		return nil, web.NewError(fiber.StatusNotFound, "", err)
	}
	app, err := s.applicantApplication(c, ref)
	if err != nil {
		return nil, err
	}
	if app.ID != p.ApplicationID {
		return nil, web.NewError(fiber.StatusNotFound, "", errors.New("the payment's reference names another application"))
	}
	return app, nil
}

// paymentError turns the payments package's errors into pages; the
// not-found ones already map through catalogue.ErrNotFound.
func paymentError(err error) error {
	var key string
	status := fiber.StatusConflict
	switch {
	case errors.Is(err, payments.ErrNotSimulated):
		return web.NewError(fiber.StatusNotFound, "", err)
	case errors.Is(err, payments.ErrAlreadyPaid):
		key = "payments.error.already_paid"
	case errors.Is(err, payments.ErrUnderReview):
		key = "payments.error.under_review"
	case errors.Is(err, payments.ErrInProgress):
		key = "payments.error.in_progress"
	case errors.Is(err, payments.ErrNotOpen):
		key = "payments.error.not_open"
	case errors.Is(err, payments.ErrProvider):
		status, key = fiber.StatusBadGateway, "payments.error.provider"
	case errors.Is(err, payments.ErrInvalid):
		status, key = fiber.StatusBadRequest, ""
	default:
		return err
	}
	return web.NewError(status, key, err)
}

// paymentAbsolute makes a path absolute on the site, for the provider's
// redirects.
func (s *Server) paymentAbsolute(path string) string { return s.cfg.BaseURL + path }
