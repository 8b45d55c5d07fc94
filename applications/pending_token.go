package applications

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
)

// A form's token is issued by the server to one owner: 16 random bytes and
// the first 16 bytes of an HMAC-SHA256 of them and the owner, under a key
// kept in the database (application_secrets), so that every instance
// issues and checks alike. Showing a form writes nothing; a token the
// client made up, or one issued to another session, cannot start a form.
// 32 bytes in URL-safe base64 are 43 characters, which ValidToken accepts.

const (
	tokenNonceSize = 16
	tokenMACSize   = 16
	tokenKeyName   = "pending-form-token"

	qInsertSecret = `INSERT INTO application_secrets (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING`
	qSecret       = `SELECT value FROM application_secrets WHERE name = ?`
)

func issueToken(key []byte, o PendingOwner) (string, error) {
	b := make([]byte, tokenNonceSize, tokenNonceSize+tokenMACSize)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(append(b, tokenMAC(key, b, o)...)), nil
}

// tokenIssued reports whether issueToken made token for o under key.
func tokenIssued(key []byte, token string, o PendingOwner) bool {
	b, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(b) != tokenNonceSize+tokenMACSize {
		return false
	}
	return hmac.Equal(b[tokenNonceSize:], tokenMAC(key, b[:tokenNonceSize], o))
}

func tokenMAC(key, nonce []byte, o PendingOwner) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("sportello form token\x00" + o.quotaOwner() + "\x00"))
	m.Write(nonce)
	return m.Sum(nil)[:tokenMACSize]
}

// tokenKey returns the key tokens are signed with, making it on first use;
// the first instance to insert it wins and every other reads the same.
func (p *pendingDB) tokenKey(ctx context.Context) ([]byte, error) {
	p.keyMu.Lock()
	defer p.keyMu.Unlock()
	if p.key != nil {
		return p.key, nil
	}
	var fresh [32]byte
	if _, err := rand.Read(fresh[:]); err != nil {
		return nil, err
	}
	db := p.s.db
	if _, err := db.SQL().ExecContext(ctx, db.Rebind(qInsertSecret), tokenKeyName, hex.EncodeToString(fresh[:])); err != nil {
		return nil, fmt.Errorf("applications: making the form token key: %w", db.MapError(err))
	}
	var v string
	if err := db.SQL().QueryRowContext(ctx, db.Rebind(qSecret), tokenKeyName).Scan(&v); err != nil {
		return nil, fmt.Errorf("applications: reading the form token key: %w", db.MapError(err))
	}
	key, err := hex.DecodeString(v)
	if err != nil {
		return nil, fmt.Errorf("applications: the form token key is damaged: %w", err)
	}
	p.key = key
	return key, nil
}
