package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Everything that differs between SQLite and PostgreSQL is in this file,
// except the PostgreSQL change listener, in listen_postgres.go.

// Dialects, as returned by DB.Dialect and DialectOf.
const (
	DialectSQLite   = "sqlite"
	DialectPostgres = "postgres"
)

// DialectOf returns the dialect Open would choose for databaseURL.
func DialectOf(databaseURL string) string {
	if strings.HasPrefix(databaseURL, "postgres://") || strings.HasPrefix(databaseURL, "postgresql://") {
		return DialectPostgres
	}
	return DialectSQLite
}

type dialect struct {
	name          string
	goose         goose.Dialect
	rebind        func(string) string
	mapError      func(error) error
	readTxOptions *sql.TxOptions
	forUpdate     string
	// skipLocked is forUpdate that passes over rows another transaction
	// holds instead of waiting for them.
	skipLocked string
	// notify is the statement that announces a change (channel, topic) at
	// commit; "" when the database has no notifications.
	notify string
	// listen, when set, pokes the target whenever a change is announced,
	// until ctx ends (Listen).
	listen func(ctx context.Context, t listenTarget)
	// channel returns the notification channel of the database db opened,
	// so that Sportellos in other schemas of one database do not hear each
	// other.
	channel func(ctx context.Context, db *sql.DB) (string, error)
	// sessionLocker, when set, makes servers starting together against
	// one database wait for each other's migrations.
	sessionLocker func() (lock.SessionLocker, error)
}

var sqliteDialect = dialect{
	name:     DialectSQLite,
	goose:    goose.DialectSQLite3,
	rebind:   func(q string) string { return q },
	mapError: mapSQLiteError,
	// A deferred (read) transaction in WAL mode reads one snapshot; the
	// driver ignores isolation levels.
	readTxOptions: &sql.TxOptions{ReadOnly: true},
}

var postgresDialect = dialect{
	name:     DialectPostgres,
	goose:    goose.DialectPostgres,
	rebind:   rebindDollar,
	mapError: mapPostgresError,
	// READ COMMITTED, the default, takes a new snapshot for each statement.
	readTxOptions: &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead},
	forUpdate:     " FOR UPDATE",
	skipLocked:    " FOR UPDATE SKIP LOCKED",
	notify:        `SELECT pg_notify(?, ?)`,
	listen:        listenPostgres,
	channel:       postgresChannel,
	sessionLocker: func() (lock.SessionLocker, error) { return lock.NewPostgresSessionLocker() },
}

// sqlitePragmas are set on every connection the pool opens:
//   - busy_timeout first, so that the pragmas after it, and every statement,
//     wait up to 10 s for another connection's write lock instead of failing
//     at once with SQLITE_BUSY;
//   - journal_mode(WAL), so that readers (service pages) never wait for the
//     writer (an import) and the writer never waits for readers;
//   - foreign_keys(1), because SQLite ignores REFERENCES clauses without it;
//   - synchronous(NORMAL), which in WAL mode is still safe against corruption
//     and loses at most the last transactions on power loss, for far fewer
//     fsyncs than FULL;
//   - journal_size_limit, because the WAL grows to the largest transaction
//     (a form with 45 MB of photos) and, without a limit, keeps that size on
//     disk for good; with it, the file shrinks back to 8 MB at the next
//     checkpoint;
//   - cache_size(-512), half a megabyte of pages per connection instead of
//     SQLite's 2 MB: the pool keeps 16 connections, whose private caches
//     duplicated what the operating system already caches of the file, and
//     took 20 MB of the server's memory under load (docs/performance.md).
//
// _txlock=immediate makes every read-write transaction take the write lock
// when it begins: a deferred one that reads, then writes, fails with
// SQLITE_BUSY (busy_timeout cannot help it) when another writer got in
// first. Read-only transactions stay deferred.
//
// Writers of this process never reach busy_timeout: they queue in Go first
// (sqlite_writes.go). It is for other processes writing the same file.
func sqlitePragmas() string {
	return "_pragma=busy_timeout(" + strconv.Itoa(sqliteBusyTimeoutMillis) + ")" +
		"&_pragma=journal_mode(WAL)" +
		"&_pragma=foreign_keys(1)" +
		"&_pragma=synchronous(NORMAL)" +
		"&_pragma=journal_size_limit(8388608)" +
		"&_pragma=cache_size(-512)" +
		"&_txlock=immediate"
}

// sqliteBusyTimeoutMillis is busy_timeout; tests shorten it to show that
// the process's writers never wait on it.
var sqliteBusyTimeoutMillis = 10000

func openDialect(databaseURL string) (*dialect, *sql.DB, error) {
	if DialectOf(databaseURL) == DialectPostgres {
		db, err := sql.Open("pgx", databaseURL)
		if err != nil {
			return nil, nil, fmt.Errorf("store: %w", err)
		}
		db.SetMaxIdleConns(maxIdleConns)
		d := postgresDialect
		return &d, db, nil
	}
	path := databaseURL
	if path == "" {
		return nil, nil, errors.New("store: no database given; set a SQLite file path or a postgres:// URL")
	}
	if strings.ContainsAny(path, "?#") {
		return nil, nil, fmt.Errorf("store: the SQLite path %q contains ? or #; choose a path without them", path)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, nil, fmt.Errorf("store: creating the directory of the SQLite database: %w", err)
	}
	connector, err := newSQLiteConnector(path, path+"?"+sqlitePragmas())
	if err != nil {
		return nil, nil, fmt.Errorf("store: %w", err)
	}
	db := sql.OpenDB(connector)
	db.SetMaxIdleConns(maxIdleConns)
	d := sqliteDialect
	return &d, db, nil
}

// postgresChannel names the notification channel after the schema the
// connection uses (its search_path), as channels are shared by the whole
// database: "sportello_changes" in public, "sportello_changes_<schema>" in
// another, hashed when the name would pass PostgreSQL's 63 bytes.
func postgresChannel(ctx context.Context, db *sql.DB) (string, error) {
	var schema sql.NullString
	if err := db.QueryRowContext(ctx, `SELECT current_schema()`).Scan(&schema); err != nil {
		return "", fmt.Errorf("store: reading the current schema: %w", err)
	}
	name := "sportello_changes"
	if schema.String != "" && schema.String != "public" {
		name += "_" + schema.String
	}
	if len(name) > 63 {
		sum := sha256.Sum256([]byte(schema.String))
		name = "sportello_changes_" + hex.EncodeToString(sum[:8])
	}
	return name, nil
}

// maxIdleConns keeps connections for bursts of service pages: database/sql
// keeps 2 by default, and each new connection costs a handshake (PostgreSQL)
// or re-running the pragmas and re-preparing statements (SQLite).
const maxIdleConns = 16

func mapSQLiteError(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%w: %w", ErrNotFound, err)
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return fmt.Errorf("%w: %w", ErrConflict, err)
		}
	}
	return err
}

func mapPostgresError(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%w: %w", ErrNotFound, err)
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "23505" { // unique_violation
		return fmt.Errorf("%w: %w", ErrConflict, err)
	}
	return err
}

// rebindDollar numbers ? placeholders as $1, $2, ...
func rebindDollar(query string) string {
	var b strings.Builder
	b.Grow(len(query) + 8)
	n := 0
	var quote byte
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '?':
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}
