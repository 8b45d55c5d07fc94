package payments

import (
	"context"
	"database/sql"
	"fmt"
)

// What this area holds about a person, for their "Your data" page, and what
// deleting their account does to it.

// PersonPayment is one of a person's payments with its refunds.
type PersonPayment struct {
	Payment
	Refunds []Refund
}

// ForPerson returns the payments made by personID (signed in when they
// started the checkout), newest first, each with its refunds.
func (s *Service) ForPerson(ctx context.Context, personID int64) ([]PersonPayment, error) {
	ps, err := s.listPayments(ctx, s.db.SQL(), `SELECT `+paymentColumns+` FROM payments WHERE person_id = ? ORDER BY created_at DESC, id`, personID)
	if err != nil {
		return nil, fmt.Errorf("payments: reading the payments of a person: %w", err)
	}
	out := make([]PersonPayment, 0, len(ps))
	for _, p := range ps {
		rs, err := s.Refunds(ctx, p.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, PersonPayment{Payment: p, Refunds: rs})
	}
	return out, nil
}

// ErasePerson is the payments area's part in deleting personID's account
// (accounts.Eraser), within tx. Payment records are kept for the accounts,
// as their application is: they are only cut from the person. The
// contact address stays, as it does on the application, for news of a
// refund.
func (s *Service) ErasePerson(ctx context.Context, tx *sql.Tx, personID int64) error {
	if _, err := tx.ExecContext(ctx, s.q(`UPDATE payments SET person_id = NULL WHERE person_id = ?`), personID); err != nil {
		return fmt.Errorf("payments: erasing a person: %w", s.db.MapError(err))
	}
	return nil
}
