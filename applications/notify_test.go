package applications

import (
	"context"
	"errors"
	"reflect"
	"strconv"
	"testing"

	"sportello/applications/forms"
	"sportello/notify"
	"sportello/notify/notifytest"
	"sportello/payments"
	"sportello/store/storetest"
)

type notice = notifytest.Notice

func (e *env) notices(t testing.TB) map[string]notice { return notifytest.Outbox(t, e.db) }

func added(before, after map[string]notice) map[string]notice { return notifytest.Added(before, after) }

func wantNotices(t *testing.T, what string, got, want map[string]notice) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s: notifications\n%+v\nwant\n%+v", what, got, want)
	}
}

// anonymousInput is a report made without signing in, with the address
// given (may be "").
func (e *env) anonymousInput(t *testing.T, email string) SubmitInput {
	t.Helper()
	res := e.validated(t, missedBin(), forms.Values{"notes": {"Grey bin, Carrer Major 3"}}, nil)
	token, err := NewToken()
	if err != nil {
		t.Fatal(err)
	}
	return SubmitInput{Token: token, Service: missedBin(), CatalogueVersion: 7, Contact: Contact{Email: email},
		Answers: res.Answers, Lang: "ca"}
}

func TestReceivedIsToldOnce(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		t.Run("signed in", func(t *testing.T) {
			before := e.notices(t)
			in := e.permitInput(t, 41)
			in.Lang = "es"
			app := e.submit(t, in)
			if app.Lang != "es" {
				t.Errorf("the application's language is %q, want es", app.Lang)
			}
			// The same form sent again is the same application.
			e.submit(t, in)
			wantNotices(t, "a permit sent", added(before, e.notices(t)), map[string]notice{
				"received:" + app.Reference.String(): {Kind: notify.ApplicationReceived, PersonID: 41, Lang: "es",
					Data: map[string]string{"ref": app.Reference.String(), "service": "parking-permit", "due": app.DueDate}},
			})
			if app.DueDate == "" {
				t.Error("the permit has no due date to tell")
			}
		})
		t.Run("not signed in, to the address given", func(t *testing.T) {
			before := e.notices(t)
			app := e.submit(t, e.anonymousInput(t, "joan@example.com"))
			wantNotices(t, "a report sent without signing in", added(before, e.notices(t)), map[string]notice{
				"received:" + app.Reference.String(): {Kind: notify.ApplicationReceived, Address: "joan@example.com", Lang: "ca",
					Data: map[string]string{"ref": app.Reference.String(), "service": "report-missed-bin", "due": ""}},
			})
		})
		t.Run("not signed in, without an address", func(t *testing.T) {
			before := e.notices(t)
			e.submit(t, e.anonymousInput(t, ""))
			wantNotices(t, "a report without an address", added(before, e.notices(t)), map[string]notice{})
		})
		t.Run("a failure after the notification", func(t *testing.T) {
			before := e.notices(t)
			allow := storetest.RefuseInserts(t, e.db, "application_files", "refused by the test")
			_, err := e.s.Submit(ctx, e.permitInput(t, 41))
			allow()
			if err == nil {
				t.Fatal("the submission went through")
			}
			wantNotices(t, "a submission that failed", added(before, e.notices(t)), map[string]notice{})
		})
		t.Run("a notification that cannot be written", func(t *testing.T) {
			allow := storetest.RefuseInserts(t, e.db, "notifications", "refused by the test")
			_, err := e.s.Submit(ctx, e.permitInput(t, 42))
			allow()
			if err == nil {
				t.Fatal("the submission went through without its notification")
			}
			if list, err := e.s.ListForApplicant(ctx, 42); err != nil || len(list) != 0 {
				t.Errorf("%d applications left, %v; want none", len(list), err)
			}
		})
	})
}

