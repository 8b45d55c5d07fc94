package payments

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Confirm is for the success page: it asks the provider about the session
// and, when the provider says paid or expired, processes that exactly as the
// webhook would have. The page says "payment received" only when the
// returned payment is Settled, and "we're confirming your payment" while it
// is still Open. The success URL itself proves nothing: anyone can type it.
// The caller must check that the payment's application belongs to the
// signed-in applicant before showing anything.
func (s *Service) Confirm(ctx context.Context, sessionID string) (Payment, error) {
	p, err := s.PaymentBySession(ctx, sessionID)
	if err != nil {
		return Payment{}, err
	}
	if p.Open() {
		if err := s.syncSession(ctx, p); err != nil {
			// The page can still say "we're confirming": the webhook or
			// Reconcile will finish it.
			s.log.WarnContext(ctx, "payments: could not ask the provider about a session", "payment_id", p.ID, "err", err)
			return p, nil
		}
	}
	return s.Payment(ctx, p.ID)
}

// syncSession brings an open attempt to what the provider says of its
// session, through the event processing. The event ids are derived from the
// session and the outcome, so asking twice records one event.
func (s *Service) syncSession(ctx context.Context, p Payment) error {
	sess, err := s.provider.GetSession(ctx, p.SessionID)
	if err != nil {
		return fmt.Errorf("%w: reading the session of payment %d: %w", ErrProvider, p.ID, err)
	}
	ev := Event{Provider: p.Provider, SessionID: sess.ID, PaymentID: p.ID, PaymentStatus: sess.PaymentStatus,
		AmountTotal: sess.AmountTotal, Currency: sess.Currency, PaymentIntent: sess.PaymentIntent,
		CardBrand: sess.CardBrand, CardLast4: sess.CardLast4}
	switch {
	case sess.Status == SessionComplete && sess.PaymentStatus == PaymentStatusPaid:
		ev.ID, ev.Type = "sync_"+sess.ID+"_paid", EventCheckoutCompleted
	case sess.Status == SessionExpired:
		ev.ID, ev.Type = "sync_"+sess.ID+"_expired", EventCheckoutExpired
	default:
		return nil // open, or complete and waiting for a bank debit
	}
	_, err = s.process(ctx, ev)
	return err
}

// ReconcileReport says what a Reconcile run did.
type ReconcileReport struct {
	Checked   int // open attempts and pending refunds looked at
	Closed    int // attempts abandoned before the provider answered
	Refunds   int // pending refunds sent again
	Failures  int // items that could not be checked this time
	Remaining int // attempts still open after the run
}

// Reconcile brings the records to the provider's truth after a crash or a
// lost webhook: every pending attempt is compared with its session, every
// created attempt older than a few minutes (its provider answer was never
// recorded, so nobody can have paid it) is closed, and every refund left
// pending is sent again with its idempotency key. Run it every few minutes
// (the binary runs it as a background job, on one instance at a time); it
// is safe to run from several processes at once all the same.
func (s *Service) Reconcile(ctx context.Context) (ReconcileReport, error) {
	var rep ReconcileReport
	var errs []error
	now := s.now()
	open, err := s.listPayments(ctx, s.db.SQL(), `SELECT `+paymentColumns+` FROM payments WHERE status IN `+sqlOpen+` ORDER BY created_at`)
	if err != nil {
		return rep, err
	}
	for _, p := range open {
		rep.Checked++
		if p.Status == StatusCreated {
			if now.Sub(p.CreatedAt) < abandonAfter {
				rep.Remaining++
				continue
			}
			res, err := s.db.SQL().ExecContext(ctx, s.q(`UPDATE payments SET status = 'expired', failure_reason = ?,
				updated_at = ? WHERE id = ? AND status = 'created'`),
				"abandoned: the provider's answer was never recorded", now.Unix(), p.ID)
			if err != nil {
				errs = append(errs, s.mapErr(err))
				rep.Failures++
				continue
			}
			if n, _ := res.RowsAffected(); n == 1 {
				rep.Closed++
				s.count(ResultExpired, 1)
			}
			continue
		}
		if err := s.syncSession(ctx, p); err != nil {
			errs = append(errs, fmt.Errorf("payment %d: %w", p.ID, err))
			rep.Failures++
		}
		if q, err := s.Payment(ctx, p.ID); err == nil && q.Open() {
			rep.Remaining++
		}
	}
	pending, err := s.pendingRefunds(ctx, now.Add(-time.Minute))
	if err != nil {
		return rep, errors.Join(append(errs, err)...)
	}
	for _, r := range pending {
		rep.Checked++
		p, err := s.Payment(ctx, r.PaymentID)
		if err == nil {
			_, err = s.sendRefund(ctx, p, r)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("refund %d: %w", r.ID, err))
			rep.Failures++
			continue
		}
		rep.Refunds++
	}
	if len(errs) > 0 {
		s.log.WarnContext(ctx, "payments: reconciliation left some items for the next run", "failures", rep.Failures, "err", errors.Join(errs...))
	}
	return rep, errors.Join(errs...)
}
