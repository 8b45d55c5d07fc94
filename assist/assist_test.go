package assist_test

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"testing"
	"time"

	"sportello/applications"
	"sportello/applications/forms"
	"sportello/assist"
	"sportello/catalogue"
	"sportello/notify"
	"sportello/notify/notifytest"
	"sportello/payments"
	"sportello/store"
	"sportello/store/storetest"
)

// Staff 900 and 901, residents who sign in as 7 and 8.
var (
	javier = assist.Staff{PersonID: 900, Name: "Javier Ortega"}
	other  = assist.Staff{PersonID: 901, Name: "Ana Ruiz"}
)

const reason = "No computer at home; asked for help at the counter"

type env struct {
	db   *store.DB
	apps *applications.Store
	as   *assist.Store
	pay  *payments.Service
}

func newEnv(t *testing.T, db *store.DB) env {
	t.Helper()
	now := func() time.Time { return time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC) }
	apps, err := applications.New(db, applications.Options{Now: now, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	sim, err := payments.NewSimulated(db, payments.SimulatedConfig{Env: "development", Now: now})
	if err != nil {
		t.Fatal(err)
	}
	pay, err := payments.New(db, payments.Options{Provider: sim, Fulfiller: apps, Now: now, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	notifytest.AddPeople(t, db, 7, 8, 900, 901)
	return env{db: db, apps: apps, as: assist.New(db, apps, now, slog.New(slog.DiscardHandler)), pay: pay}
}

func ptr[T any](v T) *T { return &v }

// licence needs a substantial sign-in and is paid on application.
func licence() *catalogue.Service {
	return &catalogue.Service{
		Slug: "dog-licence", Title: catalogue.Text{"en": "Dog licence"}, Assurance: ptr(catalogue.AssuranceSubstantial),
		Fee: &catalogue.Fee{Amount: 1250, Currency: "EUR", When: catalogue.FeeOnApplication},
		OnlineForm: &catalogue.OnlineForm{Fields: []catalogue.Field{
			{Name: "dog", Type: "text", Required: true, Label: catalogue.Text{"en": "Dog's name"}},
		}},
	}
}

func (e env) submitAtCounter(t *testing.T, v assist.Visit) *applications.Application {
	t.Helper()
	res, err := forms.NewValidator(forms.Options{}).Validate(context.Background(), licence().OnlineForm, forms.Values{"dog": {"Nina"}}, nil)
	if err != nil || !res.OK() {
		t.Fatalf("validate: %v %v", err, res.Errors)
	}
	token, _ := applications.NewToken()
	app, err := e.apps.Submit(context.Background(), applications.SubmitInput{
		Token: token, Service: licence(), CatalogueVersion: 1, PersonID: v.Resident.PersonID,
		Contact: applications.Contact{Name: v.Resident.Name, Email: v.Resident.Email},
		Answers: res.Answers, Lang: "es", Counter: e.as.Counter(v),
	})
	if err != nil {
		t.Fatalf("Submit at the counter: %v", err)
	}
	return app
}

func TestCounterJourney(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()

		// Recording needs a reason and something to find the resident by.
		if _, err := e.as.Record(ctx, javier, " ", assist.Resident{Name: "Marta Vidal", Email: "m@example.org"}); !errors.Is(err, assist.ErrInvalid) {
			t.Fatalf("no reason: %v, want ErrInvalid", err)
		}
		if _, err := e.as.Record(ctx, javier, reason, assist.Resident{Name: "Marta Vidal"}); !errors.Is(err, assist.ErrInvalid) {
			t.Fatalf("no identifier: %v, want ErrInvalid", err)
		}
		v, err := e.as.Record(ctx, javier, reason, assist.Resident{Name: "  Marta   Vidal ", BirthDate: "1961-04-09",
			NationalID: "12.345.678-z", Email: "Marta.Vidal@Example.org", Lang: "ca"})
		if err != nil {
			t.Fatal(err)
		}
		if v.Resident.NationalID != "12345678Z" || v.Resident.Email != "marta.vidal@example.org" || v.Resident.Name != "Marta Vidal" {
			t.Fatalf("recorded %+v", v.Resident)
		}
		if _, err := e.as.Record(ctx, javier, reason, assist.Resident{Name: "Someone else", NationalID: "12345678Z"}); !errors.Is(err, assist.ErrConflict) {
			t.Fatalf("same national ID again: %v, want ErrConflict", err)
		}

		// Each identifier finds her; a name alone does not.
		for _, q := range []assist.Query{{NationalID: "12345678-Z"}, {Email: "MARTA.VIDAL@example.org"}, {Name: "marta vidal", BirthDate: "1961-04-09"}} {
			found, err := e.as.Find(ctx, other, reason, q)
			if err != nil || len(found) != 1 || found[0].ID != v.Resident.ID {
				t.Fatalf("Find(%+v) = %+v, %v", q, found, err)
			}
		}
		if _, err := e.as.Find(ctx, other, reason, assist.Query{Name: "Marta Vidal"}); !errors.Is(err, assist.ErrInvalid) {
			t.Fatalf("a name alone: %v, want ErrInvalid", err)
		}
		if found, _ := e.as.Find(ctx, other, reason, assist.Query{Name: "Marta Vidal", BirthDate: "1961-04-10"}); len(found) != 0 {
			t.Fatalf("another date of birth found %+v", found)
		}

		// A visit is its member of staff's only.
		if _, err := e.as.Visit(ctx, other.PersonID, v.ID); !errors.Is(err, assist.ErrNotFound) {
			t.Fatalf("another's visit: %v, want ErrNotFound", err)
		}
		got, err := e.as.Visit(ctx, javier.PersonID, v.ID)
		if err != nil || got.Resident.ID != v.Resident.ID || got.Reason != reason || got.Staff != javier {
			t.Fatalf("Visit = %+v, %v", got, err)
		}

		// Sent at the counter: nobody's account yet, the counter as actor,
		// the resident reached by email.
		app := e.submitAtCounter(t, got)
		if app.PersonID != 0 || app.Status != applications.StatusAwaitingPayment || app.Events[0].ActorRole != applications.RoleCounter || app.Events[0].ActorPersonID != javier.PersonID {
			t.Fatalf("application %+v events %+v", app, app.Events)
		}
		if ids, err := e.as.Applications(ctx, v.Resident.ID); err != nil || len(ids) != 1 || ids[0] != app.ID {
			t.Fatalf("Applications = %v, %v", ids, err)
		}

		// Paid at the counter: the same record, fulfilment and receipt.
		before := notifytest.Outbox(t, db)
		p, err := e.pay.RecordCounter(ctx, payments.CounterInput{
			StartInput: payments.StartInput{ApplicationID: app.ID, Reference: app.Reference.String(), ServiceSlug: "dog-licence",
				Fee: catalogue.Fee{Amount: 1250, Currency: "EUR", When: catalogue.FeeOnApplication}, Title: "Dog licence", Lang: "es", Email: v.Resident.Email},
			Method: payments.MethodCash, MethodReference: "TILL-0042", Amount: 1250, StaffPersonID: javier.PersonID,
			InTx: func(ctx context.Context, tx *sql.Tx, p payments.Payment) error {
				return e.as.LogIn(ctx, tx, got, assist.ActionPayment, p.Reference, p.Method)
			},
		})
		if err != nil {
			t.Fatal(err)
		}
		if p.Status != payments.StatusPaid || p.Method != payments.MethodCash || p.MethodReference != "TILL-0042" || p.RecordedBy != javier.PersonID {
			t.Fatalf("payment %+v", p)
		}
		if a, _ := e.apps.ForStaff(ctx, applications.Actor{PersonID: 900, Role: applications.RoleCaseworker}, app.Reference); a.Status != applications.StatusSubmitted {
			t.Fatalf("after the counter payment the application is %s", a.Status)
		}
		added := notifytest.Added(before, notifytest.Outbox(t, db))
		if len(notifytest.OfKind(added, notify.PaymentReceived)) != 1 || len(notifytest.OfKind(added, notify.ApplicationReceived)) != 1 {
			t.Fatalf("mails added %+v", added)
		}
		if _, err := e.pay.RecordCounter(ctx, payments.CounterInput{StartInput: payments.StartInput{ApplicationID: app.ID, Reference: app.Reference.String(), ServiceSlug: "dog-licence",
			Fee: catalogue.Fee{Amount: 1250, Currency: "EUR", When: catalogue.FeeOnApplication}}, Method: payments.MethodCardTerminal, MethodReference: "T-1", Amount: 1250, StaffPersonID: 900}); !errors.Is(err, payments.ErrAlreadyPaid) {
			t.Fatalf("paying twice: %v, want ErrAlreadyPaid", err)
		}

		// Someone of the same name signs in without a verified identifier
		// of the record: nothing is linked.
		if n, err := e.as.Link(ctx, 8, "", ""); n != 0 || err != nil {
			t.Fatalf("Link without identifiers = %d, %v", n, err)
		}
		if n, err := e.as.Link(ctx, 8, "marta@elsewhere.example", "99999999R"); n != 0 || err != nil {
			t.Fatalf("Link with other identifiers = %d, %v", n, err)
		}
		if _, err := e.apps.ForApplicant(ctx, 8, app.Reference); !errors.Is(err, applications.ErrNotFound) {
			t.Fatalf("another person sees the counter's application: %v", err)
		}
		// She signs in with her national ID claim: it becomes hers.
		if n, err := e.as.Link(ctx, 7, "", "12345678z"); n != 1 || err != nil {
			t.Fatalf("Link by national ID = %d, %v", n, err)
		}
		mine, err := e.apps.ForApplicant(ctx, 7, app.Reference)
		if err != nil || mine.PersonID != 7 {
			t.Fatalf("hers: %+v, %v", mine, err)
		}
		if ps, err := e.pay.ForPerson(ctx, 7); err != nil || len(ps) != 1 || ps[0].ID != p.ID {
			t.Fatalf("her payments %+v, %v", ps, err)
		}
		if _, err := e.apps.ForApplicant(ctx, 8, app.Reference); !errors.Is(err, applications.ErrNotFound) {
			t.Fatalf("another person sees it after linking: %v", err)
		}
		// Linked once: a later sign-in links nothing more.
		if n, _ := e.as.Link(ctx, 8, "marta.vidal@example.org", ""); n != 0 {
			t.Fatalf("a linked record was linked again: %d", n)
		}

		// Who acted for her, newest first, searches left out.
		log, err := e.as.ForPerson(ctx, 7)
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, en := range log {
			actions = append(actions, en.Action)
			if en.Action != assist.ActionLinked && (en.Staff != javier || en.Reason != reason) {
				t.Fatalf("log entry %+v", en)
			}
		}
		want := []string{assist.ActionLinked, assist.ActionPayment, assist.ActionSubmit, assist.ActionVisit, assist.ActionRecord}
		if len(actions) != len(want) {
			t.Fatalf("log %v, want %v", actions, want)
		}
		for _, a := range want {
			found := false
			for _, b := range actions {
				found = found || a == b
			}
			if !found {
				t.Fatalf("log %v lacks %s", actions, a)
			}
		}
		if log, _ := e.as.ForPerson(ctx, 8); len(log) != 0 {
			t.Fatalf("another person's data shows %+v", log)
		}
	})
}
