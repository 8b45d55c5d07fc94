package payments

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"sportello/store"
)

// SimulatedName is the simulated provider's name, stored with its payments.
const SimulatedName = "simulated"

// DefaultSimulatedPath is where the portal serves the simulated checkout:
// GET {path}{session id} shows it, POST with a choice answers it.
const DefaultSimulatedPath = "/payments/simulated/"

// SimulatedConfig configures the simulated provider.
type SimulatedConfig struct {
	Env        string           // SPORTELLO_ENV: "production" is refused
	PathPrefix string           // DefaultSimulatedPath when empty
	Now        func() time.Time // time.Now when nil
}

// Simulated is the built-in payment provider for development and
// demonstrations: its checkout is a page of Sportello's with Pay, Decline
// and Cancel, and it keeps its sessions in its own tables, apart from the
// payments, as Stripe would. What the applicant chooses becomes an Event
// processed exactly like a Stripe webhook's.
type Simulated struct {
	db   *store.DB
	path string
	now  func() time.Time
}

// NewSimulated returns the simulated provider, or ErrProduction when
// cfg.Env is "production": no real council may take pretend payments.
func NewSimulated(db *store.DB, cfg SimulatedConfig) (*Simulated, error) {
	if strings.EqualFold(strings.TrimSpace(cfg.Env), "production") {
		return nil, ErrProduction
	}
	if db == nil {
		return nil, errors.New("payments: the simulated provider needs the database")
	}
	s := &Simulated{db: db, path: cfg.PathPrefix, now: cfg.Now}
	if s.path == "" {
		s.path = DefaultSimulatedPath
	}
	if s.now == nil {
		s.now = time.Now
	}
	return s, nil
}

// Name is "simulated".
func (*Simulated) Name() string { return SimulatedName }

const simColumns = `id, payment_id, title, amount, currency, success_url, cancel_url, status, payment_status,
	payment_intent_id, refunded, expires_at`

type simSession struct {
	Session
	PaymentID  int64
	Title      string
	SuccessURL string
	CancelURL  string
	Refunded   int64
}

func (m *Simulated) get(ctx context.Context, q store.Querier, where string, lock bool, args ...any) (simSession, error) {
	query := `SELECT ` + simColumns + ` FROM payment_simulated_sessions WHERE ` + where
	if lock {
		query += m.db.ForUpdate()
	}
	var s simSession
	var expires int64
	err := q.QueryRowContext(ctx, m.db.Rebind(query), args...).Scan(&s.ID, &s.PaymentID, &s.Title, &s.AmountTotal,
		&s.Currency, &s.SuccessURL, &s.CancelURL, &s.Status, &s.PaymentStatus, &s.PaymentIntent, &s.Refunded, &expires)
	if err != nil {
		err = m.db.MapError(err)
		if errors.Is(err, sql.ErrNoRows) {
			return s, ErrNotFound
		}
		return s, err
	}
	s.ExpiresAt = time.Unix(expires, 0).UTC()
	// Like Stripe's, an open session past its expiry reads as expired.
	if s.Status == SessionOpen && !m.now().Before(s.ExpiresAt) {
		s.Status = SessionExpired
	}
	s.URL = m.path + s.ID
	if s.PaymentStatus == PaymentStatusPaid {
		s.CardBrand, s.CardLast4 = "visa", "4242"
	}
	return s, nil
}

// CreateSession records a session; the same idempotency key returns the
// session already recorded.
func (m *Simulated) CreateSession(ctx context.Context, r SessionRequest) (Session, error) {
	id := "cs_sim_" + randomToken(12)
	_, err := m.db.SQL().ExecContext(ctx, m.db.Rebind(`INSERT INTO payment_simulated_sessions (id, idempotency_key,
		payment_id, title, amount, currency, success_url, cancel_url, status, payment_status, payment_intent_id,
		expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'open', 'unpaid', ?, ?, ?)
		ON CONFLICT (idempotency_key) DO NOTHING`),
		id, r.IdempotencyKey, r.PaymentID, r.Title, r.Amount, strings.ToLower(r.Currency), r.SuccessURL, r.CancelURL,
		"pi_sim_"+randomToken(12), r.ExpiresAt.Unix(), m.now().Unix())
	if err != nil {
		return Session{}, m.db.MapError(err)
	}
	s, err := m.get(ctx, m.db.SQL(), `idempotency_key = ?`, false, r.IdempotencyKey)
	return s.Session, err
}

