package web

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
		if got := (Money{Minor: tt.minor, Currency: tt.code}).Format(tt.lang); got != tt.want {
			t.Errorf("formatMoney(%d, %s, %s) = %q, want %q", tt.minor, tt.code, tt.lang, got, tt.want)
		}
	}
}

func TestParseMoney(t *testing.T) {
	tests := []struct {
		in   string
		code string
		want int64
		ok   bool
	}{
		{"12", "eur", 1200, true},
		{"12.5", "eur", 1250, true},
		{"12,50", "EUR", 1250, true},
		{"€ 12.50", "eur", 1250, true},
		{"0.01", "eur", 1, true},
		{"12.505", "eur", 0, false},
		{"1.200,00", "eur", 0, false},
		{"-3", "eur", 0, false},
		{"", "eur", 0, false},
		{"abc", "eur", 0, false},
		{"500", "jpy", 500, true},
		{"500.5", "jpy", 0, false},
	}
	for _, tt := range tests {
		m, ok := ParseMoney(tt.in, tt.code, false)
		got := m.Minor
		if got != tt.want || ok != tt.ok {
			t.Errorf("ParseMoney(%q, %s) = %d, %v; want %d, %v", tt.in, tt.code, got, ok, tt.want, tt.ok)
		}
	}
	if got := (Money{Minor: 4005, Currency: "eur"}).Plain(); got != "40.05" {
		t.Errorf("Plain(4005) = %q", got)
	}
}

func TestParseMoneyNegative(t *testing.T) {
	if m, ok := ParseMoney("-2,5", "EUR", true); !ok || m.Minor != -250 {
		t.Errorf("ParseMoney(-2,5, negative allowed) = %d, %v", m.Minor, ok)
	}
	if got := (Money{Minor: -250, Currency: "EUR"}).Plain(); got != "-2.50" {
		t.Errorf("Plain(-250) = %q", got)
	}
}
