package payments_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"sportello/catalogue"
	"sportello/payments"
	"sportello/payments/internal/paytest"
	"sportello/store"
	"sportello/store/storetest"
)

// env is a Service on the simulated provider over a fresh database.
type env struct {
	db    *store.DB
	svc   *payments.Service
	ful   *paytest.Fulfiller
	clock *paytest.Clock
}

func newEnv(t *testing.T, db *store.DB) env {
	t.Helper()
	return newEnvLogging(t, db, slog.New(slog.DiscardHandler))
}

// newEnvLogging is newEnv with the Service logging to log.
func newEnvLogging(t *testing.T, db *store.DB, log *slog.Logger) env {
	t.Helper()
	clock := paytest.NewClock()
	sim, err := payments.NewSimulated(db, payments.SimulatedConfig{Env: "development", Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	ful := paytest.NewFulfiller(t, db)
	svc, err := payments.New(db, payments.Options{Provider: sim, Fulfiller: ful, Now: clock.Now, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	return env{db: db, svc: svc, ful: ful, clock: clock}
}

func (e env) start(t *testing.T, appID int64) payments.Checkout {
	t.Helper()
	c, err := e.svc.StartCheckout(context.Background(), paytest.Input(appID))
	if err != nil {
		t.Fatalf("StartCheckout(%d): %v", appID, err)
	}
	return c
}

func (e env) payment(t *testing.T, id int64) payments.Payment {
	t.Helper()
	p, err := e.svc.Payment(context.Background(), id)
	if err != nil {
		t.Fatalf("Payment(%d): %v", id, err)
	}
	return p
}

func (e env) choose(t *testing.T, c payments.Checkout, choice string) string {
	t.Helper()
	to, err := e.svc.SimulatedChoose(context.Background(), c.SessionID, choice)
	if err != nil {
		t.Fatalf("SimulatedChoose(%s): %v", choice, err)
	}
	return to
}

func TestSimulatedCheckout(t *testing.T) {
	tests := []struct {
		choice      string
		status      string
		redirect    string // prefix
		fulfilled   int
		canRetry    bool
		wantFailure string
	}{
		{payments.SimulatedPay, payments.StatusPaid, "https://portal.example/applications/1/paid?session=cs_sim_", 1, false, ""},
		{payments.SimulatedDecline, payments.StatusFailed, "https://portal.example/applications/1/pay", 0, true, "declined"},
		{payments.SimulatedCancel, payments.StatusCancelled, "https://portal.example/applications/1/pay", 0, true, "left the checkout"},
	}
	paytest.EachBackend(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db)
		for i, tc := range tests {
			t.Run(tc.choice, func(t *testing.T) {
				appID := int64(100 + i)
				c := e.start(t, appID)
				if !strings.HasPrefix(c.URL, payments.DefaultSimulatedPath+"cs_sim_") {
					t.Fatalf("checkout URL %q, want the simulated page", c.URL)
				}
				page, err := e.svc.SimulatedCheckout(ctx, c.SessionID)
				if err != nil {
					t.Fatal(err)
				}
				if !page.Open || page.Amount != 1250 || page.Currency != "eur" || page.Title != "Dog licence" || page.PaymentID != c.PaymentID {
					t.Fatalf("simulated page = %+v", page)
				}
				if p := e.payment(t, c.PaymentID); p.Status != payments.StatusPending {
					t.Fatalf("before choosing: %s, want pending", p.Status)
				}

				to := e.choose(t, c, tc.choice)
				if !strings.HasPrefix(to, tc.redirect) {
					t.Errorf("redirect %q, want %q...", to, tc.redirect)
				}
				p := e.payment(t, c.PaymentID)
				if p.Status != tc.status || !strings.Contains(p.FailureReason, tc.wantFailure) {
					t.Errorf("status %s (%q), want %s (%q)", p.Status, p.FailureReason, tc.status, tc.wantFailure)
				}
				if n := e.ful.Count(t, appID); n != tc.fulfilled {
					t.Errorf("fulfilled %d times, want %d", n, tc.fulfilled)
				}
				// The same event path recorded it.
				if n := paytest.Count(t, db, `SELECT COUNT(*) FROM payment_events WHERE payment_id = ?`, c.PaymentID); n != 1 {
					t.Errorf("%d events recorded for the payment, want 1", n)
				}
				// A second answer is refused: the session is closed.
				if _, err := e.svc.SimulatedChoose(ctx, c.SessionID, payments.SimulatedPay); !errors.Is(err, payments.ErrNotOpen) {
					t.Errorf("paying an answered session: %v, want ErrNotOpen", err)
				}
				if page, _ := e.svc.SimulatedCheckout(ctx, c.SessionID); page.Open {
					t.Error("the page still offers to pay an answered session")
				}

				again, err := e.svc.StartCheckout(ctx, paytest.Input(appID))
				if !tc.canRetry {
					if !errors.Is(err, payments.ErrAlreadyPaid) {
						t.Fatalf("starting again after paying: %v, want ErrAlreadyPaid", err)
					}
					r, err := e.svc.Receipt(ctx, c.PaymentID)
					if err != nil {
						t.Fatal(err)
					}
					if r.Amount != 1250 || r.CardBrand != "visa" || r.CardLast4 != "4242" || r.Reference != paytest.Input(appID).Reference || r.PaidAt.IsZero() {
						t.Errorf("receipt = %+v", r)
					}
					return
				}
				if err != nil {
					t.Fatalf("starting again after %s: %v", tc.choice, err)
				}
				q := e.payment(t, again.PaymentID)
				if q.Attempt != 2 || again.SessionID == c.SessionID || q.IdempotencyKey == p.IdempotencyKey {
					t.Fatalf("retry: attempt %d, session %s (was %s), key %s (was %s)", q.Attempt, again.SessionID, c.SessionID, q.IdempotencyKey, p.IdempotencyKey)
				}
				e.choose(t, again, payments.SimulatedPay)
				if q := e.payment(t, again.PaymentID); q.Status != payments.StatusPaid {
					t.Errorf("retry: %s, want paid", q.Status)
				}
				if n := e.ful.Count(t, appID); n != 1 {
					t.Errorf("fulfilled %d times after the retry, want 1", n)
				}
				if _, err := e.svc.Receipt(ctx, c.PaymentID); !errors.Is(err, payments.ErrNotFound) {
					t.Errorf("receipt of the unpaid attempt: %v, want ErrNotFound", err)
				}
			})
		}
	})
}

func TestSimulatedRefusedInProduction(t *testing.T) {
	db := storetest.Open(t, store.DialectSQLite)
	for _, env := range []string{"production", "Production", " production "} {
		if _, err := payments.NewSimulated(db, payments.SimulatedConfig{Env: env}); !errors.Is(err, payments.ErrProduction) {
			t.Errorf("NewSimulated(env %q): %v, want ErrProduction", env, err)
		}
	}
	for _, env := range []string{"", "development", "staging"} {
		if _, err := payments.NewSimulated(db, payments.SimulatedConfig{Env: env}); err != nil {
			t.Errorf("NewSimulated(env %q): %v", env, err)
		}
	}
}

func TestOneOpenAttempt(t *testing.T) {
	paytest.EachBackend(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db)

		first := e.start(t, 1)
		second := e.start(t, 1)
		if !second.Resumed || second.PaymentID != first.PaymentID || second.URL != first.URL {
			t.Fatalf("a second start = %+v, want the first attempt resumed (%+v)", second, first)
		}

		// Many starts at once for another application: one attempt.
		var wg sync.WaitGroup
		ids := make(chan int64, 8)
		for range 8 {
			wg.Go(func() {
				c, err := e.svc.StartCheckout(ctx, paytest.Input(2))
				switch {
				case err == nil:
					ids <- c.PaymentID
				case !errors.Is(err, payments.ErrInProgress):
					t.Errorf("concurrent start: %v", err)
				}
			})
		}
		wg.Wait()
		close(ids)
		seen := map[int64]bool{}
		for id := range ids {
			seen[id] = true
		}
		if len(seen) != 1 {
			t.Errorf("concurrent starts gave %d different payments, want 1", len(seen))
		}
		if n := paytest.Count(t, db, `SELECT COUNT(*) FROM payments WHERE application_id = 2`); n != 1 {
			t.Errorf("%d payments for the application, want 1", n)
		}

		// The database itself refuses a second open attempt.
		_, err := db.SQL().Exec(db.Rebind(`INSERT INTO payments (id, application_id, reference, service_slug, fee_when,
			attempt, provider, idempotency_key, amount, currency, status, created_at, updated_at)
			VALUES (?, 1, 'PN-X', 'dog-licence', 'on_application', 9, 'simulated', 'k9', 1250, 'eur', 'created', 0, 0)`), 987654321)
		if !errors.Is(db.MapError(err), catalogue.ErrConflict) {
			t.Errorf("inserting a second open attempt: %v, want a unique violation", err)
		}

		// An attempt whose provider answer was never recorded (a crash) holds
		// the slot until it cannot have been handed out any more.
		now := e.clock.Now().Unix()
		if _, err := db.SQL().Exec(db.Rebind(`INSERT INTO payments (id, application_id, reference, service_slug, fee_when,
			attempt, provider, idempotency_key, amount, currency, status, created_at, updated_at)
			VALUES (555, 5, 'PN-5', 'dog-licence', 'on_application', 1, 'simulated', 'k-555', 1250, 'eur', 'created', ?, ?)`), now, now); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.StartCheckout(ctx, paytest.Input(5)); !errors.Is(err, payments.ErrInProgress) {
			t.Errorf("start beside a fresh created attempt: %v, want ErrInProgress", err)
		}

		// A stale open attempt (expired at the provider, no event yet) is
		// closed by the next start, which begins a new attempt.
		e.clock.Advance(31 * time.Minute)
		third, err := e.svc.StartCheckout(ctx, paytest.Input(1))
		if err != nil {
			t.Fatal(err)
		}
		if third.Resumed || third.PaymentID == first.PaymentID {
			t.Fatalf("start after expiry = %+v, want a new attempt", third)
		}
		if p := e.payment(t, first.PaymentID); p.Status != payments.StatusExpired {
			t.Errorf("the stale attempt is %s, want expired", p.Status)
		}
		c, err := e.svc.StartCheckout(ctx, paytest.Input(5))
		if err != nil {
			t.Fatalf("start after an abandoned attempt: %v", err)
		}
		if p := e.payment(t, c.PaymentID); p.Attempt != 2 {
			t.Errorf("attempt %d, want 2", p.Attempt)
		}
		if p := e.payment(t, 555); p.Status != payments.StatusExpired {
			t.Errorf("the abandoned attempt is %s, want expired", p.Status)
		}
	})
}

func TestStartCheckoutRefusesBadInput(t *testing.T) {
	e := newEnv(t, storetest.Open(t, store.DialectSQLite))
	tests := []struct {
		name   string
		change func(*payments.StartInput)
	}{
		{"no application", func(in *payments.StartInput) { in.ApplicationID = 0 }},
		{"no reference", func(in *payments.StartInput) { in.Reference = " " }},
		{"no service", func(in *payments.StartInput) { in.ServiceSlug = "" }},
		{"free", func(in *payments.StartInput) { in.Fee.Amount = 0 }},
		{"negative", func(in *payments.StartInput) { in.Fee.Amount = -5 }},
		{"bad currency", func(in *payments.StartInput) { in.Fee.Currency = "euro" }},
		{"bad when", func(in *payments.StartInput) { in.Fee.When = "later" }},
		{"no title", func(in *payments.StartInput) { in.Title = "" }},
		{"relative success URL", func(in *payments.StartInput) { in.SuccessURL = "/paid" }},
		{"javascript cancel URL", func(in *payments.StartInput) { in.CancelURL = "javascript:alert(1)" }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := paytest.Input(5)
			tc.change(&in)
			if _, err := e.svc.StartCheckout(context.Background(), in); !errors.Is(err, payments.ErrInvalid) {
				t.Errorf("StartCheckout: %v, want ErrInvalid", err)
			}
		})
	}
	if n := paytest.Count(t, e.db, `SELECT COUNT(*) FROM payments`); n != 0 {
		t.Errorf("%d payments recorded from bad input", n)
	}
}

func TestFulfillerFailure(t *testing.T) {
	paytest.EachBackend(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db)

		// A failing Fulfiller rolls the payment back with it; the provider's
		// truth is then picked up again by Confirm.
		c := e.start(t, 1)
		e.ful.Err = errors.New("applications store unavailable")
		if _, err := e.svc.SimulatedChoose(ctx, c.SessionID, payments.SimulatedPay); err == nil {
			t.Fatal("paying with a failing Fulfiller succeeded")
		}
		if p := e.payment(t, c.PaymentID); p.Status != payments.StatusPending {
			t.Fatalf("after a failed fulfilment: %s, want pending", p.Status)
		}
		if n := e.ful.Count(t, 1); n != 0 {
			t.Fatalf("fulfilment rows left after rollback: %d", n)
		}
		e.ful.Err = nil
		p, err := e.svc.Confirm(ctx, c.SessionID)
		if err != nil || p.Status != payments.StatusPaid {
			t.Fatalf("Confirm: %v, %s; want paid", err, p.Status)
		}
		if n := e.ful.Count(t, 1); n != 1 {
			t.Errorf("fulfilled %d times, want 1", n)
		}

		// An application that cannot take the money: flagged for staff.
		c = e.start(t, 2)
		e.ful.Err = payments.ErrCannotFulfil
		e.choose(t, c, payments.SimulatedPay)
		p = e.payment(t, c.PaymentID)
		if p.Status != payments.StatusFlagged || p.AmountReceived != 1250 {
			t.Errorf("cannot fulfil: %s, received %d; want flagged with 1250", p.Status, p.AmountReceived)
		}
		if n := e.ful.Count(t, 2); n != 0 {
			t.Errorf("the Fulfiller's row survived its refusal")
		}
		if _, err := e.svc.StartCheckout(ctx, paytest.Input(2)); !errors.Is(err, payments.ErrUnderReview) {
			t.Errorf("starting again on a flagged payment: %v, want ErrUnderReview", err)
		}
	})
}

