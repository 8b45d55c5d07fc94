package web

import (
	"strconv"
	"strings"
)

// numberStyle is how a language writes numbers. It is the one table that
// Number, Money.Format, Clock and the opening hours read, so a count, a fee
// and a time on the same page agree. (x/text's printer would group "1.800"
// in Spanish, which the RAE and the Spanish administration write "1800", and
// uses a no-break space in French where the Imprimerie nationale wants a
// narrow one.)
type numberStyle struct {
	group    string // thousands separator
	decimal  string
	minGroup int  // digits a number needs before it is grouped
	symFirst bool // a currency's symbol before the amount ("€40.00"), else after it ("40,00 €")
}

var numberStyles = map[string]numberStyle{
	"en": {group: ",", decimal: ".", minGroup: 4, symFirst: true}, // 1,200 · 1,200.50
	"es": {group: ".", decimal: ",", minGroup: 5},                 // 1200 · 12.000 · 1200,50
	"ca": {group: ".", decimal: ",", minGroup: 4},                 // 1.200 · 1.200,50
	"it": {group: ".", decimal: ",", minGroup: 4},                 // 1.200 · 1.200,50
	"fr": {group: "\u202f", decimal: ",", minGroup: 4},            // 1 200 (narrow no-break space) · 1 200,50
}

// styleOf is lang's number style, English's for a language Sportello has
// no translations for (the UI falls back to English too).
func styleOf(lang string) numberStyle {
	if s, ok := numberStyles[lang]; ok {
		return s
	}
	return numberStyles["en"]
}

// Number writes a whole number for a reader of lang: "12,000" in English,
// "12.000" in Spanish, Catalan and Italian, "12 000" in French.
func Number(lang string, n int64) string {
	sign := ""
	if n < 0 {
		sign = "-"
	}
	digits := strconv.FormatInt(n, 10)
	st := styleOf(lang)
	return sign + group(strings.TrimPrefix(digits, "-"), st.group, st.minGroup)
}

// DecimalSeparator is the decimal mark of lang: "." in English, "," in the
// others.
func DecimalSeparator(lang string) string { return styleOf(lang).decimal }

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
