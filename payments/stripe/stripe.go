// Package stripe is Sportello's payments.Provider on Stripe Checkout
// (stripe-go v76, API version 2023-10-16). Each Provider has its own API
// client and backend, so nothing is global: two providers (tests, a
// stripe-mock and the real API) live side by side.
package stripe

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	stripeapi "github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/client"
	"github.com/stripe/stripe-go/v76/webhook"

	"sportello/payments"
)

// Name is stored with each payment made through Stripe.
const Name = "stripe"

// APIVersion is the Stripe API version this package speaks; the webhook
// endpoint must be created with it, or its events are refused.
const APIVersion = stripeapi.APIVersion

// Config configures the provider.
type Config struct {
	SecretKey     string       // SPORTELLO_STRIPE_SECRET_KEY, sk_live_... or sk_test_...
	WebhookSecret string       // SPORTELLO_STRIPE_WEBHOOK_SECRET, whsec_...
	APIURL        string       // SPORTELLO_STRIPE_API_URL; Stripe's when empty (stripe-mock in tests)
	HTTPClient    *http.Client // a client with a 30 s timeout when nil
	Logger        *slog.Logger
	// WebhookTolerance is how old a webhook's signature may be; the
	// library's 5 minutes when zero.
	WebhookTolerance time.Duration
}

// Provider is Stripe.
type Provider struct {
	api       *client.API
	secret    string
	tolerance time.Duration
}

// New returns the Stripe provider.
func New(cfg Config) (*Provider, error) {
	switch {
	case cfg.SecretKey == "":
		return nil, errors.New("stripe: no secret key; set SPORTELLO_STRIPE_SECRET_KEY")
	case cfg.WebhookSecret == "":
		return nil, errors.New("stripe: no webhook signing secret, so no payment could ever be confirmed; set SPORTELLO_STRIPE_WEBHOOK_SECRET to the endpoint's whsec_... secret")
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: 30 * time.Second}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	bc := &stripeapi.BackendConfig{
		HTTPClient:    cfg.HTTPClient,
		LeveledLogger: slogLogger{cfg.Logger},
		// Retries are safe: every request that changes something carries an
		// idempotency key.
		MaxNetworkRetries: stripeapi.Int64(2),
	}
	if cfg.APIURL != "" {
		bc.URL = stripeapi.String(cfg.APIURL)
	}
	backends := &stripeapi.Backends{
		API:     stripeapi.GetBackendWithConfig(stripeapi.APIBackend, bc),
		Connect: stripeapi.GetBackendWithConfig(stripeapi.ConnectBackend, &stripeapi.BackendConfig{HTTPClient: cfg.HTTPClient, LeveledLogger: slogLogger{cfg.Logger}}),
		Uploads: stripeapi.GetBackendWithConfig(stripeapi.UploadsBackend, &stripeapi.BackendConfig{HTTPClient: cfg.HTTPClient, LeveledLogger: slogLogger{cfg.Logger}}),
	}
	return &Provider{api: client.New(cfg.SecretKey, backends), secret: cfg.WebhookSecret, tolerance: cfg.WebhookTolerance}, nil
}

// Name is "stripe".
func (*Provider) Name() string { return Name }

// checkoutLocales are Sportello's languages that Stripe Checkout speaks;
// for the others (Catalan) Checkout follows the browser.
var checkoutLocales = map[string]bool{"en": true, "es": true, "fr": true, "it": true}

