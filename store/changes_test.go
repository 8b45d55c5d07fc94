package store_test

import (
	"context"
	"database/sql"
	"errors"
	"math/rand/v2"
	"testing"
	"time"

	"sportello/store"
	"sportello/store/storetest"
)

// eventWait bounds how long a test waits for an event that must come. It
// is generous: a test asserts that changes arrive, not how fast.
const eventWait = 10 * time.Second

// notify commits a change of topic from db, or rolls it back.
func notify(t testing.TB, db *store.DB, topic string, commit bool) {
	t.Helper()
	rollback := errors.New("rolled back")
	err := db.Tx(context.Background(), func(tx *sql.Tx) error {
		if err := db.Notify(context.Background(), tx, topic); err != nil {
			return err
		}
		if !commit {
			return rollback
		}
		return nil
	})
	if commit && err != nil || !commit && !errors.Is(err, rollback) {
		t.Fatalf("notify %s (commit %v): %v", topic, commit, err)
	}
}

// next is the next event on ch, which must come.
func next(t testing.TB, ch <-chan store.Event) store.Event {
	t.Helper()
	select {
	case e, ok := <-ch:
		if !ok {
			t.Fatal("the change feed closed")
		}
		return e
	case <-time.After(eventWait):
		t.Fatalf("no event within %v", eventWait)
	}
	return store.Event{}
}

// listenPoll is how often the feed is read in the tests: often on SQLite,
// where reading is the only way; never, in a test's time, on PostgreSQL, so
// that what arrives there came through LISTEN/NOTIFY.
func listenPoll(db *store.DB) time.Duration {
	if db.Dialect() == store.DialectPostgres {
		return time.Hour
	}
	return 20 * time.Millisecond
}

// Two instances on one database: what one commits under a topic reaches the
// other's Listen, once per change; a rolled-back change and a topic it does
// not listen to never do.
func TestChangeFeed(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			url := storetest.URL(t, dialect)
			a, b := storetest.OpenURL(t, url), storetest.OpenURL(t, url)
			ch := b.Listen(t.Context(), store.ListenOptions{Poll: listenPoll(b)}, "catalogue", "search_tuning")

			// Each topic once at the start, in the order asked for.
			for _, want := range []string{"catalogue", "search_tuning"} {
				if e := next(t, ch); e.Topic != want {
					t.Fatalf("first events: got %q, want %q", e.Topic, want)
				}
			}
			notify(t, a, "catalogue", true)
			if e := next(t, ch); e.Topic != "catalogue" {
				t.Fatalf("after a catalogue change: %q", e.Topic)
			}
			// Neither a rollback nor another topic makes an event: the next
			// one is the tuning change that follows them.
			notify(t, a, "catalogue", false)
			notify(t, a, "feedback", true)
			notify(t, a, "search_tuning", true)
			if e := next(t, ch); e.Topic != "search_tuning" {
				t.Fatalf("after a rollback, an unheard topic and a tuning change: %q", e.Topic)
			}
			// The writer's own process hears its changes too.
			own := a.Listen(t.Context(), store.ListenOptions{Poll: listenPoll(a)}, "catalogue")
			next(t, own)
			notify(t, a, "catalogue", true)
			if e := next(t, own); e.Topic != "catalogue" {
				t.Fatalf("the writer's own listener: %q", e.Topic)
			}
			if e := next(t, ch); e.Topic != "catalogue" {
				t.Fatalf("the other listener: %q", e.Topic)
			}
		})
	}
}

// The feed's channel closes when the listener's context ends.
func TestListenStops(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx, cancel := context.WithCancel(t.Context())
		ch := db.Listen(ctx, store.ListenOptions{Poll: listenPoll(db)}, "catalogue")
		next(t, ch)
		cancel()
		select {
		case _, ok := <-ch:
			if ok {
				t.Fatal("an event after the listener stopped")
			}
		case <-time.After(eventWait):
			t.Fatal("the channel stayed open after the context ended")
		}
	})
}

// On PostgreSQL, when the listening connection is lost (the server ended
// it), the listener connects again and reads what changed meanwhile: the
// change still arrives, without polling.
func TestChangeListenerReconnects(t *testing.T) {
	url := storetest.URL(t, store.DialectPostgres)
	a, b := storetest.OpenURL(t, url), storetest.OpenURL(t, url)
	ch := b.Listen(t.Context(), store.ListenOptions{Poll: time.Hour}, "catalogue")
	next(t, ch)

	// The listener's backend: its application name, and a LISTEN on this
	// test's schema's channel.
	var pid int
	const qListener = `SELECT pid FROM pg_stat_activity WHERE application_name = $1
		AND query LIKE 'LISTEN %' AND query LIKE '%' || current_schema() || '%'`
	deadline := time.Now().Add(eventWait)
	for {
		err := a.SQL().QueryRowContext(t.Context(), qListener, store.ListenerApplicationName).Scan(&pid)
		if err == nil {
			break
		}
		if !errors.Is(err, sql.ErrNoRows) || time.Now().After(deadline) {
			t.Fatalf("finding the listener's connection: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if _, err := a.SQL().ExecContext(t.Context(), `SELECT pg_terminate_backend($1)`, pid); err != nil {
		t.Fatal(err)
	}
	notify(t, a, "catalogue", true)
	if e := next(t, ch); e.Topic != "catalogue" {
		t.Fatalf("after the listener's connection was ended: %q", e.Topic)
	}
	// And it listens again: the next change arrives too.
	notify(t, a, "catalogue", true)
	if e := next(t, ch); e.Topic != "catalogue" {
		t.Fatalf("after reconnecting: %q", e.Topic)
	}
}

// BenchmarkChangeFeed measures how long a committed change takes to reach
// another instance's Listen: through NOTIFY on PostgreSQL, and by polling
// every second on SQLite (and on PostgreSQL while its listener is down).
// The change is made at a random moment of the polling period, as real
// changes are. docs/performance.md has the figures:
//
//	SPORTELLO_TEST_POSTGRES=... go test ./store -run '^$' -bench ChangeFeed -benchtime 20x
func BenchmarkChangeFeed(b *testing.B) {
	cases := []struct {
		name, dialect string
		poll          time.Duration
	}{
		{"postgres-notify", store.DialectPostgres, time.Hour},
		{"sqlite-poll-1s", store.DialectSQLite, time.Second},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			url := storetest.URL(b, c.dialect)
			writer, reader := storetest.OpenURL(b, url), storetest.OpenURL(b, url)
			ch := reader.Listen(b.Context(), store.ListenOptions{Poll: c.poll}, "bench")
			next(b, ch)
			var total, worst time.Duration
			b.ResetTimer()
			for range b.N {
				if c.poll < time.Hour {
					time.Sleep(rand.N(c.poll))
				}
				start := time.Now()
				notify(b, writer, "bench", true)
				next(b, ch)
				took := time.Since(start)
				total += took
				worst = max(worst, took)
			}
			b.ReportMetric(float64(total.Microseconds())/1000/float64(b.N), "ms/change")
			b.ReportMetric(float64(worst.Microseconds())/1000, "ms-worst")
			b.ReportMetric(0, "ns/op")
		})
	}
}
