package applications

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"sportello/jobs"
	"sportello/store"
	"sportello/store/storetest"
)

// periods is the catalogue's retention as EnforceRetention asks for it.
func periods(days map[string]int) RetentionOf {
	return func(_ context.Context, slug string) (int, error) { return days[slug], nil }
}

// auditOf returns the audit entries of app with action.
func (e *env) auditOf(t *testing.T, app *Application, action string) []AuditEntry {
	t.Helper()
	all, err := e.s.Audit(context.Background(), app.Reference)
	if err != nil {
		t.Fatal(err)
	}
	var out []AuditEntry
	for _, a := range all {
		if a.Action == action {
			out = append(out, a)
		}
	}
	return out
}

// A closed application past its service's retention loses its answers,
// files, contact details and notes, and says so in the audit log; one
// closed more recently, an open one, one whose service keeps its
// applications, and the payment of the one anonymised are left as they
// were.
func TestEnforceRetention(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		t0 := e.clock.now()
		keep := periods(map[string]int{"parking-permit": 730})

		// Closed two years and a day ago: approved after a question
		// answered with a note, and a caseworker who opened a file.
		old := e.submit(t, e.permitInput(t, 7))
		if err := e.s.ChangeStatus(ctx, old.Reference, caseworker, StatusSubmitted, StatusInReview, "Checking the address of Ana García"); err != nil {
			t.Fatal(err)
		}
		if err := e.s.ChangeStatus(ctx, old.Reference, caseworker, StatusInReview, StatusApproved, "Approved for 1234 BCD"); err != nil {
			t.Fatal(err)
		}
		if _, err := e.s.StaffFile(ctx, caseworker, old.Files[0].ID); err != nil {
			t.Fatal(err)
		}
		addPayment(t, e.db, old)
		// Rejected a year ago, within its two years.
		e.clock.set(t0.Add(365 * day))
		recent := e.submit(t, e.permitInput(t, 8))
		e.decide(t, recent, StatusRejected)
		// Sent three years ago and still in review: never touched.
		e.clock.set(t0)
		open := e.submit(t, e.permitInput(t, 9))
		if err := e.s.ChangeStatus(ctx, open.Reference, caseworker, StatusSubmitted, StatusInReview, ""); err != nil {
			t.Fatal(err)
		}
		// A service whose catalogue says nothing keeps its applications.
		unsaid := e.submit(t, e.anonymousInput(t, "joan@example.com"))
		e.decide(t, unsaid, StatusApproved)
		blobsBefore := len(e.uploads(t))

		// A day short of two years: nothing yet.
		e.clock.set(t0.Add(729 * day))
		rep, err := e.s.EnforceRetention(ctx, keep)
		if err != nil || rep.Anonymised != 0 {
			t.Fatalf("a day early: %+v, %v; want nothing anonymised", rep, err)
		}

		e.clock.set(t0.Add(730*day + time.Hour))
		rep, err = e.s.EnforceRetention(ctx, keep)
		if err != nil {
			t.Fatal(err)
		}
		if d, ok := ParseRetentionDetail("730 2026-03-02 2"); !ok || d != (RetentionDetail{730, "2026-03-02", 2}) {
			t.Errorf("ParseRetentionDetail = %+v, %v", d, ok)
		}
		if rep.Anonymised != 1 || rep.FilesErased != 2 {
			t.Errorf("report %+v, want 1 application and its 2 files", rep)
		}

		got, err := e.s.ForStaff(ctx, caseworker, old.Reference)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Answers) != 0 || got.Contact != (Contact{}) || got.PersonID != 0 || len(got.Files) != 0 {
			t.Errorf("anonymised application still holds answers %v, contact %+v, person %d, files %d", got.Answers, got.Contact, got.PersonID, len(got.Files))
		}
		if got.Status != StatusApproved || got.Reference != old.Reference || got.ServiceSlug != old.ServiceSlug {
			t.Errorf("anonymised application lost what is kept: %+v", got)
		}
		for _, ev := range got.Events {
			if ev.Note != "" {
				t.Errorf("a note is left in its history: %q", ev.Note)
			}
			if ev.ActorRole == RoleApplicant && ev.ActorPersonID != 0 {
				t.Errorf("its history still names the applicant, person %d", ev.ActorPersonID)
			}
		}
		if _, err := e.s.ForApplicant(ctx, 7, old.Reference); !errors.Is(err, ErrNotFound) {
			t.Errorf("the applicant still finds it in their account: %v", err)
		}
		if n := len(e.uploads(t)); n != blobsBefore-2 {
			t.Errorf("%d files' contents left, want %d", n, blobsBefore-2)
		}
		audit := e.auditOf(t, got, AuditRetention)
		if len(audit) != 1 || audit[0].ActorRole != RoleSystem || audit[0].Detail != "730 2026-03-02 2" {
			t.Errorf("retention audit %+v, want one entry by the system saying when it closed", audit)
		}
		for _, a := range e.auditOf(t, got, AuditViewFile) {
			if strings.Contains(a.Detail, "bill.pdf") {
				t.Errorf("the audit log still names the file: %q", a.Detail)
			}
		}
		// The mails about it keep no facts, address or person; the
		// others' keep theirs.
		mails := func(where string, arg any) int {
			var n int
			if err := e.db.SQL().QueryRow(e.db.Rebind(`SELECT COUNT(*) FROM notifications WHERE `+where), arg).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		if n := mails(`data LIKE ? OR person_id = 7`, "%"+string(old.Reference)+"%"); n != 0 {
			t.Errorf("%d notifications still say something of the anonymised application", n)
		}
		if n := mails(`data LIKE ?`, "%"+string(recent.Reference)+"%"); n == 0 {
			t.Errorf("the notifications of %s, within its retention, were forgotten", recent.Reference)
		}
		var amount int64
		var ref string
		if err := e.db.SQL().QueryRow(e.db.Rebind(`SELECT amount, reference FROM payments WHERE application_id = ?`), old.ID).Scan(&amount, &ref); err != nil || amount != 4500 || ref != string(old.Reference) {
			t.Errorf("the payment is %d %q (%v), want 4500 %s kept", amount, ref, err, old.Reference)
		}

		for _, app := range []*Application{recent, open, unsaid} {
			kept, err := e.s.ForStaff(ctx, caseworker, app.Reference)
			if err != nil {
				t.Fatal(err)
			}
			if len(kept.Answers) == 0 || kept.Contact == (Contact{}) {
				t.Errorf("%s (%s, %s) lost its personal data", app.Reference, app.ServiceSlug, kept.Status)
			}
			if n := len(e.auditOf(t, kept, AuditRetention)); n != 0 {
				t.Errorf("%s has %d retention entries", app.Reference, n)
			}
		}

		// Again: nothing more to do, and nothing recorded twice.
		if rep, err := e.s.EnforceRetention(ctx, keep); err != nil || rep.Anonymised != 0 {
			t.Errorf("second run: %+v, %v; want nothing", rep, err)
		}
		if n := len(e.auditOf(t, got, AuditRetention)); n != 1 {
			t.Errorf("%d retention entries after a second run, want 1", n)
		}
	})
}