// GetSession returns a session's state.
func (m *Simulated) GetSession(ctx context.Context, sessionID string) (Session, error) {
	s, err := m.get(ctx, m.db.SQL(), `id = ?`, false, sessionID)
	return s.Session, err
}

// ExpireSession closes an open session, as Stripe's expire does.
func (m *Simulated) ExpireSession(ctx context.Context, sessionID string) error {
	_, err := m.close(ctx, sessionID, SessionExpired, PaymentStatusUnpaid)
	return err
}

// close moves an open, unexpired session to status, in the provider's own
// transaction, and returns it as it was.
func (m *Simulated) close(ctx context.Context, sessionID, status, paymentStatus string) (simSession, error) {
	var s simSession
	err := m.db.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		s, err = m.get(ctx, tx, `id = ?`, true, sessionID)
		if err != nil {
			return err
		}
		if s.Status != SessionOpen {
			return fmt.Errorf("%w: %w: the session of payment %d is %s", ErrProviderRefused, ErrNotOpen, s.PaymentID, s.Status)
		}
		_, err = tx.ExecContext(ctx, m.db.Rebind(`UPDATE payment_simulated_sessions SET status = ?, payment_status = ?
			WHERE id = ?`), status, paymentStatus, sessionID)
		return m.db.MapError(err)
	})
	return s, err
}

// Refund refunds part of a paid session, never more than is left, once per
// idempotency key.
func (m *Simulated) Refund(ctx context.Context, r RefundRequest) (string, error) {
	var id string
	err := m.db.Tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, m.db.Rebind(`SELECT id FROM payment_simulated_refunds WHERE idempotency_key = ?`),
			r.IdempotencyKey).Scan(&id)
		if err == nil {
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return m.db.MapError(err)
		}
		s, err := m.get(ctx, tx, `payment_intent_id = ?`, true, r.PaymentIntent)
		if errors.Is(err, ErrNotFound) {
			return fmt.Errorf("%w: no simulated payment %s", ErrProviderRefused, r.PaymentIntent)
		}
		if err != nil {
			return err
		}
		if s.PaymentStatus != PaymentStatusPaid || s.Refunded+r.Amount > s.AmountTotal {
			return fmt.Errorf("%w: refund of %d on %s, which has %d left to refund", ErrProviderRefused, r.Amount, r.PaymentIntent, s.AmountTotal-s.Refunded)
		}
		id = "re_sim_" + randomToken(12)
		if _, err := tx.ExecContext(ctx, m.db.Rebind(`INSERT INTO payment_simulated_refunds (id, idempotency_key,
			session_id, amount, created_at) VALUES (?, ?, ?, ?, ?)`), id, r.IdempotencyKey, s.ID, r.Amount, m.now().Unix()); err != nil {
			return m.db.MapError(err)
		}
		_, err = tx.ExecContext(ctx, m.db.Rebind(`UPDATE payment_simulated_sessions SET refunded = refunded + ? WHERE id = ?`), r.Amount, s.ID)
		return m.db.MapError(err)
	})
	return id, err
}

// ParseWebhook refuses everything: the simulated provider sends no webhooks,
// its events come from the checkout page through SimulatedChoose.
func (*Simulated) ParseWebhook([]byte, string) (Event, error) {
	return Event{}, fmt.Errorf("%w: the simulated payment provider sends no webhooks", ErrBadSignature)
}

// SimulatedCheckout is what the simulated checkout page shows.
type SimulatedCheckout struct {
	SessionID string
	PaymentID int64
	Reference string
	Title     string
	Amount    int64
	Currency  string
	ExpiresAt time.Time
	Open      bool   // show Pay, Decline and Cancel only when true
	Status    string // the session's: open, complete, expired
}

// Choices on the simulated checkout page.
const (
	SimulatedPay     = "pay"
	SimulatedDecline = "decline"
	SimulatedCancel  = "cancel"
)

