package store

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"time"
)

// The change feed tells every instance sharing the database what changed,
// so that each can bring what it keeps in memory or on its own disk (the
// search index, the catalogue directory, the search tuning) up to date. A
// writer calls Notify inside the transaction of its change; a reader calls
// Listen. Topics are the areas' own names (catalogue.ChangeTopic,
// editorial.TuningTopic); the feed knows nothing of what they mean.
//
// Each topic has a row in change_feed whose seq moves on with every change,
// in the change's own transaction: what a reader sees is committed, and a
// rolled-back change is never announced. Listen reads that table whenever
// something may have changed. On PostgreSQL, Notify also sends a NOTIFY
// (delivered at commit), and Listen keeps a connection that LISTENs, so a
// change reaches every instance within milliseconds; the table is read
// every ListenOptions.Poll as well, which on SQLite is the only way, and on
// PostgreSQL the fallback while the listening connection is down.

// Event says that a topic changed since the previous event of that topic.
// Several changes close together may make one event.
type Event struct {
	Topic string
}

// DefaultPoll is how often Listen reads the change feed without a
// notification, unless ListenOptions.Poll says otherwise.
const DefaultPoll = 5 * time.Second

// ListenOptions configure Listen.
type ListenOptions struct {
	// Poll is how often the change feed is read when no notification
	// comes: the only way on SQLite, the fallback on PostgreSQL. Default
	// DefaultPoll.
	Poll time.Duration
	// Log receives the listener's connection losses and recoveries.
	Log *slog.Logger
}

const (
	qNotify = `INSERT INTO change_feed (topic, seq, changed_at) VALUES (?, 1, ?)
		ON CONFLICT (topic) DO UPDATE SET seq = change_feed.seq + 1, changed_at = excluded.changed_at`
	qChangeFeed = `SELECT topic, seq FROM change_feed`
)

// Notify records, in tx, that topic changed. Every instance's Listen hears
// of it once tx commits, and never if it rolls back.
func (db *DB) Notify(ctx context.Context, tx *sql.Tx, topic string) error {
	if _, err := tx.ExecContext(ctx, db.Rebind(qNotify), topic, time.Now().UnixMilli()); err != nil {
		return fmt.Errorf("store: recording a change of %s: %w", topic, db.MapError(err))
	}
	if db.dialect.notify != "" {
		if _, err := tx.ExecContext(ctx, db.Rebind(db.dialect.notify), db.channel, topic); err != nil {
			return fmt.Errorf("store: announcing a change of %s: %w", topic, db.MapError(err))
		}
	}
	return nil
}

// Listen sends an Event on the returned channel whenever one of topics
// changes, made by this process or any other on the database, until ctx
// ends; then it closes the channel. It sends each topic once at the start,
// because something may have changed between the caller's last look and
// the call. The receiver should be quick (or hand the work on): the feed
// waits for it, and meanwhile gathers further changes into one event.
func (db *DB) Listen(ctx context.Context, opts ListenOptions, topics ...string) <-chan Event {
	if opts.Poll <= 0 {
		opts.Poll = DefaultPoll
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	out := make(chan Event, len(topics))
	// wake is poked by the PostgreSQL listener: something may have changed.
	wake := make(chan struct{}, 1)
	if db.dialect.listen != nil {
		go db.dialect.listen(ctx, listenTarget{url: db.url, channel: db.channel, wake: wake, log: opts.Log})
	}
	feed := feedReader{db: db, topics: topics, log: opts.Log}
	go func() {
		defer close(out)
		t := time.NewTicker(opts.Poll)
		defer t.Stop()
		for {
			feed.read(ctx, out)
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			case <-wake:
			}
		}
	}()
	return out
}

// listenTarget is what a dialect's listener needs: where to connect, what
// to listen to, and whom to wake.
type listenTarget struct {
	url, channel string
	wake         chan<- struct{}
	log          *slog.Logger
}

// poke wakes the feed reader, unless it is already due to read.
func (l listenTarget) poke() {
	select {
	case l.wake <- struct{}{}:
	default:
	}
}

// feedReader reads the change feed and sends the topics whose seq moved.
type feedReader struct {
	db     *DB
	topics []string
	log    *slog.Logger
	// seen is each topic's seq at the last read; nil before the first
	// successful read, which sends every topic.
	seen map[string]int64
	// failing is set while reads fail, so that an outage is logged once.
	failing bool
}

func (f *feedReader) read(ctx context.Context, out chan<- Event) {
	type row struct {
		topic string
		seq   int64
	}
	rows, err := Query(ctx, f.db.SQL(), f.db.Rebind(qChangeFeed), func(r Scanner) (row, error) {
		var x row
		err := r.Scan(&x.topic, &x.seq)
		return x, err
	})
	if err != nil {
		if ctx.Err() == nil && !f.failing {
			f.log.Warn("store: cannot read the change feed; trying again", "err", f.db.MapError(err))
			f.failing = true
		}
		return
	}
	if f.failing {
		f.log.Info("store: reading the change feed again")
		f.failing = false
	}
	seqs := make(map[string]int64, len(rows))
	for _, x := range rows {
		seqs[x.topic] = x.seq
	}
	first := f.seen == nil
	if first {
		f.seen = make(map[string]int64, len(f.topics))
	}
	for _, topic := range f.topics {
		seq := seqs[topic]
		if !first && f.seen[topic] == seq {
			continue
		}
		select {
		case out <- Event{Topic: topic}:
			f.seen[topic] = seq
		case <-ctx.Done():
			return
		}
	}
}
