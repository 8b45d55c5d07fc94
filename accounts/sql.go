package accounts

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
	"slices"
	"strings"
	"time"

	"sportello/catalogue"
	"sportello/store"
)

// SQL is the Store in the Sportello database, whose migrations created the
// people, auth_sessions, auth_logout_tokens and support_saved_answers
// tables.
type SQL struct {
	db  *store.DB
	q   queries
	now func() time.Time
}

var _ Store = (*SQL)(nil)

// queries are written with ? placeholders and rebound once for the dialect.
type queries struct {
	sessionGet, sessionSet, sessionDelete, sessionReset, sessionTouch string
	signedIn, sessionIDToken, bindSession, upsertPerson               string
	endBySID, endBySubject, useLogoutToken                            string
	purgeSessions, purgeLogoutTokens                                  string
	answersGet, answersPut, answersDelete                             string
	signInAdd, signInTouch, purgeSignIns                              string
}

// New returns the store over db; now is the clock (nil: time.Now).
func New(db *store.DB, now func() time.Time) *SQL {
	if now == nil {
		now = time.Now
	}
	r := db.Rebind
	return &SQL{
		db: db, now: now,
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
			signedIn: r(`SELECT p.id, p.issuer, p.subject, p.name, p.email, p.email_verified, p.roles, s.acr, s.idle_expires_at
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
			answersGet:        r(`SELECT answers, consented_at FROM support_saved_answers WHERE person_id = ?`),
			answersPut: r(`INSERT INTO support_saved_answers (person_id, answers, consented_at, updated_at) VALUES (?, ?, ?, ?)
				ON CONFLICT (person_id) DO UPDATE SET answers = excluded.answers, consented_at = excluded.consented_at, updated_at = excluded.updated_at`),
			answersDelete: r(`DELETE FROM support_saved_answers WHERE person_id = ?`),
			signInAdd: r(`INSERT INTO sign_ins (id, person_id, session_hash, acr, signed_in_at, last_active_at)
				VALUES (?, ?, ?, ?, ?, ?)`),
			signInTouch:  r(`UPDATE sign_ins SET last_active_at = ? WHERE session_hash = ?`),
			purgeSignIns: r(`DELETE FROM sign_ins WHERE last_active_at <= ?`),
		},
	}
}

// hashID is what the table keeps instead of the cookie's session id.
func hashID(id string) string {
	sum := sha256.Sum256([]byte(id))
	return hex.EncodeToString(sum[:])
}

func (s *SQL) SessionData(ctx context.Context, id string) ([]byte, error) {
	if id == "" {
		return nil, nil
	}
	now := s.now().Unix()
	var data string
	err := s.db.SQL().QueryRowContext(ctx, s.q.sessionGet, hashID(id), now, now).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("accounts: reading a session: %w", err)
	}
	return base64.StdEncoding.DecodeString(data)
}

func (s *SQL) SaveSessionData(ctx context.Context, id string, data []byte, idle, absolute time.Duration) error {
	if id == "" {
		return errors.New("accounts: a session needs an id")
	}
	now := s.now()
	_, err := s.db.SQL().ExecContext(ctx, s.q.sessionSet,
		hashID(id), base64.StdEncoding.EncodeToString(data), now.Unix(), now.Add(idle).Unix(), now.Add(absolute).Unix(),
		now.Unix(), now.Unix())
	if err != nil {
		return fmt.Errorf("accounts: saving a session: %w", err)
	}
	return nil
}

func (s *SQL) DeleteSession(ctx context.Context, id string) error {
	if id == "" {
		return nil
	}
	if _, err := s.db.SQL().ExecContext(ctx, s.q.sessionDelete, hashID(id)); err != nil {
		return fmt.Errorf("accounts: deleting a session: %w", err)
	}
	return nil
}

func (s *SQL) DeleteAllSessions(ctx context.Context) error {
	_, err := s.db.SQL().ExecContext(ctx, s.q.sessionReset)
	return err
}

func (s *SQL) SignedIn(ctx context.Context, id string, idle time.Duration) (*SignedIn, error) {
	now := s.now()
	var v SignedIn
	var roles string
	var idleExpires int64
	err := s.db.SQL().QueryRowContext(ctx, s.q.signedIn, hashID(id), now.Unix(), now.Unix()).Scan(
		&v.ID, &v.Issuer, &v.Subject, &v.Name, &v.Email, &v.EmailVerified, &roles, &v.ACR, &idleExpires)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("accounts: reading the signed-in person: %w", err)
	}
	v.Roles = strings.Fields(roles)
	if next := now.Add(idle); next.Unix()-idleExpires >= 60 {
		if _, err := s.db.SQL().ExecContext(ctx, s.q.sessionTouch,
			next.Unix(), hashID(id), next.Unix()-60, now.Unix(), now.Unix()); err != nil {
			return nil, fmt.Errorf("accounts: extending a session: %w", err)
		}
		// The sign-in history's "last active", as often as the expiry
		// moves: at most once a minute.
		if _, err := s.db.SQL().ExecContext(ctx, s.q.signInTouch, now.Unix(), hashID(id)); err != nil {
			return nil, fmt.Errorf("accounts: recording a session's activity: %w", err)
		}
	}
	return &v, nil
}

func (s *SQL) SignIn(ctx context.Context, id string, p Person, sid, acr, rawIDToken string) (int64, error) {
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
			res, err := tx.ExecContext(ctx, s.q.bindSession, personID, p.Issuer, p.Subject, sid, acr, rawIDToken, now, hashID(id))
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err != nil || n != 1 {
				return fmt.Errorf("accounts: the new session %s… was not saved (rows %d, %v)", hashID(id)[:8], n, err)
			}
			_, err = tx.ExecContext(ctx, s.q.signInAdd, newPersonID(), personID, hashID(id), acr, now, now)
			return err
		})
		if !errors.Is(err, catalogue.ErrConflict) {
			break
		}
	}
	if err != nil {
		return 0, fmt.Errorf("accounts: recording the sign-in: %w", err)
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

func (s *SQL) IDToken(ctx context.Context, id string) (issuer, idToken string, err error) {
	now := s.now().Unix()
	err = s.db.SQL().QueryRowContext(ctx, s.q.sessionIDToken, hashID(id), now, now).Scan(&issuer, &idToken)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", nil
	}
	return issuer, idToken, err
}

func (s *SQL) BackChannelLogout(ctx context.Context, issuer, jti string, expires time.Time, sid, subject string) (int64, error) {
	var ended int64
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.q.useLogoutToken, issuer, jti, expires.Unix())
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return ErrReplayed
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

func (s *SQL) PurgeExpired(ctx context.Context) (int64, error) {
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
		if _, err := tx.ExecContext(ctx, s.q.purgeSignIns, now-int64(SignInHistory/time.Second)); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, s.q.purgeLogoutTokens, now)
		return err
	})
	return n, err
}

func (s *SQL) SavedAnswers(ctx context.Context, personID int64) (SavedAnswers, error) {
	var a SavedAnswers
	var consented int64
	err := s.db.SQL().QueryRowContext(ctx, s.q.answersGet, personID).Scan(&a.Answers, &consented)
	if errors.Is(err, sql.ErrNoRows) {
		return SavedAnswers{}, ErrNotFound
	}
	if err != nil {
		return SavedAnswers{}, fmt.Errorf("accounts: reading saved support answers: %w", err)
	}
	a.ConsentedAt = time.Unix(consented, 0)
	return a, nil
}

func (s *SQL) SaveAnswers(ctx context.Context, personID int64, answers string, consentedAt time.Time) error {
	if answers == "" {
		return errors.New("accounts: no support answers to save")
	}
	if _, err := s.db.SQL().ExecContext(ctx, s.q.answersPut, personID, answers, consentedAt.Unix(), consentedAt.Unix()); err != nil {
		return fmt.Errorf("accounts: saving support answers: %w", s.db.MapError(err))
	}
	return nil
}

func (s *SQL) DeleteSavedAnswers(ctx context.Context, personID int64) error {
	if _, err := s.db.SQL().ExecContext(ctx, s.q.answersDelete, personID); err != nil {
		return fmt.Errorf("accounts: deleting saved support answers: %w", err)
	}
	return nil
}

func (s *SQL) Names(ctx context.Context, ids []int64) (map[int64]string, error) {
	names := map[int64]string{}
	for chunk := range slices.Chunk(ids, 500) {
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		marks := strings.TrimSuffix(strings.Repeat("?, ", len(chunk)), ", ")
		rows, err := s.db.SQL().QueryContext(ctx, s.db.Rebind("SELECT id, name FROM people WHERE name <> '' AND id IN ("+marks+")"), args...)
		if err != nil {
			return nil, fmt.Errorf("accounts: reading names: %w", s.db.MapError(err))
		}
		for rows.Next() {
			var id int64
			var name string
			if err := rows.Scan(&id, &name); err != nil {
				rows.Close()
				return nil, err
			}
			names[id] = name
		}
		if err := rows.Close(); err != nil {
			return nil, err
		}
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return names, nil
}

// DeleteSavedAnswersIn deletes personID's saved answers within tx, a
// transaction of the caller's that deletes what was kept because of them
// (the support alerts' matches) at the same time.
func DeleteSavedAnswersIn(ctx context.Context, db *store.DB, tx *sql.Tx, personID int64) error {
	if _, err := tx.ExecContext(ctx, db.Rebind(`DELETE FROM support_saved_answers WHERE person_id = ?`), personID); err != nil {
		return fmt.Errorf("accounts: deleting saved support answers: %w", db.MapError(err))
	}
	return nil
}
