package payments

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"sportello/notify"
)

// ErrCannotFulfil is what a Fulfiller wraps when the application can no
// longer take its payment (withdrawn, closed): the money was taken all the
// same, so the payment is flagged for staff (who refund it) instead of the
// event failing for ever. The Fulfiller's statements before the error are
// undone; the rest of the event's effects stay.
var ErrCannotFulfil = errors.New("payments: the application cannot take this payment")

// ResultDuplicate is returned, not stored, for an event already processed.
const ResultDuplicate = "duplicate"

// HandleWebhook verifies and processes a provider webhook. payload must be
// the raw request body, byte for byte. It returns ErrBadSignature (respond
// 400; nothing was recorded), ErrBadEvent (400), another error when the
// database or the Fulfiller failed (respond 500 so that the provider retries
// later), or nil (respond 200) — also for an event already processed and for
// an event about a session Sportello does not know, which is recorded as
// unknown_session and logged, because retrying it would never succeed.
func (s *Service) HandleWebhook(ctx context.Context, payload []byte, sigHeader string) error {
	ev, err := s.provider.ParseWebhook(payload, sigHeader)
	if err != nil {
		s.log.WarnContext(ctx, "payments: webhook refused", "provider", s.provider.Name(), "err", err)
		return err
	}
	if ev.Provider == "" {
		ev.Provider = s.provider.Name()
	}
	if isPaidEvent(ev) && ev.CardBrand == "" && s.worthEnriching(ctx, ev) {
		// Events carry no card details; the receipt shows them when the
		// provider gives them. Without them the payment is still paid.
		if sess, err := s.provider.GetSession(ctx, ev.SessionID); err == nil {
			ev.CardBrand, ev.CardLast4 = sess.CardBrand, sess.CardLast4
			if ev.PaymentIntent == "" {
				ev.PaymentIntent = sess.PaymentIntent
			}
		} else {
			s.log.WarnContext(ctx, "payments: could not read the card details of a paid session", "event_id", ev.ID, "payment_id", ev.PaymentID, "err", err)
		}
	}
	result, err := s.process(ctx, ev)
	if err != nil {
		s.log.ErrorContext(ctx, "payments: processing a webhook failed; the provider will retry it", "event_id", ev.ID, "type", ev.Type, "err", err)
		return err
	}
	s.log.InfoContext(ctx, "payments: webhook processed", "event_id", ev.ID, "type", ev.Type, "payment_id", ev.PaymentID, "result", result)
	return nil
}

func isPaidEvent(ev Event) bool {
	return (ev.Type == EventCheckoutCompleted || ev.Type == EventCheckoutAsyncSucceeded) && ev.PaymentStatus == PaymentStatusPaid
}

// worthEnriching reports whether asking the provider for a paid event's card
// details can serve: the event is new and about a session of ours.
func (s *Service) worthEnriching(ctx context.Context, ev Event) bool {
	if ev.SessionID == "" {
		return false
	}
	var seen, ours int
	err := s.db.SQL().QueryRowContext(ctx, s.q(`SELECT
		(SELECT COUNT(*) FROM payment_events WHERE event_id = ?),
		(SELECT COUNT(*) FROM payments WHERE provider = ? AND session_id = ?)`),
		ev.ID, ev.Provider, ev.SessionID).Scan(&seen, &ours)
	return err == nil && seen == 0 && ours > 0
}

// process stores an event by id and applies it, in one transaction, once:
// the insert of its id is what a second delivery, even a simultaneous one,
// collides with. On PostgreSQL the second insert waits for the first
// transaction and then does nothing; on SQLite the transactions take turns.
func (s *Service) process(ctx context.Context, ev Event) (result string, err error) {
	if ev.ID == "" || ev.Type == "" {
		return "", fmt.Errorf("%w: an event without id or type", ErrBadEvent)
	}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		result, err = s.processIn(ctx, tx, ev)
		return err
	})
	if err == nil {
		s.count(result, 1)
	}
	return result, err
}

