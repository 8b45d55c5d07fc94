package store

import (
	"context"
	"database/sql"
)

// Querier is what *sql.DB and *sql.Tx share, so that one function reads or
// writes the same rows inside a transaction or outside one.
type Querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// Scanner is one row being read: a *sql.Row or the current row of *sql.Rows,
// so that one scan function serves a lookup and a list.
type Scanner interface {
	Scan(dest ...any) error
}

// Query runs query on q and returns its rows in order, each read by scan;
// nil when there are none. It stops at the first error, which it returns as
// the driver gave it: the query must already be rebound, and the caller
// maps the error (DB.MapError) with the context it adds.
func Query[T any](ctx context.Context, q Querier, query string, scan func(Scanner) (T, error), args ...any) ([]T, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