// CreateSession creates a Checkout Session in payment mode with one line
// item built from the fee snapshot.
func (p *Provider) CreateSession(ctx context.Context, r payments.SessionRequest) (payments.Session, error) {
	ids := map[string]string{
		"payment_id":     strconv.FormatInt(r.PaymentID, 10),
		"application_id": strconv.FormatInt(r.ApplicationID, 10),
		"reference":      r.Reference,
	}
	locale := "auto"
	if checkoutLocales[r.Lang] {
		locale = r.Lang
	}
	params := &stripeapi.CheckoutSessionParams{
		Params:            stripeapi.Params{Context: ctx},
		Metadata:          ids,
		Mode:              stripeapi.String(string(stripeapi.CheckoutSessionModePayment)),
		ClientReferenceID: stripeapi.String(r.Reference),
		SuccessURL:        stripeapi.String(r.SuccessURL),
		CancelURL:         stripeapi.String(r.CancelURL),
		ExpiresAt:         stripeapi.Int64(r.ExpiresAt.Unix()),
		Locale:            stripeapi.String(locale),
		SubmitType:        stripeapi.String(string(stripeapi.CheckoutSessionSubmitTypePay)),
		LineItems: []*stripeapi.CheckoutSessionLineItemParams{{
			Quantity: stripeapi.Int64(1),
			PriceData: &stripeapi.CheckoutSessionLineItemPriceDataParams{
				Currency:    stripeapi.String(strings.ToLower(r.Currency)),
				UnitAmount:  stripeapi.Int64(r.Amount),
				ProductData: &stripeapi.CheckoutSessionLineItemPriceDataProductDataParams{Name: stripeapi.String(r.Title)},
			},
		}},
		// The payment intent carries the ids too: its failure event names
		// no session.
		PaymentIntentData: &stripeapi.CheckoutSessionPaymentIntentDataParams{
			Metadata:    ids,
			Description: stripeapi.String(r.Reference + " " + r.Title),
		},
	}
	params.SetIdempotencyKey(r.IdempotencyKey)
	s, err := p.api.CheckoutSessions.New(params)
	if err != nil {
		return payments.Session{}, wrap("creating a checkout session", err)
	}
	return session(s), nil
}

// GetSession retrieves a session with its payment's card details.
func (p *Provider) GetSession(ctx context.Context, sessionID string) (payments.Session, error) {
	params := &stripeapi.CheckoutSessionParams{Params: stripeapi.Params{Context: ctx}}
	params.AddExpand("payment_intent.latest_charge")
	s, err := p.api.CheckoutSessions.Get(sessionID, params)
	if err != nil {
		return payments.Session{}, wrap("retrieving checkout session "+sessionID, err)
	}
	return session(s), nil
}

// ExpireSession expires an open session; Stripe refuses one that is not open.
func (p *Provider) ExpireSession(ctx context.Context, sessionID string) error {
	_, err := p.api.CheckoutSessions.Expire(sessionID, &stripeapi.CheckoutSessionExpireParams{Params: stripeapi.Params{Context: ctx}})
	return wrap("expiring checkout session "+sessionID, err)
}

// Refund refunds part or all of a payment intent.
func (p *Provider) Refund(ctx context.Context, r payments.RefundRequest) (string, error) {
	params := &stripeapi.RefundParams{
		Params: stripeapi.Params{Context: ctx},
		Metadata: map[string]string{
			"payment_id": strconv.FormatInt(r.PaymentID, 10),
			"refund_id":  strconv.FormatInt(r.RefundID, 10),
			"reason":     truncate(r.Reason, 500), // Stripe's limit for a metadata value
		},
		PaymentIntent: stripeapi.String(r.PaymentIntent),
		Amount:        stripeapi.Int64(r.Amount),
		Reason:        stripeapi.String(string(stripeapi.RefundReasonRequestedByCustomer)),
	}
	params.SetIdempotencyKey(r.IdempotencyKey)
	re, err := p.api.Refunds.New(params)
	if err != nil {
		return "", wrap("refunding "+r.PaymentIntent, err)
	}
	if re.Status == stripeapi.RefundStatusFailed || re.Status == stripeapi.RefundStatusCanceled {
		return "", fmt.Errorf("%w: refund %s is %s", payments.ErrProviderRefused, re.ID, re.Status)
	}
	return re.ID, nil
}