// processIn records and applies ev within tx (see process).
func (s *Service) processIn(ctx context.Context, tx *sql.Tx, ev Event) (string, error) {
	res, err := tx.ExecContext(ctx, s.q(`INSERT INTO payment_events (event_id, provider, type, session_id,
		received_at, result) VALUES (?, ?, ?, ?, ?, '') ON CONFLICT (event_id) DO NOTHING`),
		ev.ID, ev.Provider, ev.Type, ev.SessionID, s.now().Unix())
	if err != nil {
		return "", s.mapErr(err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return ResultDuplicate, s.mapErr(err)
	}
	result, paymentID, err := s.apply(ctx, tx, ev)
	if err != nil {
		return "", err
	}
	_, err = tx.ExecContext(ctx, s.q(`UPDATE payment_events SET result = ?, payment_id = ? WHERE event_id = ?`),
		result, paymentID, ev.ID)
	return result, s.mapErr(err)
}

// count adds n changes with an event's result to the payments metric;
// results that change nothing (a duplicate, an unknown session, funds
// still on their way) are not counted.
func (s *Service) count(result string, n int) {
	label := result
	switch result {
	case ResultPaid, ResultFlagged, ResultFailed, ResultExpired, ResultCancelled:
	case ResultRefunded:
		label = "refunded"
	default:
		return
	}
	for range n {
		s.metrics.Payment(label)
	}
}

// countRows counts the payments an UPDATE changed.
func (s *Service) countRows(result string, res sql.Result) {
	if n, err := res.RowsAffected(); err == nil {
		s.count(result, int(n))
	}
}

// apply makes an event's change to its payment.
func (s *Service) apply(ctx context.Context, tx *sql.Tx, ev Event) (string, sql.NullInt64, error) {
	switch ev.Type {
	case EventCheckoutCompleted, EventCheckoutAsyncSucceeded, EventCheckoutAsyncFailed, EventCheckoutExpired,
		EventPaymentFailed, EventCheckoutCancelled, EventChargeRefunded:
	default:
		return ResultIgnored, sql.NullInt64{}, nil
	}
	p, err := s.findForEvent(ctx, tx, ev)
	if errors.Is(err, ErrNotFound) {
		s.log.WarnContext(ctx, "payments: event about a session Sportello does not know", "event_id", ev.ID,
			"type", ev.Type, "payment_id", ev.PaymentID, "payment_intent", ev.PaymentIntent)
		return ResultUnknownSession, sql.NullInt64{}, nil
	}
	if err != nil {
		return "", sql.NullInt64{}, err
	}
	id := sql.NullInt64{Int64: p.ID, Valid: true}
	var result string
	switch ev.Type {
	case EventCheckoutCompleted, EventCheckoutAsyncSucceeded:
		if ev.PaymentStatus != PaymentStatusPaid {
			// A bank debit completes the checkout before the money arrives;
			// async_payment_succeeded or _failed follows.
			return ResultAwaitingFunds, id, nil
		}
		result, err = s.applyPaid(ctx, tx, p, ev)
	case EventCheckoutAsyncFailed, EventPaymentFailed:
		msg := ev.FailureMessage
		if msg == "" {
			msg = "the payment failed"
		}
		result, err = s.closeAttempt(ctx, tx, p, StatusFailed, msg)
	case EventCheckoutExpired:
		result, err = s.closeAttempt(ctx, tx, p, StatusExpired, "the checkout expired")
	case EventCheckoutCancelled:
		result, err = s.closeAttempt(ctx, tx, p, StatusCancelled, "the applicant left the checkout")
	case EventChargeRefunded:
		result, err = s.applyRefunded(ctx, tx, p, ev)
	}
	return result, id, err
}

// findForEvent finds and locks the payment an event is about: by session,
// else by payment intent, else by the payment id Sportello put in the
// metadata (a payment intent's failure names no session).
func (s *Service) findForEvent(ctx context.Context, tx *sql.Tx, ev Event) (Payment, error) {
	lookups := []struct {
		ok    bool
		where string
		arg   any
	}{
		{ev.SessionID != "", `provider = ? AND session_id = ?`, ev.SessionID},
		{ev.PaymentIntent != "", `provider = ? AND payment_intent_id = ?`, ev.PaymentIntent},
		{ev.PaymentID != 0, `provider = ? AND id = ?`, ev.PaymentID},
	}
	for _, l := range lookups {
		if !l.ok {
			continue
		}
		p, err := s.getPayment(ctx, tx, l.where, true, ev.Provider, l.arg)
		if errors.Is(err, ErrNotFound) {
			continue
		}
		return p, err
	}
	return Payment{}, ErrNotFound
}

// applyPaid records a verified "paid" from the provider. The money is real
// whatever the attempt's state, so it is either the application's payment or
// a matter for staff; it is never dropped.
func (s *Service) applyPaid(ctx context.Context, tx *sql.Tx, p Payment, ev Event) (string, error) {
	if p.Settled() || p.Status == StatusFlagged {
		return ResultNoChange, nil // recorded by an earlier event (a webhook after Confirm)
	}
	var flag string
	if ev.AmountTotal != p.Amount || !strings.EqualFold(ev.Currency, p.Currency) {
		flag = fmt.Sprintf("the provider reports %d %s paid, but the fee was %d %s", ev.AmountTotal, strings.ToLower(ev.Currency), p.Amount, p.Currency)
	}
	if flag == "" {
		var other sql.NullInt64
		err := tx.QueryRowContext(ctx, s.q(`SELECT MIN(attempt) FROM payments WHERE application_id = ? AND id <> ?
			AND status IN `+sqlSettled), p.ApplicationID, p.ID).Scan(&other)
		if err != nil {
			return "", s.mapErr(err)
		}
		if other.Valid {
			flag = fmt.Sprintf("paid twice: attempt %d of %s is already paid", other.Int64, p.Reference)
		}
	}
	now := s.now().Unix()
	p.AmountReceived = ev.AmountTotal
	p.PaymentIntent = ev.PaymentIntent
	p.CardBrand, p.CardLast4 = ev.CardBrand, ev.CardLast4
	if flag != "" {
		return ResultFlagged, s.flag(ctx, tx, p, flag)
	}
	// The application is paid: no other attempt of it may be paid now. Their
	// sessions expire at the provider on their own; a charge on one of them
	// would arrive here and be flagged.
	if _, err := tx.ExecContext(ctx, s.q(`UPDATE payments SET status = 'cancelled', failure_reason = ?, updated_at = ?
		WHERE application_id = ? AND id <> ? AND status IN `+sqlOpen),
		fmt.Sprintf("superseded by attempt %d, which was paid", p.Attempt), now, p.ApplicationID, p.ID); err != nil {
		return "", s.mapErr(err)
	}
	if _, err := tx.ExecContext(ctx, s.q(`UPDATE payments SET status = 'paid', amount_received = ?,
		payment_intent_id = ?, card_brand = ?, card_last4 = ?, paid_at = ?, updated_at = ? WHERE id = ?`),
		p.AmountReceived, nullIfEmpty(p.PaymentIntent), p.CardBrand, p.CardLast4, now, now, p.ID); err != nil {
		return "", s.mapErr(err)
	}
	p.Status = StatusPaid
	p.PaidAt = unix(now)
	p.UpdatedAt = p.PaidAt
	if _, err := tx.ExecContext(ctx, `SAVEPOINT fulfil`); err != nil {
		return "", s.mapErr(err)
	}
	// The receipt is told only with the application moved on: a payment
	// the application cannot take goes to staff, and is not confirmed.
	if err := s.tell(ctx, tx, p, notify.PaymentReceived, "paid", money(p.AmountReceived, p.Currency)); err != nil {
		return "", err
	}
	if err := s.fulfiller.PaymentSucceeded(ctx, tx, p); err != nil {
		if !errors.Is(err, ErrCannotFulfil) {
			return "", fmt.Errorf("payments: the application of payment %d was not moved on: %w", p.ID, err)
		}
		if _, rerr := tx.ExecContext(ctx, `ROLLBACK TO SAVEPOINT fulfil`); rerr != nil {
			return "", s.mapErr(rerr)
		}
		return ResultFlagged, s.flag(ctx, tx, p, "paid, but the application cannot take it: "+err.Error())
	}
	if _, err := tx.ExecContext(ctx, `RELEASE SAVEPOINT fulfil`); err != nil {
		return "", s.mapErr(err)
	}
	return ResultPaid, nil
}

// flag sets a payment aside for staff, keeping what the provider reported.
func (s *Service) flag(ctx context.Context, tx *sql.Tx, p Payment, reason string) error {
	s.log.ErrorContext(ctx, "payments: payment flagged for staff", "payment_id", p.ID, "reference", p.Reference, "reason", reason)
	_, err := tx.ExecContext(ctx, s.q(`UPDATE payments SET status = 'flagged', flag_reason = ?, amount_received = ?,
		payment_intent_id = ?, card_brand = ?, card_last4 = ?, updated_at = ? WHERE id = ?`),
		reason, p.AmountReceived, nullIfEmpty(p.PaymentIntent), p.CardBrand, p.CardLast4, s.now().Unix(), p.ID)
	return s.mapErr(err)
}

// closeAttempt ends an open attempt unpaid, which lets the applicant start
// another. A closed attempt stays as it is.
func (s *Service) closeAttempt(ctx context.Context, tx *sql.Tx, p Payment, status, reason string) (string, error) {
	if !p.Open() {
		return ResultNoChange, nil
	}
	_, err := tx.ExecContext(ctx, s.q(`UPDATE payments SET status = ?, failure_reason = ?, updated_at = ?
		WHERE id = ? AND status IN `+sqlOpen), status, reason, s.now().Unix(), p.ID)
	if err != nil {
		return "", s.mapErr(err)
	}
	switch status {
	case StatusFailed:
		return ResultFailed, s.tell(ctx, tx, p, notify.PaymentFailed, "failed", map[string]string{"reason": "failed"})
	case StatusExpired:
		return ResultExpired, s.tell(ctx, tx, p, notify.PaymentFailed, "expired", map[string]string{"reason": "expired"})
	}
	return ResultCancelled, nil
}

// applyRefunded records the provider's cumulative refunded amount, which
// also covers refunds made in the provider's dashboard.
func (s *Service) applyRefunded(ctx context.Context, tx *sql.Tx, p Payment, ev Event) (string, error) {
	if (!p.Settled() && p.Status != StatusFlagged) || ev.AmountRefunded <= p.RefundedAmount {
		return ResultNoChange, nil
	}
	refunded := ev.AmountRefunded
	status := p.Status
	if p.Settled() {
		status = StatusPartiallyRefunded
		if refunded >= p.AmountReceived {
			status = StatusRefunded
		}
	}
	_, err := tx.ExecContext(ctx, s.q(`UPDATE payments SET refunded_amount = ?, status = ?, updated_at = ? WHERE id = ?`),
		refunded, status, s.now().Unix(), p.ID)
	if err != nil {
		return "", s.mapErr(err)
	}
	return ResultRefunded, s.tellRefunded(ctx, tx, p, refunded)
}

func nullIfEmpty(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }
