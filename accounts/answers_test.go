package accounts

import (
	"context"
	"errors"
	"testing"
	"time"

	"sportello/store"
	"sportello/store/storetest"
)

// Saved support-finder answers on both databases: one row per person, replaced
// by a new save, gone on delete and with the person.
func TestSavedAnswers(t *testing.T) {
	for _, dialect := range []string{store.DialectSQLite, store.DialectPostgres} {
		t.Run(dialect, func(t *testing.T) {
			ctx := context.Background()
			db := storetest.Open(t, dialect)
			st := New(db, nil)
			const person = 4242
			if _, err := db.SQL().ExecContext(ctx, db.Rebind(`INSERT INTO people (id, issuer, subject, created_at, signed_in_at) VALUES (?, 'https://id.example', 'anna', 0, 0)`), person); err != nil {
				t.Fatal(err)
			}
			if _, err := st.SavedAnswers(ctx, person); !errors.Is(err, ErrNotFound) {
				t.Fatalf("nothing saved yet: got %v, want ErrNotFound", err)
			}
			at := time.Unix(1_700_000_000, 0)
			if err := st.SaveAnswers(ctx, person, `{"age":70}`, at); err != nil {
				t.Fatal(err)
			}
			if err := st.SaveAnswers(ctx, person, `{"age":71}`, at.Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
			got, err := st.SavedAnswers(ctx, person)
			if err != nil || got.Answers != `{"age":71}` || !got.ConsentedAt.Equal(at.Add(time.Hour)) {
				t.Errorf("after saving twice: %+v, %v; want the second save", got, err)
			}
			if err := st.SaveAnswers(ctx, person, "", at); err == nil {
				t.Error("saving no answers should be refused")
			}
			if err := st.DeleteSavedAnswers(ctx, person); err != nil {
				t.Fatal(err)
			}
			if _, err := st.SavedAnswers(ctx, person); !errors.Is(err, ErrNotFound) {
				t.Errorf("after delete: %v, want ErrNotFound", err)
			}
			if err := st.DeleteSavedAnswers(ctx, person); err != nil {
				t.Errorf("deleting nothing: %v", err)
			}
			// The answers go with the person.
			if err := st.SaveAnswers(ctx, person, `{"age":70}`, at); err != nil {
				t.Fatal(err)
			}
			if _, err := db.SQL().ExecContext(ctx, db.Rebind(`DELETE FROM people WHERE id = ?`), person); err != nil {
				t.Fatal(err)
			}
			if _, err := st.SavedAnswers(ctx, person); !errors.Is(err, ErrNotFound) {
				t.Errorf("after deleting the person: %v, want ErrNotFound", err)
			}
		})
	}
}
