package payments

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Refund refunds amount (minor units) of a paid payment through the
// provider, for a reason, on behalf of a member of staff. The refund is
// recorded as pending, with its idempotency key, under a lock of the payment
// and after checking that it fits in what was paid minus what is refunded
// or being refunded; only then is the provider asked. When the provider's
// answer is lost, the refund stays pending and Reconcile sends it again with
// the same key, so it is never made twice.
func (s *Service) Refund(ctx context.Context, paymentID, amount int64, reason string, staffPersonID int64) (Refund, error) {
	reason = strings.TrimSpace(reason)
	switch {
	case amount <= 0:
		return Refund{}, fmt.Errorf("%w: the refund amount must be positive, not %d", ErrInvalid, amount)
	case reason == "":
		return Refund{}, fmt.Errorf("%w: give the reason for the refund", ErrInvalid)
	case staffPersonID <= 0:
		return Refund{}, fmt.Errorf("%w: the refund needs the id of the member of staff making it", ErrInvalid)
	}
	var p Payment
	r := Refund{ID: newID(), PaymentID: paymentID, Amount: amount, Reason: reason, StaffPersonID: staffPersonID,
		Status: RefundPending, CreatedAt: s.now().UTC().Truncate(time.Second)}
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		p, err = s.getPayment(ctx, tx, `id = ?`, true, paymentID)
		if err != nil {
			return err
		}
		if (!p.Settled() && p.Status != StatusFlagged) || p.AmountReceived == 0 || p.PaymentIntent == "" {
			return fmt.Errorf("%w: payment %d is %s", ErrNotRefundable, p.ID, p.Status)
		}
		var inFlight int64
		err = tx.QueryRowContext(ctx, s.q(`SELECT COALESCE(SUM(amount), 0) FROM payment_refunds
			WHERE payment_id = ? AND status = 'pending'`), p.ID).Scan(&inFlight)
		if err != nil {
			return s.mapErr(err)
		}
		if left := p.AmountReceived - p.RefundedAmount - inFlight; amount > left {
			return fmt.Errorf("%w: %d asked, %d left of %d paid (%d refunded, %d being refunded)",
				ErrRefundTooLarge, amount, max(left, 0), p.AmountReceived, p.RefundedAmount, inFlight)
		}
		_, err = tx.ExecContext(ctx, s.q(`INSERT INTO payment_refunds (id, payment_id, amount, reason,
			staff_person_id, idempotency_key, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?)`),
			r.ID, p.ID, r.Amount, r.Reason, r.StaffPersonID, refundKey(r.ID), r.CreatedAt.Unix(), r.CreatedAt.Unix())
		return s.mapErr(err)
	})
	if err != nil {
		return Refund{}, err
	}
	s.log.InfoContext(ctx, "payments: refund requested", "payment_id", p.ID, "refund_id", r.ID, "amount", amount, "staff_person_id", staffPersonID)
	return s.sendRefund(ctx, p, r)
}

func refundKey(refundID int64) string { return "sportello-refund-" + strconv.FormatInt(refundID, 10) }

// sendRefund asks the provider for a pending refund and records the answer.
func (s *Service) sendRefund(ctx context.Context, p Payment, r Refund) (Refund, error) {
	providerID, err := s.provider.Refund(ctx, RefundRequest{
		PaymentID: p.ID, RefundID: r.ID, SessionID: p.SessionID, PaymentIntent: p.PaymentIntent,
		Amount: r.Amount, Currency: p.Currency, Reason: r.Reason, IdempotencyKey: refundKey(r.ID),
	})
	if err != nil {
		if !errors.Is(err, ErrProviderRefused) {
			// It may have been made: leave it pending for Reconcile.
			return r, fmt.Errorf("%w: refund %d is pending and will be sent again: %w", ErrProvider, r.ID, err)
		}
		_, uerr := s.db.SQL().ExecContext(ctx, s.q(`UPDATE payment_refunds SET status = 'failed', failure_reason = ?,
			updated_at = ? WHERE id = ? AND status = 'pending'`), err.Error(), s.now().Unix(), r.ID)
		r.Status, r.FailureReason = RefundFailed, err.Error()
		return r, errors.Join(fmt.Errorf("%w: refund %d: %w", ErrProvider, r.ID, err), s.mapErr(uerr))
	}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		p, err := s.getPayment(ctx, tx, `id = ?`, true, p.ID)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, s.q(`UPDATE payment_refunds SET status = 'succeeded', provider_refund_id = ?,
			updated_at = ? WHERE id = ? AND status = 'pending'`), providerID, s.now().Unix(), r.ID)
		if err != nil {
			return s.mapErr(err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil // another process recorded it
		}
		var succeeded int64
		if err := tx.QueryRowContext(ctx, s.q(`SELECT COALESCE(SUM(amount), 0) FROM payment_refunds
			WHERE payment_id = ? AND status = 'succeeded'`), p.ID).Scan(&succeeded); err != nil {
			return s.mapErr(err)
		}
		// The provider's charge.refunded may have counted this refund, or
		// one made in its dashboard, already: keep the larger figure.
		refunded := max(p.RefundedAmount, succeeded)
		status := p.Status
		if p.Settled() {
			status = StatusPartiallyRefunded
			if refunded >= p.AmountReceived {
				status = StatusRefunded
			}
		}
		_, err = tx.ExecContext(ctx, s.q(`UPDATE payments SET refunded_amount = ?, status = ?, updated_at = ? WHERE id = ?`),
			refunded, status, s.now().Unix(), p.ID)
		return s.mapErr(err)
	})
	if err != nil {
		return r, fmt.Errorf("payments: refund %d was made (provider id %s) but not recorded; Reconcile will record it: %w", r.ID, providerID, err)
	}
	r.Status, r.ProviderRefundID = RefundSucceeded, providerID
	s.log.InfoContext(ctx, "payments: refund made", "payment_id", p.ID, "refund_id", r.ID, "provider_refund_id", providerID)
	return r, nil
}

// Refunds returns a payment's refunds, oldest first.
func (s *Service) Refunds(ctx context.Context, paymentID int64) ([]Refund, error) {
	return s.listRefunds(ctx, `WHERE payment_id = ? ORDER BY created_at, id`, paymentID)
}

// pendingRefunds returns the refunds left pending since before.
func (s *Service) pendingRefunds(ctx context.Context, before time.Time) ([]Refund, error) {
	return s.listRefunds(ctx, `WHERE status = 'pending' AND created_at < ? ORDER BY created_at`, before.Unix())
}

func (s *Service) listRefunds(ctx context.Context, where string, args ...any) ([]Refund, error) {
	rows, err := s.db.SQL().QueryContext(ctx, s.q(`SELECT `+refundColumns+` FROM payment_refunds `+where), args...)
	if err != nil {
		return nil, s.mapErr(err)
	}
	defer rows.Close()
	var out []Refund
	for rows.Next() {
		r, err := scanRefund(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, s.mapErr(rows.Err())
}
