package pay

import (
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"sportello/payments"
	"sportello/portal/web"
)

// paymentFinancePage is templates/payments/finance.html's data.
type paymentFinancePage struct {
	web.Page
	From, To      string // YYYY-MM-DD as typed
	Status        string
	Service       string
	FromError     string
	ToError       string
	Errors        []paymentErrorLink
	Statuses      []paymentChoice
	Services      []paymentChoice
	Payments      []paymentRow
	Count         int
	Totals        []paymentTotal
	CSVURL        string
	Filtered      bool
	ShowingNewest int // when the list was cut short, how many rows are shown
}

// paymentChoice is one option of a select.
type paymentChoice struct {
	Value    string
	Label    string
	Lang     string
	Selected bool
}

// paymentTotal is the money of one currency in the list.
type paymentTotal struct {
	Currency string
	Payments int
	Received string
	Refunded string
	Net      string
}

// maxFinanceRows bounds the rows the page shows; the CSV has them all.
const maxFinanceRows = 500

var paymentStatuses = []string{
	payments.StatusPaid, payments.StatusPartiallyRefunded, payments.StatusRefunded, payments.StatusFlagged,
	payments.StatusPending, payments.StatusCreated, payments.StatusFailed, payments.StatusExpired, payments.StatusCancelled,
}

// paymentFinanceFilter reads the finance list's filter from the query. Dates
// are whole days in the council's time zone (zone), both included.
func paymentFinanceFilter(c *fiber.Ctx, zone *time.Location) (f payments.Filter, from, to string, fromErr, toErr bool) {
	from, to = strings.TrimSpace(c.Query("from")), strings.TrimSpace(c.Query("to"))
	if from != "" {
		t, err := time.ParseInLocation(time.DateOnly, from, zone)
		fromErr = err != nil
		f.From = t
	}
	if to != "" {
		t, err := time.ParseInLocation(time.DateOnly, to, zone)
		toErr = err != nil
		if err == nil {
			f.To = t.AddDate(0, 0, 1)
		}
	}
	if !fromErr && !toErr && !f.From.IsZero() && !f.To.IsZero() && !f.To.After(f.From) {
		toErr = true
	}
	if st := c.Query("status"); slices.Contains(paymentStatuses, st) {
		f.Status = st
	}
	f.ServiceSlug = strings.TrimSpace(c.Query("service"))
	return f, from, to, fromErr, toErr
}

// paymentFinance lists payments for the council's finance staff, by date
// range, status and service, with totals per currency and a CSV export of
// the same selection: GET /staff/payments.
func (s *Handler) paymentFinance(c *fiber.Ctx) error {
	f, from, to, fromErr, toErr := paymentFinanceFilter(c, s.TimeZone)
	p := web.NewPage(c, "payments.finance.title")
	page := paymentFinancePage{Page: p, From: from, To: to, Status: f.Status, Service: f.ServiceSlug}
	if fromErr {
		page.FromError = web.T(c, "payments.finance.error.date")
		page.Errors = append(page.Errors, paymentErrorLink{Href: "#from", Message: page.FromError})
	}
	if toErr {
		page.ToError = web.T(c, "payments.finance.error.to")
		page.Errors = append(page.Errors, paymentErrorLink{Href: "#to", Message: page.ToError})
	}
	page.Statuses = append(page.Statuses, paymentChoice{Value: "", Label: web.T(c, "payments.finance.any_status")})
	for _, st := range paymentStatuses {
		page.Statuses = append(page.Statuses, paymentChoice{Value: st, Label: web.T(c, paymentStatusKey(st)), Selected: st == f.Status})
	}
	d := s.Directory()
	page.Services = append(page.Services, paymentChoice{Value: "", Label: web.T(c, "payments.finance.any_service")})
	var paid []paymentChoice
	for slug, sum := range d.ServiceOf {
		if sum.Fee == nil || sum.Fee.Amount <= 0 {
			continue
		}
		t := d.Loc(sum.Title, p.Lang)
		paid = append(paid, paymentChoice{Value: slug, Label: t.Text, Lang: t.Lang, Selected: slug == f.ServiceSlug})
	}
	slices.SortFunc(paid, func(a, b paymentChoice) int { return strings.Compare(a.Label, b.Label) })
	page.Services = append(page.Services, paid...)
	if len(page.Errors) > 0 {
		page.Title = web.T(c, "payments.error_prefix") + " " + page.Title
		c.Status(fiber.StatusUnprocessableEntity)
		return web.Render(c, "payments/finance", page)
	}
	list, totals, err := s.pay.List(c.UserContext(), f)
	if err != nil {
		return err
	}
	page.Count = totals.Count
	for _, t := range totals.ByCurrency {
		page.Totals = append(page.Totals, paymentTotal{
			Currency: strings.ToUpper(t.Currency), Payments: t.Payments,
			Received: web.Money{Minor: t.Received, Currency: t.Currency}.Format(p.Lang),
			Refunded: web.Money{Minor: t.Refunded, Currency: t.Currency}.Format(p.Lang),
			Net:      web.Money{Minor: t.Net, Currency: t.Currency}.Format(p.Lang),
		})
	}
	if len(list) > maxFinanceRows {
		list, page.ShowingNewest = list[:maxFinanceRows], maxFinanceRows
	}
	for _, pm := range list {
		row := s.paymentRowOf(c, d, pm)
		row.AppURL, row.ReceiptURL = "/staff/applications/"+pm.Reference, ""
		page.Payments = append(page.Payments, row)
	}
	q := url.Values{}
	for k, v := range map[string]string{"from": from, "to": to, "status": f.Status, "service": f.ServiceSlug} {
		if v != "" {
			q.Set(k, v)
		}
	}
	page.Filtered = len(q) > 0
	page.CSVURL = "/staff/payments.csv"
	if page.Filtered {
		page.CSVURL += "?" + q.Encode()
	}
	return web.Render(c, "payments/finance", page)
}

// paymentFinanceCSV exports the finance list's selection for reconciliation
// with the provider's reports: GET /staff/payments.csv.
func (s *Handler) paymentFinanceCSV(c *fiber.Ctx) error {
	f, _, _, fromErr, toErr := paymentFinanceFilter(c, s.TimeZone)
	if fromErr || toErr {
		return web.NewError(fiber.StatusBadRequest, "payments.finance.error.date", nil)
	}
	list, _, err := s.pay.List(c.UserContext(), f)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="sportello-payments-`+time.Now().UTC().Format("20060102-1504")+`.csv"`)
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return payments.WriteCSV(c.Response().BodyWriter(), list)
}
