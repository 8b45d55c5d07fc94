package portal

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"sportello/catalogue"
	"sportello/catalogue/sqlstore"
)

// savedAnswerStore keeps the support finder answers that signed-in
// residents chose to save, in the support_saved_answers table of the shared
// database (migration 00400). It is the only place the answers are written
// beyond the session.
type savedAnswerStore struct {
	db                  *sqlstore.DB
	qGet, qPut, qDelete string
}

// savedAnswer is one person's saved answers, as JSON.
type savedAnswer struct {
	Answers     string
	ConsentedAt time.Time
}

// savedAnswers returns the store over the catalogue's database, or nil when
// the catalogue is not kept in SQL (then saving is not offered at all).
func (s *Server) savedAnswers() *savedAnswerStore {
	db, ok := s.store.(*sqlstore.DB)
	if !ok {
		return nil
	}
	return &savedAnswerStore{
		db:   db,
		qGet: db.Rebind(`SELECT answers, consented_at FROM support_saved_answers WHERE person_id = ?`),
		qPut: db.Rebind(`INSERT INTO support_saved_answers (person_id, answers, consented_at, updated_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (person_id) DO UPDATE SET answers = excluded.answers, consented_at = excluded.consented_at, updated_at = excluded.updated_at`),
		qDelete: db.Rebind(`DELETE FROM support_saved_answers WHERE person_id = ?`),
	}
}

// get returns personID's saved answers, or catalogue.ErrNotFound.
func (st *savedAnswerStore) get(ctx context.Context, personID int64) (savedAnswer, error) {
	var a savedAnswer
	var consented int64
	err := st.db.SQL().QueryRowContext(ctx, st.qGet, personID).Scan(&a.Answers, &consented)
	if errors.Is(err, sql.ErrNoRows) {
		return savedAnswer{}, catalogue.ErrNotFound
	}
	if err != nil {
		return savedAnswer{}, fmt.Errorf("portal: reading saved support answers: %w", err)
	}
	a.ConsentedAt = time.Unix(consented, 0)
	return a, nil
}

// put saves answers (JSON) for personID, who consented at now, replacing
// what was saved before.
func (st *savedAnswerStore) put(ctx context.Context, personID int64, answers string, now time.Time) error {
	if answers == "" {
		return errors.New("portal: no support answers to save")
	}
	if _, err := st.db.SQL().ExecContext(ctx, st.qPut, personID, answers, now.Unix(), now.Unix()); err != nil {
		return fmt.Errorf("portal: saving support answers: %w", st.db.MapError(err))
	}
	return nil
}

// delete removes personID's saved answers; deleting nothing is no error.
func (st *savedAnswerStore) delete(ctx context.Context, personID int64) error {
	if _, err := st.db.SQL().ExecContext(ctx, st.qDelete, personID); err != nil {
		return fmt.Errorf("portal: deleting saved support answers: %w", err)
	}
	return nil
}

func isNotFound(err error) bool { return errors.Is(err, catalogue.ErrNotFound) }
