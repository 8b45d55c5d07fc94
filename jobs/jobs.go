// Package jobs runs Sportello's background work (payment reconciliation,
// the purge of expired sessions, sweeps) once across all the instances that
// share the database, not once per instance.
//
// Each named job has a row in the jobs table saying when it is next due.
// Every instance runs a Runner with the same jobs; to run one, a runner
// takes its lease in a transaction that reads the row with
// store.DB.SkipLocked (FOR UPDATE SKIP LOCKED on PostgreSQL; SQLite's
// transactions have the database to themselves) and, when the job is due
// and nobody holds it, moves it to its next due time and writes itself in
// as the holder. Whoever comes second finds it not due, or locked, and
// waits. The holder renews the lease while the job runs, so a long run is
// not taken over, and an instance that dies mid-run loses it when the
// lease runs out. Each run's end, and its error, is recorded in the row.
//
// Times come from each instance's clock: keep them synchronised (NTP).
package jobs

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"sportello/store"
)

// Job is a named piece of background work run every Every.
type Job struct {
	// Name identifies the job across instances, e.g. "payments_reconcile".
	Name  string
	Every time.Duration
	// Run does the work once. Its context ends only when the runner gives
	// up waiting for it at shutdown (Options.Drain).
	Run func(ctx context.Context) error
}

// Options configure a Runner.
type Options struct {
	// Owner names this instance in the jobs table; default
	// "<host name>:<process id>:<random>".
	Owner string
	// Drain is how long the job at hand may go on once Run's context has
	// ended, before its own context is cancelled. Default 10 s.
	Drain time.Duration
	// Lease is how long a run holds the job without renewing it; the
	// runner renews it every third of that while the job runs. Default 1
	// minute.
	Lease time.Duration
	Log   *slog.Logger
	// OnRun, when set, is told of every run this runner makes, with its
	// error: where to count runs and failures for monitoring.
	OnRun func(job string, err error)
	// Now is the clock; default time.Now.
	Now func() time.Time
}

// Runner runs jobs, each once per interval across every Runner on the
// database.
type Runner struct {
	db   *store.DB
	opts Options
	jobs []Job
}

// retryAfter bounds the wait after a failed or contended claim.
const retryAfter = 5 * time.Second

