// Package supportalerts tells residents, with their consent, about support
// they may now be able to get: when a published service's eligibility rule
// newly matches the support-finder answers they saved (a new service, or a
// changed rule), they get one email listing what newly matches, at most
// one a day.
//
// Privacy is the design. The answers stay where the support finder saved
// them (accounts' support_saved_answers) and are read only here, by Run
// and by OptIn, to evaluate the catalogue's published eligibility rules —
// the same rules for everyone, evaluated as the support finder evaluates
// them (eligibility.Rules.Replay, then Evaluate). Nothing derived from the
// answers leaves the database but the slugs of the services in the
// notification. What is kept for the alerts is when the person asked and
// the services already matched (support_alert_subscriptions,
// support_alert_matches); it is deleted when they turn alerts off, when
// they delete their answers (Forget, and Answers for the finder's own
// Delete), and with the person.
//
// Consent is notify.Settings.SupportAlerts, and the mail's one-click
// unsubscribe (SupportAlert among the kinds turned off) withdraws it: an
// alert goes only when notify.Settings.AlertsOn, and Run turns off the
// alerts of whoever unsubscribed, so the two are one choice.
package supportalerts

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"sportello/accounts"
	"sportello/catalogue"
	"sportello/catalogue/eligibility"
	"sportello/notify"
	"sportello/store"
)

// ErrNoAnswers: alerts need saved support-finder answers.
var ErrNoAnswers = errors.New("supportalerts: no saved support-finder answers")

// Alerts keeps the alerts' data and runs the matching.
type Alerts struct {
	db  *store.DB
	cat catalogue.Store
	loc *time.Location
	now func() time.Time

	mu      sync.Mutex
	version int64
	rules   *eligibility.Rules
}

// Options configure Alerts.
type Options struct {
	// Location is the council's time zone: "at most one a day" counts its
	// days. Default UTC.
	Location *time.Location
	// Now is the clock; default time.Now.
	Now func() time.Time
}

