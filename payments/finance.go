package payments

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Filter selects payments for the finance list. Zero fields select all.
type Filter struct {
	// From (inclusive) and To (exclusive) bound when a payment was paid, or
	// for one never paid when it was started.
	From, To    time.Time
	Status      string
	ServiceSlug string
}

// Totals sums a list per currency.
type Totals struct {
	Count      int
	ByCurrency []CurrencyTotal // sorted by currency
}

// CurrencyTotal is the money of one currency in a list: Received counts
// settled and flagged payments, Net is Received minus Refunded.
type CurrencyTotal struct {
	Currency string
	Payments int // settled or flagged
	Received int64
	Refunded int64
	Net      int64
}

// List returns the payments a filter selects, newest first, with their totals.
func (s *Service) List(ctx context.Context, f Filter) ([]Payment, Totals, error) {
	var where []string
	var args []any
	if !f.From.IsZero() {
		where, args = append(where, `COALESCE(paid_at, created_at) >= ?`), append(args, f.From.Unix())
	}
	if !f.To.IsZero() {
		where, args = append(where, `COALESCE(paid_at, created_at) < ?`), append(args, f.To.Unix())
	}
	if f.Status != "" {
		where, args = append(where, `status = ?`), append(args, f.Status)
	}
	if f.ServiceSlug != "" {
		where, args = append(where, `service_slug = ?`), append(args, f.ServiceSlug)
	}
	query := `SELECT ` + paymentColumns + ` FROM payments`
	if len(where) > 0 {
		query += ` WHERE ` + strings.Join(where, ` AND `)
	}
	query += ` ORDER BY COALESCE(paid_at, created_at) DESC, id`
	ps, err := s.listPayments(ctx, s.db.SQL(), query, args...)
	if err != nil {
		return nil, Totals{}, err
	}
	return ps, Total(ps), nil
}

// Total sums payments per currency.
func Total(ps []Payment) Totals {
	t := Totals{Count: len(ps)}
	byCur := map[string]*CurrencyTotal{}
	for _, p := range ps {
		if !p.Settled() && p.Status != StatusFlagged {
			continue
		}
		c := byCur[p.Currency]
		if c == nil {
			c = &CurrencyTotal{Currency: p.Currency}
			byCur[p.Currency] = c
		}
		c.Payments++
		c.Received += p.AmountReceived
		c.Refunded += p.RefundedAmount
		c.Net = c.Received - c.Refunded
	}
	for _, c := range byCur {
		t.ByCurrency = append(t.ByCurrency, *c)
	}
	slices.SortFunc(t.ByCurrency, func(a, b CurrencyTotal) int { return strings.Compare(a.Currency, b.Currency) })
	return t
}

// csvHeader names WriteCSV's columns. Amounts are decimal in the currency's
// major unit (12.50), times RFC 3339 in UTC.
var csvHeader = []string{"payment_id", "reference", "service", "attempt", "status", "currency", "amount",
	"received", "refunded", "net", "provider", "session_id", "payment_intent", "card_brand", "card_last4",
	"created_at", "paid_at", "flag_reason"}

// WriteCSV writes payments for reconciliation with the provider's reports.
func WriteCSV(w io.Writer, payments []Payment) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	for _, p := range payments {
		paid := ""
		if !p.PaidAt.IsZero() {
			paid = p.PaidAt.UTC().Format(time.RFC3339)
		}
		row := []string{strconv.FormatInt(p.ID, 10), p.Reference, p.ServiceSlug, strconv.Itoa(p.Attempt), p.Status,
			strings.ToUpper(p.Currency), FormatAmount(p.Amount, p.Currency), FormatAmount(p.AmountReceived, p.Currency),
			FormatAmount(p.RefundedAmount, p.Currency), FormatAmount(p.AmountReceived-p.RefundedAmount, p.Currency),
			p.Provider, p.SessionID, p.PaymentIntent, p.CardBrand, p.CardLast4,
			p.CreatedAt.UTC().Format(time.RFC3339), paid, p.FlagReason}
		for i := range row {
			row[i] = csvSafe(row[i])
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// csvSafe keeps a spreadsheet from reading a cell as a formula.
func csvSafe(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		if _, err := strconv.ParseFloat(v, 64); err != nil {
			return "'" + v
		}
	}
	return v
}

// zeroDecimal are the currencies without minor units, as Stripe lists them.
var zeroDecimal = []string{"bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd", "vuv", "xaf", "xof", "xpf"}

// FormatAmount writes minor units in the major unit: 1250 eur is "12.50",
// 500 jpy is "500".
func FormatAmount(minor int64, currency string) string {
	if slices.Contains(zeroDecimal, strings.ToLower(currency)) {
		return strconv.FormatInt(minor, 10)
	}
	sign := ""
	if minor < 0 {
		sign, minor = "-", -minor
	}
	return fmt.Sprintf("%s%d.%02d", sign, minor/100, minor%100)
}

// Receipt is what a payment receipt shows.
type Receipt struct {
	PaymentID      int64
	Reference      string
	ServiceSlug    string
	ServiceTitle   string
	Lang           string
	Amount         int64 // what was charged
	Currency       string
	PaidAt         time.Time
	CardBrand      string // "" when the provider did not give it
	CardLast4      string
	Provider       string
	Status         string
	Refunds        []Refund // succeeded ones, oldest first
	RefundedAmount int64
}

// Receipt returns the receipt of a settled payment; ErrNotFound for any
// other, so that a receipt exists only for money received.
func (s *Service) Receipt(ctx context.Context, paymentID int64) (Receipt, error) {
	p, err := s.Payment(ctx, paymentID)
	if err != nil {
		return Receipt{}, err
	}
	if !p.Settled() {
		return Receipt{}, fmt.Errorf("%w: payment %d is %s, not paid", ErrNotFound, p.ID, p.Status)
	}
	refunds, err := s.listRefunds(ctx, `WHERE payment_id = ? AND status = 'succeeded' ORDER BY created_at, id`, p.ID)
	if err != nil {
		return Receipt{}, err
	}
	return Receipt{
		PaymentID: p.ID, Reference: p.Reference, ServiceSlug: p.ServiceSlug, ServiceTitle: p.ServiceTitle,
		Lang: p.Lang, Amount: p.AmountReceived, Currency: p.Currency, PaidAt: p.PaidAt, CardBrand: p.CardBrand,
		CardLast4: p.CardLast4, Provider: p.Provider, Status: p.Status, Refunds: refunds, RefundedAmount: p.RefundedAmount,
	}, nil
}