func TestRefunds(t *testing.T) {
	paytest.EachBackend(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db)
		c := e.start(t, 1)
		if _, err := e.svc.Refund(ctx, payments.RefundInput{PaymentID: c.PaymentID, Amount: 100, Reason: "not paid yet", StaffPersonID: 7, RequestToken: payments.NewRefundToken()}); !errors.Is(err, payments.ErrNotRefundable) {
			t.Errorf("refunding an unpaid payment: %v, want ErrNotRefundable", err)
		}
		e.choose(t, c, payments.SimulatedPay)

		steps := []struct {
			amount   int64
			reason   string
			staff    int64
			err      error
			status   string
			refunded int64
		}{
			{0, "zero", 7, payments.ErrInvalid, payments.StatusPaid, 0},
			{100, "", 7, payments.ErrInvalid, payments.StatusPaid, 0},
			{100, "no staff", 0, payments.ErrInvalid, payments.StatusPaid, 0},
			{500, "duplicate application", 7, nil, payments.StatusPartiallyRefunded, 500},
			{800, "too much", 7, payments.ErrRefundTooLarge, payments.StatusPartiallyRefunded, 500},
			{750, "the rest", 8, nil, payments.StatusRefunded, 1250},
			{1, "nothing left", 7, payments.ErrRefundTooLarge, payments.StatusRefunded, 1250},
		}
		for _, st := range steps {
			r, err := e.svc.Refund(ctx, payments.RefundInput{PaymentID: c.PaymentID, Amount: st.amount, Reason: st.reason, StaffPersonID: st.staff, RequestToken: payments.NewRefundToken()})
			if !errors.Is(err, st.err) || (st.err == nil && err != nil) {
				t.Fatalf("Refund(%d, %q): %v, want %v", st.amount, st.reason, err, st.err)
			}
			if err == nil && (r.Status != payments.RefundSucceeded || !strings.HasPrefix(r.ProviderRefundID, "re_sim_")) {
				t.Errorf("refund = %+v", r)
			}
			p := e.payment(t, c.PaymentID)
			if p.Status != st.status || p.RefundedAmount != st.refunded {
				t.Errorf("after Refund(%d): %s with %d refunded, want %s with %d", st.amount, p.Status, p.RefundedAmount, st.status, st.refunded)
			}
		}
		r, err := e.svc.Receipt(ctx, c.PaymentID)
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Refunds) != 2 || r.Refunds[0].Amount+r.Refunds[1].Amount != 1250 || r.RefundedAmount != 1250 {
			t.Errorf("receipt refunds = %+v, refunded %d", r.Refunds, r.RefundedAmount)
		}
		if r.Refunds[0].StaffPersonID+r.Refunds[1].StaffPersonID != 15 {
			t.Errorf("refund history lost who made them: %+v", r.Refunds)
		}
	})
}

