package applications

import "context"

// SweepExpired removes the forms in progress untouched for PendingTTL, with
// the files kept for them, and returns how many went. The binary runs it as
// a background job, once across the instances (package jobs); saving a form
// also sweeps now and then.
func (s *Store) SweepExpired(ctx context.Context) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	return s.sweepPending()
}
