package notify

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"sportello/store"
)

// Settings are what a person chose to receive.
type Settings struct {
	// Email is the address they confirmed by a link, when they chose one
	// other than the verified address from their identity provider.
	Email            string
	EmailConfirmedAt time.Time
	// Lang is the language of their mail; empty: the language they used.
	Lang string
	// Off are the optional kinds they turned off.
	Off []Kind
	// SupportAlerts: they asked to be told of support they may now get.
	SupportAlerts bool
}

// Receives reports whether the settings let kind through.
func (s Settings) Receives(k Kind) bool { return !k.Optional() || !slices.Contains(s.Off, k) }

// Store keeps the outbox and people's settings.
type Store struct {
	db  *store.DB
	now func() time.Time
	// unsubscribe is the key of the unsubscribe links (unsubscribe.go).
	unsubscribe secretKey
}

// New returns the notification store on db; now is the clock (nil:
// time.Now).
func New(db *store.DB, now func() time.Time) *Store {
	if now == nil {
		now = time.Now
	}
	return &Store{db: db, now: now}
}

// Settings returns personID's settings; the defaults when they made none.
func (s *Store) Settings(ctx context.Context, personID int64) (Settings, error) {
	return readSettings(ctx, s.db, s.db.SQL(), personID)
}

func readSettings(ctx context.Context, db *store.DB, q store.Querier, personID int64) (Settings, error) {
	var st Settings
	var confirmed int64
	var off string
	err := q.QueryRowContext(ctx, db.Rebind(`SELECT email, email_confirmed_at, lang, off_kinds, support_alerts
		FROM notification_settings WHERE person_id = ?`), personID).
		Scan(&st.Email, &confirmed, &st.Lang, &off, &st.SupportAlerts)
	if errors.Is(err, sql.ErrNoRows) {
		return Settings{}, nil
	}
	if err != nil {
		return Settings{}, fmt.Errorf("notify: reading the settings of a person: %w", db.MapError(err))
	}
	if confirmed != 0 {
		st.EmailConfirmedAt = time.UnixMilli(confirmed)
	}
	for f := range strings.FieldsSeq(off) {
		st.Off = append(st.Off, Kind(f))
	}
	return st, nil
}

// SaveSettings replaces personID's choices of language, kinds turned off
// and support alerts. The confirmed address is kept: it changes only
// through a confirmation link.
func (s *Store) SaveSettings(ctx context.Context, personID int64, st Settings) error {
	var off []string
	for _, k := range st.Off {
		if !k.Valid() || !k.Optional() {
			return fmt.Errorf("%w: %q cannot be turned off", ErrInvalidEvent, k)
		}
		off = append(off, string(k))
	}
	slices.Sort(off)
	off = slices.Compact(off)
	_, err := s.db.SQL().ExecContext(ctx, s.db.Rebind(`INSERT INTO notification_settings
		(person_id, lang, off_kinds, support_alerts, updated_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (person_id) DO UPDATE SET lang = excluded.lang, off_kinds = excluded.off_kinds,
		support_alerts = excluded.support_alerts, updated_at = excluded.updated_at`),
		personID, st.Lang, strings.Join(off, " "), st.SupportAlerts, s.now().UnixMilli())
	if err != nil {
		return fmt.Errorf("notify: saving the settings of a person: %w", s.db.MapError(err))
	}
	return nil
}

// Recipient is where and how a notification for personID goes: the
// address they confirmed, else the one their identity provider verified
// (empty when neither: the notification is skipped), and their language,
// else lang (the one they used when it happened). The settings come too,
// to check the kind.
func (s *Store) Recipient(ctx context.Context, personID int64, lang string) (Recipient, Settings, error) {
	st, err := s.Settings(ctx, personID)
	if err != nil {
		return Recipient{}, Settings{}, err
	}
	r := Recipient{PersonID: personID, Lang: lang}
	var claim string
	var verified bool
	err = s.db.SQL().QueryRowContext(ctx, s.db.Rebind(`SELECT name, email, email_verified FROM people WHERE id = ?`), personID).
		Scan(&r.Name, &claim, &verified)
	if err != nil {
		return Recipient{}, Settings{}, fmt.Errorf("notify: reading a recipient: %w", s.db.MapError(err))
	}
	switch {
	case st.Email != "" && !st.EmailConfirmedAt.IsZero():
		r.Address = st.Email
	case verified:
		r.Address = claim
	}
	if st.Lang != "" {
		r.Lang = st.Lang
	}
	return r, st, nil
}

// SaveChoices sets personID's mail language (empty: the one they use at
// the time) and which optional kinds other than support alerts they turned
// off, in one transaction on their locked row: whether support alerts are
// on, or turned off by a mail's unsubscribe link meanwhile, is chosen
// elsewhere and kept.
func (s *Store) SaveChoices(ctx context.Context, personID int64, lang string, off []Kind) error {
	for _, k := range off {
		if !k.Valid() || !k.Optional() || k == SupportAlert {
			return fmt.Errorf("%w: %q cannot be turned off here", ErrInvalidEvent, k)
		}
	}
	db := s.db
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		now := s.now().UnixMilli()
		if _, err := tx.ExecContext(ctx, db.Rebind(`INSERT INTO notification_settings (person_id, updated_at)
			VALUES (?, ?) ON CONFLICT (person_id) DO NOTHING`), personID, now); err != nil {
			return err
		}
		var was string
		if err := tx.QueryRowContext(ctx, db.Rebind(`SELECT off_kinds FROM notification_settings
			WHERE person_id = ?`+db.ForUpdate()), personID).Scan(&was); err != nil {
			return err
		}
		var kinds []string
		for _, k := range off {
			kinds = append(kinds, string(k))
		}
		if slices.Contains(strings.Fields(was), string(SupportAlert)) {
			kinds = append(kinds, string(SupportAlert))
		}
		slices.Sort(kinds)
		_, err := tx.ExecContext(ctx, db.Rebind(`UPDATE notification_settings SET lang = ?, off_kinds = ?, updated_at = ?
			WHERE person_id = ?`), lang, strings.Join(slices.Compact(kinds), " "), now, personID)
		return err
	})
	if err != nil {
		return fmt.Errorf("notify: saving the choices of a person: %w", db.MapError(err))
	}
	return nil
}
