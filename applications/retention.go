package applications

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"sportello/notify"
	"sportello/store"
)

// Retention: a closed application is kept for its service's retention
// period (the catalogue's privacy.retention_days), counted from the day it
// closed, and then anonymised: its answers, files, contact details and the
// notes of its history are deleted, and the applicant is no longer named
// anywhere in it. The row stays, with its reference, service, dates and
// outcome, because payments (which accounting law keeps) and the audit log
// refer to it, and the council counts what it decided. Payments are never
// touched here.

// Closed are the statuses an application ends in: nothing happens to it
// any more but, for an approved one with a fee on approval, its payment.
var Closed = []Status{StatusApproved, StatusPaid, StatusRejected, StatusWithdrawn}

// AuditRetention is the audit log's action for an application anonymised
// at the end of its retention period.
const AuditRetention = "retention_anonymise"

// RetentionDetail is the detail of an AuditRetention entry: how long the
// application was kept, from which day (YYYY-MM-DD, in the council's time
// zone), and how many files were deleted with its answers, contact details
// and notes. It is written "730 2026-03-02 2", for the staff pages to say
// in words.
type RetentionDetail struct {
	Days   int
	Closed string
	Files  int
}

func (d RetentionDetail) String() string {
	return fmt.Sprintf("%d %s %d", d.Days, d.Closed, d.Files)
}

// ParseRetentionDetail reads what RetentionDetail.String wrote.
func ParseRetentionDetail(s string) (RetentionDetail, bool) {
	var d RetentionDetail
	n, err := fmt.Sscanf(s, "%d %s %d", &d.Days, &d.Closed, &d.Files)
	return d, err == nil && n == 3
}

// RetentionOf says how many days a closed application of the service slug
// is kept; 0 keeps it (the service says nothing).
type RetentionOf func(ctx context.Context, slug string) (days int, err error)

// RetentionReport says what EnforceRetention did.
type RetentionReport struct {
	Services    int // services with closed applications still holding personal data
	Anonymised  int // applications anonymised by this run
	FilesErased int // their files deleted
}

// retentionBatch is how many applications one query finds; each is then
// anonymised in a transaction of its own.
const retentionBatch = 100

var closedIn = func() string {
	s := ""
	for i, st := range Closed {
		if i > 0 {
			s += ", "
		}
		s += "'" + string(st) + "'"
	}
	return "(" + s + ")"
}()

var (
	qRetainedServices = `SELECT DISTINCT service_slug FROM applications WHERE status IN ` + closedIn + ` AND anonymised_at IS NULL ORDER BY service_slug`
	// The day an application closed is that of its last change of status.
	qRetentionDue = `SELECT a.id FROM applications a WHERE a.service_slug = ? AND a.status IN ` + closedIn + `
		AND a.anonymised_at IS NULL
		AND (SELECT MAX(e.at) FROM application_events e WHERE e.application_id = a.id) < ?
		AND a.id > ? ORDER BY a.id LIMIT ` + strconv.Itoa(retentionBatch)
	qRetentionLock      = `SELECT status, anonymised_at IS NOT NULL FROM applications WHERE id = ?`
	qRetentionClosedAt  = `SELECT at FROM application_events WHERE application_id = ? ORDER BY seq DESC LIMIT 1`
	qRetentionFiles     = `SELECT storage_name FROM application_files WHERE application_id = ? ORDER BY storage_name`
	qRetentionDelFiles  = `DELETE FROM application_files WHERE application_id = ?`
	qRetentionTokens    = `DELETE FROM submission_tokens WHERE application_id = ?`
	qRetentionNotes     = `UPDATE application_events SET note = '' WHERE application_id = ?`
	qRetentionApplicant = `UPDATE application_events SET actor_person_id = NULL WHERE application_id = ? AND actor_role = '` + RoleApplicant + `'`
	qRetentionAuditFile = `UPDATE audit_log SET detail = '' WHERE application_id = ? AND action = '` + AuditViewFile + `'`
	qRetentionClear     = `UPDATE applications SET person_id = NULL, contact_name = '', contact_email = '', answers = '[]',
		anonymised_at = ?, updated_at = ? WHERE id = ?`
)

