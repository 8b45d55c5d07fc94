package appointments

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"sync"
)

// The link to manage an appointment booked without signing in. Its token
// is the capability, like an unsubscribe link's (package notify): the
// appointment's id and the first 16 bytes of an HMAC-SHA256 of it under a
// key kept in the database (appointment_secrets), so that every instance
// issues and checks alike, and the mails, the confirmation and the
// reminder, can each carry it without the outbox keeping a secret.

const (
	tokenMACSize = 16
	tokenKeyName = "manage-link"
)

// ErrBadToken: a token this database did not issue; a not-found.
var ErrBadToken = fmt.Errorf("appointments: not a link to an appointment: %w", ErrNotFound)

// secretKey is the key, read from the database once, then kept.
type secretKey struct {
	mu  sync.Mutex
	key []byte
}

func (s *DB) key(ctx context.Context) ([]byte, error) {
	s.keys.mu.Lock()
	defer s.keys.mu.Unlock()
	if s.keys.key != nil {
		return s.keys.key, nil
	}
	fresh := make([]byte, 32)
	if _, err := rand.Read(fresh); err != nil {
		return nil, err
	}
	if _, err := s.db.SQL().ExecContext(ctx, s.db.Rebind(`INSERT INTO appointment_secrets (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING`),
		tokenKeyName, hex.EncodeToString(fresh)); err != nil {
		return nil, fmt.Errorf("appointments: keeping the link key: %w", s.db.MapError(err))
	}
	var value string
	if err := s.db.SQL().QueryRowContext(ctx, s.db.Rebind(`SELECT value FROM appointment_secrets WHERE name = ?`), tokenKeyName).Scan(&value); err != nil {
		return nil, fmt.Errorf("appointments: reading the link key: %w", s.db.MapError(err))
	}
	key, err := hex.DecodeString(value)
	if err != nil {
		return nil, err
	}
	s.keys.key = key
	return key, nil
}

func tokenMAC(key []byte, id int64) []byte {
	m := hmac.New(sha256.New, key)
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], uint64(id))
	m.Write([]byte("appointment:"))
	m.Write(b[:])
	return m.Sum(nil)[:tokenMACSize]
}

// ManageToken returns the token of the link that manages appointment id.
// It is the same every time.
func (s *DB) ManageToken(ctx context.Context, id int64) (string, error) {
	key, err := s.key(ctx)
	if err != nil {
		return "", err
	}
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], uint64(id))
	return base64.RawURLEncoding.EncodeToString(append(b[:], tokenMAC(key, id)...)), nil
}

// ByToken returns the appointment of a token ManageToken made, or
// ErrBadToken.
func (s *DB) ByToken(ctx context.Context, token string) (*Appointment, error) {
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(raw) != 8+tokenMACSize {
		return nil, ErrBadToken
	}
	key, err := s.key(ctx)
	if err != nil {
		return nil, err
	}
	id := int64(binary.BigEndian.Uint64(raw[:8]))
	if !hmac.Equal(raw[8:], tokenMAC(key, id)) {
		return nil, ErrBadToken
	}
	return s.Get(ctx, id)
}
