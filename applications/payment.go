package applications

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"sportello/calendar"
	"sportello/catalogue"
	"sportello/payments"
)

// The store is the payments.Fulfiller: a confirmed payment moves its
// application on in the payment's own transaction.
var _ payments.Fulfiller = (*Store)(nil)

const (
	qPaymentTarget = `SELECT reference, status, created_at, due_date FROM applications WHERE id = ?`
	// Paying a fee due on application is what sends the application to the
	// council: it is submitted now, and its due date counts from now.
	qSubmitPaid = `UPDATE applications SET status = ?, submitted_at = ?, due_date = ?, updated_at = ?
	WHERE id = ? AND status = ?`
)

// PaymentSucceeded implements payments.Fulfiller: a fee due on application
// moves the application from awaiting_payment to submitted, a fee due on
// approval from approved to paid, with a history entry by the system. It
// uses tx only, as the Fulfiller must. An application that can no longer
// take the payment (withdrawn while the applicant was paying, say) is
// payments.ErrCannotFulfil, so that the payment is set aside for staff to
// refund.
func (s *Store) PaymentSucceeded(ctx context.Context, tx *sql.Tx, p payments.Payment) error {
	var from, to Status
	switch p.FeeWhen {
	case catalogue.FeeOnApplication:
		from, to = StatusAwaitingPayment, StatusSubmitted
	case catalogue.FeeOnApproval:
		from, to = StatusApproved, StatusPaid
	default:
		return fmt.Errorf("%w: payment %d is for a fee due %q, neither %s nor %s", payments.ErrCannotFulfil, p.ID, p.FeeWhen, catalogue.FeeOnApplication, catalogue.FeeOnApproval)
	}
	var ref, current string
	var created time.Time
	var due sql.NullString
	err := tx.QueryRowContext(ctx, s.q(qPaymentTarget), p.ApplicationID).Scan(&ref, &current, &created, &due)
	if err != nil {
		err = s.db.MapError(err)
		if errors.Is(err, ErrNotFound) {
			return fmt.Errorf("%w: application %d (%s) does not exist", payments.ErrCannotFulfil, p.ApplicationID, p.Reference)
		}
		return err
	}
	if ref != p.Reference {
		return fmt.Errorf("%w: payment %d names application %s, but application %d is %s", payments.ErrCannotFulfil, p.ID, p.Reference, p.ApplicationID, ref)
	}
	if Status(current) != from || !Allowed(from, to, RoleSystem) {
		return fmt.Errorf("%w: application %s is %s, not %s", payments.ErrCannotFulfil, ref, current, from)
	}
	now := s.clock(time.Time{})
	days, err := s.days(ctx, tx)
	if err != nil {
		return err
	}
	var res sql.Result
	moved := s.movedDue(days, created, due, now)
	if to == StatusSubmitted {
		res, err = tx.ExecContext(ctx, s.q(qSubmitPaid), string(to), now, moved, now, p.ApplicationID, current)
	} else {
		res, err = tx.ExecContext(ctx, s.q(qUpdateStatus), string(to), now, p.ApplicationID, current)
	}
	if err != nil {
		return s.db.MapError(err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		// Changed by another transaction since it was read: the provider's
		// retry finds it as it is now.
		return fmt.Errorf("%w: application %s changed while its payment was recorded", ErrConflict, ref)
	}
	var seq int
	if err := tx.QueryRowContext(ctx, s.q(qNextSeq), p.ApplicationID).Scan(&seq); err != nil {
		return s.db.MapError(err)
	}
	if err := s.insertEvent(ctx, tx, p.ApplicationID, seq, now, Actor{Role: RoleSystem}, from, to, ""); err != nil {
		return err
	}
	// Paid on application, it reaches the council now. Paid on approval,
	// the payment's receipt says all there is to say.
	if to == StatusSubmitted {
		if err := s.tellReceived(ctx, tx, now, p.ApplicationID, moved); err != nil {
			return err
		}
	}
	s.log.InfoContext(ctx, "application paid", "reference", ref, "payment_id", p.ID, "to", to)
	return nil
}

// movedDue keeps the application's processing time, in working days, but
// counts it from paid, the day the council receives it, instead of the day
// it was sent. No due date stays none.
func (s *Store) movedDue(days calendar.Days, created time.Time, due sql.NullString, paid time.Time) any {
	if !due.Valid || due.String == "" {
		return nil
	}
	n, err := days.Between(s.date(created), due.String)
	if err != nil {
		return due.String
	}
	moved, err := days.Add(s.date(paid), n)
	if err != nil {
		return due.String
	}
	return moved
}
