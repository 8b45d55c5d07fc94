package payments

import (
	"context"
	"crypto/rand"
	"errors"
	"time"

	"sportello/store"
)

// The SQL of the package, written with ? and passed through Rebind. The one
// dialect difference, row locks, is store.DB.ForUpdate.

const paymentColumns = `id, application_id, reference, service_slug, service_title, lang, fee_when,
	attempt, provider, idempotency_key, COALESCE(session_id, ''), checkout_url, amount, currency,
	status, flag_reason, failure_reason, amount_received, refunded_amount,
	COALESCE(payment_intent_id, ''), card_brand, card_last4, created_at, expires_at,
	COALESCE(paid_at, 0), updated_at, COALESCE(person_id, 0), contact_email, method, method_reference,
	COALESCE(recorded_by, 0)`

const refundColumns = `id, payment_id, amount, reason, staff_person_id, provider_refund_id,
	status, failure_reason, created_at`

// open and settled statuses as SQL lists.
const (
	sqlOpen    = `('created', 'pending')`
	sqlSettled = `('paid', 'partially_refunded', 'refunded')`
)

func scanPayment(row store.Scanner) (Payment, error) {
	var p Payment
	var created, expires, paid, updated int64
	err := row.Scan(&p.ID, &p.ApplicationID, &p.Reference, &p.ServiceSlug, &p.ServiceTitle, &p.Lang,
		&p.FeeWhen, &p.Attempt, &p.Provider, &p.IdempotencyKey, &p.SessionID, &p.CheckoutURL,
		&p.Amount, &p.Currency, &p.Status, &p.FlagReason, &p.FailureReason, &p.AmountReceived,
		&p.RefundedAmount, &p.PaymentIntent, &p.CardBrand, &p.CardLast4, &created, &expires,
		&paid, &updated, &p.PersonID, &p.ContactEmail, &p.Method, &p.MethodReference, &p.RecordedBy)
	if err != nil {
		return Payment{}, err
	}
	p.CreatedAt = unix(created)
	p.ExpiresAt = unix(expires)
	p.PaidAt = unix(paid)
	p.UpdatedAt = unix(updated)
	return p, nil
}

func scanRefund(row store.Scanner) (Refund, error) {
	var r Refund
	var created int64
	err := row.Scan(&r.ID, &r.PaymentID, &r.Amount, &r.Reason, &r.StaffPersonID,
		&r.ProviderRefundID, &r.Status, &r.FailureReason, &created)
	r.CreatedAt = unix(created)
	return r, err
}

// unix turns stored seconds into a time; 0 is "never", the zero time.
func unix(s int64) time.Time {
	if s == 0 {
		return time.Time{}
	}
	return time.Unix(s, 0).UTC()
}

// q rebinds a query for the dialect.
func (s *Service) q(query string) string { return s.db.Rebind(query) }

// getPayment reads one payment, locking it when lock is true (inside tx).
func (s *Service) getPayment(ctx context.Context, db store.Querier, where string, lock bool, args ...any) (Payment, error) {
	query := `SELECT ` + paymentColumns + ` FROM payments WHERE ` + where
	if lock {
		query += s.db.ForUpdate()
	}
	p, err := scanPayment(db.QueryRowContext(ctx, s.q(query), args...))
	if err != nil {
		return Payment{}, s.mapErr(err)
	}
	return p, nil
}

func (s *Service) listPayments(ctx context.Context, db store.Querier, query string, args ...any) ([]Payment, error) {
	out, err := store.Query(ctx, db, s.q(query), scanPayment, args...)
	return out, s.mapErr(err)
}

// mapErr turns the driver's "no rows" into ErrNotFound and keeps the rest.
func (s *Service) mapErr(err error) error {
	err = s.db.MapError(err)
	if errors.Is(err, store.ErrNotFound) && !errors.Is(err, ErrNotFound) {
		return ErrNotFound
	}
	return err
}

// randomToken returns n random bytes as lower-case hex.
func randomToken(n int) string {
	const hexdigits = "0123456789abcdef"
	b := make([]byte, n)
	rand.Read(b)
	out := make([]byte, 2*n)
	for i, c := range b {
		out[2*i], out[2*i+1] = hexdigits[c>>4], hexdigits[c&15]
	}
	return string(out)
}
