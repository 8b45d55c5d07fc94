package payments

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"time"

	"sportello/catalogue"
	"sportello/metrics"
	"sportello/store"
)

// Options configure a Service.
type Options struct {
	Provider  Provider  // required: stripe.New(...) or NewSimulated(...)
	Fulfiller Fulfiller // required: moves the application on when paid
	Logger    *slog.Logger
	// CheckoutTTL is how long a checkout stays payable: 30 minutes when
	// zero, which is also Stripe's minimum.
	CheckoutTTL time.Duration
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// Metrics count payments by result and the reconciliation's runs; nil
	// counts nothing.
	Metrics *metrics.Metrics
}

// MinCheckoutTTL is the shortest expiry Stripe accepts for a Checkout Session.
const MinCheckoutTTL = 30 * time.Minute

// abandonAfter is how long a created attempt (the provider never answered,
// or the process died before recording its answer) is left to its
// StartCheckout before Reconcile closes it. It is far longer than any
// provider call, and nobody can have paid it: the checkout URL is only handed
// out after the answer is recorded.
const abandonAfter = 10 * time.Minute

// Service takes payments. It is safe for concurrent use, also by several
// processes sharing the database.
type Service struct {
	db        *store.DB
	provider  Provider
	fulfiller Fulfiller
	log       *slog.Logger
	ttl       time.Duration
	now       func() time.Time
	metrics   *metrics.Metrics
}

// New returns a Service over db, whose migrations include the payments tables.
func New(db *store.DB, o Options) (*Service, error) {
	if db == nil || o.Provider == nil || o.Fulfiller == nil {
		return nil, errors.New("payments: New needs a database, a Provider and a Fulfiller")
	}
	s := &Service{db: db, provider: o.Provider, fulfiller: o.Fulfiller, log: o.Logger, ttl: o.CheckoutTTL, now: o.Now, metrics: o.Metrics}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.ttl == 0 {
		s.ttl = MinCheckoutTTL
	}
	if s.ttl < MinCheckoutTTL {
		return nil, fmt.Errorf("payments: CheckoutTTL %s is shorter than Stripe's minimum of %s", s.ttl, MinCheckoutTTL)
	}
	if s.now == nil {
		s.now = time.Now
	}
	return s, nil
}

// ProviderName is the configured provider's name: "stripe" or "simulated".
func (s *Service) ProviderName() string { return s.provider.Name() }

// StartInput is what StartCheckout needs. The portal fills it from the
// application's fee snapshot, never from the browser.
type StartInput struct {
	ApplicationID int64
	Reference     string // the application's reference, e.g. PN-4KX7-9QJM
	ServiceSlug   string
	Fee           catalogue.Fee // the snapshot taken when the application was made
	Title         string        // the service's title in Lang: the checkout's line item
	Lang          string
	// PersonID is the applicant, who is told of the payment (paid, failed,
	// expired, refunded) in Lang; for an application made without signing
	// in, Email is the address they gave. Neither: nobody is told.
	PersonID   int64
	Email      string
	SuccessURL string // absolute; {CHECKOUT_SESSION_ID} is replaced by the session id
	CancelURL  string // absolute
}

