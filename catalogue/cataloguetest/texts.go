// Package cataloguetest helps tests reach every translated text of a
// catalogue: to check that each is in every language, or to take a
// language out of an entry, as a council that has not translated it yet
// would have it.
package cataloguetest

import (
	"regexp"
	"unicode/utf8"

	"sportello/catalogue"
)

// Visit is called with a text's path in the catalogue format
// ("services[3].online_form.fields[2].label") and the text: exactly one of
// text and list is non-nil.
type Visit = catalogue.TextVisit

// Texts calls visit for every catalogue.Text and catalogue.TextList that v
// (a catalogue, an entry, or a pointer to one) holds, however deep
// (catalogue.WalkTexts).
func Texts(v any, visit Visit) {
	catalogue.WalkTexts(v, visit)
}

// Untranslate takes lang out of every text v holds (v a pointer to an entry
// or a catalogue), as if the council had not translated it yet.
func Untranslate(v any, lang string) {
	Texts(v, func(_ string, text catalogue.Text, list catalogue.TextList) {
		delete(text, lang)
		delete(list, lang)
	})
}

// frenchSpacing finds an ordinary space where French typography wants one
// that does not break: before : ; ? ! and » and after «. The site writes a
// no-break space (U+00A0) before the colon and inside the guillemets, and
// a narrow one (U+202F) before ; ? !, so that no line starts with them.
var frenchSpacing = regexp.MustCompile(`\S [:;?!»]|« \S`)

// BadFrenchSpacing returns the first place in s (a French text) that
// breaks that rule, with a little of its context, or "".
func BadFrenchSpacing(s string) string {
	loc := frenchSpacing.FindStringIndex(s)
	if loc == nil {
		return ""
	}
	from, to := max(0, loc[0]-20), min(len(s), loc[1]+10)
	for from > 0 && !utf8.RuneStart(s[from]) {
		from--
	}
	for to < len(s) && !utf8.RuneStart(s[to]) {
		to++
	}
	return s[from:to]
}
