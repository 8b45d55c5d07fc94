package web

import (
	"strconv"
	"strings"

	"golang.org/x/text/currency"
)

// Money is an amount in a currency's minor units (cents for EUR), the way
// the catalogue's fees and the payments are kept. It is the one place that
// knows a currency's decimals, and how amounts are shown and typed.
type Money struct {
	Minor    int64
	Currency string // ISO 4217 code ("EUR")
}

// Scale is the number of decimals of the currency (2 for EUR, 0 for JPY);
// 2 for a code x/text does not know.
func (m Money) Scale() int {
	if unit, err := currency.ParseISO(strings.ToUpper(m.Currency)); err == nil {
		scale, _ := currency.Standard.Rounding(unit)
		return scale
	}
	return 2
}

// parts splits the absolute amount into its whole and fraction digits.
func (m Money) parts() (whole, frac string, neg bool) {
	minor := m.Minor
	if neg = minor < 0; neg {
		minor = -minor
	}
	scale := m.Scale()
	pow := int64(1)
	for range scale {
		pow *= 10
	}
	whole = strconv.FormatInt(minor/pow, 10)
	if scale > 0 {
		frac = strconv.FormatInt(minor%pow, 10)
		frac = strings.Repeat("0", scale-len(frac)) + frac
	}
	return whole, frac, neg
}

// Plain writes the amount as forms expect it back: "40.00", "-2.50", "1000".
func (m Money) Plain() string {
	whole, frac, neg := m.parts()
	sign := ""
	if neg {
		sign = "-"
	}
	return sign + whole + dot(".", frac)
}

// Format writes the amount for a reader of lang, with lang's separators
// (numbers.go): en "€1,200.00"; es "1200,00 €" (Spanish groups only from
// five digits); ca, it "1.200,00 €"; fr "1 200,00 €" with a narrow no-break
// space. x/text's currency formatter does not place the symbol by locale,
// so this does: before the amount in English, after it with a no-break
// space in the others.
func (m Money) Format(lang string) string {
	whole, frac, neg := m.parts()
	code := strings.ToUpper(m.Currency) // payments keep Stripe's "eur"
	sym := CurrencySymbol(code)
	st := styleOf(lang)
	num := group(whole, st.group, st.minGroup) + dot(st.decimal, frac)
	sign := ""
	if neg {
		sign = "-"
	}
	if st.symFirst {
		if sym == code { // an ISO code, not a symbol: "CHF 12.00"
			sym += "\u00a0"
		}
		return sign + sym + num
	}
	return sign + num + "\u00a0" + sym
}

// ParseMoney reads an amount typed in the major unit of code: "12", "12.5",
// "12.50", "12,50" (a comma is the decimal separator in most of Sportello's
// languages), with or without a euro sign, "-" before it when negative is
// allowed. Thousands separators and more decimals than the currency has are
// refused rather than guessed at.
func ParseMoney(s, code string, negative bool) (Money, bool) {
	m := Money{Currency: code}
	s = strings.TrimSpace(s)
	neg := negative && strings.HasPrefix(s, "-")
	if neg {
		s = strings.TrimSpace(s[1:])
	}
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(s, "€"), "€"))
	if s == "" {
		return m, false
	}
	whole, frac, _ := strings.Cut(strings.Replace(s, ",", ".", 1), ".")
	scale := m.Scale()
	if whole == "" || len(frac) > scale || len(whole) > 12 || !digits(whole) || !digits(frac) {
		return m, false
	}
	frac += strings.Repeat("0", scale-len(frac))
	n, err := strconv.ParseInt(whole+frac, 10, 64)
	if err != nil {
		return m, false
	}
	if neg {
		n = -n
	}
	m.Minor = n
	return m, true
}

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func dot(sep, frac string) string {
	if frac == "" {
		return ""
	}
	return sep + frac
}

// CurrencySymbol is the sign shown for a currency code, or the code itself.
func CurrencySymbol(code string) string {
	switch code {
	case "EUR":
		return "€"
	case "GBP":
		return "£"
	case "USD":
		return "$"
	}
	return code
}
