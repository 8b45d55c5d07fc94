package applications

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"testing"
	"time"

	"sportello/catalogue"
	"sportello/payments"
)

// paidPermit is permit with its fee due on application: it waits for its
// payment before it reaches the council.
func paidPermit() *catalogue.Service {
	s := permit()
	s.Slug = "paid-permit"
	s.Fee = &catalogue.Fee{Amount: 4000, Currency: "EUR", When: catalogue.FeeOnApplication}
	return s
}

// payments returns the payments service over the store's database with the
// simulated provider and the store as its Fulfiller, as the binary wires it.
func (e *env) payments(t *testing.T) *payments.Service {
	t.Helper()
	sim, err := payments.NewSimulated(e.db, payments.SimulatedConfig{Env: "test"})
	if err != nil {
		t.Fatal(err)
	}
	svc, err := payments.New(e.db, payments.Options{Provider: sim, Fulfiller: e.s, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

// checkout starts a checkout for app's fee snapshot.
func checkout(t *testing.T, svc *payments.Service, app *Application) payments.Checkout {
	t.Helper()
	co, err := svc.StartCheckout(context.Background(), payments.StartInput{
		ApplicationID: app.ID, Reference: app.Reference.String(), ServiceSlug: app.ServiceSlug,
		Fee:   catalogue.Fee{Amount: app.Fee.Amount, Currency: app.Fee.Currency, When: app.Fee.When},
		Title: "Parking permit", Lang: "en", PersonID: app.PersonID, Email: app.Contact.Email,
		SuccessURL: "https://portal.example/payments/return?session_id={CHECKOUT_SESSION_ID}",
		CancelURL:  "https://portal.example/payments/cancelled",
	})
	if err != nil {
		t.Fatalf("StartCheckout: %v", err)
	}
	return co
}

func TestFirstStatus(t *testing.T) {
	tests := []struct {
		name string
		fee  *catalogue.Fee
		want Status
	}{
		{"free", nil, StatusSubmitted},
		{"zero fee", &catalogue.Fee{Amount: 0, Currency: "EUR", When: catalogue.FeeOnApplication}, StatusSubmitted},
		{"on application", &catalogue.Fee{Amount: 4000, Currency: "EUR", When: catalogue.FeeOnApplication}, StatusAwaitingPayment},
		{"on approval", &catalogue.Fee{Amount: 4000, Currency: "EUR", When: catalogue.FeeOnApproval}, StatusSubmitted},
	}
	for _, tt := range tests {
		if got := FirstStatus(tt.fee); got != tt.want {
			t.Errorf("%s: %s, want %s", tt.name, got, tt.want)
		}
	}
}

func TestPaymentTransitions(t *testing.T) {
	tests := []struct {
		from, to Status
		role     string
		want     bool
	}{
		{StatusDraft, StatusAwaitingPayment, RoleApplicant, true},
		{StatusAwaitingPayment, StatusSubmitted, RoleSystem, true},
		{StatusAwaitingPayment, StatusSubmitted, RoleApplicant, false},
		{StatusAwaitingPayment, StatusSubmitted, RoleCaseworker, false},
		{StatusAwaitingPayment, StatusInReview, RoleCaseworker, false},
		{StatusAwaitingPayment, StatusWithdrawn, RoleApplicant, true},
		{StatusApproved, StatusPaid, RoleSystem, true},
		{StatusApproved, StatusPaid, RoleAdmin, false},
		{StatusApproved, StatusPaid, RoleApplicant, false},
		{StatusSubmitted, StatusPaid, RoleSystem, false},
	}
	for _, tt := range tests {
		if got := Allowed(tt.from, tt.to, tt.role); got != tt.want {
			t.Errorf("Allowed(%s, %s, %s) = %v", tt.from, tt.to, tt.role, got)
		}
	}
	// Paying is not a decision: approved stays final for the pages, and
	// nobody but the system moves an application that awaits its payment
	// on, except the applicant who gives up.
	for st, want := range map[Status]bool{StatusApproved: true, StatusPaid: true, StatusAwaitingPayment: false} {
		if st.Final() != want {
			t.Errorf("%s.Final() = %v, want %v", st, st.Final(), want)
		}
	}
	if got := Next(StatusAwaitingPayment, RoleCaseworker); len(got) != 0 {
		t.Errorf("Next(awaiting_payment, caseworker) = %v, want nothing", got)
	}
	if got := Next(StatusApproved, RoleCaseworker); len(got) != 0 {
		t.Errorf("Next(approved, caseworker) = %v, want nothing", got)
	}
}

func TestPaymentMovesTheApplicationOn(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		svc := e.payments(t)
		history := func(app *Application) []Status {
			got, err := e.s.ForApplicant(ctx, applicant.PersonID, app.Reference)
			if err != nil {
				t.Fatal(err)
			}
			var out []Status
			for _, ev := range got.Events {
				out = append(out, ev.To)
			}
			return out
		}

		t.Run("fee on application", func(t *testing.T) {
			in := e.permitInput(t, applicant.PersonID)
			in.Service = paidPermit()
			app := e.submit(t, in)
			if app.Status != StatusAwaitingPayment || len(app.Events) != 1 || app.Events[0].To != StatusAwaitingPayment {
				t.Fatalf("submitted: %s, events %+v; want awaiting_payment", app.Status, app.Events)
			}
			// Not the council's turn yet: caseworkers cannot start on it.
			if err := e.s.ChangeStatus(ctx, app.Reference, caseworker, StatusAwaitingPayment, StatusInReview, ""); !errors.Is(err, ErrInvalidTransition) {
				t.Errorf("review before payment: %v, want ErrInvalidTransition", err)
			}
			// Declined, then paid three days later.
			co := checkout(t, svc, app)
			if _, err := svc.SimulatedChoose(ctx, co.SessionID, payments.SimulatedDecline); err != nil {
				t.Fatal(err)
			}
			if got := history(app); !slices.Equal(got, []Status{StatusAwaitingPayment}) {
				t.Fatalf("after a declined card: %v", got)
			}
			paidAt := time.Date(2026, 3, 5, 11, 0, 0, 0, time.UTC)
			e.clock.set(paidAt)
			co = checkout(t, svc, app)
			if _, err := svc.SimulatedChoose(ctx, co.SessionID, payments.SimulatedPay); err != nil {
				t.Fatal(err)
			}
			got, err := e.s.ForApplicant(ctx, applicant.PersonID, app.Reference)
			if err != nil {
				t.Fatal(err)
			}
			if got.Status != StatusSubmitted || !got.SubmittedAt.Equal(paidAt) {
				t.Errorf("after paying: %s submitted at %v, want submitted at %v", got.Status, got.SubmittedAt, paidAt)
			}
			if got.DueDate != "2026-03-19" {
				t.Errorf("due %s, want 2026-03-19: ten working days from the payment, not from the sending", got.DueDate)
			}
			last := got.Events[len(got.Events)-1]
			if len(got.Events) != 2 || last.From != StatusAwaitingPayment || last.To != StatusSubmitted || last.ActorRole != RoleSystem || last.ActorPersonID != 0 {
				t.Errorf("events %+v", got.Events)
			}
			// Asking the provider again records nothing more.
			if p, err := svc.Confirm(ctx, co.SessionID); err != nil || p.Status != payments.StatusPaid {
				t.Errorf("Confirm after paying: %v, %s", err, p.Status)
			}
			if n := len(history(app)); n != 2 {
				t.Errorf("%d events after Confirm, want 2", n)
			}
			// Now the council has it.
			if err := e.s.ChangeStatus(ctx, app.Reference, caseworker, StatusSubmitted, StatusInReview, ""); err != nil {
				t.Errorf("review after payment: %v", err)
			}
		})

		t.Run("fee on approval", func(t *testing.T) {
			app := e.submit(t, e.permitInput(t, applicant.PersonID))
			if app.Status != StatusSubmitted {
				t.Fatalf("submitted as %s", app.Status)
			}
			for _, st := range []struct{ from, to Status }{{StatusSubmitted, StatusInReview}, {StatusInReview, StatusApproved}} {
				if err := e.s.ChangeStatus(ctx, app.Reference, caseworker, st.from, st.to, ""); err != nil {
					t.Fatal(err)
				}
			}
			co := checkout(t, svc, app)
			if _, err := svc.SimulatedChoose(ctx, co.SessionID, payments.SimulatedPay); err != nil {
				t.Fatal(err)
			}
			want := []Status{StatusSubmitted, StatusInReview, StatusApproved, StatusPaid}
			if got := history(app); !slices.Equal(got, want) {
				t.Errorf("history %v, want %v", got, want)
			}
		})

		t.Run("withdrawn while paying", func(t *testing.T) {
			in := e.permitInput(t, applicant.PersonID)
			in.Service = paidPermit()
			app := e.submit(t, in)
			co := checkout(t, svc, app)
			if err := e.s.Withdraw(ctx, applicant.PersonID, app.Reference, "changed my mind"); err != nil {
				t.Fatal(err)
			}
			if _, err := svc.SimulatedChoose(ctx, co.SessionID, payments.SimulatedPay); err != nil {
				t.Fatal(err)
			}
			// The money was taken: the payment waits for staff to refund it,
			// and the application stays withdrawn.
			p, err := svc.Payment(ctx, co.PaymentID)
			if err != nil || p.Status != payments.StatusFlagged || p.Refundable() != 4000 {
				t.Errorf("payment %s (%s), refundable %d, %v; want flagged with 4000 to refund", p.Status, p.FlagReason, p.Refundable(), err)
			}
			if got := history(app); !slices.Equal(got, []Status{StatusAwaitingPayment, StatusWithdrawn}) {
				t.Errorf("history %v", got)
			}
		})

		t.Run("fee on approval before approval", func(t *testing.T) {
			app := e.submit(t, e.permitInput(t, applicant.PersonID))
			co := checkout(t, svc, app)
			if _, err := svc.SimulatedChoose(ctx, co.SessionID, payments.SimulatedPay); err != nil {
				t.Fatal(err)
			}
			p, _ := svc.Payment(ctx, co.PaymentID)
			if p.Status != payments.StatusFlagged {
				t.Errorf("payment %s, want flagged: the application was not approved", p.Status)
			}
			if got := history(app); !slices.Equal(got, []Status{StatusSubmitted}) {
				t.Errorf("history %v", got)
			}
		})
	})
}
