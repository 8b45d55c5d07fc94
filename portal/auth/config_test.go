package auth

import (
	"strings"
	"testing"
	"time"
)

func TestConfigValidate(t *testing.T) {
	ok := Config{Issuer: "https://id.example/realms/x", ClientID: "sportello", ClientSecret: "s", BaseURL: "https://portal.example"}
	tests := []struct {
		name string
		cfg  Config
		env  string
		want string // "" for valid
	}{
		{"valid production", ok, "production", ""},
		{"development provider", Config{BaseURL: "http://localhost:8080"}, "development", ""},
		{"production without issuer", Config{BaseURL: "https://portal.example"}, "production", "SPORTELLO_OIDC_ISSUER is not set"},
		{"no client id", Config{Issuer: ok.Issuer, BaseURL: ok.BaseURL}, "development", "SPORTELLO_OIDC_CLIENT_ID"},
		{"production without secret", Config{Issuer: ok.Issuer, ClientID: "x", BaseURL: ok.BaseURL}, "production", "SPORTELLO_OIDC_CLIENT_SECRET"},
		{"http base URL in production", Config{Issuer: ok.Issuer, ClientID: "x", ClientSecret: "s", BaseURL: "http://portal.example"}, "production", "SPORTELLO_BASE_URL must be https"},
		{"base URL with a path", Config{BaseURL: "https://portal.example/sportello"}, "development", "without a path"},
		{"issuer not a URL", Config{Issuer: "id.example", ClientID: "x", BaseURL: ok.BaseURL}, "development", "SPORTELLO_OIDC_ISSUER"},
		{"scopes without openid", Config{BaseURL: ok.BaseURL, Scopes: []string{"profile"}}, "development", "must include openid"},
		{"idle longer than absolute", Config{BaseURL: ok.BaseURL, IdleTimeout: 13 * time.Hour}, "development", "must not exceed"},
		{"same acr for both levels", Config{BaseURL: ok.BaseURL, ACRSubstantial: "x", ACRHigh: "x"}, "development", "must differ"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cfg.Validate(tt.env)
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Fatalf("error %v, want one mentioning %q", err, tt.want)
			}
		})
	}
}
