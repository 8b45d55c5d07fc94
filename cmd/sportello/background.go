package main

import (
	"context"
	"log/slog"
	"time"

	"sportello/applications"
	"sportello/jobs"
	"sportello/metrics"
	"sportello/notify"
	"sportello/payments"
	"sportello/portal/auth"
	"sportello/store"
)

// backgroundJobs is the work that runs beside the requests. Every instance
// offers to do it, and for each run exactly one does (package jobs), so two
// instances never reconcile the same payment at once.
func backgroundJobs(db *store.DB, drain time.Duration, signIn *auth.Auth, pay *payments.Service, apps *applications.Store, m *metrics.Metrics, log *slog.Logger) *jobs.Runner {
	r := jobs.New(db, jobs.Options{Drain: drain, Log: log, OnRun: m.JobRun})
	// A lost webhook or a crash mid-checkout is repaired from the
	// provider's own record.
	r.Add(jobs.Job{Name: "payments_reconcile", Every: 5 * time.Minute, Run: func(ctx context.Context) error {
		rep, err := pay.Reconcile(ctx)
		if err == nil && (rep.Closed > 0 || rep.Refunds > 0) {
			log.InfoContext(ctx, "payments: reconciled", "checked", rep.Checked, "closed", rep.Closed, "refunds", rep.Refunds, "open", rep.Remaining)
		}
		return err
	}})
	// Expired sessions are refused anyway; this reclaims their rows.
	r.Add(jobs.Job{Name: "sessions_purge", Every: 10 * time.Minute, Run: func(ctx context.Context) error {
		n, err := signIn.PurgeExpired(ctx)
		if n > 0 {
			log.InfoContext(ctx, "auth: purged expired sessions", "sessions", n)
		}
		return err
	}})
	// Forms in progress that nobody finished, with their uploads.
	r.Add(jobs.Job{Name: "applications_sweep", Every: 10 * time.Minute, Run: func(ctx context.Context) error {
		n, err := apps.SweepExpired(ctx)
		if n > 0 {
			log.InfoContext(ctx, "applications: swept expired forms in progress", "forms", n)
		}
		return err
	}})
	return r
}

// sendNotifications is the outbox's worker as a job: each run sends every
// notification due. It runs often, so that a mail leaves within seconds of
// the change that caused it; a run with nothing due is one small query.
// Its claims are safe on their own too: a notification is never taken by
// two workers (notify.Worker).
func sendNotifications(w *notify.Worker, every time.Duration) jobs.Job {
	return jobs.Job{Name: "notifications_send", Every: every, Run: w.Run}
}
