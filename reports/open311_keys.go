package reports

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"sportello/store"
)

// APIKey is a key of the Open311 GeoReport v2 API (portal/open311), issued
// by an administrator to a system that may send reports. Its secret is
// never kept, only its SHA-256 (migration 01120).
type APIKey struct {
	ID         int64
	Name       string // who it is for, as the administrator wrote it
	Prefix     string // the key's first characters, to recognise it in the list
	CreatedAt  time.Time
	CreatedBy  int64
	RevokedAt  time.Time // zero while the key is in use
	LastUsedAt time.Time // zero when never used
}

// Revoked reports whether the key was revoked.
func (k APIKey) Revoked() bool { return !k.RevokedAt.IsZero() }

// APIKeyPrefix starts every key, so that a key found in a log or a
// repository is recognised for what it is.
const APIKeyPrefix = "o311_"

// apiKeyShown is how many characters of a key the list shows.
const apiKeyShown = len(APIKeyPrefix) + 6

// APIKeys are the Open311 API keys in the Sportello database.
type APIKeys struct {
	db  *store.DB
	now func() time.Time
}

// NewAPIKeys returns the API keys kept in db; now is the clock (nil:
// time.Now).
func NewAPIKeys(db *store.DB, now func() time.Time) *APIKeys {
	if now == nil {
		now = time.Now
	}
	return &APIKeys{db: db, now: now}
}

const (
	qKeyInsert = `INSERT INTO open311_keys (id, name, hash, prefix, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?)`
	qKeySelect = `SELECT id, name, prefix, created_at, created_by, COALESCE(revoked_at, 0), COALESCE(last_used_at, 0) FROM open311_keys`
	qKeyRevoke = `UPDATE open311_keys SET revoked_at = ?, revoked_by = ? WHERE id = ? AND revoked_at IS NULL`
	qKeyUsed   = `UPDATE open311_keys SET last_used_at = ? WHERE id = ?`
)

// hashKey is the hex SHA-256 of a key, as kept.
func hashKey(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// Issue makes a new key for name, issued by the person by, and returns it
// with its secret, which is not kept and cannot be shown again.
func (k *APIKeys) Issue(ctx context.Context, name string, by int64) (APIKey, string, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return APIKey{}, "", fmt.Errorf("%w: an API key needs a name", ErrInvalid)
	}
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return APIKey{}, "", err
	}
	secret := APIKeyPrefix + base64.RawURLEncoding.EncodeToString(b[:])
	id := store.NewID()
	now := k.now().UTC().Truncate(time.Millisecond)
	key := APIKey{ID: id, Name: name, Prefix: secret[:apiKeyShown], CreatedAt: now, CreatedBy: by}
	_, err := k.db.SQL().ExecContext(ctx, k.db.Rebind(qKeyInsert), id, name, hashKey(secret), key.Prefix, now.UnixMilli(), by)
	if err != nil {
		return APIKey{}, "", fmt.Errorf("reports: issuing an API key: %w", k.db.MapError(err))
	}
	return key, secret, nil
}

// List returns every key, the ones in use first, newest first.
func (k *APIKeys) List(ctx context.Context) ([]APIKey, error) {
	keys, err := store.Query(ctx, k.db.SQL(), k.db.Rebind(qKeySelect+` ORDER BY revoked_at IS NOT NULL, created_at DESC, id`), scanKey)
	if err != nil {
		return nil, fmt.Errorf("reports: listing API keys: %w", k.db.MapError(err))
	}
	return keys, nil
}

// Get returns key id; ErrNotFound.
func (k *APIKeys) Get(ctx context.Context, id int64) (APIKey, error) {
	key, err := scanKey(k.db.SQL().QueryRowContext(ctx, k.db.Rebind(qKeySelect+` WHERE id = ?`), id))
	if err != nil {
		return APIKey{}, fmt.Errorf("reports: reading an API key: %w", k.db.MapError(err))
	}
	return key, nil
}

// Revoke stops key id from working, revoked by the person by. ErrNotFound
// when there is no such key; revoking a revoked key changes nothing.
func (k *APIKeys) Revoke(ctx context.Context, id, by int64) error {
	if _, err := k.Get(ctx, id); err != nil {
		return err
	}
	_, err := k.db.SQL().ExecContext(ctx, k.db.Rebind(qKeyRevoke), k.now().UnixMilli(), by, id)
	if err != nil {
		return fmt.Errorf("reports: revoking an API key: %w", k.db.MapError(err))
	}
	return nil
}

// Check returns the key whose secret is secret and notes that it was used.
// ErrNotFound when no key has that secret or it was revoked: the caller
// tells neither apart from the other.
func (k *APIKeys) Check(ctx context.Context, secret string) (APIKey, error) {
	if !strings.HasPrefix(secret, APIKeyPrefix) || len(secret) > 200 {
		return APIKey{}, ErrNotFound
	}
	key, err := scanKey(k.db.SQL().QueryRowContext(ctx, k.db.Rebind(qKeySelect+` WHERE hash = ?`), hashKey(secret)))
	switch {
	case errors.Is(k.db.MapError(err), ErrNotFound):
		return APIKey{}, ErrNotFound
	case err != nil:
		return APIKey{}, fmt.Errorf("reports: checking an API key: %w", k.db.MapError(err))
	case key.Revoked():
		return APIKey{}, ErrNotFound
	}
	now := k.now().UTC()
	if _, err := k.db.SQL().ExecContext(ctx, k.db.Rebind(qKeyUsed), now.UnixMilli(), key.ID); err != nil {
		return APIKey{}, fmt.Errorf("reports: noting the use of an API key: %w", k.db.MapError(err))
	}
	key.LastUsedAt = now.Truncate(time.Millisecond)
	return key, nil
}

func scanKey(sc store.Scanner) (APIKey, error) {
	var key APIKey
	var created, revoked, used int64
	err := sc.Scan(&key.ID, &key.Name, &key.Prefix, &created, &key.CreatedBy, &revoked, &used)
	key.CreatedAt = time.UnixMilli(created).UTC()
	if revoked != 0 {
		key.RevokedAt = time.UnixMilli(revoked).UTC()
	}
	if used != 0 {
		key.LastUsedAt = time.UnixMilli(used).UTC()
	}
	return key, err
}

// ByToken returns the report made with the one-time token of
// NewReport.Token, for the Open311 API's tokens/{token}; ErrNotFound.
func (s *DB) ByToken(ctx context.Context, token string) (*Report, error) {
	var appID int64
	err := s.db.SQL().QueryRowContext(ctx, s.db.Rebind(`SELECT application_id FROM submission_tokens WHERE token = ?`), token).Scan(&appID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("reports: reading a submission token: %w", s.db.MapError(err))
	}
	return s.ByApplication(ctx, appID)
}
