package accounts

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"sportello/store"
)

// SignInHistory is how long a sign-in is remembered after the session was
// last used: long enough for a person to notice a sign-in that was not
// theirs, short enough not to become a record of their habits.
const SignInHistory = 90 * 24 * time.Hour

// PersonalData is what the council holds about a person in this area, for
// their own "Your data" page (GDPR articles 15 and 20), and the deletion of
// their account (article 17).
type PersonalData interface {
	// Profile returns personID's record, or ErrNotFound.
	Profile(ctx context.Context, personID int64) (Profile, error)
	// SignIns returns personID's sign-ins of the last SignInHistory,
	// newest first.
	SignIns(ctx context.Context, personID int64) ([]SignInEntry, error)
	// DeletePerson deletes personID and everything this area keeps about
	// them (sessions, so they are signed out everywhere; sign-ins; saved
	// support answers; the record itself), in one transaction with what
	// the other areas' erasers delete or anonymise, called first, in
	// order. Signing in again afterwards makes a new person. Deleting
	// someone unknown is ErrNotFound and changes nothing.
	DeletePerson(ctx context.Context, personID int64, others ...Eraser) error
}

// Eraser deletes or anonymises, within tx, what one area keeps about
// personID. It must use tx for every statement and never begin another
// transaction (on SQLite that would wait for itself).
type Eraser func(ctx context.Context, tx *sql.Tx, personID int64) error

// Profile is a person's record as Sportello keeps it.
type Profile struct {
	Person
	CreatedAt  time.Time // first sign-in
	SignedInAt time.Time // latest sign-in
}

// SignInEntry is one sign-in of the history.
type SignInEntry struct {
	SignedInAt   time.Time
	LastActiveAt time.Time
	ACR          string // the level of assurance the provider said it reached
	Active       bool   // the session is still open
}

func (s *SQL) Profile(ctx context.Context, personID int64) (Profile, error) {
	var p Profile
	var roles string
	var created, signedIn int64
	err := s.db.SQL().QueryRowContext(ctx, s.db.Rebind(`SELECT id, issuer, subject, name, email, email_verified, roles, created_at, signed_in_at
		FROM people WHERE id = ?`), personID).
		Scan(&p.ID, &p.Issuer, &p.Subject, &p.Name, &p.Email, &p.EmailVerified, &roles, &created, &signedIn)
	if errors.Is(err, sql.ErrNoRows) {
		return Profile{}, ErrNotFound
	}
	if err != nil {
		return Profile{}, fmt.Errorf("accounts: reading a person: %w", s.db.MapError(err))
	}
	p.Roles = strings.Fields(roles)
	p.CreatedAt, p.SignedInAt = time.Unix(created, 0), time.Unix(signedIn, 0)
	return p, nil
}

func (s *SQL) SignIns(ctx context.Context, personID int64) ([]SignInEntry, error) {
	now := s.now().Unix()
	out, err := store.Query(ctx, s.db.SQL(), s.db.Rebind(`SELECT i.signed_in_at, i.last_active_at, i.acr,
			CASE WHEN s.id_hash IS NULL THEN 0 ELSE 1 END
		FROM sign_ins i LEFT JOIN auth_sessions s
			ON s.id_hash = i.session_hash AND s.person_id = i.person_id AND s.idle_expires_at > ? AND s.expires_at > ?
		WHERE i.person_id = ? AND i.last_active_at > ?
		ORDER BY i.signed_in_at DESC, i.id`),
		func(row store.Scanner) (SignInEntry, error) {
			var e SignInEntry
			var at, last int64
			var active int
			err := row.Scan(&at, &last, &e.ACR, &active)
			e.SignedInAt, e.LastActiveAt, e.Active = time.Unix(at, 0), time.Unix(last, 0), active == 1
			return e, err
		}, now, now, personID, now-int64(SignInHistory/time.Second))
	if err != nil {
		return nil, fmt.Errorf("accounts: reading the sign-ins of a person: %w", s.db.MapError(err))
	}
	return out, nil
}

func (s *SQL) DeletePerson(ctx context.Context, personID int64, others ...Eraser) error {
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		var id int64
		err := tx.QueryRowContext(ctx, s.db.Rebind(`SELECT id FROM people WHERE id = ?`+s.db.ForUpdate()), personID).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		for _, erase := range others {
			if err := erase(ctx, tx, personID); err != nil {
				return err
			}
		}
		for _, table := range []string{"sign_ins", "auth_sessions", "support_saved_answers"} {
			if _, err := tx.ExecContext(ctx, s.db.Rebind(`DELETE FROM `+table+` WHERE person_id = ?`), personID); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, s.db.Rebind(`DELETE FROM people WHERE id = ?`), personID)
		return err
	})
	if err != nil && !errors.Is(err, ErrNotFound) {
		return fmt.Errorf("accounts: deleting a person: %w", s.db.MapError(err))
	}
	return err
}
