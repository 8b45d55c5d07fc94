package assist

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"

	"sportello/notify"
	"sportello/store"
)

// PaymentLink is the link to pay an application's fee that a member of
// staff emails to the resident.
type PaymentLink struct {
	Reference string
	Service   string // the catalogue slug
	Amount    int64  // minor units
	Currency  string
	// PersonID is the resident's sign-in when linked (their own address
	// then); else Email, the address recorded at the counter.
	PersonID int64
	Email    string
	Lang     string
}

// SendPaymentLink puts the payment link mail in the outbox and logs it, in
// one transaction. A resident with neither a sign-in nor an email cannot be
// sent one (ErrInvalid): take the payment at the counter instead.
func (s *Store) SendPaymentLink(ctx context.Context, v Visit, l PaymentLink) error {
	if l.PersonID == 0 && l.Email == "" {
		return fmt.Errorf("%w: the resident has no email to send a payment link to", ErrInvalid)
	}
	if l.Amount <= 0 || l.Reference == "" {
		return fmt.Errorf("%w: nothing to pay on this application", ErrInvalid)
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		now := s.clock()
		e := notify.Event{
			Kind: notify.PaymentLink, Key: "payment_link:" + l.Reference + ":" + strconv.FormatInt(store.NewID(), 10),
			PersonID: l.PersonID, Lang: l.Lang,
			Data: map[string]string{"ref": l.Reference, "service": l.Service, "amount": strconv.FormatInt(l.Amount, 10), "currency": l.Currency},
		}
		if l.PersonID == 0 {
			e.Address = l.Email
		}
		if err := notify.Add(ctx, s.db, tx, now, e); err != nil {
			return err
		}
		return s.LogIn(ctx, tx, v, ActionPaymentLink, l.Reference, "")
	})
}