func TestConcurrentRefundsNeverExceedThePayment(t *testing.T) {
	paytest.EachBackend(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db)
		c := e.start(t, 1)
		e.choose(t, c, payments.SimulatedPay)
		var wg sync.WaitGroup
		var mu sync.Mutex
		ok, tooLarge := 0, 0
		for range 6 {
			wg.Go(func() {
				_, err := e.svc.Refund(ctx, payments.RefundInput{PaymentID: c.PaymentID, Amount: 500, Reason: "concurrent", StaffPersonID: 7, RequestToken: payments.NewRefundToken()})
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					ok++
				case errors.Is(err, payments.ErrRefundTooLarge):
					tooLarge++
				default:
					t.Errorf("Refund: %v", err)
				}
			})
		}
		wg.Wait()
		if ok != 2 || tooLarge != 4 {
			t.Errorf("%d refunds of 500 on 1250 went through and %d were refused; want 2 and 4", ok, tooLarge)
		}
		if p := e.payment(t, c.PaymentID); p.RefundedAmount != 1000 {
			t.Errorf("refunded %d, want 1000", p.RefundedAmount)
		}
	})
}

// A refund form sent twice, by a double click or a browser resending it,
// carries one request token and makes one refund: one send after the other
// or several at once.
func TestRefundRequestTokenRefundsOnce(t *testing.T) {
	paytest.EachBackend(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db)
		c := e.start(t, 1)
		e.choose(t, c, payments.SimulatedPay)
		in := payments.RefundInput{PaymentID: c.PaymentID, Amount: 500, Reason: "sent twice", StaffPersonID: 7, RequestToken: payments.NewRefundToken()}
		first, err := e.svc.Refund(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		again, err := e.svc.Refund(ctx, in)
		if err != nil || again.ID != first.ID || again.Status != payments.RefundSucceeded {
			t.Errorf("the same request again: %+v, %v; want refund %d, succeeded", again, err, first.ID)
		}

		in.RequestToken = payments.NewRefundToken()
		var wg sync.WaitGroup
		ids, errs := make([]int64, 4), make([]error, 4)
		for i := range ids {
			wg.Go(func() {
				r, err := e.svc.Refund(ctx, in)
				ids[i], errs[i] = r.ID, err
			})
		}
		wg.Wait()
		for i := range ids {
			if errs[i] != nil || ids[i] != ids[0] {
				t.Errorf("send %d of one request at once: refund %d, %v; want refund %d", i, ids[i], errs[i], ids[0])
			}
		}
		if p := e.payment(t, c.PaymentID); p.RefundedAmount != 1000 || p.Status != payments.StatusPartiallyRefunded {
			t.Errorf("payment %s with %d refunded, want partially_refunded with 1000", p.Status, p.RefundedAmount)
		}
		if n := paytest.Count(t, db, `SELECT COUNT(*) FROM payment_refunds WHERE payment_id = ?`, c.PaymentID); n != 2 {
			t.Errorf("%d refunds recorded for two requests, want 2", n)
		}

		// A token is good for one payment, and a refund needs one.
		other := e.start(t, 2)
		e.choose(t, other, payments.SimulatedPay)
		if _, err := e.svc.Refund(ctx, payments.RefundInput{PaymentID: other.PaymentID, Amount: 100, Reason: "reused", StaffPersonID: 7, RequestToken: in.RequestToken}); !errors.Is(err, payments.ErrInvalid) {
			t.Errorf("a token used for another payment: %v, want ErrInvalid", err)
		}
		if _, err := e.svc.Refund(ctx, payments.RefundInput{PaymentID: other.PaymentID, Amount: 100, Reason: "no token", StaffPersonID: 7}); !errors.Is(err, payments.ErrInvalid) {
			t.Errorf("no token: %v, want ErrInvalid", err)
		}
		// A repeat of a refund the provider refused says so again.
		if _, err := db.SQL().ExecContext(ctx, db.Rebind(`UPDATE payment_simulated_sessions SET refunded = amount WHERE payment_id = ?`), other.PaymentID); err != nil {
			t.Fatal(err)
		}
		refused := payments.RefundInput{PaymentID: other.PaymentID, Amount: 100, Reason: "refused", StaffPersonID: 7, RequestToken: payments.NewRefundToken()}
		first, err = e.svc.Refund(ctx, refused)
		if !errors.Is(err, payments.ErrProvider) || first.Status != payments.RefundFailed {
			t.Fatalf("a refund the provider refuses: %+v, %v; want failed with ErrProvider", first, err)
		}
		if again, err := e.svc.Refund(ctx, refused); !errors.Is(err, payments.ErrProvider) || again.ID != first.ID {
			t.Errorf("the refused request again: %+v, %v; want refund %d with ErrProvider", again, err, first.ID)
		}
		if n := paytest.Count(t, db, `SELECT COUNT(*) FROM payment_refunds WHERE payment_id = ?`, other.PaymentID); n != 1 {
			t.Errorf("%d refunds recorded for one refused request, want 1", n)
		}
		// The database refuses a second refund with a token whatever path
		// it takes.
		_, err = db.SQL().ExecContext(ctx, db.Rebind(`INSERT INTO payment_refunds (id, payment_id, amount, reason,
			staff_person_id, idempotency_key, request_token, status, created_at, updated_at)
			VALUES (1, ?, 1, 'by hand', 7, 'by-hand', ?, 'pending', 0, 0)`), c.PaymentID, in.RequestToken)
		if !errors.Is(db.MapError(err), catalogue.ErrConflict) {
			t.Errorf("inserting a second refund with a used token: %v, want a conflict", err)
		}
	})
}

