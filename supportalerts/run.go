package supportalerts

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"sportello/notify"
	"sportello/store"
)

// Report says what a run did.
type Report struct {
	People  int // opted-in people checked
	Alerts  int // alerts written to the outbox
	Waiting int // people with news who had an alert today already: told tomorrow
	Stopped int // alerts turned off: answers deleted, or unsubscribed by the mail's link
}

// candidate is one person who asked for alerts, as a run reads them.
type candidate struct {
	personID     int64
	off          string
	answers      sql.NullString
	answersAt    sql.NullInt64
	subscribed   bool
	subAnswersAt int64
	lang         string
}

// Run checks every person who asked for alerts against the published
// catalogue's rules, and writes one SupportAlert to the outbox for each
// person whose answers newly match services since the last check (key
// "support_alert:<person>:<council date>", so at most one a day: news
// found after that day's alert waits for the next day). It is the
// background job "support_alerts"; one instance runs it at a time.
func (a *Alerts) Run(ctx context.Context) (Report, error) {
	var rep Report
	rules, err := a.compiled(ctx)
	if err != nil || rules == nil {
		return rep, err
	}
	// Alerts turned off through notify's settings alone keep nothing.
	if _, err := a.db.SQL().ExecContext(ctx, a.db.Rebind(`DELETE FROM support_alert_subscriptions WHERE person_id NOT IN
		(SELECT person_id FROM notification_settings WHERE support_alerts = ?)`), true); err != nil {
		return rep, fmt.Errorf("supportalerts: deleting what was kept for alerts turned off: %w", a.db.MapError(err))
	}
	people, err := store.Query(ctx, a.db.SQL(), a.db.Rebind(`SELECT ns.person_id, ns.off_kinds, a.answers, a.updated_at,
			s.person_id IS NOT NULL, COALESCE(s.answers_at, 0), COALESCE(s.lang, '')
		FROM notification_settings ns
		LEFT JOIN support_saved_answers a ON a.person_id = ns.person_id
		LEFT JOIN support_alert_subscriptions s ON s.person_id = ns.person_id
		WHERE ns.support_alerts = ? ORDER BY ns.person_id`),
		func(row store.Scanner) (candidate, error) {
			var c candidate
			return c, row.Scan(&c.personID, &c.off, &c.answers, &c.answersAt, &c.subscribed, &c.subAnswersAt, &c.lang)
		}, true)
	if err != nil {
		return rep, fmt.Errorf("supportalerts: listing who asked for alerts: %w", a.db.MapError(err))
	}
	now := a.now()
	day := now.In(a.loc).Format(time.DateOnly)
	for _, c := range people {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		rep.People++
		if err := a.check(ctx, c, matching(rules, c.answers.String), now, day, &rep); err != nil {
			return rep, fmt.Errorf("supportalerts: checking a person's alerts: %w", err)
		}
	}
	return rep, nil
}

// check brings one person's alerts up to date with current, the services
// their answers match now.
func (a *Alerts) check(ctx context.Context, c candidate, current []string, now time.Time, day string, rep *Report) error {
	if !c.answers.Valid || !settingsOf(true, c.off).AlertsOn() {
		rep.Stopped++
		reason := "turned_off"
		if !c.answers.Valid {
			reason = "obsolete"
		}
		return a.db.Tx(ctx, func(tx *sql.Tx) error { return a.stop(ctx, tx, c.personID, reason) })
	}
	if !c.subscribed || c.subAnswersAt != c.answersAt.Int64 {
		// Newly asked for outside OptIn, or answers saved again: what
		// matches now is where the alerts start from.
		return a.db.Tx(ctx, func(tx *sql.Tx) error {
			if ok, err := a.unchanged(ctx, tx, c); !ok || err != nil {
				return err
			}
			return a.startFrom(ctx, tx, c.personID, "", c.answersAt.Int64, current, now)
		})
	}
	told, err := known(ctx, a.db, a.db.SQL(), c.personID)
	if err != nil {
		return a.db.MapError(err)
	}
	news := slices.DeleteFunc(slices.Clone(current), func(s string) bool { return slices.Contains(told, s) })
	gone := slices.DeleteFunc(told, func(s string) bool { return slices.Contains(current, s) })
	if len(news) == 0 && len(gone) == 0 {
		return nil
	}
	return a.db.Tx(ctx, func(tx *sql.Tx) error {
		if ok, err := a.unchanged(ctx, tx, c); !ok || err != nil {
			return err
		}
		// A service that no longer matches is forgotten, to be told
		// again if it matches again.
		for _, slug := range gone {
			if _, err := tx.ExecContext(ctx, a.db.Rebind(`DELETE FROM support_alert_matches WHERE person_id = ? AND service_slug = ?`), c.personID, slug); err != nil {
				return a.db.MapError(err)
			}
		}
		if len(news) == 0 {
			return nil
		}
		key := "support_alert:" + strconv.FormatInt(c.personID, 10) + ":" + day
		var n int
		if err := tx.QueryRowContext(ctx, a.db.Rebind(`SELECT COUNT(*) FROM notifications WHERE event_key = ?`), key).Scan(&n); err != nil {
			return a.db.MapError(err)
		}
		if n > 0 {
			rep.Waiting++
			return nil
		}
		err := notify.Add(ctx, a.db, tx, now, notify.Event{
			Kind: notify.SupportAlert, Key: key, PersonID: c.personID, Lang: c.lang,
			Data: map[string]string{"services": strings.Join(news, " ")},
		})
		if err != nil {
			return err
		}
		rep.Alerts++
		return a.addKnown(ctx, tx, c.personID, news, now)
	})
}

// unchanged reports, within tx, whether c still asks for alerts on the
// same answers as when the run read it: a person who turned alerts off or
// saved new answers meanwhile is left to the next run.
func (a *Alerts) unchanged(ctx context.Context, tx *sql.Tx, c candidate) (bool, error) {
	var on bool
	var answersAt int64
	err := tx.QueryRowContext(ctx, a.db.Rebind(`SELECT ns.support_alerts, a.updated_at FROM notification_settings ns
		JOIN support_saved_answers a ON a.person_id = ns.person_id WHERE ns.person_id = ?`+a.db.ForUpdate()), c.personID).Scan(&on, &answersAt)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, a.db.MapError(err)
	}
	return on && answersAt == c.answersAt.Int64, nil
}
