package acting

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// ErrLastOwner is leaving or removing an organisation's last owner: an
// organisation always has one.
var ErrLastOwner = errors.New("acting: the organisation's last owner")

// RemoveMember takes personID out of orgID: an owner removing a member,
// or a member leaving. ErrNotFound when personID is not a member;
// ErrLastOwner when they are its only owner. The organisation's row is
// locked so that two owners leaving at once cannot both go.
func (s *SQL) RemoveMember(ctx context.Context, orgID, personID int64) error {
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		var id int64
		if err := tx.QueryRowContext(ctx, s.q(`SELECT id FROM organisations WHERE id = ?`+s.db.ForUpdate()), orgID).Scan(&id); err != nil {
			return err
		}
		var role string
		if err := tx.QueryRowContext(ctx, s.q(`SELECT role FROM organisation_members WHERE organisation_id = ? AND person_id = ?`),
			orgID, personID).Scan(&role); err != nil {
			return err
		}
		if role == RoleOwner {
			var owners int
			if err := tx.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM organisation_members WHERE organisation_id = ? AND role = ?`),
				orgID, RoleOwner).Scan(&owners); err != nil {
				return err
			}
			if owners <= 1 {
				return ErrLastOwner
			}
		}
		_, err := tx.ExecContext(ctx, s.q(`DELETE FROM organisation_members WHERE organisation_id = ? AND person_id = ?`), orgID, personID)
		return err
	})
	if errors.Is(err, ErrLastOwner) {
		return err
	}
	if err != nil {
		return fmt.Errorf("acting: removing a member: %w", s.db.MapError(err))
	}
	return nil
}