// The session id is the key to the simulated checkout page, and names the
// applicant's Stripe checkout: the logs name the payment instead.
func TestLogsNameThePaymentNotTheSession(t *testing.T) {
	paytest.EachBackend(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		var logs bytes.Buffer
		e := newEnvLogging(t, db, slog.New(slog.NewTextHandler(&logs, nil)))
		paid := e.start(t, 1)
		e.choose(t, paid, payments.SimulatedPay)
		if _, err := e.svc.Refund(ctx, payments.RefundInput{PaymentID: paid.PaymentID, Amount: 100, Reason: "logged", StaffPersonID: 7, RequestToken: payments.NewRefundToken()}); err != nil {
			t.Fatal(err)
		}
		declined := e.start(t, 2)
		e.choose(t, declined, payments.SimulatedDecline)
		for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
			if strings.Contains(line, "cs_sim_") {
				t.Errorf("a log line holds a session id: %s", line)
			}
		}
		for _, c := range []payments.Checkout{paid, declined} {
			answered := regexp.MustCompile(`msg="payments: simulated checkout answered" payment_id=` + strconv.FormatInt(c.PaymentID, 10) + ` `)
			if !answered.MatchString(logs.String()) {
				t.Errorf("no log line names payment %d as answered:\n%s", c.PaymentID, logs.String())
			}
		}
	})
}

