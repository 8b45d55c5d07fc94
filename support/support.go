// Package support keeps the support finder's answers that signed-in
// residents chose to save (table support_saved_answers, migration 00400), so
// that their account can show the support they may be able to get. Nothing
// is written here without that explicit consent: until then the answers live
// only in the resident's session.
package support

import (
	"context"
	"errors"
	"fmt"
	"time"

	"sportello/store"
)

// Saved is one person's saved answers.
type Saved struct {
	Answers     string // JSON object: question name -> answer
	ConsentedAt time.Time
}

// Store keeps the saved answers, one set per person.
type Store interface {
	// Get returns personID's saved answers, or an error wrapping
	// store.ErrNotFound (catalogue.ErrNotFound) when there are none.
	Get(ctx context.Context, personID int64) (Saved, error)
	// Put saves answers (JSON) for personID, who consented at now,
	// replacing what was saved before.
	Put(ctx context.Context, personID int64, answers string, now time.Time) error
	// Delete removes personID's saved answers; deleting nothing is no
	// error. They also go when the person is deleted.
	Delete(ctx context.Context, personID int64) error
}

// SQLStore is Store in the Sportello database.
type SQLStore struct {
	db                  *store.DB
	qGet, qPut, qDelete string
}

var _ Store = (*SQLStore)(nil)

// NewSQLStore returns the store over db.
func NewSQLStore(db *store.DB) *SQLStore {
	return &SQLStore{
		db:   db,
		qGet: db.Rebind(`SELECT answers, consented_at FROM support_saved_answers WHERE person_id = ?`),
		qPut: db.Rebind(`INSERT INTO support_saved_answers (person_id, answers, consented_at, updated_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (person_id) DO UPDATE SET answers = excluded.answers, consented_at = excluded.consented_at, updated_at = excluded.updated_at`),
		qDelete: db.Rebind(`DELETE FROM support_saved_answers WHERE person_id = ?`),
	}
}

// Get implements Store.
func (st *SQLStore) Get(ctx context.Context, personID int64) (Saved, error) {
	var a Saved
	var consented int64
	if err := st.db.SQL().QueryRowContext(ctx, st.qGet, personID).Scan(&a.Answers, &consented); err != nil {
		return Saved{}, fmt.Errorf("support: reading saved answers: %w", st.db.MapError(err))
	}
	a.ConsentedAt = time.Unix(consented, 0)
	return a, nil
}

// Put implements Store.
func (st *SQLStore) Put(ctx context.Context, personID int64, answers string, now time.Time) error {
	if answers == "" {
		return errors.New("support: no answers to save")
	}
	if _, err := st.db.SQL().ExecContext(ctx, st.qPut, personID, answers, now.Unix(), now.Unix()); err != nil {
		return fmt.Errorf("support: saving answers: %w", st.db.MapError(err))
	}
	return nil
}

// Delete implements Store.
func (st *SQLStore) Delete(ctx context.Context, personID int64) error {
	if _, err := st.db.SQL().ExecContext(ctx, st.qDelete, personID); err != nil {
		return fmt.Errorf("support: deleting saved answers: %w", st.db.MapError(err))
	}
	return nil
}
