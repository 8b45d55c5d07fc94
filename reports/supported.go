package reports

import (
	"context"
	"fmt"

	"sportello/store"
)

// Supporting lists the reports a person added theirs to, for "Your data".
type Supporting interface {
	// Supported returns the reports personID supports, newest first.
	Supported(ctx context.Context, personID int64) ([]Report, error)
}

var _ Supporting = (*DB)(nil)

// Supported returns the reports personID supports, newest first.
func (s *DB) Supported(ctx context.Context, personID int64) ([]Report, error) {
	list, err := store.Query(ctx, s.db.SQL(), s.db.Rebind(qSelect+
		` WHERE r.id IN (SELECT report_id FROM report_supporters WHERE person_id = ?) ORDER BY r.created_at DESC, r.id DESC`), scanReport, personID)
	if err != nil {
		return nil, fmt.Errorf("reports: reading the reports a person supports: %w", s.db.MapError(err))
	}
	return list, nil
}
