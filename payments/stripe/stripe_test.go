package stripe_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	stripeapi "github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/webhook"

	"sportello/notify"
	"sportello/notify/notifytest"
	"sportello/payments"
	"sportello/payments/internal/paytest"
	"sportello/payments/stripe"
	"sportello/store"
)

// stripe-mock answers every API call with fixtures: a session it creates has
// a fresh id but not our amount, and it sends no webhooks. So checkouts are
// started against it for real, and the webhooks are built here from what
// Sportello recorded, signed as Stripe signs them.

const webhookSecret = "whsec_test_sportello"

type env struct {
	db   *store.DB
	svc  *payments.Service
	ful  *paytest.Fulfiller
	logs *bytes.Buffer // the Service's log; its handler serialises writes
}

func newEnv(t *testing.T, db *store.DB, apiURL string) env {
	t.Helper()
	quiet := slog.New(slog.DiscardHandler)
	p, err := stripe.New(stripe.Config{SecretKey: "sk_test_sportello", WebhookSecret: webhookSecret, APIURL: apiURL, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	ful := paytest.NewFulfiller(t, db)
	logs := new(bytes.Buffer)
	svc, err := payments.New(db, payments.Options{Provider: p, Fulfiller: ful, Logger: slog.New(slog.NewTextHandler(logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	return env{db: db, svc: svc, ful: ful, logs: logs}
}

func (e env) start(t *testing.T, appID int64) payments.Payment {
	t.Helper()
	c, err := e.svc.StartCheckout(context.Background(), paytest.Input(appID))
	if err != nil {
		t.Fatalf("StartCheckout: %v", err)
	}
	return e.payment(t, c.PaymentID)
}

func (e env) payment(t *testing.T, id int64) payments.Payment {
	t.Helper()
	p, err := e.svc.Payment(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// event is a webhook event as Stripe sends it for API version 2023-10-16.
func event(id, typ string, object map[string]any) []byte {
	b, err := json.Marshal(map[string]any{
		"id": id, "object": "event", "api_version": stripeapi.APIVersion, "created": time.Now().Unix(),
		"type": typ, "livemode": false, "pending_webhooks": 1,
		"data": map[string]any{"object": object},
	})
	if err != nil {
		panic(err)
	}
	return b
}

// renameEvent prefixes an event's id, so that cases sharing a database
// send distinct events.
func renameEvent(payload []byte, prefix string) []byte {
	var m map[string]any
	if err := json.Unmarshal(payload, &m); err != nil {
		panic(err)
	}
	m["id"] = prefix + m["id"].(string)
	b, err := json.Marshal(m)
	if err != nil {
		panic(err)
	}
	return b
}

func sessionObject(p payments.Payment, status, paymentStatus string, amount int64, currency string) map[string]any {
	return map[string]any{
		"id": p.SessionID, "object": "checkout.session", "mode": "payment", "status": status,
		"payment_status": paymentStatus, "amount_total": amount, "currency": currency,
		"client_reference_id": p.Reference, "payment_intent": "pi_" + strconv.FormatInt(p.ID, 10),
		"metadata": map[string]string{"payment_id": strconv.FormatInt(p.ID, 10)},
	}
}

func sign(payload []byte, at time.Time, secret string) string {
	return webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: payload, Secret: secret, Timestamp: at}).Header
}

func TestCheckoutOnStripeMock(t *testing.T) {
	apiURL := paytest.StripeMock(t)
	paytest.EachBackend(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db, apiURL)
		p := e.start(t, 1)
		if p.Status != payments.StatusPending || !strings.HasPrefix(p.SessionID, "cs_") || !strings.HasPrefix(p.CheckoutURL, "https://") {
			t.Fatalf("after StartCheckout: %+v", p)
		}
		if p.IdempotencyKey != "sportello-checkout-"+strconv.FormatInt(p.ID, 10)+"-1" {
			t.Errorf("idempotency key %q", p.IdempotencyKey)
		}
		// stripe-mock's session is open and unpaid: the success page must
		// still say "we're confirming".
		got, err := e.svc.Confirm(ctx, p.SessionID)
		if err != nil || got.Status != payments.StatusPending {
			t.Errorf("Confirm: %v, %s; want pending", err, got.Status)
		}
		// Leaving the checkout expires the session at Stripe and cancels.
		got, err = e.svc.Cancel(ctx, p.ID)
		if err != nil || got.Status != payments.StatusCancelled {
			t.Fatalf("Cancel: %v, %s; want cancelled", err, got.Status)
		}
		next := e.start(t, 1)
		if next.Attempt != 2 || next.SessionID == p.SessionID || next.IdempotencyKey == p.IdempotencyKey {
			t.Errorf("retry: attempt %d, session %s, key %s", next.Attempt, next.SessionID, next.IdempotencyKey)
		}
	})
}

func TestWebhooks(t *testing.T) {
	apiURL := paytest.StripeMock(t)
	type delivery struct {
		payload func(p payments.Payment) []byte
		at      time.Duration // signed this long ago
		secret  string        // webhookSecret when empty
		header  *string       // the header as sent, when not the signature
		err     error
	}
	completed := func(id string, amount int64, currency, paymentStatus string) func(payments.Payment) []byte {
		return func(p payments.Payment) []byte {
			return event(id, "checkout.session.completed", sessionObject(p, "complete", paymentStatus, amount, currency))
		}
	}
	empty := ""
	tests := []struct {
		name       string
		deliveries []delivery
		status     string
		fulfilled  int
		events     int    // rows in payment_events
		result     string // of the last recorded event
		refunded   int64
		card       bool
	}{
		{"completed", []delivery{{payload: completed("evt_1", 1250, "eur", "paid")}},
			payments.StatusPaid, 1, 1, payments.ResultPaid, 0, true},
		{"replayed", []delivery{{payload: completed("evt_1", 1250, "eur", "paid")}, {payload: completed("evt_1", 1250, "eur", "paid")}},
			payments.StatusPaid, 1, 1, payments.ResultPaid, 0, true},
		{"amount mismatch", []delivery{{payload: completed("evt_1", 125, "eur", "paid")}},
			payments.StatusFlagged, 0, 1, payments.ResultFlagged, 0, true},
		{"currency mismatch", []delivery{{payload: completed("evt_1", 1250, "usd", "paid")}},
			payments.StatusFlagged, 0, 1, payments.ResultFlagged, 0, true},
		{"completed unpaid", []delivery{{payload: completed("evt_1", 1250, "eur", "unpaid")}},
			payments.StatusPending, 0, 1, payments.ResultAwaitingFunds, 0, false},
		{"expired", []delivery{{payload: func(p payments.Payment) []byte {
			return event("evt_2", "checkout.session.expired", sessionObject(p, "expired", "unpaid", 1250, "eur"))
		}}}, payments.StatusExpired, 0, 1, payments.ResultExpired, 0, false},
		{"async payment failed", []delivery{{payload: func(p payments.Payment) []byte {
			return event("evt_3", "checkout.session.async_payment_failed", sessionObject(p, "complete", "unpaid", 1250, "eur"))
		}}}, payments.StatusFailed, 0, 1, payments.ResultFailed, 0, false},
		{"payment intent failed", []delivery{{payload: func(p payments.Payment) []byte {
			return event("evt_4", "payment_intent.payment_failed", map[string]any{
				"id": "pi_x", "object": "payment_intent", "amount": 1250, "currency": "eur",
				"metadata":           map[string]string{"payment_id": strconv.FormatInt(p.ID, 10)},
				"last_payment_error": map[string]any{"message": "Your card was declined."},
			})
		}}}, payments.StatusFailed, 0, 1, payments.ResultFailed, 0, false},
		{"refunded", []delivery{{payload: completed("evt_1", 1250, "eur", "paid")}, {payload: func(p payments.Payment) []byte {
			return event("evt_5", "charge.refunded", map[string]any{
				"id": "ch_1", "object": "charge", "amount": 1250, "amount_refunded": 400, "currency": "eur",
				"payment_intent": "pi_" + strconv.FormatInt(p.ID, 10),
			})
		}}}, payments.StatusPartiallyRefunded, 1, 2, payments.ResultRefunded, 400, true},
		{"unknown session", []delivery{{payload: func(p payments.Payment) []byte {
			p.SessionID, p.ID = "cs_test_someone_else", 42
			return event("evt_6", "checkout.session.completed", sessionObject(p, "complete", "paid", 1250, "eur"))
		}}}, payments.StatusPending, 0, 1, payments.ResultUnknownSession, 0, false},
		{"ignored type", []delivery{{payload: func(p payments.Payment) []byte {
			return event("evt_7", "customer.created", map[string]any{"id": "cus_1", "object": "customer"})
		}}}, payments.StatusPending, 0, 1, payments.ResultIgnored, 0, false},
		{"bad signature", []delivery{{payload: completed("evt_1", 1250, "eur", "paid"), secret: "whsec_wrong", err: payments.ErrBadSignature}},
			payments.StatusPending, 0, 0, "", 0, false},
		{"missing signature", []delivery{{payload: completed("evt_1", 1250, "eur", "paid"), header: &empty, err: payments.ErrBadSignature}},
			payments.StatusPending, 0, 0, "", 0, false},
		{"stale timestamp", []delivery{{payload: completed("evt_1", 1250, "eur", "paid"), at: 10 * time.Minute, err: payments.ErrBadSignature}},
			payments.StatusPending, 0, 0, "", 0, false},
		{"other API version", []delivery{{payload: func(p payments.Payment) []byte {
			var m map[string]any
			json.Unmarshal(completed("evt_1", 1250, "eur", "paid")(p), &m)
			m["api_version"] = "2020-08-27"
			b, _ := json.Marshal(m)
			return b
		}, err: payments.ErrBadEvent}}, payments.StatusPending, 0, 0, "", 0, false},
	}
	paytest.EachBackend(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, apiURL)
		for i, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				ctx := context.Background()
				// One database for all cases: each has its own application
				// and its own event ids.
				appID := int64(i + 1)
				prefix := "c" + strconv.Itoa(i) + "_"
				p := e.start(t, appID)
				for _, d := range tc.deliveries {
					payload := renameEvent(d.payload(p), prefix)
					secret := d.secret
					if secret == "" {
						secret = webhookSecret
					}
					header := sign(payload, time.Now().Add(-d.at), secret)
					if d.header != nil {
						header = *d.header
					}
					err := e.svc.HandleWebhook(ctx, payload, header)
					if !errors.Is(err, d.err) || (d.err == nil && err != nil) {
						t.Fatalf("HandleWebhook: %v, want %v", err, d.err)
					}
				}
				got := e.payment(t, p.ID)
				if got.Status != tc.status || got.RefundedAmount != tc.refunded {
					t.Errorf("payment %s with %d refunded (%s), want %s with %d", got.Status, got.RefundedAmount, got.FlagReason, tc.status, tc.refunded)
				}
				if tc.status == payments.StatusFlagged && !strings.Contains(got.FlagReason, "the fee was 1250 eur") {
					t.Errorf("flag reason %q does not say what differs", got.FlagReason)
				}
				if n := e.ful.Count(t, appID); n != tc.fulfilled {
					t.Errorf("fulfilled %d times, want %d", n, tc.fulfilled)
				}
				if n := paytest.Count(t, db, `SELECT COUNT(*) FROM payment_events WHERE event_id LIKE ?`, prefix+"%"); n != tc.events {
					t.Errorf("%d events recorded, want %d", n, tc.events)
				}
				if tc.events > 0 {
					var result string
					db.SQL().QueryRow(db.Rebind(`SELECT result FROM payment_events WHERE event_id LIKE ? ORDER BY event_id DESC LIMIT 1`), prefix+"%").Scan(&result)
					if result != tc.result {
						t.Errorf("last event's result %q, want %q", result, tc.result)
					}
				}
				// stripe-mock's expanded charge is a visa ending 4242.
				if hasCard := got.CardBrand == "visa" && got.CardLast4 == "4242"; hasCard != tc.card {
					t.Errorf("card %q %q; want card details %v", got.CardBrand, got.CardLast4, tc.card)
				}
				// Whatever ended the attempt unpaid, the applicant can try again.
				if got.Status == payments.StatusFailed || got.Status == payments.StatusExpired {
					if next := e.start(t, appID); next.Attempt != 2 {
						t.Errorf("retry: attempt %d, want 2", next.Attempt)
					}
				}
			})
		}
		// A session id names the applicant's checkout: the logs name the
		// payment or the event instead.
		for _, line := range strings.Split(e.logs.String(), "\n") {
			if strings.Contains(line, "cs_") {
				t.Errorf("a log line holds a session id: %s", line)
			}
		}
	})
}

