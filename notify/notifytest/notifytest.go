// Package notifytest reads the outbox for the tests of the areas that
// write to it, and signs in the people their notifications name.
package notifytest

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"sportello/notify"
	"sportello/store"
)

// Notice is a row of the outbox, as a test compares it.
type Notice struct {
	Kind     notify.Kind
	PersonID int64
	Address  string
	Lang     string
	Data     map[string]string
}

// Outbox returns the outbox by event key.
func Outbox(t testing.TB, db *store.DB) map[string]Notice {
	t.Helper()
	rows, err := db.SQL().QueryContext(context.Background(),
		`SELECT event_key, kind, COALESCE(person_id, 0), address, lang, data FROM notifications`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]Notice{}
	for rows.Next() {
		var key, data string
		var n Notice
		if err := rows.Scan(&key, &n.Kind, &n.PersonID, &n.Address, &n.Lang, &data); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal([]byte(data), &n.Data); err != nil {
			t.Fatal(err)
		}
		out[key] = n
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// Added returns the notices of after that are not in before.
func Added(before, after map[string]Notice) map[string]Notice {
	out := map[string]Notice{}
	for k, n := range after {
		if _, ok := before[k]; !ok {
			out[k] = n
		}
	}
	return out
}

// OfKind returns the notices of kind.
func OfKind(all map[string]Notice, kind notify.Kind) map[string]Notice {
	out := map[string]Notice{}
	for k, n := range all {
		if n.Kind == kind {
			out[k] = n
		}
	}
	return out
}

// AddPeople signs people in, as the portal's sign-in would have, each with
// a verified address <id>@example.com: a notification names a person of
// the people table.
func AddPeople(t testing.TB, db *store.DB, ids ...int64) {
	t.Helper()
	for _, id := range ids {
		_, err := db.SQL().ExecContext(context.Background(), db.Rebind(`INSERT INTO people
			(id, issuer, subject, name, email, email_verified, created_at, signed_in_at) VALUES (?, ?, ?, ?, ?, TRUE, 0, 0)`),
			id, "https://idp.example", fmt.Sprint("person-", id), fmt.Sprint("Person ", id), fmt.Sprint(id, "@example.com"))
		if err != nil {
			t.Fatal(err)
		}
	}
}
