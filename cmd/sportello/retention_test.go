package main

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"sportello/applications"
	"sportello/catalogue"
	"sportello/catalogue/sqlstore"
	"sportello/jobs"
	"sportello/notify/notifytest"
	"sportello/store/storetest"
)

// The retention job as the binary wires it reads each service's retention
// from the published catalogue, an archived service's too, and two
// instances run it once: the demo's missed bin reports are kept two years
// after they close, its parking permits six.
func TestRetentionJobOnTheDemoCatalogue(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			ctx := context.Background()
			url := storetest.URL(t, dialect)
			db := storetest.OpenURL(t, url)
			cat, err := sqlstore.New(ctx, db)
			if err != nil {
				t.Fatal(err)
			}
			demo, err := catalogue.Load(catalogue.DemoJSON())
			if err != nil {
				t.Fatal(err)
			}
			if _, err := cat.Import(ctx, demo); err != nil {
				t.Fatal(err)
			}
			notifytest.AddPeople(t, db, 7)
			sent := time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
			apps, err := applications.New(db, applications.Options{Now: func() time.Time { return sent }, Logger: slog.New(slog.DiscardHandler)})
			if err != nil {
				t.Fatal(err)
			}
			staff := applications.Actor{Role: applications.RoleCaseworker}
			closed := func(slug string) applications.Reference {
				svc, err := cat.Service(ctx, slug)
				if err != nil {
					t.Fatal(err)
				}
				token, _ := applications.NewToken()
				app, err := apps.Submit(ctx, applications.SubmitInput{Token: token, Service: svc, CatalogueVersion: 1, PersonID: 7,
					Contact: applications.Contact{Name: "Marta Vidal", Email: "marta@example.org"}})
				if err != nil {
					t.Fatal(err)
				}
				if app.Status == applications.StatusAwaitingPayment {
					// A fee on application never paid: withdrawn.
					if err := apps.Withdraw(ctx, 7, app.Reference, "I moved away"); err != nil {
						t.Fatal(err)
					}
					return app.Reference
				}
				if err := apps.ChangeStatus(ctx, app.Reference, staff, applications.StatusSubmitted, applications.StatusInReview, ""); err != nil {
					t.Fatal(err)
				}
				if err := apps.ChangeStatus(ctx, app.Reference, staff, applications.StatusInReview, applications.StatusRejected, "Not in Porta Nova"); err != nil {
					t.Fatal(err)
				}
				return app.Reference
			}
			bin := closed("report-missed-bin-collection") // 730 days
			permit := closed("resident-parking-permit")   // 2190 days
			fly := closed("report-fly-tipping")           // 730 days, then archived
			if _, err := cat.Archive(ctx, "report-fly-tipping", "editor", "no longer offered"); err != nil {
				t.Fatal(err)
			}

			later := sent.Add(731 * 24 * time.Hour)
			var runs atomic.Int64
			var wg sync.WaitGroup
			run, stop := context.WithCancel(ctx)
			defer stop()
			for _, owner := range []string{"a", "b"} {
				idb := storetest.OpenURL(t, url)
				icat, err := sqlstore.New(ctx, idb)
				if err != nil {
					t.Fatal(err)
				}
				iapps, err := applications.New(idb, applications.Options{Now: func() time.Time { return later }, Logger: slog.New(slog.DiscardHandler)})
				if err != nil {
					t.Fatal(err)
				}
				r := jobs.New(idb, jobs.Options{Owner: owner, Now: func() time.Time { return later }, OnRun: func(string, error) { runs.Add(1) }})
				r.Add(retentionJob(iapps, icat))
				wg.Go(func() { r.Run(run) })
			}
			for {
				all, err := jobs.List(ctx, db)
				if err == nil && len(all) == 1 && all[0].Runs == 1 && all[0].RunningOn == "" {
					if all[0].Failures != 0 {
						t.Errorf("the job failed: %s", all[0].LastError)
					}
					break
				}
				time.Sleep(10 * time.Millisecond)
			}
			stop()
			wg.Wait()
			if n := runs.Load(); n != 1 {
				t.Errorf("the job ran %d times across two instances, want once", n)
			}
			for ref, want := range map[applications.Reference]bool{bin: true, fly: true, permit: false} {
				entries, err := apps.Audit(ctx, ref)
				if err != nil {
					t.Fatal(err)
				}
				got := false
				for _, e := range entries {
					got = got || e.Action == applications.AuditRetention
				}
				if got != want {
					t.Errorf("%s anonymised: %v, want %v", ref, got, want)
				}
			}
		})
	}
}
