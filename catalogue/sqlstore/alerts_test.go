package sqlstore

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"sportello/catalogue"
	"sportello/editorial"
)

// alertAt is a valid alert on the service slug from start for hours.
func alertAt(slug string, start time.Time, hours int) editorial.Alert {
	return editorial.Alert{
		Scope: editorial.ScopeService, Target: slug, Severity: editorial.SeverityWarning,
		Text:     catalogue.Text{"en": "Online payments are down until 18:00", "es": "Los pagos en línea no funcionan hasta las 18:00"},
		StartsAt: start, EndsAt: start.Add(time.Duration(hours) * time.Hour),
	}
}

func alertIDs(as []editorial.Alert) []int64 {
	var out []int64
	for _, a := range as {
		out = append(out, a.ID)
	}
	return out
}

// Alerts are kept, listed as current (running or coming) or past, changed,
// ended and deleted; each change is audited and announced on the change
// feed, and one that cannot be kept changes nothing.
func TestServiceAlerts(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *Store) {
		ctx := context.Background()
		now := time.Now().Truncate(time.Second)
		announced := func() int64 { return feedSeq(t, db, editorial.AlertsTopic) }

		running := alertAt("pay-council-tax", now.Add(-time.Hour), 3)
		running.Link = "/services/pay-council-tax"
		var err error
		before := announced()
		if running.ID, err = db.SaveAlert(ctx, running, "Élodie"); err != nil {
			t.Fatalf("SaveAlert: %v", err)
		}
		if announced() != before+1 {
			t.Errorf("saving an alert was not announced on the change feed")
		}
		coming := alertAt("", now.Add(24*time.Hour), 2)
		coming.Scope, coming.Severity = editorial.ScopeSite, editorial.SeverityInfo
		if coming.ID, err = db.SaveAlert(ctx, coming, "Élodie"); err != nil {
			t.Fatal(err)
		}
		past := alertAt("waste-recycling", now.Add(-48*time.Hour), 1)
		past.Scope = editorial.ScopeTopic
		if past.ID, err = db.SaveAlert(ctx, past, "Sam"); err != nil {
			t.Fatal(err)
		}

		cur, err := db.CurrentAlerts(ctx, now)
		if err != nil {
			t.Fatal(err)
		}
		if got := alertIDs(cur); len(got) != 2 || got[0] != running.ID || got[1] != coming.ID {
			t.Fatalf("current alerts %v, want the running one then the coming one %v", got, []int64{running.ID, coming.ID})
		}
		got := cur[0]
		if got.Text["es"] != running.Text["es"] || got.Link != running.Link || got.Target != "pay-council-tax" ||
			!got.StartsAt.Equal(running.StartsAt) || !got.EndsAt.Equal(running.EndsAt) || got.CreatedBy != "Élodie" || got.UpdatedBy != "Élodie" {
			t.Errorf("read back %+v, saved %+v", got, running)
		}
		if ps, err := db.PastAlerts(ctx, now, 10); err != nil || len(ps) != 1 || ps[0].ID != past.ID {
			t.Errorf("past alerts %v (%v), want [%d]", alertIDs(ps), err, past.ID)
		}

		// Changed by someone else: the creator stays.
		running.Text["ca"] = "Els pagaments en línia no funcionen fins a les 18:00"
		if _, err := db.SaveAlert(ctx, running, "Sam"); err != nil {
			t.Fatal(err)
		}
		if a, err := db.Alert(ctx, running.ID); err != nil || a.Text["ca"] == "" || a.CreatedBy != "Élodie" || a.UpdatedBy != "Sam" {
			t.Errorf("after the change: %+v, %v", a, err)
		}

		// Refused: nothing written, nothing announced.
		before = announced()
		bad := running
		bad.EndsAt = bad.StartsAt
		if _, err := db.SaveAlert(ctx, bad, "Sam"); !errors.Is(err, catalogue.ErrInvalid) {
			t.Errorf("an alert ending as it starts: %v, want ErrInvalid", err)
		}
		missing := running
		missing.ID = 42
		if _, err := db.SaveAlert(ctx, missing, "Sam"); !errors.Is(err, catalogue.ErrNotFound) {
			t.Errorf("changing a missing alert: %v, want ErrNotFound", err)
		}
		if announced() != before {
			t.Error("a refused save was announced")
		}

		// Ended now: it is past. Ending a coming alert keeps it from ever
		// showing. Ending again changes nothing.
		if err := db.EndAlert(ctx, running.ID, now, "Sam"); err != nil {
			t.Fatal(err)
		}
		if err := db.EndAlert(ctx, coming.ID, now, "Sam"); err != nil {
			t.Fatal(err)
		}
		before = announced()
		if err := db.EndAlert(ctx, running.ID, now.Add(time.Minute), "Sam"); err != nil {
			t.Errorf("ending an ended alert: %v", err)
		}
		if announced() != before {
			t.Error("ending an ended alert was announced")
		}
		if a, _ := db.Alert(ctx, coming.ID); a.ActiveAt(a.StartsAt) {
			t.Errorf("the coming alert, ended, still shows at its start: %v to %v", a.StartsAt, a.EndsAt)
		}
		if cur, _ := db.CurrentAlerts(ctx, now); len(cur) != 0 {
			t.Errorf("current alerts after ending both: %v", alertIDs(cur))
		}
		if err := db.EndAlert(ctx, 42, now, "Sam"); !errors.Is(err, catalogue.ErrNotFound) {
			t.Errorf("ending a missing alert: %v", err)
		}

		if err := db.DeleteAlert(ctx, past.ID, "Sam"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Alert(ctx, past.ID); !errors.Is(err, catalogue.ErrNotFound) {
			t.Errorf("a deleted alert: %v, want ErrNotFound", err)
		}
		if err := db.DeleteAlert(ctx, past.ID, "Sam"); !errors.Is(err, catalogue.ErrNotFound) {
			t.Errorf("deleting twice: %v", err)
		}

		log, err := db.Audit(ctx, editorial.AuditFilter{})
		if err != nil {
			t.Fatal(err)
		}
		var lines []string
		for _, e := range log {
			if e.Action == "alert" {
				lines = append(lines, e.Actor+": "+e.Detail)
			}
		}
		all := strings.Join(lines, "\n")
		for _, want := range []string{"Élodie: alert", "posted: service pay-council-tax", "posted: whole site", "Sam: alert", "changed", "ended at", "deleted"} {
			if !strings.Contains(all, want) {
				t.Errorf("the audit log lacks %q:\n%s", want, all)
			}
		}
		if len(lines) != 7 {
			t.Errorf("%d audit lines for alerts, want 7 (3 posted, 1 changed, 2 ended, 1 deleted):\n%s", len(lines), all)
		}
	})
}
