package notify

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"sportello/store"
	"sportello/store/storetest"
)

// addPerson records a person as sign-in would, with the address their
// identity provider gave (verified or not).
func addPerson(t *testing.T, db *store.DB, id int64, email string, verified bool) {
	t.Helper()
	_, err := db.SQL().Exec(db.Rebind(`INSERT INTO people (id, issuer, subject, name, email, email_verified, created_at, signed_in_at)
		VALUES (?, 'https://id.example', ?, 'Anna', ?, ?, 0, 0)`), id, "p"+strings.Repeat("x", int(id%7)), email, verified)
	if err != nil {
		t.Fatal(err)
	}
}

// clock is a settable clock for the store.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

// tokenOf reads the raw token of the newest confirmation mail of person
// from the outbox, as the mail would carry it, with the address it goes
// to.
func tokenOf(t *testing.T, db *store.DB, person int64) (token, address string) {
	t.Helper()
	var data string
	err := db.SQL().QueryRow(db.Rebind(`SELECT data, address FROM notifications
		WHERE person_id = ? AND kind = 'email_confirm' ORDER BY created_at DESC LIMIT 1`), person).Scan(&data, &address)
	if err != nil {
		t.Fatal(err)
	}
	var d map[string]string
	if err := json.Unmarshal([]byte(data), &d); err != nil {
		t.Fatal(err)
	}
	return d["token"], address
}

// An address is confirmed by the link sent to it: the outbox holds the
// mail (to the new address, with the token), the database only the
// token's hash; the link works once, for its person, for 24 hours, and
// the newest link replaces the earlier ones.
func TestEmailConfirmation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clk := &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
		s := New(db, clk.now)
		const anna, luca = 101, 202
		addPerson(t, db, anna, "anna@id.example", true)
		addPerson(t, db, luca, "", false)

		for _, bad := range []string{"", "anna", "anna@", "Anna <anna@example.org>", "anna@example", "a b@example.org", strings.Repeat("a", 250) + "@x.org"} {
			if _, err := s.StartEmailConfirmation(ctx, anna, bad, "en"); !errors.Is(err, ErrInvalidAddress) {
				t.Errorf("%q: %v, want ErrInvalidAddress", bad, err)
			}
		}
		c, err := s.StartEmailConfirmation(ctx, anna, "  anna.home@example.org ", "ca")
		if err != nil {
			t.Fatal(err)
		}
		if c.Email != "anna.home@example.org" || !c.Expires.Equal(clk.t.Add(24*time.Hour)) {
			t.Errorf("confirmation: %+v", c)
		}
		first, to := tokenOf(t, db, anna)
		if to != "anna.home@example.org" || len(first) < 40 {
			t.Fatalf("the mail goes to %q with token %q", to, first)
		}
		var stored string
		if err := db.SQL().QueryRow(`SELECT token_hash FROM email_confirmations`).Scan(&stored); err != nil {
			t.Fatal(err)
		}
		if stored == first || stored != tokenHash(first) {
			t.Errorf("the database keeps %q for token %q: want its SHA-256 only", stored, first)
		}
		if p, ok, err := s.PendingConfirmation(ctx, anna); err != nil || !ok || p.Email != "anna.home@example.org" {
			t.Errorf("pending: %+v %v %v", p, ok, err)
		}

		// A second link replaces the first.
		clk.t = clk.t.Add(time.Minute)
		if _, err := s.StartEmailConfirmation(ctx, anna, "anna.work@example.org", "ca"); err != nil {
			t.Fatal(err)
		}
		second, _ := tokenOf(t, db, anna)
		var pending int
		if err := db.SQL().QueryRow(db.Rebind(`SELECT COUNT(*) FROM notifications WHERE person_id = ? AND status = 'pending'`), anna).Scan(&pending); err != nil || pending != 1 {
			t.Errorf("mails of links still pending: %d %v, want the newest only", pending, err)
		}
		if _, err := s.ConfirmEmail(ctx, anna, first); !errors.Is(err, ErrConfirmationUnknown) {
			t.Errorf("replaced link: %v, want ErrConfirmationUnknown", err)
		}
		if _, err := s.ConfirmEmail(ctx, luca, second); !errors.Is(err, ErrConfirmationNotYours) {
			t.Errorf("another person's link: %v, want ErrConfirmationNotYours", err)
		}
		if _, err := s.Confirmation(ctx, anna, "nonsense"); !errors.Is(err, ErrConfirmationUnknown) {
			t.Errorf("unknown link: %v", err)
		}
		if c, err := s.Confirmation(ctx, anna, second); err != nil || c.Email != "anna.work@example.org" {
			t.Errorf("looking at the link: %+v %v", c, err)
		}
		got, err := s.ConfirmEmail(ctx, anna, second)
		if err != nil || got != "anna.work@example.org" {
			t.Fatalf("confirm: %q %v", got, err)
		}
		r, st, err := s.Recipient(ctx, anna, "en")
		if err != nil || r.Address != "anna.work@example.org" || st.EmailConfirmedAt.IsZero() {
			t.Errorf("recipient after confirming: %+v %+v %v", r, st, err)
		}
		if _, err := s.ConfirmEmail(ctx, anna, second); !errors.Is(err, ErrConfirmationUnknown) {
			t.Errorf("a link used twice: %v, want ErrConfirmationUnknown", err)
		}

		// Forgetting it goes back to the verified address.
		if err := s.ForgetEmail(ctx, anna); err != nil {
			t.Fatal(err)
		}
		if r, _, _ := s.Recipient(ctx, anna, "en"); r.Address != "anna@id.example" {
			t.Errorf("after forgetting: %q", r.Address)
		}

		// A link works for 24 hours.
		if _, err := s.StartEmailConfirmation(ctx, luca, "luca@example.org", "it"); err != nil {
			t.Fatal(err)
		}
		late, _ := tokenOf(t, db, luca)
		clk.t = clk.t.Add(24 * time.Hour)
		if _, err := s.ConfirmEmail(ctx, luca, late); !errors.Is(err, ErrConfirmationExpired) {
			t.Errorf("a link a day old: %v, want ErrConfirmationExpired", err)
		}
		if _, ok, _ := s.PendingConfirmation(ctx, luca); ok {
			t.Error("an expired link is still pending")
		}

		// Five links a day at most.
		// (The expired one was asked for more than 24 hours ago.)
		for i := range MaxConfirmationsPerDay + 1 {
			_, err = s.StartEmailConfirmation(ctx, luca, "luca@example.org", "it")
			if i < MaxConfirmationsPerDay && err != nil {
				t.Fatalf("link %d: %v", i+1, err)
			}
		}
		if !errors.Is(err, ErrTooManyConfirmations) {
			t.Errorf("the sixth link in a day: %v, want ErrTooManyConfirmations", err)
		}
		clk.t = clk.t.Add(25 * time.Hour)
		if _, err := s.StartEmailConfirmation(ctx, luca, "luca@example.org", "it"); err != nil {
			t.Errorf("the next day: %v", err)
		}
	})
}

