package portal

import (
	"strconv"
	"strings"

	"golang.org/x/text/currency"
)

// formatMoney formats an amount in minor units for a reader of lang:
// en "€1,200.00"; es "1200,00 €" (Spanish groups only from five digits);
// ca, it "1.200,00 €"; fr "1 200,00 €" with a narrow no-break space.
// x/text's currency formatter does not place the symbol by locale, so this
// small table does.
func formatMoney(minor int64, code, lang string) string {
	scale := 2
	if unit, err := currency.ParseISO(code); err == nil {
		scale, _ = currency.Standard.Rounding(unit)
	}
	neg := minor < 0
	if neg {
		minor = -minor
	}
	pow := int64(1)
	for range scale {
		pow *= 10
	}
	whole := strconv.FormatInt(minor/pow, 10)
	frac := ""
	if scale > 0 {
		frac = strconv.FormatInt(minor%pow, 10)
		frac = strings.Repeat("0", scale-len(frac)) + frac
	}
	sym := currencySymbol(code)
	var num string
	switch lang {
	case "en":
		num = group(whole, ",", 4) + dot(".", frac)
	case "es":
		num = group(whole, ".", 5) + dot(",", frac)
	case "fr":
		num = group(whole, "\u202f", 4) + dot(",", frac)
	default: // ca, it
		num = group(whole, ".", 4) + dot(",", frac)
	}
	sign := ""
	if neg {
		sign = "-"
	}
	if lang == "en" {
		if sym == code { // an ISO code, not a symbol: "CHF 12.00"
			sym += "\u00a0"
		}
		return sign + sym + num
	}
	return sign + num + "\u00a0" + sym
}

func dot(sep, frac string) string {
	if frac == "" {
		return ""
	}
	return sep + frac
}

// group inserts sep every three digits when the number has at least min
// digits.
func group(digits, sep string, min int) string {
	if len(digits) < min {
		return digits
	}
	var b strings.Builder
	lead := len(digits) % 3
	if lead > 0 {
		b.WriteString(digits[:lead])
	}
	for i := lead; i < len(digits); i += 3 {
		if b.Len() > 0 {
			b.WriteString(sep)
		}
		b.WriteString(digits[i : i+3])
	}
	return b.String()
}

func currencySymbol(code string) string {
	switch code {
	case "EUR":
		return "€"
	case "GBP":
		return "£"
	case "USD":
		return "$"
	case "":
		return ""
	}
	return code
}