// New returns a runner on db. Add the jobs, then Run it.
func New(db *store.DB, opts Options) *Runner {
	if opts.Owner == "" {
		host, _ := os.Hostname()
		opts.Owner = host + ":" + strconv.Itoa(os.Getpid()) + ":" + strings.ToLower(rand.Text()[:8])
	}
	if opts.Drain <= 0 {
		opts.Drain = 10 * time.Second
	}
	if opts.Lease <= 0 {
		opts.Lease = time.Minute
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Runner{db: db, opts: opts}
}

// Add registers j; call it before Run.
func (r *Runner) Add(j Job) { r.jobs = append(r.jobs, j) }

// Run runs the jobs until ctx ends: each when it is due and no other
// instance holds it. When ctx ends it starts no more, gives the jobs at
// hand Options.Drain to finish (cancelling their contexts after that), and
// returns once they have.
func (r *Runner) Run(ctx context.Context) {
	for {
		err := r.register(ctx)
		if err == nil {
			break
		}
		if ctx.Err() != nil {
			return
		}
		r.opts.Log.Error("jobs: cannot register the background jobs; trying again", "err", err, "in", retryAfter.String())
		select {
		case <-ctx.Done():
			return
		case <-time.After(retryAfter):
		}
	}
	// hard outlives ctx by Drain: the jobs at hand run under it.
	hard, cancel := context.WithCancel(context.WithoutCancel(ctx))
	defer cancel()
	stop := context.AfterFunc(ctx, func() { time.AfterFunc(r.opts.Drain, cancel) })
	defer stop()
	var wg sync.WaitGroup
	for _, j := range r.jobs {
		wg.Go(func() {
			for {
				wait := r.tryRun(ctx, hard, j)
				select {
				case <-ctx.Done():
					return
				case <-time.After(wait):
				}
			}
		})
	}
	wg.Wait()
}

// register gives each job its row, due at once when it is new.
func (r *Runner) register(ctx context.Context) error {
	now := r.opts.Now().UnixMilli()
	for _, j := range r.jobs {
		_, err := r.db.SQL().ExecContext(ctx, r.db.Rebind(`INSERT INTO jobs (name, next_run_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING`), j.Name, now)
		if err != nil {
			return fmt.Errorf("jobs: registering %s: %w", j.Name, r.db.MapError(err))
		}
	}
	return nil
}

// tryRun runs j if it is due and free, and returns how long to wait before
// trying again.
func (r *Runner) tryRun(ctx, hard context.Context, j Job) time.Duration {
	if ctx.Err() != nil {
		return 0
	}
	claimed, next, err := r.claim(ctx, j)
	if err != nil {
		if ctx.Err() == nil {
			r.opts.Log.Error("jobs: cannot take a job's lease; trying again", "job", j.Name, "err", err)
		}
		return min(j.Every, retryAfter)
	}
	if claimed {
		r.run(hard, j)
	}
	// A little after the due time, so that the clock has passed it.
	return max(next.Sub(r.opts.Now()), 0) + 10*time.Millisecond
}

// claim takes j's lease when j is due and nobody holds it, and reports
// whether it did and when j is (next) due.
func (r *Runner) claim(ctx context.Context, j Job) (claimed bool, next time.Time, err error) {
	now := r.opts.Now()
	next = now.Add(min(j.Every, retryAfter))
	err = r.db.Tx(ctx, func(tx *sql.Tx) error {
		var due, leaseUntil int64
		err := tx.QueryRowContext(ctx, r.db.Rebind(`SELECT next_run_at, lease_until FROM jobs WHERE name = ?`+r.db.SkipLocked()), j.Name).Scan(&due, &leaseUntil)
		if errors.Is(err, sql.ErrNoRows) {
			return nil // another instance is taking it right now
		}
		if err != nil {
			return r.db.MapError(err)
		}
		ms := now.UnixMilli()
		switch {
		case leaseUntil > ms:
			next = time.UnixMilli(leaseUntil)
			return nil
		// A due time further away than one interval was set for a longer
		// one: the job is due on its new interval.
		case due > ms && due <= now.Add(j.Every).UnixMilli():
			next = time.UnixMilli(due)
			return nil
		}
		next = now.Add(j.Every)
		_, err = tx.ExecContext(ctx, r.db.Rebind(`UPDATE jobs SET next_run_at = ?, lease_owner = ?, lease_until = ?, last_started_at = ? WHERE name = ?`),
			next.UnixMilli(), r.opts.Owner, now.Add(r.opts.Lease).UnixMilli(), ms, j.Name)
		claimed = err == nil
		return r.db.MapError(err)
	})
	if err != nil {
		return false, next, fmt.Errorf("jobs: %s: %w", j.Name, err)
	}
	return claimed, next, nil
}

// run runs j, whose lease this runner holds, renewing the lease meanwhile,
// and records how it went.
func (r *Runner) run(ctx context.Context, j Job) {
	started := time.Now()
	done := make(chan struct{})
	var renewals sync.WaitGroup
	renewals.Go(func() { r.renew(ctx, j, done) })
	err := safely(ctx, j.Run)
	close(done)
	renewals.Wait()
	took := time.Since(started)
	if r.opts.OnRun != nil {
		r.opts.OnRun(j.Name, err)
	}
	if err != nil {
		r.opts.Log.Error("jobs: a job failed", "job", j.Name, "err", err, "took", took.String())
	} else {
		r.opts.Log.Debug("jobs: a job ran", "job", j.Name, "took", took.String())
	}
	// Recorded even when ctx was cancelled at shutdown.
	rec, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := r.finish(rec, j, err); err != nil {
		r.opts.Log.Error("jobs: cannot record a job's run", "job", j.Name, "err", err)
	}
}

// safely runs fn, turning a panic into an error, so that one bad run
// neither stops the runner nor leaves the lease held.
func safely(ctx context.Context, fn func(context.Context) error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	return fn(ctx)
}

// renew extends j's lease every third of the lease until done is closed.
func (r *Runner) renew(ctx context.Context, j Job, done <-chan struct{}) {
	t := time.NewTicker(r.opts.Lease / 3)
	defer t.Stop()
	for {
		select {
		case <-done:
			return
		case <-ctx.Done():
			return
		case <-t.C:
		}
		_, err := r.db.SQL().ExecContext(ctx, r.db.Rebind(`UPDATE jobs SET lease_until = ? WHERE name = ? AND lease_owner = ?`),
			r.opts.Now().Add(r.opts.Lease).UnixMilli(), j.Name, r.opts.Owner)
		if err != nil {
			r.opts.Log.Warn("jobs: cannot renew a job's lease", "job", j.Name, "err", r.db.MapError(err))
		}
	}
}

// finish releases j's lease and records the run and its error.
func (r *Runner) finish(ctx context.Context, j Job, runErr error) error {
	now := r.opts.Now().UnixMilli()
	set := `lease_owner = '', lease_until = 0, last_finished_at = ?, last_owner = ?, runs = runs + 1`
	args := []any{now, r.opts.Owner}
	if runErr != nil {
		set += `, failures = failures + 1, last_error = ?, last_failed_at = ?`
		args = append(args, runErr.Error(), now)
	}
	res, err := r.db.SQL().ExecContext(ctx, r.db.Rebind(`UPDATE jobs SET `+set+` WHERE name = ? AND lease_owner = ?`), append(args, j.Name, r.opts.Owner)...)
	if err != nil {
		return r.db.MapError(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errors.New("the lease had run out and was taken: the job may have run twice")
	}
	return nil
}

// Status is a job's row: its schedule, its holder while it runs, and how
// its runs went.
type Status struct {
	Name         string
	NextRun      time.Time
	RunningOn    string // the holder of the lease; "" when not running
	LastStarted  time.Time
	LastFinished time.Time
	LastOwner    string // the instance that finished the last run
	LastError    string // of the last failed run
	LastFailed   time.Time
	Runs         int64
	Failures     int64
}

// List returns every job's status, by name: what an operator would look at
// to see that the background work runs.
func List(ctx context.Context, db *store.DB) ([]Status, error) {
	out, err := store.Query(ctx, db.SQL(), db.Rebind(`SELECT name, next_run_at, lease_owner, last_started_at,
		last_finished_at, last_owner, last_error, last_failed_at, runs, failures FROM jobs ORDER BY name`),
		func(row store.Scanner) (Status, error) {
			var s Status
			var next, started, finished, failed int64
			err := row.Scan(&s.Name, &next, &s.RunningOn, &started, &finished, &s.LastOwner, &s.LastError, &failed, &s.Runs, &s.Failures)
			s.NextRun, s.LastStarted, s.LastFinished, s.LastFailed = unixMilli(next), unixMilli(started), unixMilli(finished), unixMilli(failed)
			return s, err
		})
	if err != nil {
		return nil, fmt.Errorf("jobs: listing: %w", db.MapError(err))
	}
	return out, nil
}

// unixMilli is the time of ms, or the zero time for 0 (never).
func unixMilli(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}