// New returns the alerts on db, matching the published catalogue of cat.
func New(db *store.DB, cat catalogue.Store, opts Options) *Alerts {
	if opts.Location == nil {
		opts.Location = time.UTC
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Alerts{db: db, cat: cat, loc: opts.Location, now: opts.Now}
}

// compiled returns the published catalogue's rules, compiled again when
// its version changed; nil when nothing was ever imported.
func (a *Alerts) compiled(ctx context.Context) (*eligibility.Rules, error) {
	v, err := a.cat.Version(ctx)
	if err != nil {
		return nil, fmt.Errorf("supportalerts: reading the catalogue version: %w", err)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.rules != nil && a.version == v {
		return a.rules, nil
	}
	c, err := eligibility.Load(ctx, a.cat)
	if errors.Is(err, catalogue.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("supportalerts: reading the published catalogue: %w", err)
	}
	r, err := eligibility.Compile(c)
	if err != nil {
		return nil, fmt.Errorf("supportalerts: compiling the eligibility rules: %w", err)
	}
	a.version, a.rules = v, r
	return r, nil
}

// matching returns the slugs of the published services whose rule is true
// for the saved answers, sorted: what the support finder would list.
func matching(r *eligibility.Rules, answers string) []string {
	if r == nil {
		return nil
	}
	reached, _, _ := r.Replay(r.DecodeAnswers(answers))
	var out []string
	for _, m := range r.Evaluate(reached) {
		out = append(out, m.Slug)
	}
	slices.Sort(out)
	return out
}

// Status is what the account page shows of a person's alerts.
type Status struct {
	// On: they asked for alerts and have not turned them off since.
	On         bool
	OptedInAt  time.Time // zero when off
	HasAnswers bool
	// AnswersSavedAt is when they last saved their answers (seconds).
	AnswersSavedAt time.Time
	// Known are the services already matched (at opt-in) or told, by slug.
	Known []string
}

// Status returns personID's alerts.
func (a *Alerts) Status(ctx context.Context, personID int64) (Status, error) {
	var s Status
	err := a.db.ReadTx(ctx, func(tx *sql.Tx) error {
		var saved int64
		err := tx.QueryRowContext(ctx, a.db.Rebind(`SELECT updated_at FROM support_saved_answers WHERE person_id = ?`), personID).Scan(&saved)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if s.HasAnswers = err == nil; s.HasAnswers {
			s.AnswersSavedAt = time.Unix(saved, 0)
		}
		var on bool
		var off string
		err = tx.QueryRowContext(ctx, a.db.Rebind(`SELECT support_alerts, off_kinds FROM notification_settings WHERE person_id = ?`), personID).Scan(&on, &off)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		s.On = s.HasAnswers && settingsOf(on, off).AlertsOn()
		var optedIn int64
		err = tx.QueryRowContext(ctx, a.db.Rebind(`SELECT opted_in_at FROM support_alert_subscriptions WHERE person_id = ?`), personID).Scan(&optedIn)
		if errors.Is(err, sql.ErrNoRows) {
			return nil // on since the last run at most: Run records the rest
		}
		if err != nil {
			return err
		}
		if s.On {
			s.OptedInAt = time.UnixMilli(optedIn)
		}
		s.Known, err = known(ctx, a.db, tx, personID)
		return err
	})
	if err != nil {
		return Status{}, fmt.Errorf("supportalerts: reading the status of a person: %w", a.db.MapError(err))
	}
	return s, nil
}

// settingsOf is the part of notify.Settings the alerts read, from the
// columns of notification_settings.
func settingsOf(on bool, off string) notify.Settings {
	st := notify.Settings{SupportAlerts: on}
	for _, k := range strings.Fields(off) {
		st.Off = append(st.Off, notify.Kind(k))
	}
	return st
}

// known returns the services already matched for personID, by slug.
func known(ctx context.Context, db *store.DB, q store.Querier, personID int64) ([]string, error) {
	return store.Query(ctx, q, db.Rebind(`SELECT service_slug FROM support_alert_matches WHERE person_id = ? ORDER BY service_slug`),
		func(row store.Scanner) (string, error) {
			var s string
			return s, row.Scan(&s)
		}, personID)
}

// OptIn turns personID's alerts on, lang being the language they asked
// in. The services their answers match now are recorded as known, so that
// the first alert is about what is new: they see today's matches on their
// account page already. ErrNoAnswers without saved answers.
func (a *Alerts) OptIn(ctx context.Context, personID int64, lang string) error {
	rules, err := a.compiled(ctx)
	if err != nil {
		return err
	}
	now := a.now()
	err = a.db.Tx(ctx, func(tx *sql.Tx) error {
		var answers string
		var answersAt int64
		err := tx.QueryRowContext(ctx, a.db.Rebind(`SELECT answers, updated_at FROM support_saved_answers WHERE person_id = ?`+a.db.ForUpdate()), personID).
			Scan(&answers, &answersAt)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNoAnswers
		}
		if err != nil {
			return a.db.MapError(err)
		}
		if err := notify.SetSupportAlerts(ctx, a.db, tx, personID, true, now); err != nil {
			return err
		}
		return a.startFrom(ctx, tx, personID, lang, answersAt, matching(rules, answers), now)
	})
	if err != nil && !errors.Is(err, ErrNoAnswers) {
		return fmt.Errorf("supportalerts: opting in: %w", err)
	}
	return err
}

// startFrom records, within tx, that personID's alerts start from the
// answers saved at answersAt, which match the services current: those are
// known, whatever was known before. An existing opt-in keeps its date and
// language unless lang is given.
func (a *Alerts) startFrom(ctx context.Context, tx *sql.Tx, personID int64, lang string, answersAt int64, current []string, now time.Time) error {
	_, err := tx.ExecContext(ctx, a.db.Rebind(`INSERT INTO support_alert_subscriptions (person_id, opted_in_at, lang, answers_at)
		VALUES (?, ?, ?, ?) ON CONFLICT (person_id) DO UPDATE SET answers_at = excluded.answers_at,
		lang = CASE WHEN excluded.lang <> '' THEN excluded.lang ELSE support_alert_subscriptions.lang END`),
		personID, now.UnixMilli(), lang, answersAt)
	if err != nil {
		return a.db.MapError(err)
	}
	if _, err := tx.ExecContext(ctx, a.db.Rebind(`DELETE FROM support_alert_matches WHERE person_id = ?`), personID); err != nil {
		return a.db.MapError(err)
	}
	return a.addKnown(ctx, tx, personID, current, now)
}

func (a *Alerts) addKnown(ctx context.Context, tx *sql.Tx, personID int64, slugs []string, now time.Time) error {
	for _, slug := range slugs {
		if _, err := tx.ExecContext(ctx, a.db.Rebind(`INSERT INTO support_alert_matches (person_id, service_slug, since)
			VALUES (?, ?, ?) ON CONFLICT (person_id, service_slug) DO NOTHING`), personID, slug, now.UnixMilli()); err != nil {
			return a.db.MapError(err)
		}
	}
	return nil
}

// OptOut turns personID's alerts off and deletes what was kept for them;
// an alert not sent yet is not sent. The saved answers stay.
func (a *Alerts) OptOut(ctx context.Context, personID int64) error {
	err := a.db.Tx(ctx, func(tx *sql.Tx) error { return a.stop(ctx, tx, personID, "turned_off") })
	if err != nil {
		return fmt.Errorf("supportalerts: opting out: %w", err)
	}
	return nil
}

// Forget deletes personID's saved answers and everything the alerts kept,
// and turns the alerts off, in one transaction.
func (a *Alerts) Forget(ctx context.Context, personID int64) error {
	err := a.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := a.stop(ctx, tx, personID, "obsolete"); err != nil {
			return err
		}
		return accounts.DeleteSavedAnswersIn(ctx, a.db, tx, personID)
	})
	if err != nil {
		return fmt.Errorf("supportalerts: deleting the saved answers: %w", err)
	}
	return nil
}

