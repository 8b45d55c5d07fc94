package payments

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"sportello/catalogue"
	"sportello/store"
)

// RefundInput is what Refund needs.
type RefundInput struct {
	PaymentID     int64
	Amount        int64 // minor units
	Reason        string
	StaffPersonID int64 // the member of staff making the refund
	// RequestToken is the one-time token of the form the refund was asked
	// from (NewRefundToken, put in the form when it is shown). A form sent
	// twice, by a double click or a browser resending it, carries the same
	// token, and the second Refund returns the first's refund.
	RequestToken string
}

// maxRequestToken bounds a request token; NewRefundToken's are 32.
const maxRequestToken = 128

// NewRefundToken returns a refund form's one-time request token: 128
// random bits, so that no two forms share one. It is only stored when the
// form is sent, so showing a form costs no write.
func NewRefundToken() string { return randomToken(16) }

// Refund refunds in.Amount of a paid payment through the provider, for a
// reason, on behalf of a member of staff. The refund is recorded as pending,
// with its idempotency key and request token, under a lock of the payment
// and after checking that it fits in what was paid minus what is refunded
// or being refunded; only then is the provider asked. When the provider's
// answer is lost, the refund stays pending and Reconcile sends it again with
// the same key, so it is never made twice. A repeat of a request token
// makes no other refund and returns the one made with it as it stands now:
// pending while the first request waits for the provider, and with the
// provider's refusal as an error when it failed.
func (s *Service) Refund(ctx context.Context, in RefundInput) (Refund, error) {
	reason := strings.TrimSpace(in.Reason)
	switch {
	case in.Amount <= 0:
		return Refund{}, fmt.Errorf("%w: the refund amount must be positive, not %d", ErrInvalid, in.Amount)
	case reason == "":
		return Refund{}, fmt.Errorf("%w: give the reason for the refund", ErrInvalid)
	case in.StaffPersonID <= 0:
		return Refund{}, fmt.Errorf("%w: the refund needs the id of the member of staff making it", ErrInvalid)
	case in.RequestToken == "" || len(in.RequestToken) > maxRequestToken:
		return Refund{}, fmt.Errorf("%w: the refund needs the request token of its form (NewRefundToken), of at most %d characters", ErrInvalid, maxRequestToken)
	}
	var p Payment
	r := Refund{ID: store.NewID(), PaymentID: in.PaymentID, Amount: in.Amount, Reason: reason, StaffPersonID: in.StaffPersonID,
		Status: RefundPending, CreatedAt: s.now().UTC().Truncate(time.Second)}
	repeat := false
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		p, err = s.getPayment(ctx, tx, `id = ?`, true, in.PaymentID)
		if err != nil {
			return err
		}
		// Under the payment's lock, a repeat finds the first request's
		// refund even when both arrived together.
		switch prior, err := s.refundByToken(ctx, tx, p.ID, in.RequestToken); {
		case err == nil:
			r, repeat = prior, true
			return nil
		case !errors.Is(err, ErrNotFound):
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
		if left := p.AmountReceived - p.RefundedAmount - inFlight; in.Amount > left {
			return fmt.Errorf("%w: %d asked, %d left of %d paid (%d refunded, %d being refunded)",
				ErrRefundTooLarge, in.Amount, max(left, 0), p.AmountReceived, p.RefundedAmount, inFlight)
		}
		_, err = tx.ExecContext(ctx, s.q(`INSERT INTO payment_refunds (id, payment_id, amount, reason,
			staff_person_id, idempotency_key, request_token, status, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)`),
			r.ID, p.ID, r.Amount, r.Reason, r.StaffPersonID, refundKey(r.ID), in.RequestToken, r.CreatedAt.Unix(), r.CreatedAt.Unix())
		return s.mapErr(err)
	})
	if errors.Is(err, catalogue.ErrConflict) {
		// The lock lets the check above see any earlier refund with the
		// token; should a repeat still get past it, the unique index refuses
		// it, and it is answered like any other repeat.
		if prior, perr := s.refundByToken(ctx, s.db.SQL(), in.PaymentID, in.RequestToken); perr == nil {
			r, repeat, err = prior, true, nil
		}
	}
	if err != nil {
		return Refund{}, err
	}
	if repeat {
		s.log.InfoContext(ctx, "payments: refund asked again with the same request token; not made twice",
			"payment_id", r.PaymentID, "refund_id", r.ID, "status", r.Status, "staff_person_id", in.StaffPersonID)
		if r.Status == RefundFailed {
			return r, fmt.Errorf("%w: refund %d was refused: %s", ErrProvider, r.ID, r.FailureReason)
		}
		return r, nil
	}
	s.log.InfoContext(ctx, "payments: refund requested", "payment_id", p.ID, "refund_id", r.ID, "amount", in.Amount, "staff_person_id", in.StaffPersonID)
	return s.sendRefund(ctx, p, r)
}

// refundByToken returns the refund of payment paymentID made with a request
// token, or ErrNotFound.
func (s *Service) refundByToken(ctx context.Context, db store.Querier, paymentID int64, token string) (Refund, error) {
	r, err := scanRefund(db.QueryRowContext(ctx, s.q(`SELECT `+refundColumns+` FROM payment_refunds
		WHERE request_token = ?`), token))
	if err != nil {
		return Refund{}, s.mapErr(err)
	}
	if r.PaymentID != paymentID {
		return Refund{}, fmt.Errorf("%w: the request token was already used for refund %d of another payment; show the refund form again", ErrInvalid, r.ID)
	}
	return r, nil
}

func refundKey(refundID int64) string { return "sportello-refund-" + strconv.FormatInt(refundID, 10) }

// sendRefund asks the provider for a pending refund and records the answer.
func (s *Service) sendRefund(ctx context.Context, p Payment, r Refund) (Refund, error) {
	var providerID string
	var err error
	if p.Provider == ProviderCounter {
		// Money taken at the counter is handed back there: the member of
		// staff's refund is the record, with no provider to ask.
		providerID = "counter-refund-" + strconv.FormatInt(r.ID, 10)
	} else {
		providerID, err = s.provider.Refund(ctx, RefundRequest{
			PaymentID: p.ID, RefundID: r.ID, SessionID: p.SessionID, PaymentIntent: p.PaymentIntent,
			Amount: r.Amount, Currency: p.Currency, Reason: r.Reason, IdempotencyKey: refundKey(r.ID),
		})
	}
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
	grew := false
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
		grew = refunded > p.RefundedAmount
		status := p.Status
		if p.Settled() {
			status = StatusPartiallyRefunded
			if refunded >= p.AmountReceived {
				status = StatusRefunded
			}
		}
		_, err = tx.ExecContext(ctx, s.q(`UPDATE payments SET refunded_amount = ?, status = ?, updated_at = ? WHERE id = ?`),
			refunded, status, s.now().Unix(), p.ID)
		if err != nil || !grew {
			return s.mapErr(err)
		}
		return s.tellRefunded(ctx, tx, p, refunded)
	})
	if err != nil {
		return r, fmt.Errorf("payments: refund %d was made (provider id %s) but not recorded; Reconcile will record it: %w", r.ID, providerID, err)
	}
	if grew {
		// The provider's charge.refunded, when it counted this refund
		// first, was counted instead.
		s.count(ResultRefunded, 1)
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
	out, err := store.Query(ctx, s.db.SQL(), s.q(`SELECT `+refundColumns+` FROM payment_refunds `+where), scanRefund, args...)
	return out, s.mapErr(err)
}
