package store

import (
	"context"
	"database/sql/driver"
	"errors"
	"path/filepath"
	"sync"

	"modernc.org/sqlite"
)

// SQLite has one writer at a time. Left to itself, a writer that finds the
// database locked sleeps and retries (busy_timeout) and, after 10 s of
// losing the race to other writers, fails with SQLITE_BUSY: 1000 residents
// sending forms at once gave one of them an error. So every connection this
// process opens to a SQLite file takes the file's one write lock, in Go,
// before it writes: a read-write transaction from BEGIN to COMMIT or
// ROLLBACK, a statement outside a transaction (ExecContext) while it runs.
// Writers then queue in arrival order for as long as their request lasts
// (its context), and SQLite's own lock is always free when they reach it;
// busy_timeout is left for other processes (`sportello import` while the
// server runs). Reads, and read-only transactions, take no lock: in WAL
// mode they never wait for the writer.
//
// The lock is per file, not per DB, so that two stores opened on one file in
// one process (tests of two instances) queue behind each other too. A
// transaction must not write through the pool (DB.SQL().ExecContext) while
// it is open: that write would wait for the transaction's own lock.

// writeLocks holds one lock per SQLite file, by absolute path.
var writeLocks sync.Map // string -> writeLock

// writeLock is a mutex whose Lock gives up when the context ends.
type writeLock chan struct{}

func (l writeLock) lock(ctx context.Context) error {
	select {
	case l <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (l writeLock) unlock() { <-l }

func writeLockFor(path string) writeLock {
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	l, _ := writeLocks.LoadOrStore(path, make(writeLock, 1))
	return l.(writeLock)
}

// sqliteConnector opens modernc.org/sqlite connections that take the file's
// write lock.
type sqliteConnector struct {
	driver.Connector
	lock writeLock
}

func newSQLiteConnector(path, dsn string) (driver.Connector, error) {
	c, err := sqlite.NewConnector(dsn)
	if err != nil {
		return nil, err
	}
	return &sqliteConnector{Connector: c, lock: writeLockFor(path)}, nil
}

func (c *sqliteConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &sqliteConn{Conn: conn, lock: c.lock}, nil
}

// sqliteConn is a connection that takes the write lock before it writes. It
// forwards every interface of modernc.org/sqlite's connection that
// database/sql uses.
type sqliteConn struct {
	driver.Conn
	lock writeLock
	// tx is the connection's read-write transaction, holding the lock.
	tx *sqliteTx
}

var errNoContext = errors.New("store: the SQLite driver lacks a context-aware method")

func (c *sqliteConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	b, ok := c.Conn.(driver.ConnBeginTx)
	if !ok {
		return nil, errNoContext
	}
	if opts.ReadOnly {
		return b.BeginTx(ctx, opts)
	}
	if err := c.lock.lock(ctx); err != nil {
		return nil, err
	}
	tx, err := b.BeginTx(ctx, opts)
	if err != nil {
		c.lock.unlock()
		return nil, err
	}
	c.tx = &sqliteTx{Tx: tx, conn: c}
	return c.tx, nil
}

func (c *sqliteConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	e, ok := c.Conn.(driver.ExecerContext)
	if !ok {
		return nil, driver.ErrSkip
	}
	if c.tx == nil {
		if err := c.lock.lock(ctx); err != nil {
			return nil, err
		}
		defer c.lock.unlock()
	}
	return e.ExecContext(ctx, query, args)
}

// QueryContext takes no lock: outside a transaction a query only reads
// (Sportello's writes that return rows, INSERT ... RETURNING, are all made
// in transactions).
func (c *sqliteConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	q, ok := c.Conn.(driver.QueryerContext)
	if !ok {
		return nil, driver.ErrSkip
	}
	return q.QueryContext(ctx, query, args)
}

func (c *sqliteConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	if p, ok := c.Conn.(driver.ConnPrepareContext); ok {
		return p.PrepareContext(ctx, query)
	}
	return c.Conn.Prepare(query)
}

func (c *sqliteConn) Ping(ctx context.Context) error {
	if p, ok := c.Conn.(driver.Pinger); ok {
		return p.Ping(ctx)
	}
	return nil
}

func (c *sqliteConn) ResetSession(ctx context.Context) error {
	if r, ok := c.Conn.(driver.SessionResetter); ok {
		return r.ResetSession(ctx)
	}
	return nil
}

func (c *sqliteConn) IsValid() bool {
	if v, ok := c.Conn.(driver.Validator); ok {
		return v.IsValid()
	}
	return true
}

// Close gives the lock back if a transaction was left open (database/sql
// ends every transaction first; this is a safety net).
func (c *sqliteConn) Close() error {
	if c.tx != nil {
		c.tx.release()
	}
	return c.Conn.Close()
}

// sqliteTx gives the write lock back when the transaction ends, however it
// ends.
type sqliteTx struct {
	driver.Tx
	conn *sqliteConn
	once sync.Once
}

func (t *sqliteTx) Commit() error {
	defer t.release()
	return t.Tx.Commit()
}

func (t *sqliteTx) Rollback() error {
	defer t.release()
	return t.Tx.Rollback()
}

func (t *sqliteTx) release() {
	t.once.Do(func() {
		t.conn.tx = nil
		t.conn.lock.unlock()
	})
}