// ParseWebhook verifies the Stripe-Signature header on the raw body and
// reads the event.
func (p *Provider) ParseWebhook(payload []byte, sigHeader string) (payments.Event, error) {
	ev, err := webhook.ConstructEventWithOptions(payload, sigHeader, p.secret, webhook.ConstructEventOptions{Tolerance: p.tolerance})
	if err != nil {
		for _, sigErr := range []error{webhook.ErrNotSigned, webhook.ErrInvalidHeader, webhook.ErrNoValidSignature, webhook.ErrTooOld} {
			if errors.Is(err, sigErr) {
				return payments.Event{}, fmt.Errorf("%w: %w", payments.ErrBadSignature, err)
			}
		}
		return payments.Event{}, fmt.Errorf("%w: %w", payments.ErrBadEvent, err)
	}
	out := payments.Event{ID: ev.ID, Type: string(ev.Type), Provider: Name}
	if ev.Data == nil {
		return out, nil
	}
	raw := ev.Data.Raw
	switch out.Type {
	case payments.EventCheckoutCompleted, payments.EventCheckoutAsyncSucceeded, payments.EventCheckoutAsyncFailed, payments.EventCheckoutExpired:
		var s stripeapi.CheckoutSession
		if err := json.Unmarshal(raw, &s); err != nil {
			return out, fmt.Errorf("%w: %s: %w", payments.ErrBadEvent, ev.ID, err)
		}
		ss := session(&s)
		out.SessionID, out.PaymentStatus, out.AmountTotal, out.Currency = ss.ID, ss.PaymentStatus, ss.AmountTotal, ss.Currency
		out.PaymentIntent, out.CardBrand, out.CardLast4 = ss.PaymentIntent, ss.CardBrand, ss.CardLast4
		out.PaymentID = metadataID(s.Metadata)
	case payments.EventPaymentFailed:
		var pi stripeapi.PaymentIntent
		if err := json.Unmarshal(raw, &pi); err != nil {
			return out, fmt.Errorf("%w: %s: %w", payments.ErrBadEvent, ev.ID, err)
		}
		out.PaymentIntent, out.PaymentID = pi.ID, metadataID(pi.Metadata)
		out.AmountTotal, out.Currency = pi.Amount, string(pi.Currency)
		if pi.LastPaymentError != nil {
			out.FailureMessage = pi.LastPaymentError.Msg
		}
	case payments.EventChargeRefunded:
		var c stripeapi.Charge
		if err := json.Unmarshal(raw, &c); err != nil {
			return out, fmt.Errorf("%w: %s: %w", payments.ErrBadEvent, ev.ID, err)
		}
		if c.PaymentIntent != nil {
			out.PaymentIntent = c.PaymentIntent.ID
		}
		out.AmountTotal, out.Currency, out.AmountRefunded = c.Amount, string(c.Currency), c.AmountRefunded
		out.PaymentID = metadataID(c.Metadata)
	}
	return out, nil
}

func session(s *stripeapi.CheckoutSession) payments.Session {
	out := payments.Session{ID: s.ID, URL: s.URL, Status: string(s.Status), PaymentStatus: string(s.PaymentStatus),
		AmountTotal: s.AmountTotal, Currency: string(s.Currency)}
	if s.ExpiresAt != 0 {
		out.ExpiresAt = time.Unix(s.ExpiresAt, 0).UTC()
	}
	if pi := s.PaymentIntent; pi != nil {
		out.PaymentIntent = pi.ID
		if ch := pi.LatestCharge; ch != nil && ch.PaymentMethodDetails != nil && ch.PaymentMethodDetails.Card != nil {
			out.CardBrand, out.CardLast4 = string(ch.PaymentMethodDetails.Card.Brand), ch.PaymentMethodDetails.Card.Last4
		}
	}
	return out
}

func metadataID(md map[string]string) int64 {
	id, _ := strconv.ParseInt(md["payment_id"], 10, 64)
	return id
}

// wrap marks Stripe's definite refusals (4xx but 409, a concurrent request
// with the same idempotency key, and 429, rate limiting) as
// payments.ErrProviderRefused: they did not and will not take effect. Other
// errors may have, and are retried with the same idempotency key.
func wrap(what string, err error) error {
	if err == nil {
		return nil
	}
	var se *stripeapi.Error
	if errors.As(err, &se) && se.HTTPStatusCode >= 400 && se.HTTPStatusCode < 500 &&
		se.HTTPStatusCode != http.StatusConflict && se.HTTPStatusCode != http.StatusTooManyRequests {
		return fmt.Errorf("%w: stripe: %s: %s (%s, request %s)", payments.ErrProviderRefused, what, se.Msg, se.Code, se.RequestID)
	}
	return fmt.Errorf("stripe: %s: %w", what, err)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8Start(s[n]) {
		n--
	}
	return s[:n]
}

func utf8Start(b byte) bool { return b&0xC0 != 0x80 }

// slogLogger routes stripe-go's log lines to slog.
type slogLogger struct{ l *slog.Logger }

// Infof goes to Debug: stripe-go logs every request at Info.
func (s slogLogger) Infof(format string, v ...any) {
	s.l.Debug("stripe: " + fmt.Sprintf(format, v...))
}

func (s slogLogger) Debugf(format string, v ...any) {
	s.l.Debug("stripe: " + fmt.Sprintf(format, v...))
}

func (s slogLogger) Warnf(format string, v ...any) {
	s.l.Warn("stripe: " + fmt.Sprintf(format, v...))
}

func (s slogLogger) Errorf(format string, v ...any) {
	s.l.Error("stripe: " + fmt.Sprintf(format, v...))
}