// The log lists a person's notifications only, newest first, with the
// address used and why one was skipped, and counts them all.
func TestLog(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clk := &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
		s := New(db, clk.now)
		addPerson(t, db, 1, "anna@id.example", true)
		addPerson(t, db, 2, "luca@id.example", true)
		for i, e := range []Event{
			{Kind: ApplicationReceived, Key: "a", PersonID: 1},
			{Kind: Decision, Key: "b", PersonID: 1},
			{Kind: StatusChanged, Key: "c", PersonID: 2},
			{Kind: RenewalDue, Key: "d", PersonID: 1},
		} {
			at := clk.t.Add(time.Duration(i) * time.Hour)
			if err := db.Tx(ctx, func(tx *sql.Tx) error { return Add(ctx, db, tx, at, e) }); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.SQL().Exec(db.Rebind(`UPDATE notifications SET status = 'sent', sent_to = 'anna@id.example', subject = 'We got it', sent_at = ? WHERE event_key = 'a'`), clk.t.Add(time.Minute).UnixMilli()); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SQL().Exec(`UPDATE notifications SET status = 'skipped', skip_reason = 'turned_off' WHERE event_key = 'd'`); err != nil {
			t.Fatal(err)
		}
		p, err := s.Log(ctx, 1, 2, 0)
		if err != nil {
			t.Fatal(err)
		}
		if p.Total != 3 || len(p.Entries) != 2 || p.Entries[0].Kind != RenewalDue || p.Entries[0].Reason != "turned_off" || p.Entries[1].Kind != Decision {
			t.Fatalf("first page: %+v", p)
		}
		p, err = s.Log(ctx, 1, 2, 2)
		if err != nil || len(p.Entries) != 1 {
			t.Fatalf("second page: %+v %v", p, err)
		}
		e := p.Entries[0]
		if e.Kind != ApplicationReceived || e.Status != StatusSent || e.Address != "anna@id.example" || e.Subject != "We got it" || e.SentAt.IsZero() {
			t.Errorf("sent entry: %+v", e)
		}
	})
}

// Support alerts are on only when asked for and not unsubscribed from;
// asking again undoes the unsubscribe, and what was pending is skipped
// when they are turned off.
func TestSupportAlertSettings(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := New(db, nil)
		addPerson(t, db, 1, "anna@id.example", true)
		set := func(on bool) {
			t.Helper()
			if err := db.Tx(ctx, func(tx *sql.Tx) error { return SetSupportAlerts(ctx, db, tx, 1, on, time.Now()) }); err != nil {
				t.Fatal(err)
			}
		}
		set(true)
		if st, _ := s.Settings(ctx, 1); !st.AlertsOn() {
			t.Errorf("after opting in: %+v", st)
		}
		if err := s.SaveSettings(ctx, 1, Settings{SupportAlerts: true, Off: []Kind{SupportAlert, RenewalDue}}); err != nil {
			t.Fatal(err)
		}
		if st, _ := s.Settings(ctx, 1); st.AlertsOn() {
			t.Errorf("after unsubscribing: %+v", st)
		}
		set(true)
		if st, _ := s.Settings(ctx, 1); !st.AlertsOn() || len(st.Off) != 1 || st.Off[0] != RenewalDue {
			t.Errorf("opting in again keeps the other kinds off: %+v", st)
		}
		if err := db.Tx(ctx, func(tx *sql.Tx) error {
			return Add(ctx, db, tx, time.Now(), Event{Kind: SupportAlert, Key: "support_alert:1:2026-03-02", PersonID: 1, Data: map[string]string{"services": "x"}})
		}); err != nil {
			t.Fatal(err)
		}
		if err := db.Tx(ctx, func(tx *sql.Tx) error {
			if err := SetSupportAlerts(ctx, db, tx, 1, false, time.Now()); err != nil {
				return err
			}
			return SkipPending(ctx, db, tx, 1, SupportAlert, "turned_off")
		}); err != nil {
			t.Fatal(err)
		}
		var status, reason, data string
		if err := db.SQL().QueryRow(`SELECT status, skip_reason, data FROM notifications`).Scan(&status, &reason, &data); err != nil {
			t.Fatal(err)
		}
		if status != StatusSkipped || reason != "turned_off" || data != "{}" {
			t.Errorf("pending alert after opting out: %s %s %s", status, reason, data)
		}
	})
}
