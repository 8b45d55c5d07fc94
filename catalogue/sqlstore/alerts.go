package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"sportello/catalogue"
	"sportello/editorial"
	"sportello/store"
)

// The service alerts' SQL; the table is in
// store/migrations/00800_service_alerts.sql.
const (
	alertColumns = `id, scope, target, texts, link, severity, starts_at, ends_at, created_by, created_at, updated_by, updated_at`

	qCurrentAlerts = `SELECT ` + alertColumns + ` FROM service_alerts WHERE ends_at > ? ORDER BY starts_at, id`

	qPastAlerts = `SELECT ` + alertColumns + ` FROM service_alerts WHERE ends_at <= ? ORDER BY ends_at DESC, id LIMIT ?`

	qAlert = `SELECT ` + alertColumns + ` FROM service_alerts WHERE id = ?`

	qInsertAlert = `INSERT INTO service_alerts (` + alertColumns + `) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

	qUpdateAlert = `UPDATE service_alerts SET scope = ?, target = ?, texts = ?, link = ?, severity = ?,
		starts_at = ?, ends_at = ?, updated_by = ?, updated_at = ? WHERE id = ?`

	// An alert that has not started yet, ended, starts when it ends: it
	// never shows, and is listed with the past ones.
	qEndAlert = `UPDATE service_alerts SET starts_at = CASE WHEN starts_at > ? THEN ? ELSE starts_at END, ends_at = ?,
		updated_by = ?, updated_at = ? WHERE id = ? AND ends_at > ?`

	qAlertExists = `SELECT COUNT(*) FROM service_alerts WHERE id = ?`

	qDeleteAlert = `DELETE FROM service_alerts WHERE id = ?`
)

// CurrentAlerts returns the alerts that have not ended at now, by start.
func (st *Store) CurrentAlerts(ctx context.Context, now time.Time) ([]editorial.Alert, error) {
	out, err := store.Query(ctx, st.db.SQL(), st.db.Rebind(qCurrentAlerts), scanAlert, now.Unix())
	if err != nil {
		return nil, fmt.Errorf("sqlstore: service alerts: %w", st.db.MapError(err))
	}
	return out, nil
}

// PastAlerts returns at most limit alerts ended at now, the latest first.
func (st *Store) PastAlerts(ctx context.Context, now time.Time, limit int) ([]editorial.Alert, error) {
	out, err := store.Query(ctx, st.db.SQL(), st.db.Rebind(qPastAlerts), scanAlert, now.Unix(), limit)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: past service alerts: %w", st.db.MapError(err))
	}
	return out, nil
}

// Alert returns one alert, or catalogue.ErrNotFound.
func (st *Store) Alert(ctx context.Context, id int64) (editorial.Alert, error) {
	out, err := store.Query(ctx, st.db.SQL(), st.db.Rebind(qAlert), scanAlert, id)
	if err != nil {
		return editorial.Alert{}, fmt.Errorf("sqlstore: service alert %d: %w", id, st.db.MapError(err))
	}
	if len(out) == 0 {
		return editorial.Alert{}, fmt.Errorf("%w: service alert %d", catalogue.ErrNotFound, id)
	}
	return out[0], nil
}

func scanAlert(r store.Scanner) (editorial.Alert, error) {
	var a editorial.Alert
	var texts string
	var starts, ends, created, updated int64
	if err := r.Scan(&a.ID, &a.Scope, &a.Target, &texts, &a.Link, &a.Severity, &starts, &ends, &a.CreatedBy, &created, &a.UpdatedBy, &updated); err != nil {
		return a, err
	}
	if err := json.Unmarshal([]byte(texts), &a.Text); err != nil {
		return a, fmt.Errorf("decoding the texts of service alert %d: %w", a.ID, err)
	}
	a.StartsAt, a.EndsAt = time.Unix(starts, 0).UTC(), time.Unix(ends, 0).UTC()
	a.CreatedAt, a.UpdatedAt = time.Unix(created, 0).UTC(), time.Unix(updated, 0).UTC()
	return a, nil
}

// SaveAlert creates the alert (ID 0) or replaces it, and returns its id.
// Times are kept to the second.
func (st *Store) SaveAlert(ctx context.Context, a editorial.Alert, actor string) (int64, error) {
	if err := a.Check(); err != nil {
		return 0, err
	}
	texts, err := json.Marshal(a.Text)
	if err != nil {
		return 0, err
	}
	now := time.Now()
	err = st.db.Tx(ctx, func(tx *sql.Tx) error {
		verb := "changed"
		if a.ID == 0 {
			a.ID, verb = randomID(), "posted"
			_, err = tx.ExecContext(ctx, st.db.Rebind(qInsertAlert), a.ID, a.Scope, a.Target, string(texts), a.Link, a.Severity,
				a.StartsAt.Unix(), a.EndsAt.Unix(), actor, now.Unix(), actor, now.Unix())
		} else {
			var res sql.Result
			res, err = tx.ExecContext(ctx, st.db.Rebind(qUpdateAlert), a.Scope, a.Target, string(texts), a.Link, a.Severity,
				a.StartsAt.Unix(), a.EndsAt.Unix(), actor, now.Unix(), a.ID)
			if err == nil {
				if n, _ := res.RowsAffected(); n == 0 {
					return fmt.Errorf("%w: service alert %d", catalogue.ErrNotFound, a.ID)
				}
			}
		}
		if err != nil {
			return st.db.MapError(err)
		}
		return st.alertsChanged(ctx, tx, now, actor, fmt.Sprintf("alert %d %s: %s, %s to %s", a.ID, verb, alertWhere(a),
			a.StartsAt.UTC().Format(time.RFC3339), a.EndsAt.UTC().Format(time.RFC3339)))
	})
	if err != nil {
		return 0, fmt.Errorf("sqlstore: saving a service alert: %w", err)
	}
	return a.ID, nil
}

// EndAlert ends a running or coming alert at at.
func (st *Store) EndAlert(ctx context.Context, id int64, at time.Time, actor string) error {
	now := time.Now()
	err := st.db.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, st.db.Rebind(qEndAlert), at.Unix(), at.Unix(), at.Unix(), actor, now.Unix(), id, at.Unix())
		if err != nil {
			return st.db.MapError(err)
		}
		if n, _ := res.RowsAffected(); n > 0 {
			return st.alertsChanged(ctx, tx, now, actor, fmt.Sprintf("alert %d ended at %s", id, at.UTC().Format(time.RFC3339)))
		}
		var exists int
		if err := tx.QueryRowContext(ctx, st.db.Rebind(qAlertExists), id).Scan(&exists); err != nil {
			return st.db.MapError(err)
		}
		if exists == 0 {
			return fmt.Errorf("%w: service alert %d", catalogue.ErrNotFound, id)
		}
		return nil // ended already
	})
	if err != nil {
		return fmt.Errorf("sqlstore: ending a service alert: %w", err)
	}
	return nil
}

// DeleteAlert deletes an alert.
func (st *Store) DeleteAlert(ctx context.Context, id int64, actor string) error {
	err := st.db.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, st.db.Rebind(qDeleteAlert), id)
		if err != nil {
			return st.db.MapError(err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("%w: service alert %d", catalogue.ErrNotFound, id)
		}
		return st.alertsChanged(ctx, tx, time.Now(), actor, fmt.Sprintf("alert %d deleted", id))
	})
	if err != nil {
		return fmt.Errorf("sqlstore: deleting a service alert: %w", err)
	}
	return nil
}

// alertsChanged records a change of the alerts in the audit log and
// announces it on the change feed, in the change's transaction.
func (st *Store) alertsChanged(ctx context.Context, tx *sql.Tx, at time.Time, actor, detail string) error {
	if err := st.audit(ctx, tx, at, actor, "alert", "", "", detail); err != nil {
		return err
	}
	return st.db.Notify(ctx, tx, editorial.AlertsTopic)
}

// alertWhere says where an alert shows, for the audit log.
func alertWhere(a editorial.Alert) string {
	if a.Scope == editorial.ScopeSite {
		return "whole site"
	}
	return a.Scope + " " + a.Target
}
