package notify_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"sportello/notify"
	"sportello/store"
	"sportello/store/storetest"
)

// addPerson records a person as sign-in does, without the accounts package.
func addPerson(t *testing.T, db *store.DB, id int64) {
	t.Helper()
	_, err := db.SQL().ExecContext(context.Background(), db.Rebind(`INSERT INTO people
		(id, issuer, subject, name, email, email_verified, roles, created_at, signed_in_at)
		VALUES (?, 'https://id.example', ?, 'Maria', 'maria@example.org', TRUE, '', 1, 1)`), id, "sub-"+strings.Repeat("x", int(id%7)+1))
	if err != nil {
		t.Fatal(err)
	}
}

func TestUnsubscribeTokens(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		st := notify.New(db, nil)
		tok, err := st.UnsubscribeToken(ctx, 4242, notify.RenewalDue)
		if err != nil {
			t.Fatal(err)
		}
		again, _ := st.UnsubscribeToken(ctx, 4242, notify.RenewalDue)
		if tok != again {
			t.Errorf("a token is the same every time: %q, %q", tok, again)
		}
		// Another instance on the same database checks it with the same key.
		id, kind, err := notify.New(db, nil).CheckUnsubscribe(ctx, tok)
		if err != nil || id != 4242 || kind != notify.RenewalDue {
			t.Fatalf("CheckUnsubscribe = %d, %q, %v; want 4242, renewal_due", id, kind, err)
		}
		other, _ := st.UnsubscribeToken(ctx, 4243, notify.RenewalDue)
		if other == tok {
			t.Error("two people share a token")
		}
		if _, err := st.UnsubscribeToken(ctx, 4242, notify.Decision); err == nil {
			t.Error("a token for a kind that cannot be turned off")
		}
		// Tampering: another person's id with this token's MAC, a cut
		// token, garbage.
		forged := []byte(tok)
		forged[len(forged)-20] ^= 1
		for _, bad := range []string{"", "x", string(forged), tok[:len(tok)-2], tok + "AA", strings.Repeat("A", 43)} {
			if _, _, err := st.CheckUnsubscribe(ctx, bad); !errors.Is(err, notify.ErrBadToken) || !errors.Is(err, store.ErrNotFound) {
				t.Errorf("CheckUnsubscribe(%q) = %v, want ErrBadToken", bad, err)
			}
		}
	})
}

func TestTurnOff(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		st := notify.New(db, nil)
		addPerson(t, db, 77)
		if err := st.SaveSettings(ctx, 77, notify.Settings{Lang: "ca", Off: []notify.Kind{notify.FormExpiring}, SupportAlerts: true}); err != nil {
			t.Fatal(err)
		}
		for range 2 { // the second changes nothing
			if err := st.TurnOff(ctx, 77, notify.SupportAlert); err != nil {
				t.Fatal(err)
			}
		}
		got, err := st.Settings(ctx, 77)
		if err != nil {
			t.Fatal(err)
		}
		if want := []notify.Kind{notify.FormExpiring, notify.SupportAlert}; !slices.Equal(got.Off, want) {
			t.Errorf("Off = %v, want %v", got.Off, want)
		}
		if got.Lang != "ca" || !got.SupportAlerts {
			t.Errorf("TurnOff changed other settings: %+v", got)
		}
		if got.Receives(notify.SupportAlert) {
			t.Error("support alerts still received")
		}

		// A person without settings gets the defaults and one kind off.
		addPerson(t, db, 78)
		if err := st.TurnOff(ctx, 78, notify.StatusChanged); err != nil {
			t.Fatal(err)
		}
		if got, _ := st.Settings(ctx, 78); !slices.Equal(got.Off, []notify.Kind{notify.StatusChanged}) || got.Lang != "" {
			t.Errorf("settings = %+v", got)
		}

		if err := st.TurnOff(ctx, 99, notify.StatusChanged); !errors.Is(err, notify.ErrUnknownPerson) || !errors.Is(err, store.ErrNotFound) {
			t.Errorf("a person who is gone: %v", err)
		}
		if err := st.TurnOff(ctx, 77, notify.PaymentReceived); !errors.Is(err, notify.ErrInvalidEvent) {
			t.Errorf("turning off a required kind: %v", err)
		}
	})
}

// The account's choices of language and kinds keep what a mail's
// unsubscribe link turned off meanwhile, and whether support alerts are on.
func TestSaveChoicesKeepsSupportAlerts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		st := notify.New(db, nil)
		addPerson(t, db, 78)
		if err := st.SaveSettings(ctx, 78, notify.Settings{SupportAlerts: true}); err != nil {
			t.Fatal(err)
		}
		if err := st.TurnOff(ctx, 78, notify.SupportAlert); err != nil {
			t.Fatal(err)
		}
		if err := st.SaveChoices(ctx, 78, "it", []notify.Kind{notify.RenewalDue}); err != nil {
			t.Fatal(err)
		}
		got, err := st.Settings(ctx, 78)
		if err != nil {
			t.Fatal(err)
		}
		want := []notify.Kind{notify.RenewalDue, notify.SupportAlert}
		if got.Lang != "it" || !slices.Equal(got.Off, want) || !got.SupportAlerts {
			t.Errorf("settings %+v, want Italian, %v off and support alerts as they were", got, want)
		}
		if err := st.SaveChoices(ctx, 78, "", []notify.Kind{notify.SupportAlert}); !errors.Is(err, notify.ErrInvalidEvent) {
			t.Errorf("support alerts turned off from the kinds' form: %v, want ErrInvalidEvent", err)
		}
	})
}
