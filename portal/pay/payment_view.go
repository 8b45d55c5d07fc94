package pay

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"sportello/applications"
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
	Service    web.Localised
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
	// RefundToken is the refund form's one-time request token, with
	// RefundURL: each form shown refunds once however often it is sent.
	RefundToken string
	Refunds     []refundRow
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

// paymentStatusKey is the translation key of a payment status's name.
func paymentStatusKey(status string) string { return web.PaymentStatusKey(status) }

// paymentServiceTitle is a service's title in lang; a service since
// removed from the catalogue shows the title the payment was made with.
func paymentServiceTitle(d *web.Directory, slug, fallback, lang string) web.Localised {
	if sum, ok := d.ServiceOf[slug]; ok {
		return d.Loc(sum.Title, lang)
	}
	return web.Localised{Text: fallback}
}

// paymentCard says which card paid, when the provider told.
// paymentMethod says how p was paid: at the counter, in cash or on the
// card terminal with the slip's number; else online, as card says.
func paymentMethod(c *fiber.Ctx, p payments.Payment, card string) string {
	switch p.Method {
	case payments.MethodCash, payments.MethodCardTerminal:
		return web.T(c, "assist.paid_with."+p.Method, "Reference", p.MethodReference)
	}
	return card
}

func paymentCard(c *fiber.Ctx, brand, last4 string) string {
	if brand == "" || last4 == "" {
		return ""
	}
	name := strings.ToUpper(brand[:1]) + brand[1:]
	return web.T(c, "payments.card", "Brand", name, "Last4", last4)
}

// paymentRowOf describes a payment for the reader.
func (s *Handler) paymentRowOf(c *fiber.Ctx, d *web.Directory, p payments.Payment) paymentRow {
	lang := web.LangOf(c)
	r := paymentRow{
		Lang: lang, ID: p.ID, Attempt: p.Attempt, Reference: p.Reference,
		Service:    paymentServiceTitle(d, p.ServiceSlug, p.ServiceTitle, lang),
		Amount:     web.Money{Minor: p.Amount, Currency: p.Currency}.Format(lang),
		Status:     paymentStatusKey(p.Status),
		StatusCode: p.Status,
		Started:    s.DateTime(lang, p.CreatedAt),
		StartedAt:  p.CreatedAt.UTC().Format(time.RFC3339),
		Paid:       s.DateTime(lang, p.PaidAt),
		Card:       paymentMethod(c, p, paymentCard(c, p.CardBrand, p.CardLast4)),
		Flag:       p.FlagReason,
		Failure:    p.FailureReason,
		Provider:   p.Provider,
	}
	if p.AmountReceived > 0 {
		r.Received = web.Money{Minor: p.AmountReceived, Currency: p.Currency}.Format(lang)
	}
	if p.RefundedAmount > 0 {
		r.Refunded = web.Money{Minor: p.RefundedAmount, Currency: p.Currency}.Format(lang)
	}
	if left := p.Refundable(); left > 0 {
		r.Refundable = web.Money{Minor: left, Currency: p.Currency}.Format(lang)
	}
	if p.Settled() {
		r.ReceiptURL = ReceiptURL(p.ID)
	}
	return r
}

func ReceiptURL(id int64) string {
	return "/account/payments/" + strconv.FormatInt(id, 10) + "/receipt"
}

func PayURL(ref string) string { return "/applications/" + ref + "/pay" }

// paymentDue is the fee an application owes now, nil when it owes nothing:
// a fee due on application while it awaits payment, or a fee due on
// approval once approved.
// Due is what app owes now, nil when nothing: its fee due on application
// while it waits for it, or due on approval once approved.
func Due(app *applications.Application) *catalogue.Fee { return paymentDue(app) }

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
func (s *Handler) paymentOwned(c *fiber.Ctx, p payments.Payment) (*applications.Application, error) {
	v := web.ViewerOf(c)
	if v == nil {
		return nil, web.NewError(fiber.StatusNotFound, "", nil)
	}
	ref, err := applications.ParseReference(p.Reference)
	if err != nil {
		return nil, web.NewError(fiber.StatusNotFound, "", err)
	}
	app, err := s.access.Application(c, ref)
	if err != nil {
		return nil, err
	}
	if app.ID != p.ApplicationID {
		return nil, web.NewError(fiber.StatusNotFound, "", errors.New("the payment's reference names another application"))
	}
	return app, nil
}
