// Package storetest opens empty, migrated Sportello databases for tests: a
// SQLite file in a temporary directory, or a fresh schema of the PostgreSQL
// named by SPORTELLO_TEST_POSTGRES, dropped when the test ends. Every store
// suite runs against both with Each.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"sportello/store"
)

// PostgresEnv names the variable holding the PostgreSQL URL tests use, e.g.
// postgres://postgres@127.0.0.1:5432/test?sslmode=disable. CI sets it.
const PostgresEnv = "SPORTELLO_TEST_POSTGRES"

// Dialects are the databases every store test runs on.
var Dialects = []string{store.DialectSQLite, store.DialectPostgres}

// Each runs test once per dialect, as subtests named after it, each with a
// fresh database. The PostgreSQL subtest skips, saying so, when PostgresEnv
// is unset.
func Each(t *testing.T, test func(t *testing.T, db *store.DB)) {
	t.Helper()
	for _, d := range Dialects {
		t.Run(d, func(t *testing.T) { test(t, Open(t, d)) })
	}
}

// Open opens an empty, migrated database of dialect, closed (and for
// PostgreSQL dropped) when t ends.
func Open(t testing.TB, dialect string) *store.DB {
	t.Helper()
	return OpenURL(t, URL(t, dialect))
}

// URL returns the address of a new, empty database of dialect: a SQLite
// file in a temporary directory, or a schema of its own in the PostgreSQL
// database (dropped when t ends), for tests that open it more than once,
// as several instances of Sportello would.
func URL(t testing.TB, dialect string) string {
	t.Helper()
	switch dialect {
	case store.DialectSQLite:
		return filepath.Join(t.TempDir(), "data", "sportello.db")
	case store.DialectPostgres:
		return postgresSchema(t)
	}
	t.Fatalf("storetest: unknown dialect %q", dialect)
	return ""
}

// OpenURL opens (and migrates) the database at url, closed when t ends.
func OpenURL(t testing.TB, url string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), url)
	if err != nil {
		t.Fatalf("storetest: opening the %s database: %v", store.DialectOf(url), err)
	}
	t.Cleanup(func() { db.Close() })
	dsns.Store(db, url)
	return db
}

// dsns remembers where OpenURL opened each database, for Reopen.
var dsns sync.Map // *store.DB -> string

// Reopen opens db's database once more, as a second instance of the server
// would: its own pool of connections to the same SQLite file or PostgreSQL
// schema. It is closed when t ends, before the schema is dropped.
func Reopen(t testing.TB, db *store.DB) *store.DB {
	t.Helper()
	url, ok := dsns.Load(db)
	if !ok {
		t.Fatal("storetest: Reopen takes a database that storetest opened")
	}
	return OpenURL(t, url.(string))
}

// postgresSchema creates a schema of its own for t, so that tests (and CI
// runs) never see each other's tables, and returns a URL that uses it.
func postgresSchema(t testing.TB) string {
	t.Helper()
	base := os.Getenv(PostgresEnv)
	if base == "" {
		t.Skipf("%s is not set: skipping the PostgreSQL run (set it to postgres://postgres@127.0.0.1:5432/test?sslmode=disable)", PostgresEnv)
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	schema := "t_" + strings.ToLower(rand.Text()[:16])
	if _, err := admin.ExecContext(context.Background(), "CREATE SCHEMA "+schema); err != nil {
		admin.Close()
		t.Fatalf("storetest: creating schema %s: %v", schema, err)
	}
	t.Cleanup(func() {
		if _, err := admin.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("storetest: dropping schema %s: %v", schema, err)
		}
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("storetest: %s: %v", PostgresEnv, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// RefuseInserts makes db refuse every INSERT into table with message, as a
// fault a test injects halfway through a transaction, until the returned
// function is called.
func RefuseInserts(t testing.TB, db *store.DB, table, message string) (allow func()) {
	t.Helper()
	ctx := context.Background()
	name := "refuse_" + table
	create := []string{`CREATE TRIGGER ` + name + ` BEFORE INSERT ON ` + table + ` BEGIN SELECT RAISE(ABORT, '` + message + `'); END`}
	drop := `DROP TRIGGER ` + name
	if db.Dialect() == store.DialectPostgres {
		create = []string{
			`CREATE FUNCTION ` + name + `() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '` + message + `'; END $$`,
			`CREATE TRIGGER ` + name + ` BEFORE INSERT ON ` + table + ` FOR EACH ROW EXECUTE FUNCTION ` + name + `()`,
		}
		drop += ` ON ` + table
	}
	for _, q := range create {
		if _, err := db.SQL().ExecContext(ctx, q); err != nil {
			t.Fatalf("storetest: refusing inserts into %s: %v", table, err)
		}
	}
	return func() {
		t.Helper()
		if _, err := db.SQL().ExecContext(ctx, drop); err != nil {
			t.Fatalf("storetest: allowing inserts into %s again: %v", table, err)
		}
	}
}
