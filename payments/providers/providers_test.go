package providers_test

import (
	"errors"
	"log/slog"
	"testing"

	"sportello/payments"
	"sportello/payments/providers"
	"sportello/store"
	"sportello/store/storetest"
)

func TestNew(t *testing.T) {
	db := storetest.Open(t, store.DialectSQLite)
	tests := []struct {
		name     string
		settings providers.Settings
		provider string // "" when refused
		err      error
	}{
		{"default is simulated", providers.Settings{}, payments.SimulatedName, nil},
		{"simulated refused in production", providers.Settings{Env: "production"}, "", payments.ErrProduction},
		{"stripe", providers.Settings{StripeSecretKey: "sk_test_1", StripeWebhookSecret: "whsec_1"}, "stripe", nil},
		{"stripe in production", providers.Settings{Env: "production", StripeSecretKey: "sk_live_1", StripeWebhookSecret: "whsec_1"}, "stripe", nil},
		{"stripe without webhook secret", providers.Settings{StripeSecretKey: "sk_test_1"}, "", nil},
		{"webhook secret without key", providers.Settings{StripeWebhookSecret: "whsec_1"}, "", nil},
		{"API URL without key", providers.Settings{StripeAPIURL: "http://127.0.0.1:12111"}, "", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := providers.New(db, tc.settings, slog.New(slog.DiscardHandler))
			if tc.provider == "" {
				if err == nil {
					t.Fatalf("accepted, gave %s", p.Name())
				}
				if tc.err != nil && !errors.Is(err, tc.err) {
					t.Errorf("error %v, want %v", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if p.Name() != tc.provider {
				t.Errorf("provider %s, want %s", p.Name(), tc.provider)
			}
		})
	}
}
