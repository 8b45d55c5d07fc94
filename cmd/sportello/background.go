package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"sportello/applications"
	"sportello/appointments"
	"sportello/catalogue"
	"sportello/jobs"
	"sportello/metrics"
	"sportello/notify"
	"sportello/payments"
	"sportello/portal/auth"
	"sportello/store"
	"sportello/supportalerts"
)

// backgroundJobs is the work that runs beside the requests. Every instance
// offers to do it, and for each run exactly one does (package jobs), so two
// instances never reconcile the same payment at once.
func backgroundJobs(db *store.DB, drain time.Duration, signIn *auth.Auth, pay *payments.Service, apps *applications.Store, cat catalogueDocs, alerts *supportalerts.Alerts, m *metrics.Metrics, log *slog.Logger) *jobs.Runner {
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
	// Forms in progress that nobody finished, with their uploads, and
	// drafts saved more than 30 days ago.
	r.Add(jobs.Job{Name: "applications_sweep", Every: 10 * time.Minute, Run: func(ctx context.Context) error {
		n, err := apps.SweepExpired(ctx)
		if n > 0 {
			log.InfoContext(ctx, "applications: swept expired forms in progress", "forms", n)
		}
		return err
	}})
	// Reminders before a permit or licence ends, for the services whose
	// renewal the published catalogue sets. Each is told once (its key), so
	// a run may come as often as it likes; every six hours a reminder lands
	// on the day it is due.
	r.Add(jobs.Job{Name: "applications_renewal_reminders", Every: 6 * time.Hour, Run: func(ctx context.Context) error {
		d, err := cat.Directory(ctx)
		if err != nil {
			return err
		}
		renewals := map[string]catalogue.Renewal{}
		for _, s := range d.Services {
			if s.Renewal != nil {
				renewals[s.Slug] = *s.Renewal
			}
		}
		n, err := apps.RemindRenewals(ctx, renewals)
		if n > 0 {
			log.InfoContext(ctx, "applications: renewals due", "applications", n)
		}
		return err
	}})
	// The reminder a week before a saved draft is deleted (the sweep above
	// deletes it 30 days after its last save).
	r.Add(jobs.Job{Name: "applications_draft_reminders", Every: time.Hour, Run: func(ctx context.Context) error {
		published := func(slug string) bool {
			_, err := cat.Service(ctx, slug)
			return !errors.Is(err, catalogue.ErrNotFound)
		}
		n, err := apps.RemindExpiringDrafts(ctx, published)
		if n > 0 {
			log.InfoContext(ctx, "applications: drafts about to be deleted", "drafts", n)
		}
		return err
	}})
	// Closed applications are anonymised when their service's retention
	// period ends (the catalogue's privacy.retention_days). Periods are
	// counted in days, so once a day is enough.
	r.Add(retentionJob(apps, cat))
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

// sendNotifications is the outbox's worker as a job: each run sends every
// notification due. It runs often, so that a mail leaves within seconds of
// the change that caused it; a run with nothing due is one small query.
// Its claims are safe on their own too: a notification is never taken by
// two workers (notify.Worker).
func sendNotifications(w *notify.Worker, every time.Duration) jobs.Job {
	return jobs.Job{Name: "notifications_send", Every: every, Run: w.Run}
}

// appointmentReminders reminds people of their appointments the day before
// (appointments.DB.RemindTomorrow). Each is reminded once (its key), so
// hourly runs land the reminder early in the day before.
func appointmentReminders(appts *appointments.DB, log *slog.Logger) jobs.Job {
	return jobs.Job{Name: "appointments_reminders", Every: time.Hour, Run: func(ctx context.Context) error {
		n, err := appts.RemindTomorrow(ctx)
		if n > 0 {
			log.InfoContext(ctx, "appointments: reminders added", "appointments", n)
		}
		return err
	}}
}

// catalogueDocs is the catalogue store with its published documents, an
// archived service's included (sqlstore.Store).
type catalogueDocs interface {
	catalogue.Store
	PublishedDoc(ctx context.Context, kind, slug string) (doc []byte, archived bool, err error)
}

// retentionJob anonymises the closed applications whose retention period
// has ended. The period is the service's as published, even once archived:
// its applications are still the council's to delete. A service never
// published, or whose catalogue says nothing, keeps its applications.
func retentionJob(apps *applications.Store, cat catalogueDocs) jobs.Job {
	return jobs.Job{Name: "applications_retention", Every: 24 * time.Hour, Run: func(ctx context.Context) error {
		_, err := apps.EnforceRetention(ctx, func(ctx context.Context, slug string) (int, error) {
			doc, _, err := cat.PublishedDoc(ctx, catalogue.KindService, slug)
			if errors.Is(err, catalogue.ErrNotFound) {
				return 0, nil
			}
			if err != nil {
				return 0, err
			}
			var svc catalogue.Service
			if err := json.Unmarshal(doc, &svc); err != nil {
				return 0, fmt.Errorf("reading the published service %s: %w", slug, err)
			}
			if svc.Privacy == nil {
				return 0, nil
			}
			return svc.Privacy.RetentionDays, nil
		})
		return err
	}}
}
