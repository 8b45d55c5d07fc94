package applications

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"sportello/applications/forms"
)

// ChangeStatus moves an application from status from to status to, for a
// member of staff or the system, recording an event with note, an audit
// entry and the applicant's notification (see notify.go) in the same
// transaction. from is the status the actor saw: when the application has
// moved on since, nothing changes and ErrConflict says so ("" skips the
// check, for the system). A change the status machine does
// not allow for the actor's role is ErrInvalidTransition. Applicants use
// Withdraw and Respond, which check that the application is theirs.
func (s *Store) ChangeStatus(ctx context.Context, ref Reference, actor Actor, from, to Status, note string) error {
	if actor.Role == RoleApplicant {
		return fmt.Errorf("%w: an applicant changes an application with Withdraw or Respond", ErrInvalidTransition)
	}
	return s.change(ctx, change{ref: ref, actor: actor, from: from, to: to, note: note})
}

// RequestMoreInfo asks the applicant for more information: in_review ->
// more_info_needed, with the question as the event's note.
func (s *Store) RequestMoreInfo(ctx context.Context, ref Reference, actor Actor, question string) error {
	if strings.TrimSpace(question) == "" {
		return fmt.Errorf("%w: say what information is needed; the applicant reads it", ErrInvalid)
	}
	// No expected status: only in_review may move to more_info_needed, so
	// the status machine says what is wrong with any other.
	return s.ChangeStatus(ctx, ref, actor, "", StatusMoreInfoNeeded, question)
}

// Withdraw withdraws a person's own application, with their reason (may be
// empty). Another person's application is ErrNotFound.
func (s *Store) Withdraw(ctx context.Context, personID int64, ref Reference, reason string) error {
	if personID == 0 {
		return ErrNotFound
	}
	return s.change(ctx, change{ref: ref, actor: Actor{PersonID: personID, Role: RoleApplicant}, applicant: true, to: StatusWithdrawn, note: reason})
}

// Respond records the applicant's answer to a request for more
// information, its message and files, and puts the application back in
// review, all in one transaction. Another person's application is
// ErrNotFound.
func (s *Store) Respond(ctx context.Context, personID int64, ref Reference, message string, files []forms.AcceptedFile) error {
	if personID == 0 {
		return ErrNotFound
	}
	message = strings.TrimSpace(message)
	if message == "" && len(files) == 0 {
		return fmt.Errorf("%w: write an answer or attach a file", ErrInvalid)
	}
	return s.change(ctx, change{ref: ref, actor: Actor{PersonID: personID, Role: RoleApplicant}, applicant: true,
		to: StatusInReview, note: message, files: files})
}

type change struct {
	ref       Reference
	actor     Actor
	applicant bool  // the actor must be the application's person (or act for owner)
	owner     int64 // with applicant, the application's person when the actor acts for them; 0: the actor
	from, to  Status
	note      string
	files     []forms.AcceptedFile
}

func (s *Store) change(ctx context.Context, c change) error {
	stored, err := nameFiles(c.files)
	if err != nil {
		return err
	}
	now := s.clock(time.Time{})
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		var id int64
		var current string
		var row *sql.Row
		if c.applicant {
			owner := c.actor.PersonID
			if c.owner != 0 {
				owner = c.owner
			}
			row = tx.QueryRowContext(ctx, s.q(qStatusByRefForApplicant), string(c.ref), owner)
		} else {
			row = tx.QueryRowContext(ctx, s.q(qStatusByRef), string(c.ref))
		}
		if err := row.Scan(&id, &current); err != nil {
			return s.db.MapError(err)
		}
		if c.from != "" && Status(current) != c.from {
			return fmt.Errorf("%w: application %s is now %s, not %s; reload it to see what changed", ErrConflict, c.ref, current, c.from)
		}
		if !Allowed(Status(current), c.to, c.actor.Role) {
			return fmt.Errorf("%w: %s cannot move application %s from %s to %s", ErrInvalidTransition, c.actor.Role, c.ref, current, c.to)
		}
		res, err := tx.ExecContext(ctx, s.q(qUpdateStatus), string(c.to), now, id, current)
		if err != nil {
			return s.db.MapError(err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return fmt.Errorf("%w: application %s changed while this change was being made; reload it", ErrConflict, c.ref)
		}
		// The applicant's answer starts the clock again (deadline.go).
		if Status(current) == StatusMoreInfoNeeded && slices.Contains(councilsTurn, c.to) {
			if err := s.resumeDue(ctx, tx, id, now); err != nil {
				return err
			}
		}
		// The status update above locks the application's row (PostgreSQL)
		// or the database (SQLite), so no other event can take this number.
		var seq int
		if err := tx.QueryRowContext(ctx, s.q(qNextSeq), id).Scan(&seq); err != nil {
			return s.db.MapError(err)
		}
		if err := s.insertEvent(ctx, tx, id, seq, now, c.actor, Status(current), c.to, c.note); err != nil {
			return err
		}
		if err := s.tellChange(ctx, tx, now, id, seq, c.actor, c.to, c.note); err != nil {
			return err
		}
		if err := s.insertFiles(ctx, tx, id, seq, stored, now); err != nil {
			return err
		}
		if slices.Contains(staff, c.actor.Role) {
			return s.audit(ctx, tx, now, c.actor, AuditChangeStatus, id, current+" -> "+string(c.to))
		}
		return nil
	})
	if err != nil {
		if errors.Is(err, ErrConflict) || errors.Is(err, ErrInvalidTransition) || errors.Is(err, ErrNotFound) {
			return err
		}
		return fmt.Errorf("applications: changing %s to %s: %w", c.ref, c.to, err)
	}
	s.log.InfoContext(ctx, "application status changed", "reference", c.ref, "to", c.to, "role", c.actor.Role, "files", len(stored))
	return nil
}
