package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"sportello/editorial"
	"sportello/store"
)

// AddFeedback counts one answer for a service and keeps its comment, if
// any, in one transaction.
func (st *Store) AddFeedback(ctx context.Context, slug string, useful bool, lang, comment string, at time.Time) error {
	yes, no := 0, 1
	if useful {
		yes, no = 1, 0
	}
	err := st.db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, st.db.Rebind(qAddFeedbackScore), slug, yes, no); err != nil {
			return st.db.MapError(err)
		}
		if comment == "" {
			return nil
		}
		_, err := tx.ExecContext(ctx, st.db.Rebind(qAddFeedbackComment), randomID(), slug, useful, lang, comment, at.Unix())
		return st.db.MapError(err)
	})
	if err != nil {
		return fmt.Errorf("sqlstore: adding page feedback for %q: %w", slug, err)
	}
	return nil
}

// FeedbackScores returns the counts of every service that has any.
func (st *Store) FeedbackScores(ctx context.Context) ([]editorial.FeedbackScore, error) {
	out, err := store.Query(ctx, st.db.SQL(), st.db.Rebind(qFeedbackScores), func(r store.Scanner) (editorial.FeedbackScore, error) {
		var s editorial.FeedbackScore
		err := r.Scan(&s.Slug, &s.Useful, &s.NotUseful)
		return s, err
	})
	if err != nil {
		return nil, fmt.Errorf("sqlstore: page feedback: %w", st.db.MapError(err))
	}
	return out, nil
}

// FeedbackComments returns the newest comments, of one service unless slug
// is "", at most limit.
func (st *Store) FeedbackComments(ctx context.Context, slug string, limit int) ([]editorial.FeedbackComment, error) {
	out, err := store.Query(ctx, st.db.SQL(), st.db.Rebind(qFeedbackComments), func(r store.Scanner) (editorial.FeedbackComment, error) {
		var c editorial.FeedbackComment
		var at int64
		err := r.Scan(&c.ID, &c.Slug, &c.Useful, &c.Lang, &c.Comment, &at)
		c.At = time.Unix(at, 0).UTC()
		return c, err
	}, slug, slug, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: page feedback comments: %w", st.db.MapError(err))
	}
	return out, nil
}
