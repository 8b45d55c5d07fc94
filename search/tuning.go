package search

import (
	"slices"
	"strings"

	"github.com/blevesearch/bleve/v2/analysis/char/asciifolding"
	"github.com/blevesearch/bleve/v2/search/query"
)

// Tuning is what editors change about search without rebuilding the index:
// synonym sets, applied by expanding the query's words at search time, and
// best bets, which pin a service first for a query. An Index holds one
// Tuning, replaced whole by SetTuning, so searches never see half a change.
type Tuning struct {
	// synonyms: language -> tuning key of a term -> the other terms of
	// its sets.
	synonyms map[string]map[string][]string
	// bets: language -> tuning key of a query -> service slug.
	bets map[string]map[string]string
}

// SynonymSet is a set of words or phrases that mean the same in Lang.
type SynonymSet struct {
	Lang  string
	Terms []string
}

// BestBet pins the service Slug first for Query (any spelling that
// normalises the same) in Lang.
type BestBet struct {
	Lang, Query, Slug string
}

// NewTuning builds a Tuning. A term in several sets of a language expands to
// the terms of all of them.
func NewTuning(sets []SynonymSet, bets []BestBet) *Tuning {
	t := &Tuning{synonyms: map[string]map[string][]string{}, bets: map[string]map[string]string{}}
	for _, s := range sets {
		terms := make([]string, 0, len(s.Terms))
		for _, term := range s.Terms {
			if n := NormalizeQuery(term); n != "" && !slices.Contains(terms, n) {
				terms = append(terms, n)
			}
		}
		m := t.synonyms[s.Lang]
		if m == nil {
			m = map[string][]string{}
			t.synonyms[s.Lang] = m
		}
		for _, term := range terms {
			k := tuningKey(term)
			for _, other := range terms {
				if other != term && !slices.Contains(m[k], other) {
					m[k] = append(m[k], other)
				}
			}
		}
	}
	for _, b := range bets {
		q := tuningKey(b.Query)
		if q == "" || b.Slug == "" {
			continue
		}
		if t.bets[b.Lang] == nil {
			t.bets[b.Lang] = map[string]string{}
		}
		t.bets[b.Lang][q] = b.Slug
	}
	return t
}

// NormalizeQuery is the form queries are compared and counted in: sanitised
// as for searching, lowercased, single-spaced.
func NormalizeQuery(q string) string {
	return strings.Join(strings.Fields(strings.ToLower(sanitize(q))), " ")
}

// tuningKey is the form synonyms and best bets are looked up in: the
// normalised query without accents, so that a resident who types
// "carte handicape" gets the best bet an editor saved for "Carte handicapé"
// (phones and foreign keyboards drop accents).
func tuningKey(q string) string {
	return string(asciifolding.New().Filter([]byte(NormalizeQuery(q))))
}

// SetTuning makes t the index's tuning from the next search on; nil removes
// all tuning.
func (x *Index) SetTuning(t *Tuning) {
	x.tuning.Store(t)
	x.invalidate()
}

// expand adds to each word the other terms of its synonym sets in lang.
func (t *Tuning) expand(lang string, words []qword) []qword {
	if t == nil || len(t.synonyms[lang]) == 0 {
		return words
	}
	out := slices.Clone(words)
	for i := range out {
		out[i].alts = t.synonyms[lang][tuningKey(out[i].raw)]
	}
	return out
}

// phrases returns the synonyms of the whole query when it is a term of
// several words ("wheelie bin"), which no single word's expansion finds.
func (t *Tuning) phrases(lang, text string) []string {
	if t == nil {
		return nil
	}
	n := tuningKey(text)
	if !strings.Contains(n, " ") {
		return nil
	}
	return t.synonyms[lang][n]
}

// bestBet returns the service pinned to text in lang, "" when none.
func (t *Tuning) bestBet(lang, text string) string {
	if t == nil {
		return ""
	}
	return t.bets[lang][tuningKey(text)]
}

// pinBoost lifts a best bet above any text match: the constant score of the
// pinned document against text scores that stay well below 100.
const pinBoost = 1e4

// pin adds the best bet of text, if any, to q: the pinned service matches
// whatever the text, ranks first, and still has to pass the filters.
func (t *Tuning) pin(q query.Query, lang, text string) query.Query {
	slug := t.bestBet(lang, text)
	if slug == "" {
		return q
	}
	id := query.NewDocIDQuery([]string{slug})
	id.SetBoost(pinBoost)
	return query.NewDisjunctionQuery([]query.Query{q, id})
}