func (s *Service) simulated() (*Simulated, error) {
	m, ok := s.provider.(*Simulated)
	if !ok {
		return nil, ErrNotSimulated
	}
	return m, nil
}

// SimulatedCheckout returns the simulated checkout page's data; ErrNotFound
// for an unknown session, ErrNotSimulated when Stripe is configured.
func (s *Service) SimulatedCheckout(ctx context.Context, sessionID string) (SimulatedCheckout, error) {
	m, err := s.simulated()
	if err != nil {
		return SimulatedCheckout{}, err
	}
	sess, err := m.get(ctx, s.db.SQL(), `id = ?`, false, sessionID)
	if err != nil {
		return SimulatedCheckout{}, err
	}
	p, err := s.Payment(ctx, sess.PaymentID)
	if err != nil {
		return SimulatedCheckout{}, err
	}
	return SimulatedCheckout{SessionID: sess.ID, PaymentID: p.ID, Reference: p.Reference, Title: sess.Title,
		Amount: sess.AmountTotal, Currency: sess.Currency, ExpiresAt: sess.ExpiresAt,
		Open: sess.Status == SessionOpen, Status: sess.Status}, nil
}

// SimulatedChoose answers the simulated checkout: SimulatedPay charges it
// (checkout.session.completed), SimulatedDecline declines it
// (payment_intent.payment_failed; the applicant may start again), and
// SimulatedCancel leaves it (as Cancel does for Stripe). The provider's
// state changes first, then its event is processed like a webhook's, so a
// crash between the two is repaired by Confirm or Reconcile. It returns where
// to send the browser: the success URL after Pay, the cancel URL otherwise.
// ErrNotOpen when the session was already answered or expired.
func (s *Service) SimulatedChoose(ctx context.Context, sessionID, choice string) (redirectURL string, err error) {
	m, err := s.simulated()
	if err != nil {
		return "", err
	}
	sess, err := m.get(ctx, s.db.SQL(), `id = ?`, false, sessionID)
	if err != nil {
		return "", err
	}
	ev := Event{ID: "evt_sim_" + randomToken(12), Provider: SimulatedName, SessionID: sess.ID, PaymentID: sess.PaymentID,
		PaymentIntent: sess.PaymentIntent, AmountTotal: sess.AmountTotal, Currency: sess.Currency}
	switch choice {
	case SimulatedPay:
		if _, err := m.close(ctx, sessionID, SessionComplete, PaymentStatusPaid); err != nil {
			return "", unwrapRefused(err)
		}
		ev.Type, ev.PaymentStatus = EventCheckoutCompleted, PaymentStatusPaid
		ev.CardBrand, ev.CardLast4 = "visa", "4242"
		redirectURL = strings.ReplaceAll(sess.SuccessURL, "{CHECKOUT_SESSION_ID}", sess.ID)
	case SimulatedDecline:
		if _, err := m.close(ctx, sessionID, SessionExpired, PaymentStatusUnpaid); err != nil {
			return "", unwrapRefused(err)
		}
		ev.Type, ev.PaymentStatus = EventPaymentFailed, PaymentStatusUnpaid
		ev.FailureMessage = "the card was declined (simulated)"
		redirectURL = sess.CancelURL
	case SimulatedCancel:
		if _, err := s.Cancel(ctx, sess.PaymentID); err != nil {
			return "", err
		}
		return sess.CancelURL, nil
	default:
		return "", fmt.Errorf("%w: the simulated checkout's choice is %q; use %s, %s or %s", ErrInvalid, choice, SimulatedPay, SimulatedDecline, SimulatedCancel)
	}
	result, err := s.process(ctx, ev)
	if err != nil {
		return "", err
	}
	s.log.InfoContext(ctx, "payments: simulated checkout answered", "payment_id", sess.PaymentID, "choice", choice, "result", result)
	return redirectURL, nil
}

// unwrapRefused keeps ErrNotOpen for the caller and drops the provider
// wording, which means nothing to the simulated page.
func unwrapRefused(err error) error {
	if errors.Is(err, ErrNotOpen) {
		return ErrNotOpen
	}
	return err
}