func TestSameEventAtTheSameMoment(t *testing.T) {
	apiURL := paytest.StripeMock(t)
	paytest.EachBackend(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db, apiURL)
		p := e.start(t, 1)
		payload := event("evt_twice", "checkout.session.completed", sessionObject(p, "complete", "paid", 1250, "eur"))
		header := sign(payload, time.Now(), webhookSecret)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for range 4 {
			wg.Go(func() {
				<-start
				if err := e.svc.HandleWebhook(ctx, payload, header); err != nil {
					t.Errorf("HandleWebhook: %v", err)
				}
			})
		}
		close(start)
		wg.Wait()
		if n := e.ful.Count(t, 1); n != 1 {
			t.Errorf("fulfilled %d times, want 1", n)
		}
		if n := paytest.Count(t, db, `SELECT COUNT(*) FROM payment_events`); n != 1 {
			t.Errorf("%d events recorded, want 1", n)
		}
		if got := e.payment(t, p.ID); got.Status != payments.StatusPaid {
			t.Errorf("payment %s, want paid", got.Status)
		}
	})
}

func TestNeverChargedTwice(t *testing.T) {
	apiURL := paytest.StripeMock(t)
	paytest.EachBackend(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db, apiURL)
		deliver := func(id string, p payments.Payment, status, paymentStatus string) {
			t.Helper()
			typ := "checkout.session.completed"
			if status == "expired" {
				typ = "checkout.session.expired"
			}
			payload := event(id, typ, sessionObject(p, status, paymentStatus, 1250, "eur"))
			if err := e.svc.HandleWebhook(ctx, payload, sign(payload, time.Now(), webhookSecret)); err != nil {
				t.Fatalf("HandleWebhook(%s): %v", id, err)
			}
		}
		first := e.start(t, 1)
		deliver("evt_a", first, "expired", "unpaid")
		second := e.start(t, 1)
		deliver("evt_b", second, "complete", "paid")
		if _, err := e.svc.StartCheckout(ctx, paytest.Input(1)); !errors.Is(err, payments.ErrAlreadyPaid) {
			t.Errorf("starting after paid: %v, want ErrAlreadyPaid", err)
		}
		// A charge on the first attempt after all (Stripe completing as the
		// session expired): money is never dropped, nor made a second
		// payment of the application; staff see it.
		deliver("evt_c", first, "complete", "paid")
		if p := e.payment(t, first.ID); p.Status != payments.StatusFlagged || !strings.Contains(p.FlagReason, "paid twice") {
			t.Errorf("the second charge is %s (%q), want flagged as paid twice", p.Status, p.FlagReason)
		}
		if p := e.payment(t, second.ID); p.Status != payments.StatusPaid {
			t.Errorf("the application's payment is %s, want paid", p.Status)
		}
		if n := e.ful.Count(t, 1); n != 1 {
			t.Errorf("fulfilled %d times, want 1", n)
		}
		// Staff refund the flagged charge in full.
		if _, err := e.svc.Refund(ctx, payments.RefundInput{PaymentID: first.ID, Amount: 1250, Reason: "charged twice", StaffPersonID: 7, RequestToken: payments.NewRefundToken()}); err != nil {
			t.Errorf("refunding the flagged charge: %v", err)
		}

		// Late completion of a closed attempt with nothing else paid: it
		// stands as the application's payment.
		late := e.start(t, 2)
		deliver("evt_d", late, "expired", "unpaid")
		deliver("evt_e", late, "complete", "paid")
		if p := e.payment(t, late.ID); p.Status != payments.StatusPaid || e.ful.Count(t, 2) != 1 {
			t.Errorf("late completion: %s, fulfilled %d; want paid once", p.Status, e.ful.Count(t, 2))
		}
	})
}

