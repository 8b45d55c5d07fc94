package applications

import (
	"context"
	"fmt"
	"strings"

	"sportello/applications/forms"
)

// WithdrawFor is Withdraw by someone acting for the applicant (a member of
// the organisation it was made for, or a representative), whom the caller
// has authorised: the history records by as who withdrew it. by equal to
// applicant is Withdraw.
func (s *Store) WithdrawFor(ctx context.Context, applicant, by int64, ref Reference, reason string) error {
	if applicant == 0 || by == 0 {
		return ErrNotFound
	}
	return s.change(ctx, change{ref: ref, actor: Actor{PersonID: by, Role: RoleApplicant}, applicant: true, owner: applicant,
		to: StatusWithdrawn, note: reason})
}

// RespondFor is Respond by someone acting for the applicant, whom the
// caller has authorised: the history records by as who answered.
func (s *Store) RespondFor(ctx context.Context, applicant, by int64, ref Reference, message string, files []forms.AcceptedFile) error {
	if applicant == 0 || by == 0 {
		return ErrNotFound
	}
	message = strings.TrimSpace(message)
	if message == "" && len(files) == 0 {
		return fmt.Errorf("%w: write an answer or attach a file", ErrInvalid)
	}
	return s.change(ctx, change{ref: ref, actor: Actor{PersonID: by, Role: RoleApplicant}, applicant: true, owner: applicant,
		to: StatusInReview, note: message, files: files})
}
