package finders

import (
	"context"

	"sportello/catalogue"
	"sportello/portal/web"
)

// Matcher says which services a resident's saved answers match, and why,
// outside a request: the support alerts' mails list each service with its
// reason, in the words the finder's pages use.
type Matcher struct {
	sh       *web.Shared
	store    catalogue.Store
	compiled finderCache
}

// NewMatcher returns a Matcher over the catalogue in store, at the version
// sh's directory is at.
func NewMatcher(sh *web.Shared, store catalogue.Store) *Matcher {
	return &Matcher{sh: sh, store: store}
}

// Reasons returns, for each service that answers (as saved: the finder's
// JSON) match under the current rules, why, in lang: "because you are 70
// and live on your own". Answers that no longer parse, or that a changed
// catalogue no longer asks for, match what the rest of them match, as on
// the account's page.
func (m *Matcher) Reasons(ctx context.Context, answers, lang string) (map[string]string, error) {
	f, err := m.compiled.get(ctx, m.sh, m.store)
	if err != nil {
		return nil, err
	}
	iv := walk(f.rules, decodeAnswers(f.rules, answers))
	out := map[string]string{}
	defaultLang := m.sh.Directory().DefaultLang
	for _, match := range f.rules.Evaluate(iv.answers) {
		out[match.Slug] = SayReason(m.sh.Site.Translator, lang, defaultLang, match.Reason())
	}
	return out, nil
}
