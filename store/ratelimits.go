package store

import (
	"context"
	"database/sql"
	"time"
)

// Hit counts a request against key and returns the requests counted in
// key's current window, this one included, and when the window ends. A
// window starts with the first request after the last one ended and lasts
// window. The count is one statement, so requests at once on several
// instances are each counted once. Windows over for a minute or more are
// deleted now and then, at most once a minute by each process.
func (db *DB) Hit(ctx context.Context, key string, window time.Duration, now time.Time) (int, time.Time, error) {
	nowMs := now.UnixMilli()
	var hits, end int64
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, db.Rebind(qHit), key, nowMs+window.Milliseconds(), nowMs, nowMs).Scan(&hits, &end)
	})
	if err != nil {
		return 0, time.Time{}, db.MapError(err)
	}
	if last := db.rateSweep.Load(); nowMs-last >= time.Minute.Milliseconds() && db.rateSweep.CompareAndSwap(last, nowMs) {
		// Housekeeping, in a statement of its own so that it holds no
		// request's count up: if it fails (two instances sweeping the
		// same rows at once), the next sweep deletes them.
		_, _ = db.sql.ExecContext(ctx, db.Rebind(`DELETE FROM rate_limits WHERE window_end < ?`), nowMs-time.Minute.Milliseconds())
	}
	return int(hits), time.UnixMilli(end), nil
}

// qHit counts a request: a new key, or a key whose window has ended,
// starts a window with one request; otherwise the window counts one more.
// (An UPDATE's expressions all read the row as it was.)
const qHit = `INSERT INTO rate_limits (key, hits, window_end) VALUES (?, 1, ?)
ON CONFLICT (key) DO UPDATE SET
	hits = CASE WHEN rate_limits.window_end <= ? THEN 1 ELSE rate_limits.hits + 1 END,
	window_end = CASE WHEN rate_limits.window_end <= ? THEN excluded.window_end ELSE rate_limits.window_end END
RETURNING hits, window_end`
