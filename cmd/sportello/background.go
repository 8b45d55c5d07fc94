package main

import (
	"context"
	"log/slog"
	"time"

	"sportello/applications"
	"sportello/jobs"
	"sportello/metrics"
	"sportello/payments"
	"sportello/portal/auth"
	"sportello/store"
	"sportello/supportalerts"
)

// backgroundJobs is the work that runs beside the requests. Every instance
// offers to do it, and for each run exactly one does (package jobs), so two
// instances never reconcile the same payment at once.
func backgroundJobs(db *store.DB, drain time.Duration, signIn *auth.Auth, pay *payments.Service, apps *applications.Store, alerts *supportalerts.Alerts, m *metrics.Metrics, log *slog.Logger) *jobs.Runner {
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
	// Residents who asked are told of support they may now be able to
	// get: at most one mail a day, so checking hourly is prompt enough.
	r.Add(jobs.Job{Name: "support_alerts", Every: time.Hour, Run: func(ctx context.Context) error {
		rep, err := alerts.Run(ctx)
		if rep.Alerts > 0 || rep.Stopped > 0 {
			log.InfoContext(ctx, "support alerts: checked", "people", rep.People, "alerts", rep.Alerts, "waiting", rep.Waiting, "stopped", rep.Stopped)
		}
		return err
	}})
	return r
}
