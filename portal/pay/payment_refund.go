package pay

import (
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"sportello/payments"
	"sportello/portal/web"
)

// maxRefundReason bounds a refund's reason; Stripe keeps 500 characters of
// it.
const maxRefundReason = 500

// paymentRefundPage is templates/payments/refund.html's data: the refund
// form of one payment, for staff.
type paymentRefundPage struct {
	web.Page
	Payment     paymentRow
	AppURL      string
	Action      string
	Amount      string // as typed, or what is left to refund
	Reason      string
	Token       string // the form's one-time request token: a resent form refunds once
	AmountError string
	ReasonError string
	Errors      []paymentErrorLink
	Refundable  bool
}

// paymentErrorLink is one line of the error summary, linking to its field.
type paymentErrorLink struct {
	Href    string
	Message string
}

func RefundURL(id int64) string {
	return "/staff/payments/" + strconv.FormatInt(id, 10) + "/refund"
}

// inputRefundToken is the refund form's hidden request token.
const inputRefundToken = "_token"

// paymentRefundShow shows the refund form of a payment to staff: GET
// /staff/payments/{id}/refund.
func (s *Handler) paymentRefundShow(c *fiber.Ctx) error {
	page, p, err := s.paymentRefundPage(c)
	if err != nil {
		return err
	}
	page.Amount = web.Money{Minor: p.Refundable(), Currency: p.Currency}.Plain()
	return web.Render(c, "payments/refund", page)
}

func (s *Handler) paymentRefundPage(c *fiber.Ctx) (paymentRefundPage, payments.Payment, error) {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil || id <= 0 {
		return paymentRefundPage{}, payments.Payment{}, web.NewError(fiber.StatusNotFound, "", err)
	}
	p, err := s.pay.Payment(c.UserContext(), id)
	if err != nil {
		return paymentRefundPage{}, p, err
	}
	row, err := s.paymentStaffRow(c, s.Directory(), p)
	if err != nil {
		return paymentRefundPage{}, p, err
	}
	page := paymentRefundPage{
		Page:       web.NewPage(c, "payments.refund.title"),
		Payment:    row,
		AppURL:     "/staff/applications/" + p.Reference,
		Action:     RefundURL(p.ID),
		Token:      payments.NewRefundToken(),
		Refundable: p.Refundable() > 0,
	}
	return page, p, nil
}

// paymentRefund refunds all or part of a payment, with a reason, for a
// caseworker or administrator: POST /staff/payments/{id}/refund. The
// amount is in the currency's major unit ("12.50" or "12,50") and never
// more than what is left to refund; a mistake shows the form again with
// the errors at the top, and a new request token. The form's request token
// makes a form sent twice refund once: the second send finds the first's
// refund, so payments.Service.Refund, not this handler, compares the amount
// with what is left.
func (s *Handler) paymentRefund(c *fiber.Ctx) error {
	page, p, err := s.paymentRefundPage(c)
	if err != nil {
		return err
	}
	page.Amount = strings.TrimSpace(c.FormValue("amount"))
	page.Reason = strings.TrimSpace(c.FormValue("reason"))
	m, ok := web.ParseMoney(page.Amount, p.Currency, false)
	amount := m.Minor
	if !ok || amount <= 0 {
		page.AmountError = web.T(c, "payments.refund.error.amount")
	}
	switch {
	case page.Reason == "":
		page.ReasonError = web.T(c, "payments.refund.error.reason")
	case utf8.RuneCountInString(page.Reason) > maxRefundReason:
		page.ReasonError = web.T(c, "payments.refund.error.reason_long", "Max", maxRefundReason)
	}
	if page.AmountError == "" && page.ReasonError == "" {
		_, err = s.pay.Refund(c.UserContext(), payments.RefundInput{PaymentID: p.ID, Amount: amount, Reason: page.Reason,
			StaffPersonID: web.ViewerOf(c).PersonID, RequestToken: c.FormValue(inputRefundToken)})
		switch {
		case err == nil:
			return c.Redirect("/staff/applications/"+p.Reference+"?refunded="+strconv.FormatInt(p.ID, 10)+"#payments", fiber.StatusSeeOther)
		case errors.Is(err, payments.ErrRefundTooLarge), errors.Is(err, payments.ErrNotRefundable):
			left := p.Refundable()
			if fresh, ferr := s.pay.Payment(c.UserContext(), p.ID); ferr == nil {
				left = fresh.Refundable() // another refund may have got in first
			}
			if left <= 0 {
				page.AmountError = web.T(c, "payments.refund.error.not_refundable")
			} else {
				page.AmountError = web.T(c, "payments.refund.error.too_large", "Max", web.Money{Minor: left, Currency: p.Currency}.Format(page.Lang))
			}
		case errors.Is(err, payments.ErrInvalid):
			// No request token, or another form's: not a form we showed.
			return web.NewError(fiber.StatusBadRequest, "", err)
		case errors.Is(err, payments.ErrProvider):
			s.Log.ErrorContext(c.UserContext(), "refund not made by the provider", "payment_id", p.ID, "err", err)
			page.AmountError = web.T(c, "payments.refund.error.provider")
		default:
			return err
		}
	}
	if page.AmountError != "" {
		page.Errors = append(page.Errors, paymentErrorLink{Href: "#amount", Message: page.AmountError})
	}
	if page.ReasonError != "" {
		page.Errors = append(page.Errors, paymentErrorLink{Href: "#reason", Message: page.ReasonError})
	}
	page.Title = web.T(c, "payments.error_prefix") + " " + page.Title
	c.Status(fiber.StatusUnprocessableEntity)
	return web.Render(c, "payments/refund", page)
}
