package notify

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"time"

	"sportello/store"
)

// What a person controls in their account: the address to write to, when
// not the one their identity provider verified (confirmed by a link sent
// to it), and the log of what was sent to them.

// ConfirmationValidity is how long a confirmation link works.
const ConfirmationValidity = 24 * time.Hour

// MaxConfirmationsPerDay is how many confirmation links one person may ask
// for in 24 hours: each is a mail to an address nobody has confirmed yet,
// so the form must not become a way to mail strangers.
const MaxConfirmationsPerDay = 5

// maxAddressLength is the longest address SMTP carries (RFC 5321's path,
// less its angle brackets).
const maxAddressLength = 254

// Errors of the address and its confirmation.
var (
	ErrInvalidAddress       = errors.New("notify: not an email address")
	ErrTooManyConfirmations = errors.New("notify: too many confirmation links asked for today")
	// ErrConfirmationUnknown: no such link, or it was used, or a newer
	// link replaced it.
	ErrConfirmationUnknown = errors.New("notify: unknown confirmation link")
	ErrConfirmationExpired = errors.New("notify: the confirmation link has expired")
	// ErrConfirmationNotYours: the link was sent for another person.
	ErrConfirmationNotYours = errors.New("notify: the confirmation link is another person's")
)

// ParseAddress checks that s (spaces around it aside) is a bare email
// address, like name@example.com, and returns it trimmed.
func ParseAddress(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > maxAddressLength {
		return "", ErrInvalidAddress
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s {
		return "", ErrInvalidAddress
	}
	at := strings.LastIndexByte(s, '@')
	domain := s[at+1:]
	if !strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") {
		return "", ErrInvalidAddress
	}
	return s, nil
}

// Confirmation is an address waiting for its link to be followed.
type Confirmation struct {
	Email   string
	Expires time.Time
}

// StartEmailConfirmation asks for email to become personID's address: it
// records the confirmation and, in the same transaction, an EmailConfirm
// notification to that address carrying the link's token, in lang. Only
// the token's SHA-256 is kept; the newest link replaces the person's
// earlier ones. ErrInvalidAddress when email is not an address,
// ErrTooManyConfirmations past MaxConfirmationsPerDay.
func (s *Store) StartEmailConfirmation(ctx context.Context, personID int64, email, lang string) (Confirmation, error) {
	addr, err := ParseAddress(email)
	if err != nil {
		return Confirmation{}, err
	}
	var raw [32]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return Confirmation{}, err
	}
	token := base64.RawURLEncoding.EncodeToString(raw[:])
	hash := tokenHash(token)
	now := s.now()
	c := Confirmation{Email: addr, Expires: now.Add(ConfirmationValidity)}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		var asked int
		err := tx.QueryRowContext(ctx, s.db.Rebind(`SELECT COUNT(*) FROM notifications
			WHERE person_id = ? AND kind = ? AND created_at > ?`),
			personID, string(EmailConfirm), now.Add(-24*time.Hour).UnixMilli()).Scan(&asked)
		if err != nil {
			return err
		}
		if asked >= MaxConfirmationsPerDay {
			return ErrTooManyConfirmations
		}
		// The earlier links stop working, and their mails, when not sent
		// yet, are not sent.
		if _, err := tx.ExecContext(ctx, s.db.Rebind(`DELETE FROM email_confirmations WHERE person_id = ?`), personID); err != nil {
			return err
		}
		if err := SkipPending(ctx, s.db, tx, personID, EmailConfirm, "obsolete"); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.db.Rebind(`INSERT INTO email_confirmations (token_hash, person_id, email, expires_at)
			VALUES (?, ?, ?, ?)`), hash, personID, addr, c.Expires.UnixMilli()); err != nil {
			return err
		}
		return Add(ctx, s.db, tx, now, Event{
			Kind: EmailConfirm, Key: "email_confirm:" + hash,
			PersonID: personID, Address: addr, Lang: lang,
			Data: map[string]string{"token": token},
		})
	})
	if err != nil {
		if errors.Is(err, ErrTooManyConfirmations) {
			return Confirmation{}, err
		}
		return Confirmation{}, fmt.Errorf("notify: asking to confirm an address: %w", s.db.MapError(err))
	}
	return c, nil
}

