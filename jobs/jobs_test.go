package jobs

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"sportello/store"
	"sportello/store/storetest"
)

// clock is a clock the test moves, shared by the runners as the instances'
// synchronised clocks are.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// instances returns n runners over n connections to one new database of
// dialect, as n instances of Sportello have, each with job.
func instances(t *testing.T, dialect string, n int, job Job, opts Options) []*Runner {
	t.Helper()
	url := storetest.URL(t, dialect)
	var out []*Runner
	for i := range n {
		o := opts
		o.Owner = string(rune('a' + i))
		r := New(storetest.OpenURL(t, url), o)
		r.Add(job)
		if err := r.register(t.Context()); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}

// eachDialect runs test once per database, as subtests; the PostgreSQL one
// skips when there is none.
func eachDialect(t *testing.T, test func(t *testing.T, dialect string)) {
	for _, d := range storetest.Dialects {
		t.Run(d, func(t *testing.T) { test(t, d) })
	}
}

func status(t *testing.T, r *Runner, name string) Status {
	t.Helper()
	all, err := List(t.Context(), r.db)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range all {
		if s.Name == name {
			return s
		}
	}
	t.Fatalf("no job %s in %+v", name, all)
	return Status{}
}

// Two instances trying the same job at the same moments, again and again,
// run it exactly once per interval: once when it falls due, never again
// before the next due time, never twice.
func TestOneRunPerInterval(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		const every = time.Minute
		clk := &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
		var runs atomic.Int64
		job := Job{Name: "count", Every: every, Run: func(context.Context) error { runs.Add(1); return nil }}
		rs := instances(t, dialect, 2, job, Options{Now: clk.now})
		start := clk.now()
		const rounds = 10
		for k := range rounds {
			for _, offset := range []time.Duration{0, every / 2, every - time.Second} {
				clk.set(start.Add(time.Duration(k)*every + offset))
				// Each instance tries three times at once, all released
				// together.
				go1 := make(chan struct{})
				var wg sync.WaitGroup
				for _, r := range rs {
					for range 3 {
						wg.Go(func() {
							<-go1
							r.tryRun(t.Context(), t.Context(), job)
						})
					}
				}
				close(go1)
				wg.Wait()
				if got := runs.Load(); got != int64(k+1) {
					t.Fatalf("at %v after the start: %d runs, want %d", time.Duration(k)*every+offset, got, k+1)
				}
			}
		}
		s := status(t, rs[0], "count")
		if s.Runs != rounds || s.Failures != 0 || s.RunningOn != "" {
			t.Errorf("recorded %d runs, %d failures, running on %q; want %d, 0, none", s.Runs, s.Failures, s.RunningOn, rounds)
		}
		if want := start.Add(rounds * every); !s.NextRun.Equal(want) {
			t.Errorf("next run %v, want %v", s.NextRun, want)
		}
	})
}

// An instance that dies during a run keeps the job from the others until
// its lease runs out; then another runs it. The dead one, coming back to
// record its run, learns that it lost the lease.
func TestLeaseOfADeadInstance(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		const every, lease = time.Minute, 5 * time.Minute
		clk := &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
		var ranOn []string
		job := Job{Name: "reconcile", Every: every, Run: func(context.Context) error { ranOn = append(ranOn, "b"); return nil }}
		rs := instances(t, dialect, 2, job, Options{Now: clk.now, Lease: lease})
		a, b := rs[0], rs[1]
		start := clk.now()
		if claimed, _, err := a.claim(t.Context(), job); err != nil || !claimed {
			t.Fatalf("a's claim: %v %v", claimed, err)
		}
		// a "dies" here, holding the lease.
		clk.set(start.Add(2 * every))
		b.tryRun(t.Context(), t.Context(), job)
		if len(ranOn) != 0 {
			t.Fatal("b ran the job while a held its lease")
		}
		if s := status(t, b, job.Name); s.RunningOn != "a" {
			t.Errorf("running on %q, want a", s.RunningOn)
		}
		clk.set(start.Add(lease + time.Second))
		b.tryRun(t.Context(), t.Context(), job)
		if len(ranOn) != 1 {
			t.Fatalf("b did not run the job after a's lease ran out (%d runs)", len(ranOn))
		}
		if s := status(t, b, job.Name); s.LastOwner != "b" || s.Runs != 1 {
			t.Errorf("last run by %q, %d runs; want b, 1", s.LastOwner, s.Runs)
		}
		if err := a.finish(t.Context(), job, nil); err == nil || !strings.Contains(err.Error(), "lease had run out") {
			t.Errorf("a recording its run after losing the lease: %v", err)
		}
	})
}

