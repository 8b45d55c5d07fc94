package payments

import (
	"context"
	"database/sql"
	"strconv"

	"sportello/notify"
)

// What the applicant is told of a payment (package notify), always in the
// transaction that records it, and so once, however many times the
// provider's event arrives or Reconcile and Confirm ask again (the event's
// id is stored once; the notification's key is unique besides):
//
//   - paid, and taken by the application: PaymentReceived, key
//     "payment:<id>:paid". A payment set aside for staff (flagged: a wrong
//     amount, paid twice, or an application that can no longer take it) is
//     not confirmed to the applicant: staff look at it, and a refund, when
//     they make one, is told;
//   - declined or failed: PaymentFailed, reason "failed", key
//     "payment:<id>:failed";
//   - the checkout expired unpaid: PaymentFailed, reason "expired", key
//     "payment:<id>:expired";
//   - money given back: RefundMade with the amount of this refund, key
//     "payment:<id>:refunded:<total refunded so far>". The provider's
//     charge.refunded and Sportello's own record of the refund it asked for
//     both raise the total; whichever comes first raises it and tells, the
//     other finds it raised and tells nothing.
//
// Not the applicant leaving the checkout (cancelled), which they did
// themselves, nor an attempt closed before the applicant reached the
// provider (abandoned, or refused at the start: the page said so).

// tell adds a notification about p, of what happened to it, within tx.
func (s *Service) tell(ctx context.Context, tx *sql.Tx, p Payment, kind notify.Kind, what string, data map[string]string) error {
	if p.PersonID == 0 && p.ContactEmail == "" {
		return nil // paid before payments knew whom to tell, or nobody to tell
	}
	id := strconv.FormatInt(p.ID, 10)
	data["ref"], data["service"], data["payment"] = p.Reference, p.ServiceSlug, id
	e := notify.Event{Kind: kind, Key: "payment:" + id + ":" + what, PersonID: p.PersonID, Lang: p.Lang, Data: data}
	if p.PersonID == 0 {
		e.Address = p.ContactEmail
	}
	return notify.Add(ctx, s.db, tx, s.now(), e)
}

func money(amount int64, currency string) map[string]string {
	return map[string]string{"amount": strconv.FormatInt(amount, 10), "currency": currency}
}

// tellRefunded tells of a refund that took p's refunded total from what
// p says to total.
func (s *Service) tellRefunded(ctx context.Context, tx *sql.Tx, p Payment, total int64) error {
	return s.tell(ctx, tx, p, notify.RefundMade, "refunded:"+strconv.FormatInt(total, 10), money(total-p.RefundedAmount, p.Currency))
}
