package counter

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"sportello/applications"
	"sportello/applications/forms"
	"sportello/assist"
	"sportello/catalogue"
	"sportello/payments"
	"sportello/portal/pay"
	"sportello/portal/web"
)

// paymentPage is templates/counter/payment.html's data: taking an
// application's fee at the counter.
type paymentPage struct {
	formPage
	Resident  string
	Reference string
	Service   web.Localised
	Amount    string // the fee due
	VisitURL  string
	Action    string
}

const (
	fieldMethod    = "method"
	fieldReceipt   = "receipt"
	fieldAmount    = "amount"
	receiptMaxSize = 100
)

func (s *Handler) paymentForm() *catalogue.OnlineForm {
	maxRef, minAmount := receiptMaxSize, 0.01
	return &catalogue.OnlineForm{Fields: []catalogue.Field{
		{Name: fieldMethod, Type: forms.TypeRadio, Required: true, Label: s.text("assist.field.method"), Options: []catalogue.Option{
			{Value: payments.MethodCardTerminal, Label: s.text("assist.method.card_terminal")},
			{Value: payments.MethodCash, Label: s.text("assist.method.cash")},
		}},
		{Name: fieldReceipt, Type: forms.TypeText, Required: true, MaxLength: &maxRef,
			Label: s.text("assist.field.receipt"), Help: s.text("assist.field.receipt_hint")},
		{Name: fieldAmount, Type: forms.TypeMoney, Required: true, Min: &minAmount,
			Label: s.text("assist.field.amount"), Help: s.text("assist.field.amount_hint")},
	}}
}

// owing is the request's visit and its resident's application :ref with
// the fee it owes now: another resident's, or one that owes nothing, is not
// found.
func (s *Handler) owing(c *fiber.Ctx) (assist.Visit, *applications.Application, *catalogue.Fee, error) {
	v, err := s.visitOf(c)
	if err != nil {
		return v, nil, nil, err
	}
	apps, err := s.residentApplications(c, v)
	if err != nil {
		return v, nil, nil, err
	}
	for _, app := range apps {
		if app.Reference.String() != c.Params("ref") {
			continue
		}
		if fee := pay.Due(app); fee != nil {
			return v, app, fee, nil
		}
		return v, nil, nil, web.NewError(fiber.StatusNotFound, "assist.error.nothing_due", nil)
	}
	return v, nil, nil, catalogue.ErrNotFound
}

func (s *Handler) paymentPageOf(c *fiber.Ctx, v assist.Visit, app *applications.Application, fee *catalogue.Fee, values forms.Values, errs []forms.FieldError) paymentPage {
	d := s.Directory()
	page := paymentPage{formPage: s.formPageOf(c, "assist.payment.title", s.paymentForm(), values, errs)}
	lang := page.Lang
	title, fb := d.Text(d.ServiceOf[app.ServiceSlug].Title, lang)
	page.Resident, page.Reference = v.Resident.Name, app.Reference.String()
	page.Service = web.Localised{Text: title, Lang: fb}
	page.Amount = web.Money{Minor: fee.Amount, Currency: fee.Currency}.Format(lang)
	page.VisitURL, page.Action = VisitURL(v.ID), paymentURL(v.ID, app.Reference.String())
	return page
}

// paymentRecordShow is the form to record a payment taken at the counter:
// GET /staff/assist/visits/{visit}/applications/{ref}/payment.
func (s *Handler) paymentRecordShow(c *fiber.Ctx) error {
	v, app, fee, err := s.owing(c)
	if err != nil {
		return err
	}
	amount := strconv.FormatFloat(float64(fee.Amount)/100, 'f', 2, 64)
	return web.Render(c, "counter/payment", s.paymentPageOf(c, v, app, fee, forms.Values{fieldAmount: {amount}}, nil))
}

// paymentRecord records a card-terminal or cash payment: POST
// /staff/assist/visits/{visit}/applications/{ref}/payment. It goes
// through the same payment record, fulfilment and receipt as a payment
// online (payments.RecordCounter); an amount other than the fee is
// recorded and flagged for finance, as a provider's would be.
func (s *Handler) paymentRecord(c *fiber.Ctx) error {
	v, app, fee, err := s.owing(c)
	if err != nil {
		return err
	}
	values, res, err := s.posted(c, s.paymentForm())
	if err != nil {
		return err
	}
	if !res.OK() {
		c.Status(fiber.StatusUnprocessableEntity)
		return web.Render(c, "counter/payment", s.paymentPageOf(c, v, app, fee, values, res.Errors))
	}
	amount := res.Answers.Get(fieldAmount)
	method := res.Answers.Get(fieldMethod).Choices[0].Value
	d := s.Directory()
	lang := cmp.Or(app.Lang, v.Resident.Lang, web.LangOf(c))
	title, _ := d.Text(d.ServiceOf[app.ServiceSlug].Title, lang)
	p, err := s.pay.RecordCounter(c.UserContext(), payments.CounterInput{
		StartInput: payments.StartInput{ApplicationID: app.ID, Reference: app.Reference.String(), ServiceSlug: app.ServiceSlug,
			Fee: *fee, Title: title, Lang: lang, PersonID: app.PersonID, Email: app.Contact.Email},
		Method: method, MethodReference: answerText(res, fieldReceipt), Amount: *amount.Number, StaffPersonID: v.Staff.PersonID,
		InTx: func(ctx context.Context, tx *sql.Tx, p payments.Payment) error {
			return s.as.LogIn(ctx, tx, v, assist.ActionPayment, p.Reference, p.Method+" "+p.MethodReference)
		},
	})
	switch {
	case errors.Is(err, payments.ErrAlreadyPaid), errors.Is(err, payments.ErrUnderReview):
		return web.NewError(fiber.StatusConflict, "assist.error.already_paid", err)
	case err != nil:
		return err
	case p.Status == payments.StatusFlagged:
		return c.Redirect(VisitURL(v.ID)+"?done=flagged", fiber.StatusSeeOther)
	}
	return c.Redirect(VisitURL(v.ID)+"?done=paid", fiber.StatusSeeOther)
}

// paymentLinkSend emails the resident a link to pay: POST
// /staff/assist/visits/{visit}/applications/{ref}/payment-link. The mail
// goes through the outbox like every other (mail kind payment_link).
func (s *Handler) paymentLinkSend(c *fiber.Ctx) error {
	v, app, fee, err := s.owing(c)
	if err != nil {
		return err
	}
	err = s.as.SendPaymentLink(c.UserContext(), v, assist.PaymentLink{
		Reference: app.Reference.String(), Service: app.ServiceSlug, Amount: fee.Amount, Currency: fee.Currency,
		PersonID: app.PersonID, Email: app.Contact.Email, Lang: cmp.Or(app.Lang, v.Resident.Lang),
	})
	if errors.Is(err, assist.ErrInvalid) {
		return web.NewError(fiber.StatusUnprocessableEntity, "assist.error.no_email", err)
	}
	if err != nil {
		return err
	}
	return c.Redirect(VisitURL(v.ID)+"?done=link_sent", fiber.StatusSeeOther)
}
