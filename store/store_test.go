package store_test

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"sportello/store"
	"sportello/store/storetest"
)

// editorial_secrets is a small table with a text primary key that every
// database has once migrated; the tests borrow it.
const (
	insertSecret = `INSERT INTO editorial_secrets (name, value) VALUES (?, ?)`
	countSecrets = `SELECT count(*) FROM editorial_secrets`
)

func TestMapError(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		insert := db.Rebind(insertSecret)
		err := db.Tx(ctx, func(tx *sql.Tx) error {
			for range 2 {
				if _, err := tx.ExecContext(ctx, insert, "twice", "v"); err != nil {
					return db.MapError(err)
				}
			}
			return nil
		})
		if !errors.Is(err, store.ErrConflict) {
			t.Errorf("inserting a primary key twice: %v, want ErrConflict", err)
		}
		var n int
		if err := db.SQL().QueryRowContext(ctx, countSecrets).Scan(&n); err != nil || n != 0 {
			t.Errorf("the failed transaction left %d rows (%v)", n, err)
		}
		err = db.SQL().QueryRowContext(ctx, db.Rebind(`SELECT value FROM editorial_secrets WHERE name = ?`), "none").Scan(new(string))
		if err = db.MapError(err); !errors.Is(err, store.ErrNotFound) || !errors.Is(err, sql.ErrNoRows) {
			t.Errorf("no rows: %v, want ErrNotFound wrapping sql.ErrNoRows", err)
		}
		other := errors.New("other")
		if got := db.MapError(other); got != other {
			t.Errorf("MapError(other) = %v, want it unchanged", got)
		}
		if db.MapError(nil) != nil {
			t.Error("MapError(nil) != nil")
		}
	})
}

func TestRebind(t *testing.T) {
	tests := []struct{ in, postgres string }{
		{"SELECT 1", "SELECT 1"},
		{"a = ? AND b = ?", "a = $1 AND b = $2"},
		{"a = '?' AND b = ?", "a = '?' AND b = $1"},
		{`"odd?name" = ?`, `"odd?name" = $1`},
	}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		for _, tt := range tests {
			want := tt.in
			if db.Dialect() == store.DialectPostgres {
				want = tt.postgres
			}
			if got := db.Rebind(tt.in); got != want {
				t.Errorf("Rebind(%q) = %q, want %q", tt.in, got, want)
			}
		}
	})
}

func TestDialectOf(t *testing.T) {
	for url, want := range map[string]string{
		"postgres://db/sportello":         store.DialectPostgres,
		"postgresql://u:p@db:5432/x?a=b":  store.DialectPostgres,
		"data/sportello.db":               store.DialectSQLite,
		"/var/lib/sportello/postgres.db":  store.DialectSQLite,
		"file-named-postgres://not-a-url": store.DialectSQLite,
		"":                                store.DialectSQLite,
	} {
		if got := store.DialectOf(url); got != want {
			t.Errorf("DialectOf(%q) = %q, want %q", url, got, want)
		}
	}
}

func TestOpenSQLiteCreatesDirectoryAndReopens(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "a", "b", "sportello.db")
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.SQL().ExecContext(ctx, insertSecret, "kept", "v"); err != nil {
		t.Fatal(err)
	}
	var mode string
	if err := db.SQL().QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode = %q (%v), want wal", mode, err)
	}
	var fk int
	if err := db.SQL().QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk); err != nil || fk != 1 {
		t.Errorf("foreign_keys = %d (%v), want 1", fk, err)
	}
	db.Close()
	// Opening again runs no migration twice and finds the row.
	db, err = store.Open(ctx, path)
	if err != nil {
		t.Fatalf("reopening: %v", err)
	}
	defer db.Close()
	var n int
	if err := db.SQL().QueryRowContext(ctx, countSecrets).Scan(&n); err != nil || n != 1 {
		t.Errorf("after reopening: %d rows (%v), want 1", n, err)
	}
}

func TestOpenRefusesBadSQLitePaths(t *testing.T) {
	for _, path := range []string{"", "data/x.db?mode=ro", "data/x.db#frag"} {
		if db, err := store.Open(context.Background(), path); err == nil {
			db.Close()
			t.Errorf("Open(%q) succeeded, want an error", path)
		}
	}
}