// TestStatusChangesAreTold: what the applicant hears of each change, with
// the keys that make each one a single mail.
func TestStatusChangesAreTold(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		in := e.permitInput(t, 41)
		in.Lang = "it"
		app := e.submit(t, in)
		ref := app.Reference.String()
		tell := func(kind notify.Kind, data map[string]string) notice {
			data["ref"], data["service"] = ref, "parking-permit"
			return notice{Kind: kind, PersonID: 41, Lang: "it", Data: data}
		}
		steps := []struct {
			name string
			do   func() error
			want map[string]notice
		}{
			{"in review", func() error {
				return e.s.ChangeStatus(ctx, app.Reference, caseworker, StatusSubmitted, StatusInReview, "We are checking your proof of address.")
			}, map[string]notice{"status:" + ref + ":2": tell(notify.StatusChanged, map[string]string{"status": "in_review", "note": "We are checking your proof of address."})}},
			{"a question", func() error {
				return e.s.RequestMoreInfo(ctx, app.Reference, caseworker, "Which car is it for?")
			}, map[string]notice{"info:" + ref + ":3": tell(notify.InfoRequested, map[string]string{"question": "Which car is it for?"})}},
			{"the applicant's answer", func() error {
				return e.s.Respond(ctx, 41, app.Reference, "The blue one.", nil)
			}, map[string]notice{}},
			{"a stale change", func() error {
				err := e.s.ChangeStatus(ctx, app.Reference, admin, StatusSubmitted, StatusInReview, "")
				if !errors.Is(err, ErrConflict) {
					return errors.New("a stale change was not refused")
				}
				return nil
			}, map[string]notice{}},
			{"the decision", func() error {
				return e.s.ChangeStatus(ctx, app.Reference, admin, StatusInReview, StatusApproved, "Valid from 1 April.")
			}, map[string]notice{"decision:" + ref + ":5": tell(notify.Decision, map[string]string{"status": "approved", "note": "Valid from 1 April."})}},
		}
		for _, st := range steps {
			before := e.notices(t)
			if err := st.do(); err != nil {
				t.Fatalf("%s: %v", st.name, err)
			}
			wantNotices(t, st.name, added(before, e.notices(t)), st.want)
		}

		t.Run("withdrawn, confirmed without the reason", func(t *testing.T) {
			app := e.submit(t, e.permitInput(t, 41))
			before := e.notices(t)
			if err := e.s.Withdraw(ctx, 41, app.Reference, "I moved away"); err != nil {
				t.Fatal(err)
			}
			ref := app.Reference.String()
			wantNotices(t, "withdrawn", added(before, e.notices(t)), map[string]notice{
				"status:" + ref + ":2": {Kind: notify.StatusChanged, PersonID: 41,
					Data: map[string]string{"ref": ref, "service": "parking-permit", "status": "withdrawn", "note": ""}},
			})
		})
		t.Run("rejected", func(t *testing.T) {
			app := e.submit(t, e.permitInput(t, 42))
			ref := app.Reference.String()
			if err := e.s.ChangeStatus(ctx, app.Reference, caseworker, StatusSubmitted, StatusInReview, ""); err != nil {
				t.Fatal(err)
			}
			before := e.notices(t)
			if err := e.s.ChangeStatus(ctx, app.Reference, caseworker, StatusInReview, StatusRejected, "The car is not registered in Porta Nova."); err != nil {
				t.Fatal(err)
			}
			wantNotices(t, "rejected", added(before, e.notices(t)), map[string]notice{
				"decision:" + ref + ":3": {Kind: notify.Decision, PersonID: 42,
					Data: map[string]string{"ref": ref, "service": "parking-permit", "status": "rejected", "note": "The car is not registered in Porta Nova."}},
			})
		})
		t.Run("a failure after the notification", func(t *testing.T) {
			app := e.submit(t, e.permitInput(t, 41))
			before := e.notices(t)
			// The audit entry is written after the notification.
			allow := storetest.RefuseInserts(t, e.db, "audit_log", "refused by the test")
			err := e.s.ChangeStatus(ctx, app.Reference, caseworker, StatusSubmitted, StatusInReview, "")
			allow()
			if err == nil {
				t.Fatal("the change went through without its audit entry")
			}
			wantNotices(t, "a change that failed", added(before, e.notices(t)), map[string]notice{})
			if got, _ := e.s.ForApplicant(ctx, 41, app.Reference); got.Status != StatusSubmitted {
				t.Errorf("status %s, want submitted", got.Status)
			}
		})
	})
}

// TestPaidOnApplicationIsReceivedWhenPaid: an application waiting for its
// fee has reached nobody; the payment that sends it is when it is told
// received, with the due date counted from then, once however many times
// the provider is asked.
func TestPaidOnApplicationIsReceivedWhenPaid(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		svc := e.payments(t)
		in := e.permitInput(t, 41)
		in.Service, in.Lang = paidPermit(), "fr"
		app := e.submit(t, in)
		ref := app.Reference.String()
		if got := e.notices(t); len(got) != 0 {
			t.Errorf("told before paying: %+v", got)
		}
		co := checkout(t, svc, app)
		if _, err := svc.SimulatedChoose(ctx, co.SessionID, payments.SimulatedPay); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Confirm(ctx, co.SessionID); err != nil {
			t.Fatal(err)
		}
		paid, err := e.s.ForApplicant(ctx, 41, app.Reference)
		if err != nil {
			t.Fatal(err)
		}
		got := e.notices(t)
		want := notice{Kind: notify.ApplicationReceived, PersonID: 41, Lang: "fr",
			Data: map[string]string{"ref": ref, "service": "paid-permit", "due": paid.DueDate}}
		if !reflect.DeepEqual(got["received:"+ref], want) {
			t.Errorf("received: %+v, want %+v", got["received:"+ref], want)
		}
		if len(got) != 2 || got["payment:"+strconv.FormatInt(co.PaymentID, 10)+":paid"].Kind != notify.PaymentReceived {
			t.Errorf("notifications %+v; want the application received and the payment received, once each", got)
		}
	})
}