func (in StartInput) validate() error {
	var problems []string
	if in.ApplicationID <= 0 {
		problems = append(problems, "ApplicationID must be set")
	}
	if strings.TrimSpace(in.Reference) == "" {
		problems = append(problems, "Reference must be set")
	}
	if strings.TrimSpace(in.ServiceSlug) == "" {
		problems = append(problems, "ServiceSlug must be set")
	}
	if in.Fee.Amount <= 0 {
		problems = append(problems, "the fee amount must be positive (a free service needs no payment)")
	}
	if len(in.Fee.Currency) != 3 {
		problems = append(problems, fmt.Sprintf("the fee currency %q is not a three-letter ISO 4217 code", in.Fee.Currency))
	}
	if in.Fee.When != catalogue.FeeOnApplication && in.Fee.When != catalogue.FeeOnApproval {
		problems = append(problems, fmt.Sprintf("the fee's when %q is neither %s nor %s", in.Fee.When, catalogue.FeeOnApplication, catalogue.FeeOnApproval))
	}
	if strings.TrimSpace(in.Title) == "" {
		problems = append(problems, "Title must be set: it is the line item the applicant sees")
	}
	for name, u := range map[string]string{"SuccessURL": in.SuccessURL, "CancelURL": in.CancelURL} {
		if !absoluteHTTP(u) {
			problems = append(problems, fmt.Sprintf("%s %q must be an absolute http(s) URL: the provider redirects the browser to it", name, u))
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("%w: %s", ErrInvalid, strings.Join(problems, "; "))
	}
	return nil
}

func absoluteHTTP(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}

// StartCheckout starts a checkout for an application's fee, or returns the
// application's open one when it is still payable for the same amount. The
// payment is recorded (created, with its idempotency key) before the
// provider is called, so that a crash anywhere leaves a record for
// Reconcile. It refuses with ErrAlreadyPaid, ErrUnderReview or ErrInProgress.
func (s *Service) StartCheckout(ctx context.Context, in StartInput) (Checkout, error) {
	if err := in.validate(); err != nil {
		return Checkout{}, err
	}
	in.Fee.Currency = strings.ToLower(in.Fee.Currency)
	// A stale open attempt is closed first (which needs the provider, so
	// outside the transaction) and the start tried again; a lost race for
	// the open slot is tried again once to report what won it.
	for range 3 {
		p, stale, resumed, err := s.begin(ctx, in)
		switch {
		case errors.Is(err, catalogue.ErrConflict):
			continue
		case err != nil:
			return Checkout{}, err
		case stale:
			if _, err := s.Cancel(ctx, p.ID); err != nil && !errors.Is(err, ErrNotOpen) {
				return Checkout{}, fmt.Errorf("payments: closing the earlier checkout of %s: %w", p.Reference, err)
			}
			continue
		case resumed:
			return Checkout{PaymentID: p.ID, SessionID: p.SessionID, URL: p.CheckoutURL, ExpiresAt: p.ExpiresAt, Resumed: true}, nil
		}
		return s.callProvider(ctx, p, in)
	}
	return Checkout{}, ErrInProgress
}

// begin decides, in one transaction over the application's attempts, whether
// to resume an open attempt, close a stale one, refuse, or record a new one.
func (s *Service) begin(ctx context.Context, in StartInput) (p Payment, stale, resumed bool, err error) {
	now := s.now()
	abandoned := 0
	defer func() {
		if err == nil {
			s.count(ResultExpired, abandoned)
		}
	}()
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		attempts, last, err := s.payable(ctx, tx, in.ApplicationID)
		if err != nil {
			return err
		}
		for _, a := range attempts {
			switch {
			case a.Status == StatusCreated && now.Sub(a.CreatedAt) >= abandonAfter:
				// What Reconcile would do: nobody has its URL.
				if _, err := tx.ExecContext(ctx, s.q(`UPDATE payments SET status = 'expired', failure_reason = ?,
					updated_at = ? WHERE id = ?`), "abandoned: the provider's answer was never recorded", now.Unix(), a.ID); err != nil {
					return s.mapErr(err)
				}
				abandoned++
			case a.Status == StatusCreated:
				return ErrInProgress
			case a.Status == StatusPending:
				// Resume only what the applicant can still finish paying, for
				// the fee asked now.
				if a.ExpiresAt.After(now.Add(2*time.Minute)) && a.Amount == in.Fee.Amount && a.Currency == in.Fee.Currency {
					p, resumed = a, true
				} else {
					p, stale = a, true
				}
				return nil
			}
		}
		p = Payment{
			ID:            store.NewID(),
			ApplicationID: in.ApplicationID,
			Reference:     in.Reference,
			ServiceSlug:   in.ServiceSlug,
			ServiceTitle:  in.Title,
			Lang:          in.Lang,
			PersonID:      in.PersonID,
			ContactEmail:  in.Email,
			FeeWhen:       in.Fee.When,
			Attempt:       last + 1,
			Provider:      s.provider.Name(),
			Amount:        in.Fee.Amount,
			Currency:      in.Fee.Currency,
			Status:        StatusCreated,
			CreatedAt:     now.UTC().Truncate(time.Second),
		}
		p.UpdatedAt = p.CreatedAt
		// A new attempt, a new key: the provider must not hand back the
		// expired or declined session of an earlier one.
		p.IdempotencyKey = "sportello-checkout-" + strconv.FormatInt(p.ID, 10) + "-" + strconv.Itoa(p.Attempt)
		_, err = tx.ExecContext(ctx, s.q(`INSERT INTO payments (id, application_id, reference, service_slug,
			service_title, lang, fee_when, attempt, provider, idempotency_key, amount, currency, status,
			created_at, updated_at, person_id, contact_email) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
			p.ID, p.ApplicationID, p.Reference, p.ServiceSlug, p.ServiceTitle, p.Lang, p.FeeWhen,
			p.Attempt, p.Provider, p.IdempotencyKey, p.Amount, p.Currency, p.Status, now.Unix(), now.Unix(),
			store.NullID(p.PersonID), p.ContactEmail)
		return s.mapErr(err)
	})
	return p, stale, resumed, err
}

// callProvider asks the provider for the checkout of a created attempt and
// records its answer.
func (s *Service) callProvider(ctx context.Context, p Payment, in StartInput) (Checkout, error) {
	// An applicant who closes the tab must not leave the attempt half
	// started, blocking the next one until Reconcile: finish regardless.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Minute)
	defer cancel()
	expires := s.now().Add(s.ttl).Truncate(time.Second)
	sess, err := s.provider.CreateSession(ctx, SessionRequest{
		PaymentID:      p.ID,
		ApplicationID:  p.ApplicationID,
		Reference:      p.Reference,
		Amount:         p.Amount,
		Currency:       p.Currency,
		Title:          p.ServiceTitle,
		Lang:           p.Lang,
		SuccessURL:     in.SuccessURL,
		CancelURL:      in.CancelURL,
		ExpiresAt:      expires,
		IdempotencyKey: p.IdempotencyKey,
	})
	if err != nil {
		// Nobody has the checkout URL, so nobody can pay this attempt even if
		// the provider did create it: close it so the applicant can retry.
		s.log.ErrorContext(ctx, "payments: the provider did not start a checkout", "payment_id", p.ID, "reference", p.Reference, "err", err)
		res, uerr := s.db.SQL().ExecContext(ctx, s.q(`UPDATE payments SET status = 'failed', failure_reason = ?,
			updated_at = ? WHERE id = ? AND status = 'created'`), "the provider did not start the checkout: "+err.Error(), s.now().Unix(), p.ID)
		if uerr == nil {
			s.countRows(ResultFailed, res)
		}
		return Checkout{}, errors.Join(fmt.Errorf("%w: starting a checkout: %w", ErrProvider, err), s.mapErr(uerr))
	}
	if !sess.ExpiresAt.IsZero() {
		expires = sess.ExpiresAt
	}
	res, err := s.db.SQL().ExecContext(ctx, s.q(`UPDATE payments SET status = 'pending', session_id = ?,
		checkout_url = ?, expires_at = ?, updated_at = ? WHERE id = ? AND status = 'created'`),
		sess.ID, sess.URL, expires.Unix(), s.now().Unix(), p.ID)
	if err != nil {
		return Checkout{}, s.mapErr(err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return Checkout{}, fmt.Errorf("%w: payment %d was closed while its checkout was being started; start again", ErrNotOpen, p.ID)
	}
	s.log.InfoContext(ctx, "payments: checkout started", "payment_id", p.ID, "reference", p.Reference,
		"attempt", p.Attempt, "provider", p.Provider)
	return Checkout{PaymentID: p.ID, SessionID: sess.ID, URL: sess.URL, ExpiresAt: expires}, nil
}

// Cancel closes an open attempt, for the applicant who left the checkout
// (the cancel URL, the simulated page's Cancel): the session is expired at
// the provider first, so that it can no longer be paid, and the attempt is
// then marked cancelled through the event processing. When the provider
// refuses because the session was paid or expired meanwhile, the provider's
// state is recorded instead and ErrNotOpen returned.
func (s *Service) Cancel(ctx context.Context, paymentID int64) (Payment, error) {
	p, err := s.Payment(ctx, paymentID)
	if err != nil {
		return Payment{}, err
	}
	if !p.Open() {
		return p, ErrNotOpen
	}
	if p.SessionID == "" {
		// Still being started: nobody has its URL, the provider need not know.
		res, err := s.db.SQL().ExecContext(ctx, s.q(`UPDATE payments SET status = 'cancelled', updated_at = ?
			WHERE id = ? AND status = 'created'`), s.now().Unix(), p.ID)
		if err != nil {
			return p, s.mapErr(err)
		}
		s.countRows(ResultCancelled, res)
		return s.Payment(ctx, paymentID)
	}
	if err := s.provider.ExpireSession(ctx, p.SessionID); err != nil {
		if serr := s.syncSession(ctx, p); serr != nil {
			return p, fmt.Errorf("%w: expiring the session of payment %d: %w", ErrProvider, p.ID, errors.Join(err, serr))
		}
		if p, rerr := s.Payment(ctx, paymentID); rerr == nil && !p.Open() {
			return p, ErrNotOpen
		}
		return p, fmt.Errorf("%w: expiring the session of payment %d: %w", ErrProvider, p.ID, err)
	}
	ev := Event{ID: "cancel_" + p.SessionID, Type: EventCheckoutCancelled, Provider: p.Provider, SessionID: p.SessionID, PaymentID: p.ID}
	if _, err := s.process(ctx, ev); err != nil {
		return p, err
	}
	return s.Payment(ctx, paymentID)
}

// Payment returns a payment by id.
func (s *Service) Payment(ctx context.Context, paymentID int64) (Payment, error) {
	return s.getPayment(ctx, s.db.SQL(), `id = ?`, false, paymentID)
}

// PaymentBySession returns the payment of a provider session of the
// configured provider.
func (s *Service) PaymentBySession(ctx context.Context, sessionID string) (Payment, error) {
	return s.getPayment(ctx, s.db.SQL(), `provider = ? AND session_id = ?`, false, s.provider.Name(), sessionID)
}

// Status returns the application's latest attempt: what its pages show
// ("pay now", "we're confirming your payment", "payment received").
// ErrNotFound when the application has no payment.
func (s *Service) Status(ctx context.Context, applicationID int64) (Payment, error) {
	return s.getPayment(ctx, s.db.SQL(), `application_id = ? ORDER BY attempt DESC LIMIT 1`, false, applicationID)
}

// Attempts returns every attempt of an application, first first.
func (s *Service) Attempts(ctx context.Context, applicationID int64) ([]Payment, error) {
	return s.listPayments(ctx, s.db.SQL(), `SELECT `+paymentColumns+` FROM payments WHERE application_id = ? ORDER BY attempt`, applicationID)
}
