package notify

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"sportello/store"
	"sportello/store/storetest"
)

// A person's data in notify is their settings, the address waiting for
// its link and every notification, newest first; erasing them deletes all
// three and leaves another person's alone.
func TestPersonalDataAndErase(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clk := &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
		s := New(db, clk.now)
		addPerson(t, db, 1, "anna@id.example", true)
		addPerson(t, db, 2, "luca@id.example", true)
		for _, p := range []int64{1, 2} {
			if err := s.SaveSettings(ctx, p, Settings{Lang: "it", Off: []Kind{RenewalDue}}); err != nil {
				t.Fatal(err)
			}
			if _, err := s.StartEmailConfirmation(ctx, p, "new@example.org", "it"); err != nil {
				t.Fatal(err)
			}
			clk.t = clk.t.Add(time.Hour)
			if err := db.Tx(ctx, func(tx *sql.Tx) error {
				return Add(ctx, db, tx, clk.t, Event{Kind: Decision, Key: "decision:" + string(rune('0'+p)), PersonID: p})
			}); err != nil {
				t.Fatal(err)
			}
		}
		d, err := s.PersonalData(ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		if d.Settings.Lang != "it" || len(d.Settings.Off) != 1 || d.Pending == nil || d.Pending.Email != "new@example.org" {
			t.Errorf("settings %+v, pending %+v", d.Settings, d.Pending)
		}
		if len(d.Log) != 2 || d.Log[0].Kind != Decision || d.Log[1].Kind != EmailConfirm {
			t.Errorf("log: %+v", d.Log)
		}

		if err := db.Tx(ctx, func(tx *sql.Tx) error { return s.ErasePerson(ctx, tx, 1) }); err != nil {
			t.Fatal(err)
		}
		d, err = s.PersonalData(ctx, 1)
		if err != nil || d.Settings.Lang != "" || d.Pending != nil || len(d.Log) != 0 {
			t.Errorf("after erasing: %+v, %v", d, err)
		}
		if d, err := s.PersonalData(ctx, 2); err != nil || d.Settings.Lang != "it" || d.Pending == nil || len(d.Log) != 2 {
			t.Errorf("the other person's: %+v, %v", d, err)
		}
	})
}