// TestQuery reads rows in order inside and outside a transaction, and
// passes the scan function's error on.
func TestQuery(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		for _, name := range []string{"b", "a", "c"} {
			if _, err := db.SQL().ExecContext(ctx, db.Rebind(insertSecret), name, strings.ToUpper(name)); err != nil {
				t.Fatal(err)
			}
		}
		scan := func(r store.Scanner) (string, error) {
			var name, value string
			err := r.Scan(&name, &value)
			return name + "=" + value, err
		}
		query := db.Rebind(`SELECT name, value FROM editorial_secrets WHERE name <> ? ORDER BY name`)
		got, err := store.Query(ctx, db.SQL(), query, scan, "c")
		if err != nil || !slices.Equal(got, []string{"a=A", "b=B"}) {
			t.Errorf("Query = %v, %v; want [a=A b=B]", got, err)
		}
		err = db.ReadTx(ctx, func(tx *sql.Tx) error {
			got, err := store.Query(ctx, tx, query, scan, "zzz")
			if len(got) != 3 {
				t.Errorf("Query in a transaction = %v, want three rows", got)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if none, err := store.Query(ctx, db.SQL(), db.Rebind(`SELECT name, value FROM editorial_secrets WHERE name = ?`), scan, "none"); err != nil || none != nil {
			t.Errorf("Query of no rows = %#v, %v; want nil, nil", none, err)
		}
		boom := errors.New("boom")
		if _, err := store.Query(ctx, db.SQL(), query, func(store.Scanner) (int, error) { return 0, boom }, "c"); !errors.Is(err, boom) {
			t.Errorf("Query with a failing scan: %v, want boom", err)
		}
	})
}

// TestForUpdate runs a read-then-write with the row lock on both databases:
// two transactions adding one to the same value never lose an update.
func TestForUpdate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if _, err := db.SQL().ExecContext(ctx, db.Rebind(insertSecret), "counter", "0"); err != nil {
			t.Fatal(err)
		}
		read := db.Rebind(`SELECT value FROM editorial_secrets WHERE name = ?` + db.ForUpdate())
		write := db.Rebind(`UPDATE editorial_secrets SET value = ? WHERE name = ?`)
		const workers, each = 4, 5
		var wg sync.WaitGroup
		errs := make(chan error, workers*each)
		for range workers {
			wg.Go(func() {
				for range each {
					errs <- db.Tx(ctx, func(tx *sql.Tx) error {
						var s string
						if err := tx.QueryRowContext(ctx, read, "counter").Scan(&s); err != nil {
							return err
						}
						v, err := strconv.Atoi(s)
						if err != nil {
							return err
						}
						// Give the other transactions time to read the
						// same value if the lock did not hold them.
						time.Sleep(time.Millisecond)
						_, err = tx.ExecContext(ctx, write, strconv.Itoa(v+1), "counter")
						return err
					})
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		var v string
		if err := db.SQL().QueryRowContext(ctx, db.Rebind(`SELECT value FROM editorial_secrets WHERE name = ?`), "counter").Scan(&v); err != nil || v != strconv.Itoa(workers*each) {
			t.Errorf("counter = %s (%v), want %d", v, err, workers*each)
		}
	})
}

// TestRefuseInserts checks the fault the application tests inject: refused
// while it holds, accepted again after.
func TestRefuseInserts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		allow := storetest.RefuseInserts(t, db, "editorial_secrets", "refused by the test")
		_, err := db.SQL().ExecContext(ctx, db.Rebind(insertSecret), "x", "y")
		if err == nil || !strings.Contains(err.Error(), "refused by the test") {
			t.Fatalf("insert while refused: %v", err)
		}
		allow()
		if _, err := db.SQL().ExecContext(ctx, db.Rebind(insertSecret), "x", "y"); err != nil {
			t.Fatalf("insert after allow: %v", err)
		}
	})
}

// Writers of one process queue for SQLite's write lock instead of failing
// with SQLITE_BUSY when busy_timeout runs out: with busy_timeout cut to
// 100 ms, 200 writers that each hold the lock for 2 ms (read-write
// transactions and plain statements, through two DBs on one file) all
// succeed, although the last waits far longer than 100 ms.
func TestSQLiteWritersQueue(t *testing.T) {
	restore := store.SetBusyTimeoutForTest(100)
	defer restore()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "sportello.db")
	var dbs [2]*store.DB
	for i := range dbs {
		db, err := store.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		dbs[i] = db
	}
	const writers = 200
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for i := range writers {
		db := dbs[i%2]
		name := "w" + strconv.Itoa(i)
		wg.Go(func() {
			if i%4 == 3 {
				_, err := db.SQL().ExecContext(ctx, insertSecret, name, "v")
				errs <- err
				return
			}
			errs <- db.Tx(ctx, func(tx *sql.Tx) error {
				if _, err := tx.ExecContext(ctx, insertSecret, name, "v"); err != nil {
					return err
				}
				time.Sleep(2 * time.Millisecond)
				var n int
				return tx.QueryRowContext(ctx, countSecrets).Scan(&n)
			})
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	var n int
	if err := dbs[1].SQL().QueryRowContext(ctx, countSecrets).Scan(&n); err != nil || n != writers {
		t.Errorf("%d rows (%v), want %d", n, err, writers)
	}
}

// A writer waiting for the lock gives up when its context ends, with the
// context's error, and the lock is free again once the holder finishes.
func TestSQLiteWriterWaitEndsWithContext(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t, store.DialectSQLite)
	hold := make(chan struct{})
	held := make(chan struct{})
	done := make(chan error)
	go func() {
		done <- db.Tx(ctx, func(tx *sql.Tx) error {
			close(held)
			<-hold
			return nil
		})
	}()
	<-held
	waitCtx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	if _, err := db.SQL().ExecContext(waitCtx, insertSecret, "late", "v"); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("waiting past the context's deadline: %v, want context.DeadlineExceeded", err)
	}
	close(hold)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if _, err := db.SQL().ExecContext(ctx, insertSecret, "after", "v"); err != nil {
		t.Errorf("after the holder finished: %v", err)
	}
}
