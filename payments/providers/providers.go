// Package providers chooses Sportello's payment provider from its settings:
// Stripe when a secret key is set, otherwise the simulated provider, which
// production refuses.
package providers

import (
	"errors"
	"log/slog"
	"strings"

	"sportello/payments"
	"sportello/payments/stripe"
	"sportello/store"
)

// Settings are the payment settings, from the environment.
type Settings struct {
	Env                 string // SPORTELLO_ENV; "production" refuses the simulated provider
	StripeSecretKey     string // SPORTELLO_STRIPE_SECRET_KEY; empty selects the simulated provider
	StripeWebhookSecret string // SPORTELLO_STRIPE_WEBHOOK_SECRET; required with the key
	StripeAPIURL        string // SPORTELLO_STRIPE_API_URL; Stripe's API when empty
}

// New returns the provider the settings select.
func New(db *store.DB, s Settings, logger *slog.Logger) (payments.Provider, error) {
	if logger == nil {
		logger = slog.Default()
	}
	production := strings.EqualFold(strings.TrimSpace(s.Env), "production")
	if s.StripeSecretKey == "" {
		if s.StripeWebhookSecret != "" || s.StripeAPIURL != "" {
			return nil, errors.New("payments: SPORTELLO_STRIPE_WEBHOOK_SECRET or SPORTELLO_STRIPE_API_URL is set without SPORTELLO_STRIPE_SECRET_KEY; set the key too, or unset them to use the simulated provider")
		}
		p, err := payments.NewSimulated(db, payments.SimulatedConfig{Env: s.Env})
		if err != nil {
			return nil, err
		}
		logger.Warn("payments: using the simulated payment provider; no real money moves. Set SPORTELLO_STRIPE_SECRET_KEY to take payments")
		return p, nil
	}
	if production && strings.HasPrefix(s.StripeSecretKey, "sk_test_") {
		logger.Warn("payments: SPORTELLO_ENV is production but the Stripe key is a test key; no real money moves")
	}
	return stripe.New(stripe.Config{
		SecretKey:     s.StripeSecretKey,
		WebhookSecret: s.StripeWebhookSecret,
		APIURL:        s.StripeAPIURL,
		Logger:        logger,
	})
}
