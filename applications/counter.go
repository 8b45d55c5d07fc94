package applications

import (
	"context"
	"database/sql"
	"strings"
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

// Summaries returns the applications of ids, newest first, for the
// counter's list of what was sent for a resident. The caller decides who
// may see them.
func (s *Store) Summaries(ctx context.Context, ids []int64) ([]Summary, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := s.db.SQL().QueryContext(ctx, s.q(`SELECT `+summaryColumns+` FROM applications WHERE id IN (`+
		strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", ")+`) ORDER BY created_at DESC, id`), args...)
	if err != nil {
		return nil, s.db.MapError(err)
	}
	return s.scanSummaries(ctx, rows)
}
