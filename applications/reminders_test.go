package applications

import (
	"context"
	"strconv"
	"testing"
	"time"

	"sportello/applications/forms"
	"sportello/catalogue"
	"sportello/notify"
	"sportello/notify/notifytest"
)

const day = 24 * time.Hour

// decide takes app through review to a decision.
func (e *env) decide(t *testing.T, app *Application, to Status) {
	t.Helper()
	ctx := context.Background()
	if err := e.s.ChangeStatus(ctx, app.Reference, caseworker, StatusSubmitted, StatusInReview, ""); err != nil {
		t.Fatal(err)
	}
	if err := e.s.ChangeStatus(ctx, app.Reference, caseworker, StatusInReview, to, ""); err != nil {
		t.Fatal(err)
	}
}

func TestRemindRenewals(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		t0 := e.clock.now() // 2026-03-02, 10:30 in Madrid
		renewals := map[string]catalogue.Renewal{
			"parking-permit":    {ValidForDays: 365, RemindDaysBefore: 30},
			"report-missed-bin": {ValidForDays: 365, RemindDaysBefore: 30},
		}

		// Approved long ago: it ended before anyone thought of reminding.
		e.clock.set(t0.Add(-400 * day))
		e.decide(t, e.submit(t, e.permitInput(t, 7)), StatusApproved)
		e.clock.set(t0)
		in := e.permitInput(t, 41)
		in.Lang = "ca"
		ana := e.submit(t, in)
		e.decide(t, ana, StatusApproved)
		joan := e.submit(t, e.anonymousInput(t, "joan@example.com"))
		e.decide(t, joan, StatusApproved)
		ben := e.submit(t, e.permitInput(t, 42))
		e.decide(t, ben, StatusApproved)
		e.decide(t, e.submit(t, e.permitInput(t, 43)), StatusRejected)
		other := e.permitInput(t, 8)
		other.Service.Slug = "guest-permit" // no renewal
		e.decide(t, e.submit(t, other), StatusApproved)
		// Ben applies again before his permit ends: he is renewing already.
		e.clock.set(t0.Add(300 * day))
		e.submit(t, e.permitInput(t, 42))

		// 31 days before the end: not yet.
		e.clock.set(t0.Add(334 * day))
		if _, err := e.s.RemindRenewals(ctx, renewals); err != nil {
			t.Fatal(err)
		}
		if got := notifytest.OfKind(e.notices(t), notify.RenewalDue); len(got) != 0 {
			t.Errorf("31 days before the end: %+v, want no reminder yet", got)
		}
		// 29 days before: Ana and Joan, once, however often it runs and on
		// whichever instance.
		e.clock.set(t0.Add(336 * day))
		for _, s := range []*Store{e.s, e.s, e.second(t, Options{Location: e.s.loc})} {
			if n, err := s.RemindRenewals(ctx, renewals); err != nil || n != 2 {
				t.Fatalf("RemindRenewals = %d, %v; want 2 due", n, err)
			}
		}
		ends := "2027-03-02"
		want := map[string]notice{
			"renewal:" + ana.Reference.String() + ":" + ends: {Kind: notify.RenewalDue, PersonID: 41, Lang: "ca",
				Data: map[string]string{"ref": ana.Reference.String(), "service": "parking-permit", "ends": ends}},
			"renewal:" + joan.Reference.String() + ":" + ends: {Kind: notify.RenewalDue, Address: "joan@example.com", Lang: "ca",
				Data: map[string]string{"ref": joan.Reference.String(), "service": "report-missed-bin", "ends": ends}},
		}
		wantNotices(t, "29 days before the end", notifytest.OfKind(e.notices(t), notify.RenewalDue), want)

		// Past the end: nothing more.
		e.clock.set(t0.Add(366 * day))
		if n, err := e.s.RemindRenewals(ctx, renewals); err != nil || n != 0 {
			t.Errorf("after the end: RemindRenewals = %d, %v; want none due", n, err)
		}
		wantNotices(t, "after the end", notifytest.OfKind(e.notices(t), notify.RenewalDue), want)
	})
}

func TestDraftsExpireAfterAReminder(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		t0 := e.clock.now()
		values := forms.Values{"full_name": {"Ana"}}
		if err := e.s.SaveDraft(ctx, 41, "parking-permit", "it", values); err != nil {
			t.Fatal(err)
		}
		if err := e.s.SaveDraft(ctx, 42, "a-service-since-archived", "en", values); err != nil {
			t.Fatal(err)
		}
		published := func(slug string) bool { return slug != "a-service-since-archived" }
		remind := func(s *Store) {
			t.Helper()
			if _, err := s.RemindExpiringDrafts(ctx, published); err != nil {
				t.Fatal(err)
			}
		}
		formNotices := func() map[string]notice { return notifytest.OfKind(e.notices(t), notify.FormExpiring) }

		e.clock.set(t0.Add(22 * day))
		remind(e.s)
		if got := formNotices(); len(got) != 0 {
			t.Errorf("8 days before the end: %+v, want no reminder yet", got)
		}
		e.clock.set(t0.Add(24 * day))
		remind(e.s)
		remind(e.s)
		remind(e.second(t, Options{Location: e.s.loc}))
		first := "form_expiring:41:parking-permit:" + strconv.FormatInt(t0.Truncate(time.Microsecond).UnixMilli(), 10)
		want := map[string]notice{first: {Kind: notify.FormExpiring, PersonID: 41, Lang: "it",
			Data: map[string]string{"service": "parking-permit", "expires": "2026-04-01"}}}
		wantNotices(t, "6 days before the end", formNotices(), want)

		// Saved again, it is kept 30 days more, and told again before then.
		saved := e.clock.now()
		if err := e.s.SaveDraft(ctx, 41, "parking-permit", "it", values); err != nil {
			t.Fatal(err)
		}
		e.clock.set(t0.Add(31 * day))
		if _, err := e.s.SweepExpired(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := e.s.Draft(ctx, 41, "parking-permit"); err != nil {
			t.Errorf("the draft saved again was deleted: %v", err)
		}
		if d, err := e.s.Drafts(ctx, 42); err != nil || len(d) != 0 {
			t.Errorf("a draft 31 days old: %+v, %v; want it deleted", d, err)
		}
		e.clock.set(saved.Add(24 * day))
		remind(e.s)
		want["form_expiring:41:parking-permit:"+strconv.FormatInt(saved.Truncate(time.Microsecond).UnixMilli(), 10)] = notice{
			Kind: notify.FormExpiring, PersonID: 41, Lang: "it",
			Data: map[string]string{"service": "parking-permit", "expires": "2026-04-25"}}
		wantNotices(t, "the version saved again", formNotices(), want)
		e.clock.set(saved.Add(DraftTTL + time.Minute))
		if _, err := e.s.SweepExpired(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := e.s.Draft(ctx, 41, "parking-permit"); err == nil {
			t.Error("a draft untouched for 30 days is still there")
		}
	})
}
