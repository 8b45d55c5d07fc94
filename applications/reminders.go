package applications

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"sportello/catalogue"
	"sportello/notify"
	"sportello/store"
)

// The reminders that depend on time rather than on a change: a permit or
// licence about to end (RemindRenewals), a saved draft about to be deleted
// (RemindExpiringDrafts). Each run adds what is due now; a key made of what
// the reminder is about and the date it names makes a second run, or a run
// on another instance, add nothing more, and a reminder missed while the
// server was down is added by the next run as long as it is still of use.

// qRenewalsDue finds the approved applications of a service approved within
// a window, and so ending within the service's reminder period. One the
// same person (or, made without signing in, the same address) has applied
// for again since is being renewed already: it is left out.
const qRenewalsDue = `SELECT a.reference, a.person_id, a.contact_email, a.lang, e.at
	FROM applications a JOIN application_events e ON e.application_id = a.id AND e.to_status = 'approved'
	WHERE a.service_slug = ? AND a.status IN ('approved', 'paid') AND e.at >= ? AND e.at < ?
	AND NOT EXISTS (SELECT 1 FROM applications b WHERE b.service_slug = a.service_slug AND b.id <> a.id
		AND b.created_at > e.at AND b.status NOT IN ('withdrawn', 'rejected')
		AND (b.person_id = a.person_id OR (a.person_id IS NULL AND a.contact_email <> '' AND b.contact_email = a.contact_email)))
	ORDER BY e.at, a.id`

// RemindRenewals adds a RenewalDue notification for each approved
// application of a service in renewals (by slug) whose end, the day it was
// approved plus ValidForDays, is between today and RemindDaysBefore days
// from today, in the authority's time zone. Its key is
// "renewal:<ref>:<ends>", so each end is told once. It returns how many
// applications were due (told now or before).
func (s *Store) RemindRenewals(ctx context.Context, renewals map[string]catalogue.Renewal) (int, error) {
	now := s.now()
	today := midnight(now.In(s.loc))
	total := 0
	for slug, r := range renewals {
		if r.ValidForDays < 1 || r.RemindDaysBefore < 1 {
			continue // the catalogue's validation refuses it
		}
		// Approved on day d, it ends on d + ValidForDays: due when that is
		// from today to today + RemindDaysBefore.
		from := today.AddDate(0, 0, -r.ValidForDays)
		until := from.AddDate(0, 0, r.RemindDaysBefore+1)
		n, err := s.remindRenewals(ctx, now, slug, r, from, until)
		total += n
		if err != nil {
			return total, fmt.Errorf("applications: reminding the renewals of %s: %w", slug, err)
		}
	}
	return total, nil
}

func (s *Store) remindRenewals(ctx context.Context, now time.Time, slug string, r catalogue.Renewal, from, until time.Time) (int, error) {
	n := 0
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, s.q(qRenewalsDue), slug, from.UTC(), until.UTC())
		if err != nil {
			return s.db.MapError(err)
		}
		type due struct {
			a        audience
			approved time.Time
		}
		var all []due
		for rows.Next() {
			d := due{a: audience{service: slug}}
			var person sql.NullInt64
			if err := rows.Scan(&d.a.ref, &person, &d.a.email, &d.a.lang, &d.approved); err != nil {
				rows.Close()
				return err
			}
			d.a.personID = person.Int64
			all = append(all, d)
		}
		if err := closeRows(rows); err != nil {
			return s.db.MapError(err)
		}
		for _, d := range all {
			ends := midnight(d.approved.In(s.loc)).AddDate(0, 0, r.ValidForDays).Format(time.DateOnly)
			if err := s.tell(ctx, tx, now, d.a, notify.RenewalDue, "renewal:"+d.a.ref+":"+ends, map[string]string{"ends": ends}); err != nil {
				return err
			}
		}
		n = len(all)
		return nil
	})
	return n, err
}

const (
	qDraftsExpiring = `SELECT person_id, service_slug, updated_at, lang FROM application_drafts
	WHERE updated_at >= ? AND updated_at < ? ORDER BY updated_at, person_id, service_slug`
	qDeleteExpiredDrafts = `DELETE FROM application_drafts WHERE updated_at < ?`
)

// RemindExpiringDrafts adds a FormExpiring notification for each saved
// draft that the sweep will delete within DraftReminder, of a service that
// published reports still there (nil: every service), keyed
// "form_expiring:<person>:<service>:<saved at, Unix ms>": once per version
// of the draft, so saving it again (which keeps it DraftTTL more) earns a
// new reminder before its new end. Forms in progress of people not signed
// in have no address and last a day: they get none. It returns how many
// drafts were due (told now or before).
func (s *Store) RemindExpiringDrafts(ctx context.Context, published func(slug string) bool) (int, error) {
	now := s.clock(time.Time{})
	n := 0
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		type draft struct {
			person     int64
			slug, lang string
			updated    time.Time
		}
		all, err := store.Query(ctx, tx, s.q(qDraftsExpiring), func(sc store.Scanner) (draft, error) {
			var d draft
			err := sc.Scan(&d.person, &d.slug, &d.updated, &d.lang)
			return d, err
		}, now.Add(-DraftTTL), now.Add(-DraftTTL+DraftReminder))
		if err != nil {
			return s.db.MapError(err)
		}
		for _, d := range all {
			if published != nil && !published(d.slug) {
				continue // the service left the catalogue: nothing to come back to
			}
			expires := d.updated.Add(DraftTTL).In(s.loc).Format(time.DateOnly)
			key := "form_expiring:" + strconv.FormatInt(d.person, 10) + ":" + d.slug + ":" + strconv.FormatInt(d.updated.UnixMilli(), 10)
			err := notify.Add(ctx, s.db, tx, now, notify.Event{Kind: notify.FormExpiring, Key: key, PersonID: d.person, Lang: d.lang,
				Data: map[string]string{"service": d.slug, "expires": expires}})
			if err != nil {
				return err
			}
			n++
		}
		return nil
	})
	if err != nil {
		return n, fmt.Errorf("applications: reminding of drafts about to be deleted: %w", err)
	}
	return n, nil
}

// sweepDrafts deletes the drafts saved DraftTTL ago or longer.
func (s *Store) sweepDrafts(ctx context.Context) (int, error) {
	res, err := s.db.SQL().ExecContext(ctx, s.q(qDeleteExpiredDrafts), s.clock(time.Time{}).Add(-DraftTTL))
	if err != nil {
		return 0, fmt.Errorf("applications: deleting expired drafts: %w", s.db.MapError(err))
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, errors.Join(errors.New("applications: counting the expired drafts deleted"), err)
	}
	if n > 0 {
		s.log.InfoContext(ctx, "expired drafts deleted", "drafts", n)
	}
	return int(n), nil
}

// midnight is the start of t's day in t's location.
func midnight(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location())
}