// EnforceRetention anonymises every closed application whose service's
// retention period (retention) has ended since it closed, one transaction
// per application, each recorded in the audit log as AuditRetention by the
// system. Open applications are never touched, nor those of a service
// whose retention is 0. It returns what it did, up to an error. Running it
// again, or on two instances at once, anonymises nothing twice.
func (s *Store) EnforceRetention(ctx context.Context, retention RetentionOf) (RetentionReport, error) {
	var rep RetentionReport
	slugs, err := store.Query(ctx, s.db.SQL(), s.q(qRetainedServices), scanString)
	if err != nil {
		return rep, fmt.Errorf("applications: finding closed applications: %w", s.db.MapError(err))
	}
	rep.Services = len(slugs)
	now := s.clock(time.Time{})
	for _, slug := range slugs {
		days, err := retention(ctx, slug)
		if err != nil {
			return rep, fmt.Errorf("applications: the retention of %s: %w", slug, err)
		}
		if days <= 0 {
			continue
		}
		// A day of retention is 24 hours: the period ends at the time of
		// day it closed, so an application is never deleted early.
		before := now.Add(-time.Duration(days) * 24 * time.Hour)
		if err := s.retainService(ctx, slug, days, before, now, &rep); err != nil {
			return rep, err
		}
	}
	if rep.Anonymised > 0 {
		s.log.InfoContext(ctx, "applications: anonymised at the end of their retention", "applications", rep.Anonymised, "files", rep.FilesErased)
	}
	return rep, nil
}

func (s *Store) retainService(ctx context.Context, slug string, days int, before, now time.Time, rep *RetentionReport) error {
	var after int64
	for {
		ids, err := store.Query(ctx, s.db.SQL(), s.q(qRetentionDue), scanInt64, slug, before, after)
		if err != nil {
			return fmt.Errorf("applications: finding the applications of %s past their retention: %w", slug, s.db.MapError(err))
		}
		for _, id := range ids {
			files, done, err := s.anonymise(ctx, id, days, before, now)
			if err != nil {
				return fmt.Errorf("applications: anonymising application %d of %s: %w", id, slug, err)
			}
			if done {
				rep.Anonymised++
				rep.FilesErased += files
			}
		}
		if len(ids) < retentionBatch {
			return nil
		}
		after = ids[len(ids)-1]
	}
}

// anonymise deletes the personal data of application id, in one
// transaction, if it is still closed, not anonymised and closed before
// before (another instance, or a payment, may have come first).
func (s *Store) anonymise(ctx context.Context, id int64, days int, before, now time.Time) (files int, done bool, err error) {
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		var status string
		var anonymised bool
		err := tx.QueryRowContext(ctx, s.q(qRetentionLock+s.db.ForUpdate()), id).Scan(&status, &anonymised)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return s.db.MapError(err)
		}
		if anonymised || !slices.Contains(Closed, Status(status)) {
			return nil
		}
		var closedAt time.Time
		if err := tx.QueryRowContext(ctx, s.q(qRetentionClosedAt), id).Scan(&closedAt); err != nil {
			return s.db.MapError(err)
		}
		if !closedAt.Before(before) {
			return nil // paid since, say: it closed again later
		}
		names, err := store.Query(ctx, tx, s.q(qRetentionFiles), scanString, id)
		if err != nil {
			return s.db.MapError(err)
		}
		if err := s.blobs.Delete(ctx, tx, names); err != nil {
			return err
		}
		for _, q := range []string{qRetentionDelFiles, qRetentionTokens, qRetentionNotes, qRetentionApplicant, qRetentionAuditFile} {
			if _, err := tx.ExecContext(ctx, s.q(q), id); err != nil {
				return s.db.MapError(err)
			}
		}
		if _, err := tx.ExecContext(ctx, s.q(qRetentionClear), now, now, id); err != nil {
			return s.db.MapError(err)
		}
		// The mails about it name it, hold the caseworker's notes and
		// the address of someone who was not signed in.
		var ref string
		if err := tx.QueryRowContext(ctx, s.q(`SELECT reference FROM applications WHERE id = ?`), id).Scan(&ref); err != nil {
			return s.db.MapError(err)
		}
		if err := notify.Forget(ctx, s.db, tx, ref); err != nil {
			return err
		}
		detail := RetentionDetail{Days: days, Closed: closedAt.In(s.loc).Format(time.DateOnly), Files: len(names)}.String()
		if err := s.audit(ctx, tx, now, Actor{Role: RoleSystem}, AuditRetention, id, detail); err != nil {
			return err
		}
		files, done = len(names), true
		return nil
	})
	return files, done, err
}

func scanInt64(sc store.Scanner) (int64, error) {
	var v int64
	err := sc.Scan(&v)
	return v, err
}
