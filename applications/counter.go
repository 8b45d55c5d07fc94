package applications

import (
	"context"
	"database/sql"
	"slices"
)

// Applications sent at the counter (SubmitInput.Counter) belong to a
// resident recorded there (package assist) until they sign in.

// Adopt gives applications made at the counter without a sign-in to
// personID within tx, when the resident signs in with a verified
// identifier the counter recorded (package assist). An application already
// someone's is left alone. It returns the ids adopted.
func (s *Store) Adopt(ctx context.Context, tx *sql.Tx, applicationIDs []int64, personID int64) ([]int64, error) {
	var out []int64
	for _, id := range applicationIDs {
		res, err := tx.ExecContext(ctx, s.q(`UPDATE applications SET person_id = ? WHERE id = ? AND person_id IS NULL`), personID, id)
		if err != nil {
			return nil, s.db.MapError(err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return nil, err
		} else if n == 1 {
			out = append(out, id)
		}
	}
	return out, nil
}

// Applications returns the applications of ids, newest first, for the
// counter's list of what was sent for a resident. The caller decides who
// may see them; nothing is written to the audit log (the counter keeps its
// own, package assist).
func (s *Store) Applications(ctx context.Context, ids []int64) ([]*Application, error) {
	out := make([]*Application, 0, len(ids))
	for _, id := range ids {
		app, err := s.load(ctx, s.db.SQL(), qApplicationByID, id)
		if err != nil {
			return nil, err
		}
		out = append(out, app)
	}
	slices.SortStableFunc(out, func(a, b *Application) int { return b.CreatedAt.Compare(a.CreatedAt) })
	return out, nil
}
