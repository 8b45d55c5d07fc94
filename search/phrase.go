package search

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/blevesearch/bleve/v2/mapping"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/searcher"
	index "github.com/blevesearch/bleve_index_api"
)

// Phrases matched without garbage. Bleve's phrase searcher turns the term
// locations of every document that has all of a phrase's words into maps
// before it compares their positions: at 100k services that was three
// fifths of the memory a new search allocated, garbage for the collector,
// which with the write barriers it switches on took a quarter of the CPU
// of a burst of new searches. phraseQuery finds the same documents with the
// same scores (the same conjunction of the words, positions compared in the
// list Bleve already holds), and allocates nothing per document.

// phraseQuery matches text as a phrase in field, as Bleve's
// MatchPhraseQuery does: analysed with the field's analyzer, a word the
// analysis drops (a stop word) standing for any word.
type phraseQuery struct {
	text, field string
	boost       float64
}

func newPhraseQuery(text, field string, boost float64) *phraseQuery {
	return &phraseQuery{text: text, field: field, boost: boost}
}

// Field and SetField make it a query.FieldableQuery, whose field Bleve's
// query.ExtractFields finds (for the field statistics of BM25 across
// indexes, which a single index does not need).
func (q *phraseQuery) Field() string     { return q.field }
func (q *phraseQuery) SetField(f string) { q.field = f }

// Searcher implements query.Query.
func (q *phraseQuery) Searcher(ctx context.Context, rd index.IndexReader, m mapping.IndexMapping, options bsearch.SearcherOptions) (bsearch.Searcher, error) {
	a := m.AnalyzerNamed(m.AnalyzerNameForPath(q.field))
	if a == nil {
		return nil, fmt.Errorf("search: no analyzer for %s", q.field)
	}
	tokens := a.Analyze([]byte(q.text))
	if len(tokens) == 0 {
		return searcher.NewMatchNoneSearcher(rd)
	}
	first := tokens[0].Position
	for _, t := range tokens {
		first = min(first, t.Position)
	}
	// The words at each offset from the first; several at one offset are
	// alternatives (as Bleve's multi-phrase), none a gap.
	var words []phraseWord
	for _, t := range tokens {
		off := uint64(t.Position - first)
		if i := slices.IndexFunc(words, func(w phraseWord) bool { return w.offset == off }); i >= 0 {
			words[i].terms = append(words[i].terms, string(t.Term))
			continue
		}
		words = append(words, phraseWord{offset: off, terms: []string{string(t.Term)}})
	}
	// matches starts from the first word.
	slices.SortFunc(words, func(a, b phraseWord) int { return cmp.Compare(a.offset, b.offset) })
	options.IncludeTermVectors = true
	parts := make([]bsearch.Searcher, 0, len(words))
	closeAll := func() {
		for _, p := range parts {
			_ = p.Close()
		}
	}
	for _, w := range words {
		s, err := wordSearcher(ctx, rd, w.terms, q.field, q.boost, options)
		if err != nil {
			closeAll()
			return nil, err
		}
		parts = append(parts, s)
	}
	all, err := searcher.NewConjunctionSearcher(ctx, rd, parts, options)
	if err != nil {
		closeAll()
		return nil, err
	}
	return &phraseSearcher{all: all, field: q.field, words: words}, nil
}

// wordSearcher finds the terms of one word of a phrase, as Bleve's phrase
// searcher does: one term, or a disjunction of the alternatives.
func wordSearcher(ctx context.Context, rd index.IndexReader, terms []string, field string, boost float64, options bsearch.SearcherOptions) (bsearch.Searcher, error) {
	if len(terms) == 1 {
		return searcher.NewTermSearcher(ctx, rd, terms[0], field, boost, options)
	}
	alts := make([]bsearch.Searcher, 0, len(terms))
	for _, t := range terms {
		s, err := searcher.NewTermSearcher(ctx, rd, t, field, boost, options)
		if err != nil {
			for _, a := range alts {
				_ = a.Close()
			}
			return nil, err
		}
		alts = append(alts, s)
	}
	return searcher.NewDisjunctionSearcher(ctx, rd, alts, 1, options)
}

// phraseWord is a word of a phrase: its offset from the phrase's first word
// and the terms that may stand there.
type phraseWord struct {
	offset uint64
	terms  []string
}

// phraseSearcher passes on the documents of all, which has every word of
// the phrase, where the words stand at their offsets within one value of
// field. It scores as all does, as Bleve's phrase searcher does.
type phraseSearcher struct {
	all   bsearch.Searcher
	field string
	words []phraseWord
	// done is set once all has no more documents. Bleve's disjunctions
	// ask a finished searcher to advance again at every document they
	// visit, and all would seek through its postings again each time (a
	// search of two common words took seconds).
	done bool
}

func (s *phraseSearcher) Next(ctx *bsearch.SearchContext) (*bsearch.DocumentMatch, error) {
	for !s.done {
		d, err := s.all.Next(ctx)
		if d, ok := s.checked(ctx, d, err); ok {
			return d, err
		}
	}
	return nil, nil
}

func (s *phraseSearcher) Advance(ctx *bsearch.SearchContext, id index.IndexInternalID) (*bsearch.DocumentMatch, error) {
	if s.done {
		return nil, nil
	}
	d, err := s.all.Advance(ctx, id)
	if d, ok := s.checked(ctx, d, err); ok {
		return d, err
	}
	return s.Next(ctx)
}

// checked returns what all answered when it ends the search for a match:
// a document with the phrase, the end of all's documents, or an error. A
// document without the phrase goes back to the pool; one with it no longer
// carries its term locations, which nothing above needs and every searcher
// above would merge (Bleve's own highlighting, which Sportello does not
// use, would find no locations for it).
func (s *phraseSearcher) checked(ctx *bsearch.SearchContext, d *bsearch.DocumentMatch, err error) (*bsearch.DocumentMatch, bool) {
	switch {
	case err != nil:
		return nil, true
	case d == nil:
		s.done = true
		return nil, true
	case s.matches(d.FieldTermLocations):
		d.FieldTermLocations = d.FieldTermLocations[:0]
		return d, true
	}
	ctx.DocumentMatchPool.Put(d)
	return nil, false
}

// matches reports whether some location of the first word is followed, at
// each other word's offset and in the same value of the field, by one of
// that word's terms.
func (s *phraseSearcher) matches(locs []bsearch.FieldTermLocation) bool {
	for _, start := range locs {
		if start.Field != s.field || !slices.Contains(s.words[0].terms, start.Term) {
			continue
		}
		if s.followedAt(locs, start.Location) {
			return true
		}
	}
	return false
}

func (s *phraseSearcher) followedAt(locs []bsearch.FieldTermLocation, start bsearch.Location) bool {
	for _, w := range s.words[1:] {
		found := false
		for _, l := range locs {
			if l.Field == s.field && l.Location.Pos == start.Pos+w.offset &&
				slices.Contains(w.terms, l.Term) && slices.Equal(l.Location.ArrayPositions, start.ArrayPositions) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func (s *phraseSearcher) Close() error               { return s.all.Close() }
func (s *phraseSearcher) Weight() float64            { return s.all.Weight() }
func (s *phraseSearcher) SetQueryNorm(n float64)     { s.all.SetQueryNorm(n) }
func (s *phraseSearcher) Count() uint64              { return s.all.Count() }
func (s *phraseSearcher) Min() int                   { return s.all.Min() }
func (s *phraseSearcher) Size() int                  { return s.all.Size() }
func (s *phraseSearcher) DocumentMatchPoolSize() int { return s.all.DocumentMatchPoolSize() }