func TestRefundOnStripeMock(t *testing.T) {
	apiURL := paytest.StripeMock(t)
	paytest.EachBackend(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db, apiURL)
		p := e.start(t, 1)
		payload := event("evt_paid", "checkout.session.completed", sessionObject(p, "complete", "paid", 1250, "eur"))
		if err := e.svc.HandleWebhook(ctx, payload, sign(payload, time.Now(), webhookSecret)); err != nil {
			t.Fatal(err)
		}
		r, err := e.svc.Refund(ctx, payments.RefundInput{PaymentID: p.ID, Amount: 500, Reason: "partly withdrawn", StaffPersonID: 7, RequestToken: payments.NewRefundToken()})
		if err != nil {
			t.Fatalf("Refund: %v", err)
		}
		if r.Status != payments.RefundSucceeded || !strings.HasPrefix(r.ProviderRefundID, "re_") {
			t.Errorf("refund = %+v", r)
		}
		if _, err := e.svc.Refund(ctx, payments.RefundInput{PaymentID: p.ID, Amount: 751, Reason: "too much", StaffPersonID: 7, RequestToken: payments.NewRefundToken()}); !errors.Is(err, payments.ErrRefundTooLarge) {
			t.Errorf("refund beyond the rest: %v, want ErrRefundTooLarge", err)
		}
		// Stripe's charge.refunded for the same refund counts it once.
		refunded := event("evt_refunded", "charge.refunded", map[string]any{
			"id": "ch_1", "object": "charge", "amount": 1250, "amount_refunded": 500, "currency": "eur",
			"payment_intent": "pi_" + strconv.FormatInt(p.ID, 10),
		})
		if err := e.svc.HandleWebhook(ctx, refunded, sign(refunded, time.Now(), webhookSecret)); err != nil {
			t.Fatal(err)
		}
		got := e.payment(t, p.ID)
		if got.Status != payments.StatusPartiallyRefunded || got.RefundedAmount != 500 {
			t.Errorf("payment %s with %d refunded, want partially_refunded with 500", got.Status, got.RefundedAmount)
		}
		rec, err := e.svc.Receipt(ctx, p.ID)
		if err != nil || len(rec.Refunds) != 1 || rec.CardLast4 != "4242" {
			t.Errorf("receipt %+v, %v", rec, err)
		}
	})
}