func TestReconcile(t *testing.T) {
	paytest.EachBackend(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db)
		exec := func(q string, args ...any) {
			t.Helper()
			if _, err := db.SQL().Exec(db.Rebind(q), args...); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}

		// 1: paid at the provider, but the process died before its event.
		paid := e.start(t, 1)
		exec(`UPDATE payment_simulated_sessions SET status = 'complete', payment_status = 'paid' WHERE id = ?`, paid.SessionID)
		// 2: still open at the provider.
		open := e.start(t, 2)
		// 3: died after recording the attempt, before the provider answered.
		now := e.clock.Now().Unix()
		exec(`INSERT INTO payments (id, application_id, reference, service_slug, fee_when, attempt, provider,
			idempotency_key, amount, currency, status, created_at, updated_at)
			VALUES (333, 3, 'PN-3', 'dog-licence', 'on_application', 1, 'simulated', 'k-333', 1250, 'eur', 'created', ?, ?)`, now, now)
		// 4: paid, then a refund whose provider answer was lost.
		refunded := e.start(t, 4)
		e.choose(t, refunded, payments.SimulatedPay)
		exec(`INSERT INTO payment_refunds (id, payment_id, amount, reason, staff_person_id, idempotency_key, status,
			created_at, updated_at) VALUES (444, ?, 300, 'lost answer', 7, 'sportello-refund-444', 'pending', ?, ?)`,
			refunded.PaymentID, now, now)

		e.clock.Advance(2 * time.Minute)
		rep, err := e.svc.Reconcile(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if p := e.payment(t, paid.PaymentID); p.Status != payments.StatusPaid || e.ful.Count(t, 1) != 1 {
			t.Errorf("paid at the provider: %s, fulfilled %d; want paid once", p.Status, e.ful.Count(t, 1))
		}
		if p := e.payment(t, open.PaymentID); p.Status != payments.StatusPending {
			t.Errorf("open at the provider: %s, want pending", p.Status)
		}
		if p := e.payment(t, 333); p.Status != payments.StatusCreated {
			t.Errorf("a young created attempt: %s, want left alone", p.Status)
		}
		if p := e.payment(t, refunded.PaymentID); p.RefundedAmount != 300 || p.Status != payments.StatusPartiallyRefunded {
			t.Errorf("pending refund: %s with %d refunded, want partially_refunded with 300", p.Status, p.RefundedAmount)
		}
		if rep.Refunds != 1 || rep.Remaining != 2 {
			t.Errorf("first run report %+v", rep)
		}

		// Later: the open checkout expired, the created one is abandoned.
		e.clock.Advance(30 * time.Minute)
		rep, err = e.svc.Reconcile(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if p := e.payment(t, open.PaymentID); p.Status != payments.StatusExpired {
			t.Errorf("expired at the provider: %s, want expired", p.Status)
		}
		if p := e.payment(t, 333); p.Status != payments.StatusExpired {
			t.Errorf("an abandoned created attempt: %s, want expired", p.Status)
		}
		if rep.Closed != 1 || rep.Remaining != 0 {
			t.Errorf("second run report %+v", rep)
		}
		// Running again changes nothing and processes no event twice.
		events := paytest.Count(t, db, `SELECT COUNT(*) FROM payment_events`)
		if _, err := e.svc.Reconcile(ctx); err != nil {
			t.Fatal(err)
		}
		if n := paytest.Count(t, db, `SELECT COUNT(*) FROM payment_events`); n != events {
			t.Errorf("a third run recorded %d more events", n-events)
		}
		// The applicant of the abandoned attempt can pay now.
		if _, err := e.svc.StartCheckout(ctx, paytest.Input(3)); err != nil {
			t.Errorf("starting after an abandoned attempt: %v", err)
		}
	})
}

func TestConfirm(t *testing.T) {
	paytest.EachBackend(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db)
		c := e.start(t, 1)
		p, err := e.svc.Confirm(ctx, c.SessionID)
		if err != nil || p.Status != payments.StatusPending {
			t.Fatalf("Confirm before paying: %v, %s; want pending (\"we're confirming\")", err, p.Status)
		}
		if _, err := e.svc.Confirm(ctx, "cs_sim_unknown"); !errors.Is(err, payments.ErrNotFound) {
			t.Errorf("Confirm of an unknown session: %v, want ErrNotFound", err)
		}
		e.choose(t, c, payments.SimulatedPay)
		p, err = e.svc.Confirm(ctx, c.SessionID)
		if err != nil || p.Status != payments.StatusPaid {
			t.Fatalf("Confirm after paying: %v, %s; want paid", err, p.Status)
		}
		if st, err := e.svc.Status(ctx, 1); err != nil || st.ID != c.PaymentID || st.Status != payments.StatusPaid {
			t.Errorf("Status(1) = %+v, %v", st, err)
		}
		if _, err := e.svc.Status(ctx, 99); !errors.Is(err, payments.ErrNotFound) || !errors.Is(err, catalogue.ErrNotFound) {
			t.Errorf("Status of an application without payment: %v, want ErrNotFound", err)
		}
	})
}
