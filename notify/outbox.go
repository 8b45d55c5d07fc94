package notify

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"sportello/store"
)

// Backlog is the state of the outbox, for the metrics.
type Backlog struct {
	Pending int64 // waiting to be sent, or tried again
	// Oldest is when the oldest pending notification was added; zero
	// when none is pending.
	Oldest time.Time
	Failed int64 // failed after their last try, until staff try them again
}

// Backlog counts the pending and failed notifications.
func (s *Store) Backlog(ctx context.Context) (Backlog, error) {
	var b Backlog
	var oldest int64
	err := s.db.SQL().QueryRowContext(ctx, s.db.Rebind(`SELECT
		COALESCE(SUM(CASE WHEN status = 'pending' THEN 1 ELSE 0 END), 0),
		COALESCE(MIN(CASE WHEN status = 'pending' THEN created_at END), 0),
		COALESCE(SUM(CASE WHEN status = 'failed' THEN 1 ELSE 0 END), 0)
		FROM notifications WHERE status IN ('pending', 'failed')`)).Scan(&b.Pending, &oldest, &b.Failed)
	if err != nil {
		return Backlog{}, fmt.Errorf("notify: reading the outbox's backlog: %w", s.db.MapError(err))
	}
	if oldest != 0 {
		b.Oldest = time.UnixMilli(oldest)
	}
	return b, nil
}

// Failure is a notification that was not sent after its last try.
type Failure struct {
	ID       int64
	Kind     Kind
	Ref      string // the application's reference, when the kind has one
	Service  string // the service's slug, when the kind has one
	To       string // the address last tried ("" when none was reached)
	Attempts int
	Error    string // the last try's, never a secret
	Created  time.Time
}

// Failed lists the failed notifications, the newest first, at most limit.
func (s *Store) Failed(ctx context.Context, limit int) ([]Failure, error) {
	out, err := store.Query(ctx, s.db.SQL(), s.db.Rebind(`SELECT id, kind, data, sent_to, attempts, last_error, created_at
		FROM notifications WHERE status = 'failed' ORDER BY created_at DESC, id LIMIT ?`), func(r store.Scanner) (Failure, error) {
		var f Failure
		var data string
		var created int64
		if err := r.Scan(&f.ID, &f.Kind, &data, &f.To, &f.Attempts, &f.Error, &created); err != nil {
			return f, err
		}
		f.Created = time.UnixMilli(created)
		// Only the reference and the service: the data of some kinds
		// holds a secret (a confirmation link's token).
		var d map[string]string
		if json.Unmarshal([]byte(data), &d) == nil {
			f.Ref, f.Service = d["ref"], d["service"]
		}
		return f, nil
	}, limit)
	if err != nil {
		return nil, fmt.Errorf("notify: listing failed notifications: %w", s.db.MapError(err))
	}
	return out, nil
}

// Retry puts failed notification id back in the outbox, due now, for one
// more try. It returns store.ErrNotFound when id is not a failed
// notification (already retried, or sent since).
func (s *Store) Retry(ctx context.Context, id int64) error {
	res, err := s.db.SQL().ExecContext(ctx, s.db.Rebind(`UPDATE notifications SET status = 'pending', next_attempt_at = ?, lease_until = 0
		WHERE id = ? AND status = 'failed'`), s.now().UnixMilli(), id)
	if err != nil {
		return fmt.Errorf("notify: trying a notification again: %w", s.db.MapError(err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("notify: notification %d is not a failed one: %w", id, store.ErrNotFound)
	}
	return nil
}