// stop turns personID's alerts off within tx: the setting, the
// subscription with its matches, and the alerts still in the outbox
// (skipped for reason).
func (a *Alerts) stop(ctx context.Context, tx *sql.Tx, personID int64, reason string) error {
	if err := notify.SetSupportAlerts(ctx, a.db, tx, personID, false, a.now()); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, a.db.Rebind(`DELETE FROM support_alert_subscriptions WHERE person_id = ?`), personID); err != nil {
		return a.db.MapError(err)
	}
	return notify.SkipPending(ctx, a.db, tx, personID, notify.SupportAlert, reason)
}

// Answers returns saved with its Delete widened to Forget: deleting the
// saved answers turns the alerts off and deletes their matches in the same
// transaction. The finder's account page deletes through it.
func (a *Alerts) Answers(saved accounts.Answers) accounts.Answers {
	return answersWithAlerts{Answers: saved, alerts: a}
}

type answersWithAlerts struct {
	accounts.Answers
	alerts *Alerts
}

func (w answersWithAlerts) DeleteSavedAnswers(ctx context.Context, personID int64) error {
	return w.alerts.Forget(ctx, personID)
}

// Explain returns the services among slugs that personID's saved answers
// match now, each with the facts that make it match (Match.Reason), for
// the words of the alert: "because you said you are 70". Answers deleted
// since give none (the alert has nothing left to say: notify.ErrObsolete).
func (a *Alerts) Explain(ctx context.Context, personID int64, slugs []string) ([]eligibility.Match, error) {
	rules, err := a.compiled(ctx)
	if err != nil || rules == nil {
		return nil, err
	}
	var answers string
	err = a.db.SQL().QueryRowContext(ctx, a.db.Rebind(`SELECT answers FROM support_saved_answers WHERE person_id = ?`), personID).Scan(&answers)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("supportalerts: reading the saved answers: %w", a.db.MapError(err))
	}
	reached, _, _ := rules.Replay(rules.DecodeAnswers(answers))
	var out []eligibility.Match
	for _, m := range rules.Evaluate(reached) {
		if slices.Contains(slugs, m.Slug) {
			out = append(out, m)
		}
	}
	return out, nil
}

// ErasePerson is the alerts' part in deleting personID's account
// (accounts.Eraser), within tx: when they asked for alerts and the
// services already matched. Their saved answers are accounts', their
// settings and mail notify's.
func (a *Alerts) ErasePerson(ctx context.Context, tx *sql.Tx, personID int64) error {
	for _, table := range []string{"support_alert_matches", "support_alert_subscriptions"} {
		if _, err := tx.ExecContext(ctx, a.db.Rebind(`DELETE FROM `+table+` WHERE person_id = ?`), personID); err != nil {
			return fmt.Errorf("supportalerts: erasing a person: %w", a.db.MapError(err))
		}
	}
	return nil
}
