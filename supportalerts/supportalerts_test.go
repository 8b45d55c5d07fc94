package supportalerts

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"sportello/accounts"
	"sportello/catalogue"
	"sportello/catalogue/sqlstore"
	"sportello/editorial"
	"sportello/notify"
	"sportello/store"
	"sportello/store/storetest"
)

// A resident of 72 who lives alone in their own home in Porta Nova, on
// 1,500 a month: the answers the support finder would save.
const answers72 = `{"age":72,"resident":true,"years_resident":10,"household_size":1,"children_under_18":0,"monthly_income":1500,` +
	`"disability":false,"unemployed":false,"carer":false,"student":false,"homeowner":true,"renting":false}`

const (
	newService     = "meals-on-wheels"      // resident && age >= 70: published later
	changedService = "carers-support-grant" // resident && carer: its rule is widened later
)

// fixture is a database with the demo catalogue published but for
// newService, a clock, and people.
type fixture struct {
	t      testing.TB
	ctx    context.Context
	db     *store.DB
	cat    *sqlstore.Store
	demo   *catalogue.Catalogue
	people *accounts.SQL
	notes  *notify.Store
	alerts *Alerts
	now    time.Time
}

func newFixture(t testing.TB, db *store.DB) *fixture {
	t.Helper()
	f := &fixture{t: t, ctx: context.Background(), db: db, now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	var err error
	if f.cat, err = sqlstore.New(f.ctx, db); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.cat.Close() })
	if f.demo, err = catalogue.Load(catalogue.DemoJSON()); err != nil {
		t.Fatal(err)
	}
	without := *f.demo
	without.Services = slices.DeleteFunc(slices.Clone(f.demo.Services), func(s catalogue.Service) bool { return s.Slug == newService })
	for i := range without.Services {
		without.Services[i].Related = slices.DeleteFunc(slices.Clone(without.Services[i].Related), func(s string) bool { return s == newService })
	}
	if _, err := f.cat.Import(f.ctx, &without); err != nil {
		t.Fatal(err)
	}
	clock := func() time.Time { return f.now }
	f.people = accounts.New(db, clock)
	f.notes = notify.New(db, clock)
	f.alerts = New(db, f.cat, Options{Now: clock})
	return f
}

// person records someone who signed in and, with saved, saved answers.
func (f *fixture) person(id int64, saved string) int64 {
	f.t.Helper()
	_, err := f.db.SQL().Exec(f.db.Rebind(`INSERT INTO people (id, issuer, subject, email, email_verified, created_at, signed_in_at)
		VALUES (?, 'https://id.example', ?, 'someone@example.org', TRUE, 0, 0)`), id, "s"+strconv.FormatInt(id, 10))
	if err != nil {
		f.t.Fatal(err)
	}
	if saved != "" {
		if err := f.people.SaveAnswers(f.ctx, id, saved, f.now); err != nil {
			f.t.Fatal(err)
		}
	}
	return id
}

// run runs the job once.
func (f *fixture) run() Report {
	f.t.Helper()
	rep, err := f.alerts.Run(f.ctx)
	if err != nil {
		f.t.Fatal(err)
	}
	return rep
}

// alerts returns the services of each alert of person in the outbox, in
// the order written, with their keys.
func (f *fixture) alertsOf(person int64) (services, keys []string) {
	f.t.Helper()
	rows, err := f.db.SQL().Query(f.db.Rebind(`SELECT event_key, data FROM notifications WHERE person_id = ? AND kind = ? ORDER BY created_at, event_key`), person, string(notify.SupportAlert))
	if err != nil {
		f.t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var key, data string
		if err := rows.Scan(&key, &data); err != nil {
			f.t.Fatal(err)
		}
		var d map[string]string
		if err := json.Unmarshal([]byte(data), &d); err != nil {
			f.t.Fatal(err)
		}
		services, keys = append(services, d["services"]), append(keys, key)
	}
	return services, keys
}

// publish publishes the demo's newService.
func (f *fixture) publishNewService() {
	f.t.Helper()
	if _, err := f.cat.Import(f.ctx, f.demo); err != nil {
		f.t.Fatal(err)
	}
}

// widen saves a draft of changedService whose rule every resident meets,
// and publishes it when publish is true.
func (f *fixture) widen(publish bool) {
	f.t.Helper()
	s, err := f.cat.Service(f.ctx, changedService)
	if err != nil {
		f.t.Fatal(err)
	}
	rule := "resident"
	s.EligibilityRule = &rule
	doc, err := json.Marshal(s)
	if err != nil {
		f.t.Fatal(err)
	}
	base, err := f.cat.NewestRevision(f.ctx, catalogue.KindService, changedService)
	if err != nil {
		f.t.Fatal(err)
	}
	rev, err := f.cat.SaveDraft(f.ctx, editorial.SaveRequest{Kind: catalogue.KindService, Slug: changedService, Base: base, Doc: doc, Author: "Élodie", Status: editorial.StatusDraft, At: f.now})
	if err != nil {
		f.t.Fatal(err)
	}
	if !publish {
		return
	}
	if _, err := f.cat.Publish(f.ctx, editorial.PublishRequest{Kind: catalogue.KindService, Slug: changedService, Base: rev.Number, Doc: doc, Actor: "Sam", At: f.now}); err != nil {
		f.t.Fatal(err)
	}
}