// A failed run, and a panic, are recorded with their error; the job stays
// scheduled and the next run counts as such.
func TestFailuresAreRecorded(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		const every = time.Minute
		clk := &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
		outcomes := []func() error{
			func() error { return errors.New("the provider did not answer") },
			func() error { panic("nil map") },
			func() error { return nil },
		}
		n := 0
		job := Job{Name: "sweep", Every: every, Run: func(context.Context) error { n++; return outcomes[n-1]() }}
		var told []string
		onRun := func(name string, err error) { told = append(told, fmt.Sprint(name, ": ", err)) }
		r := instances(t, dialect, 1, job, Options{Now: clk.now, OnRun: onRun})[0]
		start := clk.now()
		wants := []struct {
			runs, failures int64
			lastError      string
		}{{1, 1, "the provider did not answer"}, {2, 2, "panic: nil map"}, {3, 2, "panic: nil map"}}
		for i, w := range wants {
			clk.set(start.Add(time.Duration(i) * every))
			r.tryRun(t.Context(), t.Context(), job)
			s := status(t, r, job.Name)
			if s.Runs != w.runs || s.Failures != w.failures || s.LastError != w.lastError || s.RunningOn != "" {
				t.Errorf("after run %d: %d runs, %d failures, last error %q, running on %q; want %d, %d, %q, none",
					i+1, s.Runs, s.Failures, s.LastError, s.RunningOn, w.runs, w.failures, w.lastError)
			}
		}
		if want := []string{"sweep: the provider did not answer", "sweep: panic: nil map", "sweep: <nil>"}; !slices.Equal(told, want) {
			t.Errorf("OnRun was told %q, want %q", told, want)
		}
	})
}

// At shutdown (Run's context ends) the job at hand finishes, with its
// context intact, before Run returns; one that overruns the drain time has
// its context cancelled.
func TestShutdownLetsTheJobAtHandFinish(t *testing.T) {
	started, release := make(chan struct{}), make(chan struct{})
	// ctxErr is the job's context's error when the job ends.
	ctxErr := make(chan error, 2)
	job := Job{Name: "long", Every: time.Hour, Run: func(ctx context.Context) error {
		close(started)
		select {
		case <-release:
		case <-ctx.Done():
		}
		ctxErr <- ctx.Err()
		return ctx.Err()
	}}
	r := instances(t, store.DialectSQLite, 1, job, Options{Drain: time.Hour})[0]
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() { r.Run(ctx); close(done) }()
	<-started
	cancel()
	select {
	case <-done:
		t.Fatal("Run returned while its job was still running")
	case <-time.After(200 * time.Millisecond):
	}
	close(release)
	<-done
	if err := <-ctxErr; err != nil {
		t.Errorf("the job's context was cancelled at shutdown: %v", err)
	}
	if s := status(t, r, job.Name); s.Runs != 1 || s.Failures != 0 {
		t.Errorf("%d runs, %d failures; want 1 finished run", s.Runs, s.Failures)
	}

	// With a short drain, the job's context is cancelled and the run
	// recorded as failed.
	started, release = make(chan struct{}), make(chan struct{})
	job.Name = "overrun"
	r = instances(t, store.DialectSQLite, 1, job, Options{Drain: 50 * time.Millisecond})[0]
	ctx, cancel = context.WithCancel(t.Context())
	done = make(chan struct{})
	go func() { r.Run(ctx); close(done) }()
	<-started
	cancel()
	<-done
	if s := status(t, r, job.Name); s.Failures != 1 || s.LastError != context.Canceled.Error() {
		t.Errorf("an overrun: %d failures, last error %q; want 1, %q", s.Failures, s.LastError, context.Canceled)
	}
}

// Two instances running for real, on the wall clock, never run the job at
// the same time and never more often than its interval allows.
func TestTwoRunnersOnTheWallClock(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		const every = 100 * time.Millisecond
		var runs, inFlight, overlaps atomic.Int64
		job := Job{Name: "tick", Every: every, Run: func(context.Context) error {
			if inFlight.Add(1) > 1 {
				overlaps.Add(1)
			}
			runs.Add(1)
			time.Sleep(every / 4)
			inFlight.Add(-1)
			return nil
		}}
		rs := instances(t, dialect, 2, job, Options{})
		began := time.Now()
		ctx, cancel := context.WithTimeout(t.Context(), 15*every)
		defer cancel()
		var wg sync.WaitGroup
		for _, r := range rs {
			wg.Go(func() { r.Run(ctx) })
		}
		wg.Wait()
		elapsed := time.Since(began)
		if overlaps.Load() > 0 {
			t.Errorf("the job ran on both instances at once %d times", overlaps.Load())
		}
		most := int64(elapsed/every) + 1
		if n := runs.Load(); n < 2 || n > most {
			t.Errorf("%d runs in %v at one per %v; want 2 to %d", n, elapsed, every, most)
		}
		if s := status(t, rs[0], job.Name); s.Runs != runs.Load() {
			t.Errorf("recorded %d runs, made %d", s.Runs, runs.Load())
		}
		t.Logf("%s: %d runs in %v", dialect, runs.Load(), elapsed.Round(time.Millisecond))
	})
}
