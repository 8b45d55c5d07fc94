package support

import (
	"context"
	"errors"
	"testing"
	"time"

	"sportello/store"
	"sportello/store/storetest"
)

// The saved-answers store on both databases: one row per person, replaced
// by a new save, gone on delete and with the person.
func TestSavedAnswerStore(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		st := NewSQLStore(db)
		const person = 4242
		if _, err := db.SQL().ExecContext(ctx, db.Rebind(`INSERT INTO people (id, issuer, subject, created_at, signed_in_at) VALUES (?, 'https://id.example', 'anna', 0, 0)`), person); err != nil {
			t.Fatal(err)
		}
		if _, err := st.Get(ctx, person); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("nothing saved yet: got %v, want ErrNotFound", err)
		}
		at := time.Unix(1_700_000_000, 0)
		if err := st.Put(ctx, person, `{"age":70}`, at); err != nil {
			t.Fatal(err)
		}
		if err := st.Put(ctx, person, `{"age":71}`, at.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		got, err := st.Get(ctx, person)
		if err != nil || got.Answers != `{"age":71}` || !got.ConsentedAt.Equal(at.Add(time.Hour)) {
			t.Errorf("after saving twice: %+v, %v; want the second save", got, err)
		}
		if err := st.Put(ctx, person, "", at); err == nil {
			t.Error("saving no answers should be refused")
		}
		if err := st.Delete(ctx, person); err != nil {
			t.Fatal(err)
		}
		if _, err := st.Get(ctx, person); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("after delete: %v, want ErrNotFound", err)
		}
		if err := st.Delete(ctx, person); err != nil {
			t.Errorf("deleting nothing: %v", err)
		}
		// The answers go with the person.
		if err := st.Put(ctx, person, `{"age":70}`, at); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SQL().ExecContext(ctx, db.Rebind(`DELETE FROM people WHERE id = ?`), person); err != nil {
			t.Fatal(err)
		}
		if _, err := st.Get(ctx, person); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("after deleting the person: %v, want ErrNotFound", err)
		}
	})
}