// One alert for what newly matches, never for what was known at opt-in,
// at most one a day (what comes later that day waits for the next), and
// drafts never count.
func TestAlertsForWhatIsNew(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		anna := f.person(1, answers72)
		if err := f.alerts.OptIn(f.ctx, anna, "ca"); err != nil {
			t.Fatal(err)
		}
		st, err := f.alerts.Status(f.ctx, anna)
		if err != nil || !st.On || !st.HasAnswers || !st.OptedInAt.Equal(f.now) || !slices.Contains(st.Known, "older-persons-bus-pass") || slices.Contains(st.Known, newService) {
			t.Fatalf("after opting in: %+v %v", st, err)
		}
		if rep := f.run(); rep.People != 1 || rep.Alerts != 0 {
			t.Errorf("nothing new: %+v", rep)
		}

		// A draft is not published: it alerts nobody.
		f.widen(false)
		f.now = f.now.Add(time.Hour)
		if rep := f.run(); rep.Alerts != 0 {
			t.Errorf("a draft alerted: %+v", rep)
		}

		f.publishNewService()
		f.now = f.now.Add(time.Hour)
		if rep := f.run(); rep.Alerts != 1 {
			t.Errorf("a new service: %+v", rep)
		}
		services, keys := f.alertsOf(anna)
		if len(services) != 1 || services[0] != newService || keys[0] != "support_alert:1:2026-03-02" {
			t.Fatalf("alerts: %q %q", services, keys)
		}
		var lang string
		if err := db.SQL().QueryRow(`SELECT lang FROM notifications WHERE kind = 'support_alert'`).Scan(&lang); err != nil || lang != "ca" {
			t.Errorf("the alert's language: %q %v, want the one asked in", lang, err)
		}
		if rep := f.run(); rep.Alerts != 0 || rep.Waiting != 0 {
			t.Errorf("told already: %+v", rep)
		}

		// A changed rule that now matches, the same day: it waits.
		f.widen(true)
		f.now = f.now.Add(time.Hour)
		if rep := f.run(); rep.Alerts != 0 || rep.Waiting != 1 {
			t.Errorf("second news the same day: %+v", rep)
		}
		f.now = f.now.Add(24 * time.Hour)
		if rep := f.run(); rep.Alerts != 1 {
			t.Errorf("the next day: %+v", rep)
		}
		services, keys = f.alertsOf(anna)
		if len(services) != 2 || services[1] != changedService || keys[1] != "support_alert:1:2026-03-03" {
			t.Errorf("alerts: %q %q", services, keys)
		}
		if rep := f.run(); rep.Alerts != 0 || rep.Waiting != 0 {
			t.Errorf("all told: %+v", rep)
		}

		// The reasons come from the saved answers, for the mail's words.
		m, err := f.alerts.Explain(f.ctx, anna, []string{newService, "not-a-service"})
		if err != nil || len(m) != 1 || m[0].Slug != newService || len(m[0].Reason()) == 0 {
			t.Errorf("explain: %+v %v", m, err)
		}
	})
}

// A service that stops matching is forgotten, and told again when it
// matches again; answers saved again are a new start, not news.
func TestAlertsAfterChanges(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		anna := f.person(1, answers72)
		if err := f.alerts.OptIn(f.ctx, anna, "en"); err != nil {
			t.Fatal(err)
		}
		// Anna saves answers again: now she cares for someone.
		f.now = f.now.Add(time.Hour)
		if err := f.people.SaveAnswers(f.ctx, anna, strings.Replace(answers72, `"carer":false`, `"carer":true`, 1), f.now); err != nil {
			t.Fatal(err)
		}
		if rep := f.run(); rep.Alerts != 0 {
			t.Errorf("her own new answers alerted: %+v", rep)
		}
		if st, _ := f.alerts.Status(f.ctx, anna); !slices.Contains(st.Known, changedService) {
			t.Errorf("the new answers' matches are not known: %v", st.Known)
		}
		// The bus pass is archived, then published again.
		without := *f.demo
		without.Services = slices.DeleteFunc(slices.Clone(f.demo.Services), func(s catalogue.Service) bool { return s.Slug == "older-persons-bus-pass" || s.Slug == newService })
		for i := range without.Services {
			without.Services[i].Related = nil
		}
		if _, err := f.cat.Import(f.ctx, &without); err != nil {
			t.Fatal(err)
		}
		if rep := f.run(); rep.Alerts != 0 {
			t.Errorf("an archived service alerted: %+v", rep)
		}
		if st, _ := f.alerts.Status(f.ctx, anna); slices.Contains(st.Known, "older-persons-bus-pass") {
			t.Errorf("an archived service is still known: %v", st.Known)
		}
		f.publishNewService()
		if rep := f.run(); rep.Alerts != 1 {
			t.Errorf("published again: %+v", rep)
		}
		services, _ := f.alertsOf(anna)
		if len(services) != 1 || services[0] != "meals-on-wheels older-persons-bus-pass" {
			t.Errorf("alerts: %q", services)
		}
	})
}

