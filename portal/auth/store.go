package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"sportello/catalogue"
	"sportello/portal/web"
	"sportello/store"
)

// store keeps people, sessions and used logout tokens in the shared
// database. It is also the fiber.Storage behind Fiber's session store, so the
// CSRF middleware's tokens live in the same server-side session row.
type sessionStore struct {
	db       *store.DB
	q        queries
	now      func() time.Time
	idle     time.Duration
	absolute time.Duration
}

// storageTimeout bounds the fiber.Storage methods, which get no context.
const storageTimeout = 5 * time.Second

// queries are written with ? placeholders and rebound once for the dialect.
type queries struct {
	sessionGet, sessionSet, sessionDelete, sessionReset, sessionTouch string
	viewer, sessionIDToken, bindSession, upsertPerson                 string
	endBySID, endBySubject, useLogoutToken                            string
	purgeSessions, purgeLogoutTokens                                  string
}

func newStore(db *store.DB, idle, absolute time.Duration, now func() time.Time) *sessionStore {
	r := db.Rebind
	return &sessionStore{
		db: db, now: now, idle: idle, absolute: absolute,
		q: queries{
			sessionGet: r(`SELECT data FROM auth_sessions
				WHERE id_hash = ? AND idle_expires_at > ? AND expires_at > ?`),
			// A session that expired stays expired: the update is skipped,
			// and Fiber has already given the browser a new id by then.
			sessionSet: r(`INSERT INTO auth_sessions (id_hash, data, created_at, idle_expires_at, expires_at)
				VALUES (?, ?, ?, ?, ?)
				ON CONFLICT (id_hash) DO UPDATE SET data = excluded.data, idle_expires_at = excluded.idle_expires_at
				WHERE auth_sessions.idle_expires_at > ? AND auth_sessions.expires_at > ?`),
			sessionDelete: r(`DELETE FROM auth_sessions WHERE id_hash = ?`),
			sessionReset:  r(`DELETE FROM auth_sessions`),
			sessionTouch: r(`UPDATE auth_sessions SET idle_expires_at = ?
				WHERE id_hash = ? AND idle_expires_at < ? AND idle_expires_at > ? AND expires_at > ?`),
			viewer: r(`SELECT p.id, p.issuer, p.subject, p.name, p.email, p.email_verified, p.roles, s.acr, s.idle_expires_at
				FROM auth_sessions s JOIN people p ON p.id = s.person_id
				WHERE s.id_hash = ? AND s.idle_expires_at > ? AND s.expires_at > ?`),
			sessionIDToken: r(`SELECT issuer, id_token FROM auth_sessions
				WHERE id_hash = ? AND person_id IS NOT NULL AND idle_expires_at > ? AND expires_at > ?`),
			bindSession: r(`UPDATE auth_sessions
				SET person_id = ?, issuer = ?, subject = ?, oidc_sid = ?, acr = ?, id_token = ?, signed_in_at = ?
				WHERE id_hash = ?`),
			upsertPerson: r(`INSERT INTO people (id, issuer, subject, name, email, email_verified, roles, created_at, signed_in_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT (issuer, subject) DO UPDATE SET
					name = excluded.name, email = excluded.email, email_verified = excluded.email_verified,
					roles = excluded.roles, signed_in_at = excluded.signed_in_at
				RETURNING id`),
			endBySID:          r(`DELETE FROM auth_sessions WHERE issuer = ? AND oidc_sid = ? AND oidc_sid <> ''`),
			endBySubject:      r(`DELETE FROM auth_sessions WHERE issuer = ? AND subject = ? AND subject <> ''`),
			useLogoutToken:    r(`INSERT INTO auth_logout_tokens (issuer, jti, expires_at) VALUES (?, ?, ?) ON CONFLICT (issuer, jti) DO NOTHING`),
			purgeSessions:     r(`DELETE FROM auth_sessions WHERE idle_expires_at <= ? OR expires_at <= ?`),
			purgeLogoutTokens: r(`DELETE FROM auth_logout_tokens WHERE expires_at <= ?`),
		},
	}
}

// hashID is what the table keeps instead of the cookie's session id.
func hashID(id string) string {
	sum := sha256.Sum256([]byte(id))
	return hex.EncodeToString(sum[:])
}

// Get, Set, Delete, Reset and Close make store a fiber.Storage for Fiber's
// session store. key is the session id from the cookie.
func (s *sessionStore) Get(key string) ([]byte, error) {
	if key == "" {
		return nil, nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), storageTimeout)
	defer cancel()
	now := s.now().Unix()
	var data string
	err := s.db.SQL().QueryRowContext(ctx, s.q.sessionGet, hashID(key), now, now).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil // Fiber's contract: unknown or expired means nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("auth: reading a session: %w", err)
	}
	return base64.StdEncoding.DecodeString(data)
}

func (s *sessionStore) Set(key string, val []byte, exp time.Duration) error {
	if key == "" {
		return errors.New("auth: a session needs an id")
	}
	if exp <= 0 {
		exp = s.idle
	}
	ctx, cancel := context.WithTimeout(context.Background(), storageTimeout)
	defer cancel()
	now := s.now()
	_, err := s.db.SQL().ExecContext(ctx, s.q.sessionSet,
		hashID(key), base64.StdEncoding.EncodeToString(val), now.Unix(), now.Add(exp).Unix(), now.Add(s.absolute).Unix(),
		now.Unix(), now.Unix())
	if err != nil {
		return fmt.Errorf("auth: saving a session: %w", err)
	}
	return nil
}

