// Package sqlstore keeps the catalogue in SQLite or PostgreSQL through
// database/sql. *DB implements catalogue.Store, and the other stores of
// Sportello (sessions, people, applications) share the same database through
// DB.SQL, DB.Dialect, DB.Rebind, DB.Tx and DB.MapError.
//
// Other stores add their tables as the next numbered file in migrations/
// (00002_sessions.sql, ...), with "-- +goose Up" and "-- +goose Down"
// sections. One file serves both databases, so its SQL must be portable:
// TEXT, INTEGER, BIGINT, BOOLEAN, CHECK, REFERENCES; timestamps as BIGINT
// Unix seconds or TEXT in RFC 3339; ids generated in Go rather than by
// SERIAL or AUTOINCREMENT. Queries are written with ? and passed through
// Rebind.
package sqlstore

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"strconv"
	"strings"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

// migrationsFS holds every table's migrations, numbered, applied in order at
// Open, each in its own transaction. Files are append-only: change a table
// with a new file, never by editing one that has shipped.
//
//go:embed migrations/*.sql
var migrationsFS embed.FS

// DB is an open Sportello database with its migrations applied.
type DB struct {
	sql     *sql.DB
	dialect *dialect
	stmts   statements
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
		return nil, fmt.Errorf("sqlstore: cannot reach the %s database: %w", d.name, err)
	}
	if err := migrate(ctx, db, d); err != nil {
		db.Close()
		return nil, err
	}
	s := &DB{sql: db, dialect: d}
	if err := s.prepare(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
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
	if d.name == DialectPostgres {
		// Several servers starting together against one database must not
		// run the same migration twice.
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	p, err := goose.NewProvider(d.goose, db, sub, opts...)
	if err != nil {
		return fmt.Errorf("sqlstore: reading migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("sqlstore: migrating the %s database: %w", d.name, err)
	}
	return nil
}

// Dialects, as returned by DB.Dialect.
const (
	DialectSQLite   = "sqlite"
	DialectPostgres = "postgres"
)

// SQL returns the database handle, for stores that keep their own tables in
// the same database.
func (db *DB) SQL() *sql.DB { return db.sql }

// Dialect returns DialectSQLite or DialectPostgres.
func (db *DB) Dialect() string { return db.dialect.name }

// Rebind rewrites a query written with ? placeholders into the dialect's
// placeholders ($1, $2, ... for PostgreSQL). Question marks inside quoted
// strings and identifiers are left alone.
func (db *DB) Rebind(query string) string { return db.dialect.rebind(query) }

// MapError turns the driver's errors into catalogue.ErrNotFound (no rows)
// and catalogue.ErrConflict (unique or primary key violation), keeping the
// driver error in the chain for the log. Other errors pass unchanged.
func (db *DB) MapError(err error) error { return db.dialect.mapError(err) }

// Tx runs fn in a transaction, committing when fn returns nil and rolling
// back otherwise (also when fn panics). On SQLite the transaction takes the
// write lock when it begins (BEGIN IMMEDIATE), so two writers wait for each
// other instead of failing with "database is locked" halfway.
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

// readTx runs fn in a read-only transaction that sees one snapshot, so that
// a Directory or an Export never mixes two imports.
func (db *DB) readTx(ctx context.Context, fn func(*sql.Tx) error) error {
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
func (db *DB) Close() error {
	return errors.Join(db.stmts.close(), db.sql.Close())
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
