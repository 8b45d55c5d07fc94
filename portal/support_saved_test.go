package portal

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sportello/catalogue"
	"sportello/catalogue/sqlstore"
)

// savedAnswersDB opens an empty, migrated database of dialect: a SQLite
// file, or a fresh schema of the PostgreSQL named by SPORTELLO_TEST_POSTGRES
// (skipped when unset).
func savedAnswersDB(t *testing.T, dialect string) *sqlstore.DB {
	t.Helper()
	ctx := context.Background()
	dsn := filepath.Join(t.TempDir(), "sportello.db")
	if dialect == sqlstore.DialectPostgres {
		base := os.Getenv("SPORTELLO_TEST_POSTGRES")
		if base == "" {
			t.Skip("SPORTELLO_TEST_POSTGRES is not set: skipping the PostgreSQL run (set it to postgres://postgres@127.0.0.1:5432/test?sslmode=disable)")
		}
		admin, err := sql.Open("pgx", base)
		if err != nil {
			t.Fatal(err)
		}
		schema := "support_test_" + strings.ToLower(rand.Text()[:12])
		if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
			t.Fatalf("creating schema: %v", err)
		}
		t.Cleanup(func() {
			_, _ = admin.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
			admin.Close()
		})
		u, err := url.Parse(base)
		if err != nil {
			t.Fatal(err)
		}
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		dsn = u.String()
	}
	db, err := sqlstore.Open(ctx, dsn)
	if err != nil {
		t.Fatalf("opening the %s database: %v", dialect, err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// The saved-answers store on both databases: one row per person, replaced
// by a new save, gone on delete and with the person.
func TestSavedAnswerStore(t *testing.T) {
	for _, dialect := range []string{sqlstore.DialectSQLite, sqlstore.DialectPostgres} {
		t.Run(dialect, func(t *testing.T) {
			ctx := context.Background()
			db := savedAnswersDB(t, dialect)
			st := (&Server{store: db}).savedAnswers()
			if st == nil {
				t.Fatal("no saved-answer store over a SQL catalogue")
			}
			const person = 4242
			if _, err := db.SQL().ExecContext(ctx, db.Rebind(`INSERT INTO people (id, issuer, subject, created_at, signed_in_at) VALUES (?, 'https://id.example', 'anna', 0, 0)`), person); err != nil {
				t.Fatal(err)
			}
			if _, err := st.get(ctx, person); !errors.Is(err, catalogue.ErrNotFound) {
				t.Fatalf("nothing saved yet: got %v, want ErrNotFound", err)
			}
			at := time.Unix(1_700_000_000, 0)
			if err := st.put(ctx, person, `{"age":70}`, at); err != nil {
				t.Fatal(err)
			}
			if err := st.put(ctx, person, `{"age":71}`, at.Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
			got, err := st.get(ctx, person)
			if err != nil || got.Answers != `{"age":71}` || !got.ConsentedAt.Equal(at.Add(time.Hour)) {
				t.Errorf("after saving twice: %+v, %v; want the second save", got, err)
			}
			if err := st.put(ctx, person, "", at); err == nil {
				t.Error("saving no answers should be refused")
			}
			if err := st.delete(ctx, person); err != nil {
				t.Fatal(err)
			}
			if _, err := st.get(ctx, person); !errors.Is(err, catalogue.ErrNotFound) {
				t.Errorf("after delete: %v, want ErrNotFound", err)
			}
			if err := st.delete(ctx, person); err != nil {
				t.Errorf("deleting nothing: %v", err)
			}
			// The answers go with the person.
			if err := st.put(ctx, person, `{"age":70}`, at); err != nil {
				t.Fatal(err)
			}
			if _, err := db.SQL().ExecContext(ctx, db.Rebind(`DELETE FROM people WHERE id = ?`), person); err != nil {
				t.Fatal(err)
			}
			if _, err := st.get(ctx, person); !errors.Is(err, catalogue.ErrNotFound) {
				t.Errorf("after deleting the person: %v, want ErrNotFound", err)
			}
		})
	}
}
