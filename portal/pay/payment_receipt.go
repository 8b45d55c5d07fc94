package pay

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"sportello/payments"
	"sportello/portal/web"
)

// paymentReceiptPage is templates/payments/receipt.html's data.
type paymentReceiptPage struct {
	web.Page
	Number    string // the payment's number, quoted to the council
	Reference string
	Service   web.Localised
	Amount    string
	Paid      string
	PaidAt    string
	Card      string
	Refunds   []refundRow
	Refunded  string // total; "" when nothing was refunded
	Net       string // what was kept after refunds, when some were made
	Simulated bool   // the simulated provider took it: no money moved
	AppURL    string
}

// paymentReceipt is a printable receipt of a payment: GET
// /account/payments/{id}/receipt. Only the applicant whose application it
// paid sees it; anyone else's, and a payment not received, is a 404.
func (s *Handler) paymentReceipt(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil || id <= 0 {
		return web.NewError(fiber.StatusNotFound, "", err)
	}
	ctx := c.UserContext()
	p, err := s.pay.Payment(ctx, id)
	if err != nil {
		return err
	}
	app, err := s.paymentOwned(c, p)
	if err != nil {
		return err
	}
	r, err := s.pay.Receipt(ctx, id)
	if err != nil {
		return err
	}
	pg := web.NewPage(c, "payments.receipt.title")
	pg.Acting = s.access.Label(c, app)
	page := paymentReceiptPage{
		Page:      pg,
		Number:    strconv.FormatInt(r.PaymentID, 10),
		Reference: r.Reference,
		Service:   paymentServiceTitle(s.Directory(), r.ServiceSlug, r.ServiceTitle, pg.Lang),
		Amount:    web.Money{Minor: r.Amount, Currency: r.Currency}.Format(pg.Lang),
		Paid:      s.DateTime(pg.Lang, r.PaidAt),
		PaidAt:    r.PaidAt.UTC().Format("2006-01-02T15:04:05Z"),
		Card:      paymentMethod(c, p, paymentCard(c, r.CardBrand, r.CardLast4)),
		Simulated: r.Provider == payments.SimulatedName,
		AppURL:    "/account/applications/" + app.Reference.String(),
	}
	for _, rf := range r.Refunds {
		page.Refunds = append(page.Refunds, s.refundRowOf(c, r.Currency, rf, false))
	}
	if r.RefundedAmount > 0 {
		page.Refunded = web.Money{Minor: r.RefundedAmount, Currency: r.Currency}.Format(pg.Lang)
		page.Net = web.Money{Minor: r.Amount - r.RefundedAmount, Currency: r.Currency}.Format(pg.Lang)
	}
	return web.Render(c, "payments/receipt", page)
}

// refundRowOf describes a refund; staff see who made it.
func (s *Handler) refundRowOf(c *fiber.Ctx, currency string, r payments.Refund, staff bool) refundRow {
	lang := web.LangOf(c)
	row := refundRow{
		Amount: web.Money{Minor: r.Amount, Currency: currency}.Format(lang),
		Reason: r.Reason,
		Status: web.RefundStatusKey(r.Status),
		When:   s.DateTime(lang, r.CreatedAt),
		At:     r.CreatedAt.UTC().Format("2006-01-02T15:04:05Z"),
	}
	if staff {
		row.Staff = web.T(c, "payments.staff.person", "ID", strconv.FormatInt(r.StaffPersonID, 10))
	}
	return row
}
