package finders

import (
	"fmt"
	"slices"
	"strings"

	"sportello/catalogue"
	"sportello/catalogue/eligibility"
	"sportello/portal/web"
)

// SayReason writes why a service matched, "because you are 70 and you live
// in Porta Nova", in lang, from the facts eligibility.Match.Reason gives
// and the reason.* messages (locales/reasons.*.json). defaultLang is the
// catalogue's, for its texts (the place's name, a question's label) that
// lack lang. A sentence two facts share is said once. `sportello rules
// check` prints the same sentences.
func SayReason(tr *web.Translator, lang, defaultLang string, facts []eligibility.Statement) string {
	if !slices.Contains(catalogue.Languages, lang) {
		lang = "en" // the messages' own fallback, so numbers read as the words do
	}
	if len(facts) == 0 {
		return tr.T(lang, "reason.everyone")
	}
	w := reasonWriter{tr: tr, lang: lang, defaultLang: defaultLang}
	var said []string
	for _, st := range facts {
		for _, s := range w.say(st) {
			if !slices.Contains(said, s) {
				said = append(said, s)
			}
		}
	}
	joined := said[len(said)-1]
	if len(said) > 1 {
		joined = strings.Join(said[:len(said)-1], tr.T(lang, "reason.list")) + tr.T(lang, "reason.and") + joined
	}
	return tr.T(lang, "reason.because", "Facts", joined)
}

type reasonWriter struct {
	tr                *web.Translator
	lang, defaultLang string
}

// say returns the sentences of one statement: its first key that has a
// message, else what it says otherwise.
func (w reasonWriter) say(st eligibility.Statement) []string {
	for _, key := range st.Keys {
		if w.tr.Has(key) {
			return []string{w.tr.T(w.lang, key, w.pairs(st.Args)...)}
		}
	}
	var out []string
	for _, o := range st.Otherwise {
		out = append(out, w.say(o)...)
	}
	return out
}

// pairs turns a statement's values into the translator's name, text pairs.
func (w reasonWriter) pairs(args map[string]any) []any {
	out := make([]any, 0, 2*len(args))
	for name, v := range args {
		var s string
		switch v := v.(type) {
		case int64:
			s = web.Number(w.lang, v) // 1,800 in English, 1.800 in Catalan, 1800 in Spanish
		case catalogue.Text:
			s, _ = v.In(w.lang, w.defaultLang)
		case eligibility.MessageKey:
			s = w.tr.T(w.lang, string(v))
		case eligibility.Currency:
			s = web.CurrencySymbol(string(v))
		default:
			s = fmt.Sprint(v)
		}
		out = append(out, name, s)
	}
	return out
}