// PendingConfirmation returns the address personID asked to use and has
// not confirmed yet, while its link works; false when there is none.
func (s *Store) PendingConfirmation(ctx context.Context, personID int64) (Confirmation, bool, error) {
	var c Confirmation
	var expires int64
	err := s.db.SQL().QueryRowContext(ctx, s.db.Rebind(`SELECT email, expires_at FROM email_confirmations
		WHERE person_id = ? AND expires_at > ? ORDER BY expires_at DESC LIMIT 1`), personID, s.now().UnixMilli()).
		Scan(&c.Email, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return Confirmation{}, false, nil
	}
	if err != nil {
		return Confirmation{}, false, fmt.Errorf("notify: reading a pending confirmation: %w", s.db.MapError(err))
	}
	c.Expires = time.UnixMilli(expires)
	return c, true, nil
}

// Confirmation returns what the link of token would confirm for personID,
// without confirming it: ErrConfirmationUnknown, ErrConfirmationExpired or
// ErrConfirmationNotYours when it would not.
func (s *Store) Confirmation(ctx context.Context, personID int64, token string) (Confirmation, error) {
	return s.checkConfirmation(ctx, s.db.SQL(), personID, token, "")
}

func (s *Store) checkConfirmation(ctx context.Context, q store.Querier, personID int64, token, lock string) (Confirmation, error) {
	var owner, expires int64
	var c Confirmation
	err := q.QueryRowContext(ctx, s.db.Rebind(`SELECT person_id, email, expires_at FROM email_confirmations
		WHERE token_hash = ?`+lock), tokenHash(token)).Scan(&owner, &c.Email, &expires)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return Confirmation{}, ErrConfirmationUnknown
	case err != nil:
		return Confirmation{}, fmt.Errorf("notify: reading a confirmation: %w", s.db.MapError(err))
	case owner != personID:
		return Confirmation{}, ErrConfirmationNotYours
	}
	c.Expires = time.UnixMilli(expires)
	if !s.now().Before(c.Expires) {
		return Confirmation{}, ErrConfirmationExpired
	}
	return c, nil
}

// ConfirmEmail follows the link of token for personID: its address
// becomes the one their mail goes to, and their other links stop working.
// It returns the address, or the errors of Confirmation.
func (s *Store) ConfirmEmail(ctx context.Context, personID int64, token string) (string, error) {
	var c Confirmation
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		if c, err = s.checkConfirmation(ctx, tx, personID, token, s.db.ForUpdate()); err != nil {
			return err
		}
		now := s.now().UnixMilli()
		if _, err := tx.ExecContext(ctx, s.db.Rebind(`INSERT INTO notification_settings
			(person_id, email, email_confirmed_at, updated_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (person_id) DO UPDATE SET email = excluded.email,
			email_confirmed_at = excluded.email_confirmed_at, updated_at = excluded.updated_at`),
			personID, c.Email, now, now); err != nil {
			return s.db.MapError(err)
		}
		if _, err := tx.ExecContext(ctx, s.db.Rebind(`DELETE FROM email_confirmations WHERE person_id = ?`), personID); err != nil {
			return s.db.MapError(err)
		}
		return SkipPending(ctx, s.db, tx, personID, EmailConfirm, "obsolete")
	})
	if err != nil {
		return "", err
	}
	return c.Email, nil
}

// ForgetEmail stops using the address personID confirmed: their mail goes
// to the one their identity provider verified again, if any.
func (s *Store) ForgetEmail(ctx context.Context, personID int64) error {
	_, err := s.db.SQL().ExecContext(ctx, s.db.Rebind(`UPDATE notification_settings
		SET email = '', email_confirmed_at = 0, updated_at = ? WHERE person_id = ?`), s.now().UnixMilli(), personID)
	if err != nil {
		return fmt.Errorf("notify: forgetting a confirmed address: %w", s.db.MapError(err))
	}
	return nil
}

