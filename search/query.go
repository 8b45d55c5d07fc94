package search

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/search/query"

	"sportello/catalogue"
)

const (
	// maxQueryRunes caps what is analysed: nobody types more into a search
	// box, and a pasted page must not become a thousand-clause query.
	maxQueryRunes = 200
	// maxQueryWords bounds the words of one query (each becomes about ten
	// clauses); maxFuzzyWords bounds those that are matched fuzzily.
	maxQueryWords = 16
	maxFuzzyWords = 8
	// fallbackWeight scales the default-language fields in a search in
	// another language: they find the untranslated services (and words
	// typed in the default language) without outranking translated texts.
	fallbackWeight = 0.5
	// crossWeight scales the titles and search terms of the other
	// languages: a resident who writes "padrón" in an Italian search, or
	// "blue badge" in a French one, finds the service, but a match in the
	// search language always weighs more.
	crossWeight = 0.2
)

// Field weights: the title says most about a service, then its keywords
// (the words residents use for it), then the summary and the description.
// A phrase match counts on top of the word matches.
const (
	wTitle        = 5.0
	wKeywords     = 5.0
	wSummary      = 1.5
	wDesc         = 0.6
	wPhraseTitle  = 6.0
	wPhraseKw     = 6.0
	wFuzzy        = 2.5
	wSuggestTitle = 2.0
	// wSynonym scales the matches of a word's synonyms: they find what the
	// word misses without outranking the word itself.
	wSynonym = 0.8
)

// sanitize makes user text safe to analyse: valid UTF-8, no control
// characters, at most maxQueryRunes runes, single spaces.
func sanitize(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, " ")
	}
	var b strings.Builder
	n := 0
	space := true
	for _, r := range s {
		if n >= maxQueryRunes {
			break
		}
		// Unicode word breaking keeps "a:b" together; a resident who types
		// a colon means a separator (Bleve's field syntax means nothing here).
		if unicode.IsControl(r) || unicode.IsSpace(r) || r == ':' || r == utf8.RuneError || unicode.Is(unicode.Cf, r) {
			if !space {
				b.WriteByte(' ')
				space = true
				n++
			}
			continue
		}
		b.WriteRune(r)
		space = false
		n++
	}
	return strings.TrimSpace(b.String())
}

// normLang returns lang if the catalogue knows it, else the default.
func normLang(lang string) string {
	if slices.Contains(catalogue.Languages, lang) {
		return lang
	}
	return defaultLang
}

// searchLangs lists the languages whose fields a search in lang looks at,
// with their weights: the search language first, then the default
// language (the text of untranslated services), then the others.
func searchLangs(lang string) []langWeight {
	out := []langWeight{{lang, 1}}
	if lang != defaultLang {
		out = append(out, langWeight{defaultLang, fallbackWeight})
	}
	for _, l := range catalogue.Languages {
		if l != lang && l != defaultLang {
			out = append(out, langWeight{l, crossWeight})
		}
	}
	return out
}

type langWeight struct {
	lang string
	w    float64
}

// fuzziness allows more typos in longer words, none in short ones where
// one edit makes another word ("bin" → "bid").
func fuzziness(word string) int {
	switch n := utf8.RuneCountInString(word); {
	case n < 4:
		return 0
	case n < 8:
		return 1
	default:
		return 2
	}
}

// qword is one content word of a query: as typed (lowercased) for the
// analysed fields, and lightly analysed for fuzzy matching; alts are its
// synonyms (tuning.go), matched like the word itself but weighted less.
type qword struct {
	raw, light string
	alts       []string
}

// minMatch is how many of n content words a service must match: all of one
// or two, half of more. Requiring words keeps the result set (and the cost
// of counting its facets) in proportion to what was asked, and ranks better
// than any-word matching; a search that finds nothing so is retried with any
// word.
func minMatch(n int) int {
	if n <= 2 {
		return n
	}
	return (n + 1) / 2
}

