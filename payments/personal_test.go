package payments_test

import (
	"context"
	"database/sql"
	"testing"

	"sportello/notify/notifytest"
	"sportello/payments"
	"sportello/payments/internal/paytest"
	"sportello/store"
)

// A person's payments come with their refunds, newest first, and nobody
// else's; erasing the person keeps every payment record, cut from them.
func TestPaymentsOfAPerson(t *testing.T) {
	paytest.EachBackend(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db)
		notifytest.AddPeople(t, db, 41, 42)
		paid := e.startFor(t, 1, 41, "")
		e.choose(t, paid, payments.SimulatedPay)
		if _, err := e.svc.Refund(ctx, payments.RefundInput{PaymentID: paid.PaymentID, Amount: 250, Reason: "part", StaffPersonID: 7, RequestToken: payments.NewRefundToken()}); err != nil {
			t.Fatal(err)
		}
		e.clock.Advance(1e9)
		declined := e.startFor(t, 2, 41, "")
		e.choose(t, declined, payments.SimulatedDecline)
		other := e.startFor(t, 3, 42, "")

		got, err := e.svc.ForPerson(ctx, 41)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0].ID != declined.PaymentID || got[1].ID != paid.PaymentID {
			t.Fatalf("payments of 41: %+v", got)
		}
		if len(got[1].Refunds) != 1 || got[1].Refunds[0].Amount != 250 || len(got[0].Refunds) != 0 {
			t.Errorf("refunds: %+v, %+v", got[1].Refunds, got[0].Refunds)
		}

		if err := db.Tx(ctx, func(tx *sql.Tx) error { return e.svc.ErasePerson(ctx, tx, 41) }); err != nil {
			t.Fatal(err)
		}
		if got, err := e.svc.ForPerson(ctx, 41); err != nil || len(got) != 0 {
			t.Errorf("after erasing: %+v, %v", got, err)
		}
		kept := e.payment(t, paid.PaymentID)
		if kept.PersonID != 0 || kept.RefundedAmount != 250 || kept.Status != payments.StatusPartiallyRefunded {
			t.Errorf("the kept record: %+v", kept)
		}
		if got, err := e.svc.ForPerson(ctx, 42); err != nil || len(got) != 1 || got[0].ID != other.PaymentID {
			t.Errorf("the other person's payments: %+v, %v", got, err)
		}
	})
}
