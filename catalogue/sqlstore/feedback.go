package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// FeedbackScore counts the answers to "Was this page useful?" for a service.
type FeedbackScore struct {
	Slug              string
	Useful, NotUseful int64
}

// FeedbackComment is a comment left with an answer. Nothing about who left
// it is kept.
type FeedbackComment struct {
	ID      int64
	Slug    string
	Useful  bool
	Lang    string
	Comment string
	At      time.Time
}

// AddFeedback counts one answer for a service and keeps its comment, if
// any, in one transaction.
func (db *DB) AddFeedback(ctx context.Context, slug string, useful bool, lang, comment string, at time.Time) error {
	yes, no := 0, 1
	if useful {
		yes, no = 1, 0
	}
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, db.Rebind(qAddFeedbackScore), slug, yes, no); err != nil {
			return db.MapError(err)
		}
		if comment == "" {
			return nil
		}
		_, err := tx.ExecContext(ctx, db.Rebind(qAddFeedbackComment), randomID(), slug, useful, lang, comment, at.Unix())
		return db.MapError(err)
	})
	if err != nil {
		return fmt.Errorf("sqlstore: adding page feedback for %q: %w", slug, err)
	}
	return nil
}

// FeedbackScores returns the counts of every service that has any.
func (db *DB) FeedbackScores(ctx context.Context) ([]FeedbackScore, error) {
	rows, err := db.sql.QueryContext(ctx, db.Rebind(qFeedbackScores))
	if err != nil {
		return nil, fmt.Errorf("sqlstore: page feedback: %w", db.MapError(err))
	}
	defer rows.Close()
	var out []FeedbackScore
	for rows.Next() {
		var s FeedbackScore
		if err := rows.Scan(&s.Slug, &s.Useful, &s.NotUseful); err != nil {
			return nil, fmt.Errorf("sqlstore: page feedback: %w", db.MapError(err))
		}
		out = append(out, s)
	}
	return out, db.MapError(rows.Err())
}

// FeedbackComments returns the newest comments, of one service unless slug
// is "", at most limit.
func (db *DB) FeedbackComments(ctx context.Context, slug string, limit int) ([]FeedbackComment, error) {
	rows, err := db.sql.QueryContext(ctx, db.Rebind(qFeedbackComments), slug, slug, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: page feedback comments: %w", db.MapError(err))
	}
	defer rows.Close()
	var out []FeedbackComment
	for rows.Next() {
		var c FeedbackComment
		var at int64
		if err := rows.Scan(&c.ID, &c.Slug, &c.Useful, &c.Lang, &c.Comment, &at); err != nil {
			return nil, fmt.Errorf("sqlstore: page feedback comments: %w", db.MapError(err))
		}
		c.At = time.Unix(at, 0).UTC()
		out = append(out, c)
	}
	return out, db.MapError(rows.Err())
}