func TestNewRefusesMissingSecrets(t *testing.T) {
	tests := []stripe.Config{
		{WebhookSecret: webhookSecret},
		{SecretKey: "sk_test_x"},
	}
	for _, cfg := range tests {
		if _, err := stripe.New(cfg); err == nil {
			t.Errorf("New(%+v) accepted a configuration that can never confirm a payment", cfg)
		}
	}
}

// TestWebhooksAreToldOnce: Stripe delivers an event again, or another event
// of the same outcome, and a refund is reported both by Sportello's own
// call and by charge.refunded: the applicant hears of each thing once.
func TestWebhooksAreToldOnce(t *testing.T) {
	apiURL := paytest.StripeMock(t)
	paytest.EachBackend(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db, apiURL)
		notifytest.AddPeople(t, db, 41)
		in := paytest.Input(1)
		in.PersonID, in.Lang = 41, "fr"
		c, err := e.svc.StartCheckout(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		p := e.payment(t, c.PaymentID)
		deliver := func(payload []byte) {
			t.Helper()
			if err := e.svc.HandleWebhook(ctx, payload, sign(payload, time.Now(), webhookSecret)); err != nil {
				t.Fatal(err)
			}
		}
		completed := event("evt_paid", "checkout.session.completed", sessionObject(p, "complete", "paid", 1250, "eur"))
		deliver(completed)
		deliver(completed)
		deliver(event("evt_async", "checkout.session.async_payment_succeeded", sessionObject(p, "complete", "paid", 1250, "eur")))
		if _, err := e.svc.Refund(ctx, payments.RefundInput{PaymentID: p.ID, Amount: 500, Reason: "partly withdrawn", StaffPersonID: 7, RequestToken: payments.NewRefundToken()}); err != nil {
			t.Fatal(err)
		}
		refunded := func(id string, total int64) []byte {
			return event(id, "charge.refunded", map[string]any{
				"id": "ch_1", "object": "charge", "amount": 1250, "amount_refunded": total, "currency": "eur",
				"payment_intent": "pi_" + strconv.FormatInt(p.ID, 10),
			})
		}
		deliver(refunded("evt_refunded_1", 500))
		// A refund made in Stripe's dashboard reaches Sportello only so.
		deliver(refunded("evt_refunded_2", 1250))
		deliver(refunded("evt_refunded_2", 1250))

		id := strconv.FormatInt(p.ID, 10)
		data := func(more map[string]string) map[string]string {
			more["ref"], more["service"], more["payment"] = p.Reference, "dog-licence", id
			return more
		}
		want := map[string]notifytest.Notice{
			"payment:" + id + ":paid":          {Kind: notify.PaymentReceived, PersonID: 41, Lang: "fr", Data: data(map[string]string{"amount": "1250", "currency": "eur"})},
			"payment:" + id + ":refunded:500":  {Kind: notify.RefundMade, PersonID: 41, Lang: "fr", Data: data(map[string]string{"amount": "500", "currency": "eur"})},
			"payment:" + id + ":refunded:1250": {Kind: notify.RefundMade, PersonID: 41, Lang: "fr", Data: data(map[string]string{"amount": "750", "currency": "eur"})},
		}
		if got := notifytest.Outbox(t, db); !reflect.DeepEqual(got, want) {
			t.Errorf("notifications\n%+v\nwant\n%+v", got, want)
		}
	})
}
