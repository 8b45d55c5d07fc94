package notify

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"sportello/store"
)

// Unsubscribe links (RFC 8058). Every mail of an optional kind carries a
// link that turns that kind off for its person, which a mail client may
// follow with one POST and no cookie. The link's token is the capability:
// the person's id and the kind, and the first 16 bytes of an HMAC-SHA256
// of both under a key kept in the database (notification_secrets), so that
// every instance issues and checks alike and no one can make a token for
// someone else. A token never expires (a mail read a year later still
// works) and only ever turns a kind off, which the person can undo in the
// account's settings.

// ErrBadToken is what CheckUnsubscribe returns for a token this database
// did not issue. It is a not-found: the portal answers 404.
var ErrBadToken = fmt.Errorf("notify: not an unsubscribe link: %w", store.ErrNotFound)

// ErrUnknownPerson is what TurnOff returns for a person who is not there
// (their account was deleted since the mail was sent).
var ErrUnknownPerson = fmt.Errorf("notify: no such person: %w", store.ErrNotFound)

const (
	unsubscribeMACSize = 16
	unsubscribeKeyName = "unsubscribe-link"

	qInsertSecret = `INSERT INTO notification_secrets (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING`
	qSecret       = `SELECT value FROM notification_secrets WHERE name = ?`
)

// secretKey is a key read from the database once, then kept.
type secretKey struct {
	mu  sync.Mutex
	key []byte
}

// UnsubscribeToken returns the token of the link that turns kind, an
// optional kind, off for personID. It is the same every time.
func (s *Store) UnsubscribeToken(ctx context.Context, personID int64, kind Kind) (string, error) {
	if !kind.Optional() || personID == 0 {
		return "", fmt.Errorf("%w: no unsubscribe link for %s to person %d", ErrInvalidEvent, kind, personID)
	}
	key, err := s.unsubscribeKey(ctx)
	if err != nil {
		return "", err
	}
	payload := unsubscribePayload(personID, kind)
	return base64.RawURLEncoding.EncodeToString(append(unsubscribeMAC(key, payload), payload...)), nil
}

// CheckUnsubscribe returns the person and the kind of a token that
// UnsubscribeToken made, or ErrBadToken.
func (s *Store) CheckUnsubscribe(ctx context.Context, token string) (int64, Kind, error) {
	b, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(b) <= unsubscribeMACSize+8 {
		return 0, "", ErrBadToken
	}
	key, err := s.unsubscribeKey(ctx)
	if err != nil {
		return 0, "", err
	}
	mac, payload := b[:unsubscribeMACSize], b[unsubscribeMACSize:]
	if !hmac.Equal(mac, unsubscribeMAC(key, payload)) {
		return 0, "", ErrBadToken
	}
	id := int64(binary.BigEndian.Uint64(payload[:8]))
	kind := Kind(payload[8:])
	if id <= 0 || !kind.Optional() {
		return 0, "", ErrBadToken
	}
	return id, kind, nil
}

func unsubscribePayload(personID int64, kind Kind) []byte {
	b := binary.BigEndian.AppendUint64(make([]byte, 0, 8+len(kind)), uint64(personID))
	return append(b, kind...)
}

func unsubscribeMAC(key, payload []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("sportello unsubscribe\x00"))
	m.Write(payload)
	return m.Sum(nil)[:unsubscribeMACSize]
}

// unsubscribeKey returns the key unsubscribe links are signed with, making
// it on first use; the first instance to insert it wins and every other
// reads the same.
func (s *Store) unsubscribeKey(ctx context.Context) ([]byte, error) {
	s.unsubscribe.mu.Lock()
	defer s.unsubscribe.mu.Unlock()
	if s.unsubscribe.key != nil {
		return s.unsubscribe.key, nil
	}
	var fresh [32]byte
	if _, err := rand.Read(fresh[:]); err != nil {
		return nil, err
	}
	db := s.db
	if _, err := db.SQL().ExecContext(ctx, db.Rebind(qInsertSecret), unsubscribeKeyName, hex.EncodeToString(fresh[:])); err != nil {
		return nil, fmt.Errorf("notify: making the unsubscribe key: %w", db.MapError(err))
	}
	var v string
	if err := db.SQL().QueryRowContext(ctx, db.Rebind(qSecret), unsubscribeKeyName).Scan(&v); err != nil {
		return nil, fmt.Errorf("notify: reading the unsubscribe key: %w", db.MapError(err))
	}
	key, err := hex.DecodeString(v)
	if err != nil || len(key) < 16 {
		return nil, fmt.Errorf("notify: the unsubscribe key is damaged")
	}
	s.unsubscribe.key = key
	return key, nil
}

// TurnOff adds kind, an optional kind, to what personID turned off, leaving
// every other setting as it was. Turning off what is already off changes
// nothing. A person who is no longer there is ErrUnknownPerson.
func (s *Store) TurnOff(ctx context.Context, personID int64, kind Kind) error {
	if !kind.Valid() || !kind.Optional() {
		return fmt.Errorf("%w: %q cannot be turned off", ErrInvalidEvent, kind)
	}
	db := s.db
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		var one int
		err := tx.QueryRowContext(ctx, db.Rebind(`SELECT 1 FROM people WHERE id = ?`), personID).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrUnknownPerson
		}
		if err != nil {
			return err
		}
		now := s.now().UnixMilli()
		if _, err := tx.ExecContext(ctx, db.Rebind(`INSERT INTO notification_settings (person_id, updated_at)
			VALUES (?, ?) ON CONFLICT (person_id) DO NOTHING`), personID, now); err != nil {
			return err
		}
		// The row is locked until the end (PostgreSQL; SQLite's
		// transaction holds the write lock), so two kinds turned off at
		// once are both kept.
		var off string
		if err := tx.QueryRowContext(ctx, db.Rebind(`SELECT off_kinds FROM notification_settings
			WHERE person_id = ?`+db.ForUpdate()), personID).Scan(&off); err != nil {
			return err
		}
		kinds := strings.Fields(off)
		if slices.Contains(kinds, string(kind)) {
			return nil
		}
		kinds = append(kinds, string(kind))
		slices.Sort(kinds)
		_, err = tx.ExecContext(ctx, db.Rebind(`UPDATE notification_settings SET off_kinds = ?, updated_at = ?
			WHERE person_id = ?`), strings.Join(kinds, " "), now, personID)
		return err
	})
	if err != nil && !errors.Is(err, ErrUnknownPerson) {
		return fmt.Errorf("notify: turning off %s for a person: %w", kind, db.MapError(err))
	}
	return err
}
