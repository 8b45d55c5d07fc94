package payments_test

import (
	"context"
	"errors"
	"reflect"
	"strconv"
	"testing"
	"time"

	"sportello/notify"
	"sportello/notify/notifytest"
	"sportello/payments"
	"sportello/payments/internal/paytest"
	"sportello/store"
)

// startFor starts a checkout for application appID on behalf of a person
// (or, not signed in, an address), in Spanish.
func (e env) startFor(t *testing.T, appID, person int64, email string) payments.Checkout {
	t.Helper()
	in := paytest.Input(appID)
	in.PersonID, in.Email, in.Lang = person, email, "es"
	c, err := e.svc.StartCheckout(context.Background(), in)
	if err != nil {
		t.Fatalf("StartCheckout(%d): %v", appID, err)
	}
	return c
}

// TestPaymentsAreToldOnce: each outcome of a payment is told once, in the
// applicant's language, whatever asks the provider again afterwards; the
// applicant's own cancellation and a payment set aside for staff are not.
func TestPaymentsAreToldOnce(t *testing.T) {
	paytest.EachBackend(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db)
		notifytest.AddPeople(t, db, 41)
		notice := func(kind notify.Kind, c payments.Checkout, appID int64, data map[string]string) notifytest.Notice {
			data["ref"], data["service"], data["payment"] = paytest.Input(appID).Reference, "dog-licence", strconv.FormatInt(c.PaymentID, 10)
			return notifytest.Notice{Kind: kind, PersonID: 41, Lang: "es", Data: data}
		}
		key := func(c payments.Checkout, what string) string {
			return "payment:" + strconv.FormatInt(c.PaymentID, 10) + ":" + what
		}
		step := func(name string, do func(), want map[string]notifytest.Notice) {
			t.Helper()
			before := notifytest.Outbox(t, db)
			do()
			if got := notifytest.Added(before, notifytest.Outbox(t, db)); !reflect.DeepEqual(got, want) {
				t.Errorf("%s: notifications\n%+v\nwant\n%+v", name, got, want)
			}
		}

		paid := e.startFor(t, 1, 41, "")
		step("paid, confirmed and reconciled", func() {
			e.choose(t, paid, payments.SimulatedPay)
			if _, err := e.svc.Confirm(ctx, paid.SessionID); err != nil {
				t.Fatal(err)
			}
			if _, err := e.svc.Reconcile(ctx); err != nil {
				t.Fatal(err)
			}
		}, map[string]notifytest.Notice{key(paid, "paid"): notice(notify.PaymentReceived, paid, 1, map[string]string{"amount": "1250", "currency": "eur"})})

		declined := e.startFor(t, 2, 41, "")
		step("declined", func() { e.choose(t, declined, payments.SimulatedDecline) },
			map[string]notifytest.Notice{key(declined, "failed"): notice(notify.PaymentFailed, declined, 2, map[string]string{"reason": "failed"})})

		step("left the checkout", func() { e.choose(t, e.startFor(t, 3, 41, ""), payments.SimulatedCancel) }, map[string]notifytest.Notice{})

		expired := e.startFor(t, 4, 0, "joan@example.com")
		step("expired, found by two reconciliations", func() {
			e.clock.Advance(31 * time.Minute)
			for range 2 {
				if _, err := e.svc.Reconcile(ctx); err != nil {
					t.Fatal(err)
				}
			}
		}, map[string]notifytest.Notice{key(expired, "expired"): {Kind: notify.PaymentFailed, Address: "joan@example.com", Lang: "es",
			Data: map[string]string{"ref": paytest.Input(4).Reference, "service": "dog-licence", "payment": strconv.FormatInt(expired.PaymentID, 10), "reason": "expired"}}})

		refund := func(amount int64, token string) {
			if _, err := e.svc.Refund(ctx, payments.RefundInput{PaymentID: paid.PaymentID, Amount: amount, Reason: "permit withdrawn", StaffPersonID: 7, RequestToken: token}); err != nil {
				t.Fatal(err)
			}
		}
		first := payments.NewRefundToken()
		step("a first refund, asked twice", func() { refund(500, first); refund(500, first) },
			map[string]notifytest.Notice{key(paid, "refunded:500"): notice(notify.RefundMade, paid, 1, map[string]string{"amount": "500", "currency": "eur"})})
		step("the rest", func() { refund(750, payments.NewRefundToken()) },
			map[string]notifytest.Notice{key(paid, "refunded:1250"): notice(notify.RefundMade, paid, 1, map[string]string{"amount": "750", "currency": "eur"})})

		step("paid, but the application cannot take it", func() {
			e.ful.Err = payments.ErrCannotFulfil
			defer func() { e.ful.Err = nil }()
			c := e.startFor(t, 5, 41, "")
			e.choose(t, c, payments.SimulatedPay)
			if p := e.payment(t, c.PaymentID); p.Status != payments.StatusFlagged {
				t.Errorf("payment %s, want flagged", p.Status)
			}
		}, map[string]notifytest.Notice{})

		// The Fulfiller runs after the receipt is written: its failure
		// undoes both, and the next look at the provider tells it once.
		failing := e.startFor(t, 6, 41, "")
		step("a failure after the notification", func() {
			e.ful.Err = errors.New("applications store unavailable")
			defer func() { e.ful.Err = nil }()
			if _, err := e.svc.SimulatedChoose(ctx, failing.SessionID, payments.SimulatedPay); err == nil {
				t.Fatal("paying with a failing Fulfiller succeeded")
			}
		}, map[string]notifytest.Notice{})
		step("the same payment confirmed", func() {
			if _, err := e.svc.Confirm(ctx, failing.SessionID); err != nil {
				t.Fatal(err)
			}
		}, map[string]notifytest.Notice{key(failing, "paid"): notice(notify.PaymentReceived, failing, 6, map[string]string{"amount": "1250", "currency": "eur"})})

		step("nobody to tell", func() {
			e.choose(t, e.startFor(t, 7, 0, ""), payments.SimulatedPay)
		}, map[string]notifytest.Notice{})
	})
}
