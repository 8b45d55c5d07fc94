package notify

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"sportello/store"
)

// What this area holds about a person, for their "Your data" page, and what
// deleting their account does to it.

// PersonalData is everything notify keeps of one person.
type PersonalData struct {
	Settings Settings
	// Pending is the address waiting for its confirmation link, if any.
	Pending *Confirmation
	// Log is every notification for them, newest first.
	Log []LogEntry
}

// PersonalData returns what notify keeps of personID, read in one snapshot.
func (s *Store) PersonalData(ctx context.Context, personID int64) (PersonalData, error) {
	var d PersonalData
	err := s.db.ReadTx(ctx, func(tx *sql.Tx) error {
		var err error
		if d.Settings, err = readSettings(ctx, s.db, tx, personID); err != nil {
			return err
		}
		pending, err := store.Query(ctx, tx, s.db.Rebind(`SELECT email, expires_at FROM email_confirmations
			WHERE person_id = ? AND expires_at > ? ORDER BY expires_at DESC`), func(row store.Scanner) (Confirmation, error) {
			var c Confirmation
			var expires int64
			err := row.Scan(&c.Email, &expires)
			c.Expires = time.UnixMilli(expires)
			return c, err
		}, personID, s.now().UnixMilli())
		if err != nil {
			return err
		}
		if len(pending) > 0 {
			d.Pending = &pending[0]
		}
		d.Log, err = store.Query(ctx, tx, s.db.Rebind(qLog), scanLogEntry, personID)
		return err
	})
	if err != nil {
		return PersonalData{}, fmt.Errorf("notify: reading the data of a person: %w", s.db.MapError(err))
	}
	return d, nil
}

// ErasePerson is notify's part in deleting personID's account
// (accounts.Eraser), within tx: their settings, addresses waiting for
// confirmation and every notification for them, sent or not (what was not
// sent yet never will be). Notifications of an application kept after the
// account is gone go to its contact address, with no person.
func (s *Store) ErasePerson(ctx context.Context, tx *sql.Tx, personID int64) error {
	for _, table := range []string{"notifications", "email_confirmations", "notification_settings"} {
		if _, err := tx.ExecContext(ctx, s.db.Rebind(`DELETE FROM `+table+` WHERE person_id = ?`), personID); err != nil {
			return fmt.Errorf("notify: erasing a person: %w", s.db.MapError(err))
		}
	}
	return nil
}