// textQuery builds the scoring part of a search for sanitised text: per
// word, a match in any field of the searched language (fuzzy on its light
// field) or in the title or keywords of the default language, at least min
// words, and the whole text as a phrase on top. fuzzy makes the fuzzy
// clauses; nil leaves them out, for the retry after Bleve refuses a fuzzy
// term that expands to too many clauses. common, if not nil, tells the
// words too common in the search language's descriptions to be matched
// there (common.go).
//
// A search in another language leaves out the default language's summaries
// and descriptions, its summary and keyword phrases, and fuzzy matching in
// it: the judged queries score the same without them, yet they were half the
// clauses of such a search, and every clause walks its postings across the
// whole index (measured at 100k services: 20-70% faster non-English
// searches). The whole text is matched as a phrase in titles and keywords
// only: a phrase in summaries changed no judged query's rank either, yet
// checking it cost a sixth of a new search's CPU and memory at 100k
// services (docs/performance.md).
func textQuery(text string, words []qword, lang string, fuzzy fuzzyMaker, common wordTest, min int) query.Query {
	if len(words) == 0 {
		return query.NewMatchNoneQuery()
	}
	perWord := make([]query.Query, 0, len(words))
	for i, w := range words {
		var qs []query.Query
		for _, lw := range searchLangs(lang) {
			l, wt := lw.lang, lw.w
			fields := []fieldWeight{{fTitle, wTitle}, {fKeywords, wKeywords}, {fSummary, wSummary}, {fDesc, wDesc}}
			fallback := l != lang
			if fallback {
				fields = fields[:2]
			}
			for _, f := range fields {
				if f.field == fDesc && common != nil && common(w.raw) {
					continue
				}
				q := query.NewMatchQuery(w.raw)
				q.SetField(f.field + l)
				q.SetBoost(f.boost * wt)
				qs = append(qs, q)
			}
			for _, alt := range w.alts {
				for _, f := range fields {
					if strings.Contains(alt, " ") && !positional(f.field) {
						continue // a phrase can only match where positions are kept
					}
					if f.field == fDesc && common != nil && common(alt) {
						continue
					}
					qs = append(qs, synonymQuery(alt, f.field+l, f.boost*wt*wSynonym))
				}
			}
			if f := fuzziness(w.light); fuzzy != nil && !fallback && f > 0 && i < maxFuzzyWords {
				qs = append(qs, fuzzy(w.light, fLight+l, f, wFuzzy*wt))
			}
		}
		perWord = append(perWord, query.NewDisjunctionQuery(qs))
	}
	var matched query.Query
	if min == len(perWord) {
		// Every word must match: a conjunction scores the same as a
		// disjunction of which all must match, but skips through the
		// postings of the common words to the services that have the rare
		// one, where the disjunction walks every posting of every word.
		matched = query.NewConjunctionQuery(perWord)
	} else {
		d := query.NewDisjunctionQuery(perWord)
		d.SetMin(float64(min))
		matched = d
	}
	if len(words) == 1 {
		return matched
	}
	var phrases []query.Query
	for _, lw := range searchLangs(lang) {
		fields := []fieldWeight{{fTitle, wPhraseTitle}, {fKeywords, wPhraseKw}}
		if lw.lang != lang {
			fields = fields[:1]
		}
		for _, f := range fields {
			phrases = append(phrases, newPhraseQuery(text, f.field+lw.lang, f.boost*lw.w))
		}
	}
	return query.NewBooleanQuery([]query.Query{matched}, phrases, nil)
}

// fuzzyMaker makes the query that matches term with up to fuzziness edits
// in field. People rarely mistype a word's first letter; the first rune
// must match, which cuts the terms the automaton walks by an order of
// magnitude on a large index.
type fuzzyMaker func(term, field string, fuzziness int, boost float64) query.Query

// fieldWeight is a field name stem (fTitle, ...) and its boost.
type fieldWeight struct {
	field string
	boost float64
}

// filterQuery returns the request's filters as one query that weighs
// nothing, or nil.
func filterQuery(r Request) query.Query {
	var fs []query.Query
	term := func(v string) {
		q := query.NewTermQuery(v)
		q.SetField(fFacet)
		q.SetBoost(0)
		fs = append(fs, q)
	}
	if r.Topic != "" {
		term(facetTopic + r.Topic)
	}
	if r.Audience != "" {
		term(facetAudience + r.Audience)
	}
	if r.Online {
		term(facetOnline)
	}
	if r.Free {
		term(facetFree)
	}
	if len(fs) == 0 {
		return nil
	}
	return query.NewConjunctionQuery(fs)
}

// withFilters restricts q to the request's filters without changing scores.
// The filters are a clause every hit must match, scoring nothing, rather
// than Bleve's filter (BooleanQuery.AddFilter), which checks each hit of q
// once found: a search in one topic then walked the postings of every
// topic, where the conjunction skips to the services of the topic.
func withFilters(q query.Query, r Request) query.Query {
	f := filterQuery(r)
	if f == nil {
		return q
	}
	return query.NewConjunctionQuery([]query.Query{q, f})
}

// synonymQuery matches a synonym: a phrase when it has several words
// ("wheelie bin"), so that it does not match each word on its own.
func synonymQuery(term, field string, boost float64) query.Query {
	if strings.Contains(term, " ") {
		return newPhraseQuery(term, field, boost)
	}
	q := query.NewMatchQuery(term)
	q.SetField(field)
	q.SetBoost(boost)
	return q
}
