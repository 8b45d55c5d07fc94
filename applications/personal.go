package applications

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"sportello/applications/forms"
	"sportello/store"
)

// What this area holds about a person, for their "Your data" page (GDPR
// articles 15 and 20), and what deleting their account does to it.

// PersonalData is everything the applications area keeps of one person.
type PersonalData struct {
	// Applications are theirs, newest first, with answers, history and
	// files (metadata: Open reads a file's content).
	Applications []Application
	// Drafts are their saved unfinished forms, most recently saved first.
	Drafts []Draft
	// InProgress are the forms they started and have not sent, while
	// kept (PendingTTL after their last change), with their kept uploads.
	InProgress []PendingForm
}

const (
	qApplicationIDsOfPerson = `SELECT id FROM applications WHERE person_id = ? ORDER BY created_at DESC, id`
	qPendingOfPerson        = `SELECT token_hash, slug, record, updated_at FROM pending_forms
	WHERE person_id = ? AND updated_at > ? ORDER BY updated_at DESC`
)

// PersonalData returns what the area keeps of personID, read in one
// snapshot.
func (s *Store) PersonalData(ctx context.Context, personID int64) (PersonalData, error) {
	var out PersonalData
	err := s.db.ReadTx(ctx, func(tx *sql.Tx) error {
		ids, err := store.Query(ctx, tx, s.q(qApplicationIDsOfPerson), func(sc store.Scanner) (int64, error) {
			var id int64
			return id, sc.Scan(&id)
		}, personID)
		if err != nil {
			return err
		}
		for _, id := range ids {
			a, err := s.load(ctx, tx, qApplicationByID, id)
			if err != nil {
				return err
			}
			out.Applications = append(out.Applications, *a)
		}
		rows, err := tx.QueryContext(ctx, s.q(qDrafts), personID)
		if err != nil {
			return err
		}
		for rows.Next() {
			d, err := scanDraft(rows, s)
			if err != nil {
				rows.Close()
				return err
			}
			out.Drafts = append(out.Drafts, *d)
		}
		if err := closeRows(rows); err != nil {
			return err
		}
		out.InProgress, err = s.pendingOfPerson(ctx, tx, personID)
		return err
	})
	if err != nil {
		return PersonalData{}, fmt.Errorf("applications: reading the data of a person: %w", s.db.MapError(err))
	}
	return out, nil
}

// pendingOfPerson returns personID's forms in progress not sent yet and
// not expired, with their kept files.
func (s *Store) pendingOfPerson(ctx context.Context, tx *sql.Tx, personID int64) ([]PendingForm, error) {
	type row struct {
		key, slug, record string
		updated           time.Time
	}
	rows, err := store.Query(ctx, tx, s.q(qPendingOfPerson), func(sc store.Scanner) (row, error) {
		var r row
		return r, sc.Scan(&r.key, &r.slug, &r.record, &r.updated)
	}, personID, s.clock(time.Time{}).Add(-PendingTTL))
	if err != nil {
		return nil, err
	}
	var out []PendingForm
	for _, r := range rows {
		var rec pendingRecord
		if err := json.Unmarshal([]byte(r.record), &rec); err != nil {
			return nil, fmt.Errorf("form in progress %s is damaged: %w", r.key, err)
		}
		if rec.Reference != "" {
			continue // sent: it is one of the applications
		}
		f := PendingForm{Slug: r.slug, PersonID: personID, Values: rec.Values, Contact: rec.Contact, UpdatedAt: r.updated.UTC()}
		f.Files, err = store.Query(ctx, tx, s.q(qPendingFiles), func(sc store.Scanner) (PendingFile, error) {
			var k PendingFile
			return k, sc.Scan(&k.Storage, &k.Field, &k.Filename, &k.Size)
		}, r.key)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

// ErasePerson is the applications area's part in deleting personID's
// account (accounts.Eraser), within tx. Their drafts and forms in
// progress, with the uploads kept for them, are deleted. Their
// applications are not: the council must keep them, with their answers,
// files and payments, for their service's retention period. They are cut
// from the account instead (no person, in the application, its submission
// token and the applicant's own steps in its history), so that the person
// who signs in again starts afresh; the application's own contact details
// stay part of it, and news of one still open goes to its contact address
// as for an application made without signing in.
func (s *Store) ErasePerson(ctx context.Context, tx *sql.Tx, personID int64) error {
	keys, err := store.Query(ctx, tx, s.q(`SELECT token_hash FROM pending_forms WHERE person_id = ?`+s.db.ForUpdate()), scanString, personID)
	if err != nil {
		return s.db.MapError(err)
	}
	if len(keys) > 0 {
		args := make([]any, len(keys))
		for i, k := range keys {
			args[i] = k
		}
		in := placeholders(len(keys))
		files, err := store.Query(ctx, tx, s.q(qFilesOfForms+in), scanString, args...)
		if err != nil {
			return s.db.MapError(err)
		}
		if err := s.blobs.Delete(ctx, tx, files); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.q(qDeleteForms+in), args...); err != nil {
			return s.db.MapError(err)
		}
	}
	for _, q := range []string{
		`DELETE FROM application_drafts WHERE person_id = ?`,
		`UPDATE applications SET person_id = NULL WHERE person_id = ?`,
		`UPDATE submission_tokens SET person_id = NULL WHERE person_id = ?`,
		`UPDATE application_events SET actor_person_id = NULL WHERE actor_person_id = ? AND actor_role = '` + RoleApplicant + `'`,
	} {
		if _, err := tx.ExecContext(ctx, s.q(q), personID); err != nil {
			return fmt.Errorf("applications: erasing a person: %w", s.db.MapError(err))
		}
	}
	return nil
}

// Offers are what personID already answered in their applications, for
// the next form to offer (forms.Fill): for each meaning, the answer of
// their newest application that has one, with its reference. Only the
// latest applications are read: a value older than those is not worth
// offering.
func (s *Store) Offers(ctx context.Context, personID int64) ([]forms.Offer, error) {
	if personID == 0 {
		return nil, nil
	}
	type row struct {
		ref, answers string
		created      time.Time
	}
	rows, err := store.Query(ctx, s.db.SQL(), s.q(`SELECT reference, answers, created_at FROM applications
		WHERE person_id = ? ORDER BY created_at DESC, id LIMIT 20`), func(sc store.Scanner) (row, error) {
		var r row
		return r, sc.Scan(&r.ref, &r.answers, &r.created)
	}, personID)
	if err != nil {
		return nil, fmt.Errorf("applications: reading what a person answered: %w", s.db.MapError(err))
	}
	var out []forms.Offer
	seen := map[forms.Meaning]bool{}
	for _, r := range rows {
		var answers forms.Answers
		if err := json.Unmarshal([]byte(r.answers), &answers); err != nil {
			continue // an application whose answers cannot be read offers nothing
		}
		for _, o := range forms.OffersOf(answers, forms.Source{Kind: forms.SourceApplication, Reference: r.ref, At: r.created.UTC()}) {
			if !seen[o.Meaning] {
				seen[o.Meaning] = true
				out = append(out, o)
			}
		}
	}
	return out, nil
}