func (s *sessionStore) Delete(key string) error {
	if key == "" {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), storageTimeout)
	defer cancel()
	if _, err := s.db.SQL().ExecContext(ctx, s.q.sessionDelete, hashID(key)); err != nil {
		return fmt.Errorf("auth: deleting a session: %w", err)
	}
	return nil
}

// Reset ends every session (everyone is signed out).
func (s *sessionStore) Reset() error {
	ctx, cancel := context.WithTimeout(context.Background(), storageTimeout)
	defer cancel()
	_, err := s.db.SQL().ExecContext(ctx, s.q.sessionReset)
	return err
}

// Close does nothing: the database belongs to the caller.
func (s *sessionStore) Close() error { return nil }

// viewer returns the person signed in with session id, or nil when the
// session is unknown, expired or not signed in. It extends the idle timeout,
// writing at most once a minute per session.
func (s *sessionStore) viewer(ctx context.Context, id string) (*web.Viewer, error) {
	now := s.now()
	var v web.Viewer
	var roles string
	var idleExpires int64
	err := s.db.SQL().QueryRowContext(ctx, s.q.viewer, hashID(id), now.Unix(), now.Unix()).Scan(
		&v.PersonID, &v.Issuer, &v.Subject, &v.Name, &v.Email, &v.EmailVerified, &roles, &v.ACR, &idleExpires)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("auth: reading the signed-in person: %w", err)
	}
	v.Roles = strings.Fields(roles)
	if next := now.Add(s.idle); next.Unix()-idleExpires >= 60 {
		if _, err := s.db.SQL().ExecContext(ctx, s.q.sessionTouch,
			next.Unix(), hashID(id), next.Unix()-60, now.Unix(), now.Unix()); err != nil {
			return nil, fmt.Errorf("auth: extending a session: %w", err)
		}
	}
	return &v, nil
}

// person is who the identity provider says signed in.
type person struct {
	Issuer, Subject, Name, Email string
	EmailVerified                bool
	Roles                        []string
}

// signIn records a sign-in in one transaction: the person is created or
// refreshed (name, email, roles) and the session (already saved by Fiber
// under its new id) is bound to them.
func (s *sessionStore) signIn(ctx context.Context, sessionID string, p person, sid, acr, rawIDToken string) (int64, error) {
	now := s.now().Unix()
	var personID int64
	var err error
	// A new person's id is random; the rare clash with an existing id is a
	// unique violation, retried with another id in a new transaction.
	for range 3 {
		err = s.db.Tx(ctx, func(tx *sql.Tx) error {
			if err := tx.QueryRowContext(ctx, s.q.upsertPerson,
				newPersonID(), p.Issuer, p.Subject, p.Name, p.Email, p.EmailVerified, strings.Join(p.Roles, " "), now, now,
			).Scan(&personID); err != nil {
				return s.db.MapError(err)
			}
			res, err := tx.ExecContext(ctx, s.q.bindSession, personID, p.Issuer, p.Subject, sid, acr, rawIDToken, now, hashID(sessionID))
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err != nil || n != 1 {
				return fmt.Errorf("auth: the new session %s… was not saved (rows %d, %v)", hashID(sessionID)[:8], n, err)
			}
			return nil
		})
		if !errors.Is(err, catalogue.ErrConflict) {
			break
		}
	}
	if err != nil {
		return 0, fmt.Errorf("auth: recording the sign-in: %w", err)
	}
	return personID, nil
}

// newPersonID is a random positive id below 2^53, so that it survives a
// trip through JavaScript numbers.
func newPersonID() int64 {
	var b [8]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand panics instead)
	return int64(binary.BigEndian.Uint64(b[:])>>11) + 1
}

// idToken returns the issuer and ID token of a signed-in session, for the
// id_token_hint of RP-initiated logout.
func (s *sessionStore) idToken(ctx context.Context, id string) (issuer, idToken string, err error) {
	now := s.now().Unix()
	err = s.db.SQL().QueryRowContext(ctx, s.q.sessionIDToken, hashID(id), now, now).Scan(&issuer, &idToken)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", nil
	}
	return issuer, idToken, err
}

// errReplayed is a logout token whose jti was already used.
var errReplayed = errors.New("auth: logout token replayed (its jti was already used)")

// backChannelLogout records the token's jti and ends the sessions it names,
// in one transaction: sid when the token has one (that sign-in only), else
// every session of the subject.
func (s *sessionStore) backChannelLogout(ctx context.Context, issuer, jti string, expires time.Time, sid, subject string) (int64, error) {
	var ended int64
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.q.useLogoutToken, issuer, jti, expires.Unix())
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return errReplayed
		}
		if sid != "" {
			res, err = tx.ExecContext(ctx, s.q.endBySID, issuer, sid)
		} else {
			res, err = tx.ExecContext(ctx, s.q.endBySubject, issuer, subject)
		}
		if err != nil {
			return err
		}
		ended, err = res.RowsAffected()
		return err
	})
	return ended, err
}

// purge deletes expired sessions and logout tokens past their expiry.
func (s *sessionStore) purge(ctx context.Context) (int64, error) {
	now := s.now().Unix()
	var n int64
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.q.purgeSessions, now, now)
		if err != nil {
			return err
		}
		if n, err = res.RowsAffected(); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, s.q.purgeLogoutTokens, now)
		return err
	})
	return n, err
}
