package editorial

import (
	"context"
	"time"
)

// Feedback is the answers to "Was this page useful?" on service pages.
type Feedback interface {
	// AddFeedback counts one answer for a service and keeps its comment,
	// if any, in one transaction.
	AddFeedback(ctx context.Context, slug string, useful bool, lang, comment string, at time.Time) error
	// FeedbackScores returns the counts of every service that has any.
	FeedbackScores(ctx context.Context) ([]FeedbackScore, error)
	// FeedbackComments returns the newest comments, of one service unless
	// slug is "", at most limit.
	FeedbackComments(ctx context.Context, slug string, limit int) ([]FeedbackComment, error)
}

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
