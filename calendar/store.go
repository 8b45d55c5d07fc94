package calendar

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"sportello/store"
)

// Store keeps the council's holidays.
type Store interface {
	// Year returns the holidays of a year, in date order.
	Year(ctx context.Context, year int) ([]Holiday, error)
	// Add lists a holiday, added by an administrator (0: nobody, as when
	// seeded). ErrInvalid when it does not Validate, ErrConflict when its
	// date is a holiday already.
	Add(ctx context.Context, h Holiday, by int64) error
	// Remove takes the holiday of a date off the list; ErrNotFound when
	// that date is none.
	Remove(ctx context.Context, date string) error
	// Days returns the working days as the list stands, read through q: a
	// transaction's, so that a date is counted in the snapshot it is
	// written in, or nil for the database's.
	Days(ctx context.Context, q store.Querier) (Days, error)
}

// DB is the Store in the Sportello database (migration 00810).
type DB struct {
	db  *store.DB
	now func() time.Time
}

var _ Store = (*DB)(nil)

// New returns the holidays kept in db; now is the clock (nil: time.Now).
func New(db *store.DB, now func() time.Time) *DB {
	if now == nil {
		now = time.Now
	}
	return &DB{db: db, now: now}
}

const (
	qYear   = `SELECT day, scope, name FROM holidays WHERE day >= ? AND day < ? ORDER BY day`
	qDays   = `SELECT day FROM holidays`
	qAdd    = `INSERT INTO holidays (day, scope, name, added_at, added_by) VALUES (?, ?, ?, ?, ?)`
	qSeed   = qAdd + ` ON CONFLICT (day) DO NOTHING`
	qRemove = `DELETE FROM holidays WHERE day = ?`
)

// Year implements Store.
func (s *DB) Year(ctx context.Context, year int) ([]Holiday, error) {
	from, to := fmt.Sprintf("%04d-01-01", year), fmt.Sprintf("%04d-01-01", year+1)
	out, err := store.Query(ctx, s.db.SQL(), s.db.Rebind(qYear), func(r store.Scanner) (Holiday, error) {
		var h Holiday
		var scope, name string
		if err := r.Scan(&h.Date, &scope, &name); err != nil {
			return h, err
		}
		h.Scope = Scope(scope)
		return h, json.Unmarshal([]byte(name), &h.Name)
	}, from, to)
	if err != nil {
		return nil, fmt.Errorf("calendar: reading the holidays of %d: %w", year, s.db.MapError(err))
	}
	return out, nil
}

// Add implements Store.
func (s *DB) Add(ctx context.Context, h Holiday, by int64) error {
	_, err := s.add(ctx, s.db.SQL(), qAdd, h, by)
	return err
}

// add inserts h with query (qAdd or qSeed) and reports whether a row was.
func (s *DB) add(ctx context.Context, q store.Querier, query string, h Holiday, by int64) (bool, error) {
	if err := h.Validate(); err != nil {
		return false, err
	}
	name, err := json.Marshal(h.Name)
	if err != nil {
		return false, err
	}
	var who any
	if by != 0 {
		who = by
	}
	res, err := q.ExecContext(ctx, s.db.Rebind(query), h.Date, string(h.Scope), string(name), s.now().UnixMilli(), who)
	if err = s.db.MapError(err); err != nil {
		return false, fmt.Errorf("calendar: adding the holiday of %s: %w", h.Date, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// Remove implements Store.
func (s *DB) Remove(ctx context.Context, date string) error {
	res, err := s.db.SQL().ExecContext(ctx, s.db.Rebind(qRemove), date)
	if err != nil {
		return fmt.Errorf("calendar: removing the holiday of %s: %w", date, s.db.MapError(err))
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return fmt.Errorf("calendar: %s is not a holiday: %w", date, ErrNotFound)
	}
	return nil
}

// Days implements Store. The whole list is read: a council lists a dozen
// or so days a year.
func (s *DB) Days(ctx context.Context, q store.Querier) (Days, error) {
	if q == nil {
		q = s.db.SQL()
	}
	dates, err := store.Query(ctx, q, s.db.Rebind(qDays), func(r store.Scanner) (string, error) {
		var d string
		return d, r.Scan(&d)
	})
	if err != nil {
		return Days{}, fmt.Errorf("calendar: reading the holidays: %w", s.db.MapError(err))
	}
	return NewDays(dates...), nil
}

// Seed lists every holiday of hs whose date is not one already, in one
// transaction, and returns how many it added: a council's holidays on a
// first start, which leaves those an administrator has changed alone.
func (s *DB) Seed(ctx context.Context, hs []Holiday) (int, error) {
	added := 0
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		added = 0
		for _, h := range hs {
			ok, err := s.add(ctx, tx, qSeed, h, 0)
			if err != nil {
				return err
			}
			if ok {
				added++
			}
		}
		return nil
	})
	return added, err
}
