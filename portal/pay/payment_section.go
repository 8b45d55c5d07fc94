package pay

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"sportello/applications"
	"sportello/payments"
	"sportello/portal/web"
)

// The payments part of the application pages of issue 4: the applicant's
// (templates/payments/account_section.html) and the staff's
// (templates/payments/staff_section.html). The pages call these builders
// and include the templates with {{template "payments/..._section" .Payments}}.

// AccountSection is what an applicant's application page shows
// about paying.
type AccountSection struct {
	Lang     string
	Status   string // translation key of the latest attempt's status; "" without one
	Due      string // what is owed now; "" when nothing is
	When     string // translation key: due on application or on approval
	PayURL   string // "" when nothing is owed
	Receipt  string // the receipt of the payment received; ""
	Attempts []paymentRow
}

// AccountSectionOf describes the payments of one of the applicant's
// own applications.
func (s *Handler) AccountSectionOf(c *fiber.Ctx, app *applications.Application) (AccountSection, error) {
	sec := AccountSection{Lang: web.LangOf(c)}
	attempts, err := s.pay.Attempts(c.UserContext(), app.ID)
	if err != nil {
		return sec, err
	}
	d := s.Directory()
	paid := false
	for i := len(attempts) - 1; i >= 0; i-- {
		row := s.paymentRowOf(c, d, attempts[i])
		row.Flag, row.Failure = "", ""
		sec.Attempts = append(sec.Attempts, row)
		if attempts[i].Settled() && !paid {
			paid, sec.Receipt = true, row.ReceiptURL
		}
	}
	if len(attempts) > 0 {
		sec.Status = paymentStatusKey(attempts[len(attempts)-1].Status)
	}
	if fee := paymentDue(app); fee != nil && !paid {
		sec.Due = web.Money{Minor: fee.Amount, Currency: fee.Currency}.Format(sec.Lang)
		sec.When = "payments.when." + fee.When
		sec.PayURL = PayURL(app.Reference.String())
	}
	return sec, nil
}

// StaffSection is what the staff's application page shows about
// payments, with a refund form for each payment that can be refunded.
type StaffSection struct {
	Lang     string
	CSRF     string
	Notice   string // translation key: a refund was just made
	Awaiting string // the fee the applicant still owes; ""
	When     string
	Payments []paymentRow
}

// StaffSectionOf describes an application's payments for staff.
func (s *Handler) StaffSectionOf(c *fiber.Ctx, app *applications.Application) (StaffSection, error) {
	p := web.NewPage(c, "")
	sec := StaffSection{Lang: p.Lang, CSRF: p.CSRF}
	attempts, err := s.pay.Attempts(c.UserContext(), app.ID)
	if err != nil {
		return sec, err
	}
	d := s.Directory()
	paid := false
	for i := len(attempts) - 1; i >= 0; i-- {
		row, err := s.paymentStaffRow(c, d, attempts[i])
		if err != nil {
			return sec, err
		}
		sec.Payments = append(sec.Payments, row)
		paid = paid || attempts[i].Settled()
		if c.Query("refunded") == strconv.FormatInt(attempts[i].ID, 10) {
			sec.Notice = "payments.notice.refunded"
		}
	}
	if fee := paymentDue(app); fee != nil && !paid {
		sec.Awaiting = web.Money{Minor: fee.Amount, Currency: fee.Currency}.Format(sec.Lang)
		sec.When = "payments.when." + fee.When
	}
	return sec, nil
}

// paymentStaffRow describes a payment for staff, with its refunds and the
// refund form's address when something is left to refund.
func (s *Handler) paymentStaffRow(c *fiber.Ctx, d *web.Directory, p payments.Payment) (paymentRow, error) {
	row := s.paymentRowOf(c, d, p)
	row.AppURL = "/staff/applications/" + p.Reference
	row.ReceiptURL = ""
	if p.Refundable() > 0 {
		row.RefundURL, row.RefundToken = RefundURL(p.ID), payments.NewRefundToken()
	}
	refunds, err := s.pay.Refunds(c.UserContext(), p.ID)
	if err != nil {
		return row, err
	}
	for _, r := range refunds {
		row.Refunds = append(row.Refunds, s.refundRowOf(c, p.Currency, r, true))
	}
	return row, nil
}
