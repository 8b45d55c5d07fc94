package portal

import "testing"

func TestFormatMoney(t *testing.T) {
	tests := []struct {
		minor int64
		code  string
		lang  string
		want  string
	}{
		{4500, "EUR", "en", "€45.00"},
		{4500, "EUR", "es", "45,00\u00a0€"},
		{4500, "EUR", "ca", "45,00\u00a0€"},
		{4500, "EUR", "it", "45,00\u00a0€"},
		{4500, "EUR", "fr", "45,00\u00a0€"},
		{120000, "EUR", "en", "€1,200.00"},
		{120000, "EUR", "es", "1200,00\u00a0€"},
		{1200000, "EUR", "es", "12.000,00\u00a0€"},
		{120000, "EUR", "it", "1.200,00\u00a0€"},
		{120000, "EUR", "fr", "1\u202f200,00\u00a0€"},
		{123456789, "EUR", "en", "€1,234,567.89"},
		{5, "EUR", "en", "€0.05"},
		{450, "GBP", "en", "£4.50"},
		{1000, "JPY", "en", "JPY\u00a01,000"},
		{-250, "EUR", "it", "-2,50\u00a0€"},
	}
	for _, tt := range tests {
		if got := formatMoney(tt.minor, tt.code, tt.lang); got != tt.want {
			t.Errorf("formatMoney(%d, %s, %s) = %q, want %q", tt.minor, tt.code, tt.lang, got, tt.want)
		}
	}
}