// tokenHash is what is kept of a confirmation link's token.
func tokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// SetSupportAlerts turns personID's support alerts on or off within tx, a
// transaction of the caller's (package supportalerts keeps what the alerts
// need beside it). Turning them on also takes SupportAlert out of the
// kinds turned off, where the mail's unsubscribe link puts it, so that the
// two never disagree about a fresh choice.
func SetSupportAlerts(ctx context.Context, db *store.DB, tx *sql.Tx, personID int64, on bool, now time.Time) error {
	st, err := readSettings(ctx, db, tx, personID)
	if err != nil {
		return err
	}
	var off []string
	for _, k := range st.Off {
		if !(on && k == SupportAlert) {
			off = append(off, string(k))
		}
	}
	_, err = tx.ExecContext(ctx, db.Rebind(`INSERT INTO notification_settings
		(person_id, off_kinds, support_alerts, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (person_id) DO UPDATE SET off_kinds = excluded.off_kinds,
		support_alerts = excluded.support_alerts, updated_at = excluded.updated_at`),
		personID, strings.Join(off, " "), on, now.UnixMilli())
	if err != nil {
		return fmt.Errorf("notify: setting the support alerts of a person: %w", db.MapError(err))
	}
	return nil
}

// AlertsOn reports whether st lets support alerts through: asked for, and
// not turned off since by the mail's unsubscribe link.
func (st Settings) AlertsOn() bool { return st.SupportAlerts && st.Receives(SupportAlert) }

// SkipPending marks personID's notifications of kind not sent yet as
// skipped for reason (obsolete, turned_off), within tx: what a person
// deleted or turned off is not mailed afterwards.
func SkipPending(ctx context.Context, db *store.DB, tx *sql.Tx, personID int64, kind Kind, reason string) error {
	_, err := tx.ExecContext(ctx, db.Rebind(`UPDATE notifications SET status = 'skipped', skip_reason = ?, data = '{}'
		WHERE person_id = ? AND kind = ? AND status = 'pending'`), reason, personID, string(kind))
	if err != nil {
		return fmt.Errorf("notify: skipping pending %s: %w", kind, db.MapError(err))
	}
	return nil
}

// Statuses of a notification in the log.
const (
	StatusPending = "pending"
	StatusSent    = "sent"
	StatusFailed  = "failed"
	StatusSkipped = "skipped"
)

// LogEntry is one notification as its person sees it in their account.
type LogEntry struct {
	Kind    Kind
	Subject string // empty until it was written
	Status  string // StatusPending, StatusSent, StatusFailed, StatusSkipped
	// Reason is why it was skipped: no_address, turned_off, obsolete.
	Reason  string
	Address string // where it went, or was to go
	At      time.Time
	SentAt  time.Time // zero until sent
}

// LogPage is a page of a person's log, newest first, and how many
// notifications they have in all.
type LogPage struct {
	Entries []LogEntry
	Total   int
}

// qLog selects a person's log, newest first.
const qLog = `SELECT kind, subject, status, skip_reason,
	CASE WHEN sent_to <> '' THEN sent_to ELSE address END, created_at, sent_at
	FROM notifications WHERE person_id = ? ORDER BY created_at DESC, id`

func scanLogEntry(row store.Scanner) (LogEntry, error) {
	var e LogEntry
	var kind string
	var at, sent int64
	err := row.Scan(&kind, &e.Subject, &e.Status, &e.Reason, &e.Address, &at, &sent)
	e.Kind, e.At = Kind(kind), time.UnixMilli(at)
	if sent != 0 {
		e.SentAt = time.UnixMilli(sent)
	}
	return e, err
}

// Log returns the notifications of personID, newest first: limit of them
// after the first offset.
func (s *Store) Log(ctx context.Context, personID int64, limit, offset int) (LogPage, error) {
	var p LogPage
	err := s.db.ReadTx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, s.db.Rebind(`SELECT COUNT(*) FROM notifications WHERE person_id = ?`), personID).Scan(&p.Total)
		if err != nil {
			return err
		}
		p.Entries, err = store.Query(ctx, tx, s.db.Rebind(qLog+` LIMIT ? OFFSET ?`), scanLogEntry, personID, limit, offset)
		return err
	})
	if err != nil {
		return LogPage{}, fmt.Errorf("notify: reading the log of a person: %w", s.db.MapError(err))
	}
	return p, nil
}

// OptionalKinds are the kinds a person may turn off, in the order of
// Kinds.
func OptionalKinds() []Kind {
	return slices.DeleteFunc(slices.Clone(Kinds), func(k Kind) bool { return !k.Optional() })
}
