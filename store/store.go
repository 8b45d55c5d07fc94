// Package store is Sportello's one database: SQLite or PostgreSQL through
// database/sql, with every area's tables migrated at Open. It is the only
// package that knows one dialect from the other. Each area writes its own
// SQL with ? placeholders and reaches the database through *DB: SQL, Rebind,
// Tx, ReadTx, MapError, ForUpdate and SkipLocked. Notify and Listen are the
// change feed by which instances sharing the database follow each other's
// changes (changes.go).
//
// An area adds its tables as the next numbered file of its block in
// migrations/ (docs/adr/0002), with "-- +goose Up" and "-- +goose Down"
// sections. One file serves both databases, so its SQL must be portable:
// TEXT, INTEGER, BIGINT, BOOLEAN, CHECK, REFERENCES; timestamps as BIGINT
// Unix seconds or TEXT in RFC 3339; ids generated in Go rather than by
// SERIAL or AUTOINCREMENT. INSERT ... ON CONFLICT ... DO UPDATE (an upsert)
// is written the same in both (SQLite 3.24+), so it needs no helper.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"sync/atomic"

	"github.com/pressly/goose/v3"
)

// The errors MapError returns, wrapping the driver's error. Areas test for
// them, or for their own sentinels that are these (catalogue.ErrNotFound).
var (
	// ErrNotFound: the query found no row.
	ErrNotFound = errors.New("not found")
	// ErrConflict: a unique or primary key is taken.
	ErrConflict = errors.New("conflict")
)

// migrationsFS holds every area's migrations, numbered, applied in order at
// Open, each in its own transaction. Files are append-only: change a table
// with a new file, never by editing one that has shipped.
//
//go:embed migrations/*.sql
var migrationsFS embed.FS

// DB is an open Sportello database with its migrations applied.
type DB struct {
	sql     *sql.DB
	dialect *dialect
	// url is what Open was given, for connections outside the pool (the
	// change listener). It may hold a password: never log it.
	url string
	// channel is where changes are announced (changes.go); "" on SQLite.
	channel string
	// rateSweep is when this process last deleted the rate limits' ended
	// windows (ratelimits.go), in Unix milliseconds.
	rateSweep atomic.Int64
}

// Open opens the database at databaseURL and applies the migrations. A URL
// starting with postgres:// or postgresql:// opens PostgreSQL (any libpq
// parameter, such as search_path, may go in its query); anything else is the
// path of a SQLite file, whose directory is created if needed.
func Open(ctx context.Context, databaseURL string) (*DB, error) {
	d, db, err := openDialect(databaseURL)
	if err != nil {
		return nil, err
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: cannot reach the %s database: %w", d.name, err)
	}
	if err := migrate(ctx, db, d); err != nil {
		db.Close()
		return nil, err
	}
	out := &DB{sql: db, dialect: d, url: databaseURL}
	if d.channel != nil {
		if out.channel, err = d.channel(ctx, db); err != nil {
			db.Close()
			return nil, err
		}
	}
	return out, nil
}

func migrate(ctx context.Context, db *sql.DB, d *dialect) error {
	sub, err := fs.Sub(migrationsFS, "migrations")
	if err != nil {
		return err
	}
	opts := []goose.ProviderOption{
		goose.WithDisableGlobalRegistry(true),
		// Each area owns a block of migration numbers (docs/adr/0002), so a
		// database may have applied 00300 before 00200 existed; both are
		// independent, and goose may apply the lower one late.
		goose.WithAllowOutofOrder(true),
	}
	if d.sessionLocker != nil {
		locker, err := d.sessionLocker()
		if err != nil {
			return err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	p, err := goose.NewProvider(d.goose, db, sub, opts...)
	if err != nil {
		return fmt.Errorf("store: reading migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("store: migrating the %s database: %w", d.name, err)
	}
	return nil
}

// SQL returns the database handle, for the areas' own queries.
func (db *DB) SQL() *sql.DB { return db.sql }

// Dialect returns DialectSQLite or DialectPostgres, for the log and for
// tests; code that behaves differently asks for a helper here instead.
func (db *DB) Dialect() string { return db.dialect.name }

// Rebind rewrites a query written with ? placeholders into the dialect's
// placeholders ($1, $2, ... for PostgreSQL). Question marks inside quoted
// strings and identifiers are left alone.
func (db *DB) Rebind(query string) string { return db.dialect.rebind(query) }

// MapError turns the driver's errors into ErrNotFound (no rows) and
// ErrConflict (unique or primary key violation), keeping the driver error in
// the chain for the log. Other errors pass unchanged.
func (db *DB) MapError(err error) error { return db.dialect.mapError(err) }

// ForUpdate is the clause that locks the rows a SELECT reads until the
// transaction ends, for a read-then-write: " FOR UPDATE" on PostgreSQL, ""
// on SQLite, which has no row locks and needs none because every read-write
// transaction holds the database's write lock from its start.
func (db *DB) ForUpdate() string { return db.dialect.forUpdate }

// SkipLocked is ForUpdate that skips the rows another transaction has
// locked instead of waiting for them (" FOR UPDATE SKIP LOCKED" on
// PostgreSQL), for taking work that only one instance may do: whoever gets
// there second finds nothing. On SQLite it is "", since a read-write
// transaction there already has the database to itself.
func (db *DB) SkipLocked() string { return db.dialect.skipLocked }

// Tx runs fn in a transaction, committing when fn returns nil and rolling
// back otherwise (also when fn panics). On SQLite the transaction takes the
// write lock when it begins (BEGIN IMMEDIATE), after queueing for it behind
// the process's other writers for as long as ctx lasts (sqlite_writes.go),
// so writers wait for each other instead of failing with "database is
// locked". fn must write through tx only: a write through DB.SQL() would
// wait for the lock its own transaction holds.
func (db *DB) Tx(ctx context.Context, fn func(*sql.Tx) error) (err error) {
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return db.MapError(err)
	}
	defer func() {
		if p := recover(); p != nil {
			tx.Rollback()
			panic(p)
		}
		if err != nil {
			tx.Rollback()
		}
	}()
	if err := fn(tx); err != nil {
		return err
	}
	return db.MapError(tx.Commit())
}

// ReadTx runs fn in a read-only transaction that sees one snapshot, so that
// what several queries read agrees (a catalogue export never mixes two
// imports).
func (db *DB) ReadTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := db.sql.BeginTx(ctx, db.dialect.readTxOptions)
	if err != nil {
		return db.MapError(err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return db.MapError(tx.Commit())
}

// Close closes the database.
func (db *DB) Close() error { return db.sql.Close() }