// Nobody is alerted without asking, after turning alerts off (on the
// account page or by the mail's unsubscribe link), or after deleting their
// answers; and what was kept for the alerts goes with them.
func TestNoAlertsWithoutConsent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		never := f.person(1, answers72)   // saved answers, never asked for alerts
		out := f.person(2, answers72)     // asked, then turned them off
		unsub := f.person(3, answers72)   // asked, then the mail's unsubscribe link
		deleted := f.person(4, answers72) // asked, then deleted the answers
		finder := f.person(5, answers72)  // asked, then deleted the answers on the finder's page
		noAnswers := f.person(6, "")      // no answers: cannot ask
		pending := f.person(7, answers72) // asked, told, then deleted before the mail went
		for _, p := range []int64{out, unsub, deleted, finder, pending} {
			if err := f.alerts.OptIn(f.ctx, p, "en"); err != nil {
				t.Fatal(err)
			}
		}
		if err := f.alerts.OptIn(f.ctx, noAnswers, "en"); err != ErrNoAnswers {
			t.Errorf("opting in without answers: %v, want ErrNoAnswers", err)
		}
		f.publishNewService()
		if rep := f.run(); rep.Alerts != 5 {
			t.Fatalf("first run: %+v", rep)
		}
		if err := f.alerts.Forget(f.ctx, pending); err != nil {
			t.Fatal(err)
		}
		var status, reason string
		if err := db.SQL().QueryRow(db.Rebind(`SELECT status, skip_reason FROM notifications WHERE person_id = ?`), pending).Scan(&status, &reason); err != nil || status != "skipped" || reason != "obsolete" {
			t.Errorf("the alert of answers deleted before it went: %s %s %v", status, reason, err)
		}

		if err := f.alerts.OptOut(f.ctx, out); err != nil {
			t.Fatal(err)
		}
		st, err := f.notes.Settings(f.ctx, unsub)
		if err != nil {
			t.Fatal(err)
		}
		st.Off = append(st.Off, notify.SupportAlert)
		if err := f.notes.SaveSettings(f.ctx, unsub, st); err != nil {
			t.Fatal(err)
		}
		if err := f.alerts.Forget(f.ctx, deleted); err != nil {
			t.Fatal(err)
		}
		if err := f.alerts.Answers(f.people).DeleteSavedAnswers(f.ctx, finder); err != nil {
			t.Fatal(err)
		}
		if s, _ := f.alerts.Status(f.ctx, unsub); s.On {
			t.Error("unsubscribed by the mail's link, yet on")
		}

		f.widen(true)
		f.now = f.now.Add(48 * time.Hour)
		rep := f.run()
		if rep.Alerts != 0 || rep.Stopped != 1 {
			t.Errorf("after opting out and deleting: %+v", rep)
		}
		for _, p := range []int64{never, out, unsub, deleted, finder, noAnswers, pending} {
			services, _ := f.alertsOf(p)
			if p != never && p != noAnswers && len(services) > 1 || (p == never || p == noAnswers) && len(services) > 0 {
				t.Errorf("person %d: alerts %q", p, services)
			}
			s, err := f.alerts.Status(f.ctx, p)
			if err != nil || s.On || len(s.Known) != 0 {
				t.Errorf("person %d: %+v %v", p, s, err)
			}
			ns, _ := f.notes.Settings(f.ctx, p)
			if ns.SupportAlerts {
				t.Errorf("person %d: alerts still asked for", p)
			}
		}
		for _, p := range []int64{deleted, finder, pending} {
			if _, err := f.people.SavedAnswers(f.ctx, p); err != accounts.ErrNotFound {
				t.Errorf("person %d: answers not deleted: %v", p, err)
			}
		}
		var kept int
		if err := db.SQL().QueryRow(`SELECT (SELECT COUNT(*) FROM support_alert_matches) + (SELECT COUNT(*) FROM support_alert_subscriptions)`).Scan(&kept); err != nil || kept != 0 {
			t.Errorf("rows kept for nobody: %d %v", kept, err)
		}
	})
}