// addPayment records a paid fee for app, as payments would, with the
// columns the payments table requires.
func addPayment(t *testing.T, db *store.DB, app *Application) {
	t.Helper()
	now := time.Now().UnixMilli()
	_, err := db.SQL().Exec(db.Rebind(`INSERT INTO payments (id, application_id, reference, service_slug, fee_when, attempt, provider,
		idempotency_key, amount, currency, status, created_at, updated_at, contact_email)
		VALUES (?, ?, ?, ?, 'on_approval', 1, 'simulated', ?, 4500, 'eur', 'paid', ?, ?, 'ana@example.com')`),
		app.ID+1, app.ID, string(app.Reference), app.ServiceSlug, "key-"+string(app.Reference), now, now)
	if err != nil {
		t.Fatal(err)
	}
}

// Two instances running the retention job as the binary does (package
// jobs) run it once, and the application is anonymised once.
func TestRetentionJobRunsOnceAcrossInstances(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			url := storetest.URL(t, dialect)
			first := newEnv(t, storetest.OpenURL(t, url))
			t0 := first.clock.now()
			app := first.submit(t, first.permitInput(t, 7))
			first.decide(t, app, StatusRejected)
			later := t0.Add(800 * day)

			var runs atomic.Int64
			var wg sync.WaitGroup
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			done := make(chan struct{}, 2)
			for _, owner := range []string{"a", "b"} {
				// Another instance: its own connections, the same clock.
				db := storetest.OpenURL(t, url)
				s, err := New(db, Options{Now: func() time.Time { return later }, Logger: first.s.log})
				if err != nil {
					t.Fatal(err)
				}
				r := jobs.New(db, jobs.Options{Owner: owner, Now: func() time.Time { return later }, OnRun: func(string, error) { done <- struct{}{} }})
				r.Add(jobs.Job{Name: "applications_retention", Every: 24 * time.Hour, Run: func(ctx context.Context) error {
					runs.Add(1)
					_, err := s.EnforceRetention(ctx, periods(map[string]int{"parking-permit": 365}))
					return err
				}})
				wg.Go(func() { r.Run(ctx) })
			}
			<-done
			// The other instance registered and tried too: the job's row
			// is due again only tomorrow, so it had nothing to run.
			waitFor(t, func() bool {
				all, err := jobs.List(context.Background(), first.db)
				return err == nil && len(all) == 1 && all[0].Runs == 1 && all[0].RunningOn == ""
			})
			cancel()
			wg.Wait()
			if n := runs.Load(); n != 1 {
				t.Errorf("the job ran %d times, want once", n)
			}
			if n := len(first.auditOf(t, app, AuditRetention)); n != 1 {
				t.Errorf("%d retention entries, want 1", n)
			}
		})
	}
}

// waitFor polls cond until it holds; the test's deadline bounds it.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for !cond() {
		time.Sleep(10 * time.Millisecond)
	}
}
