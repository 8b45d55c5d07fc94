package search

import (
	"context"
	"fmt"

	"github.com/blevesearch/bleve/v2/mapping"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/searcher"
	index "github.com/blevesearch/bleve_index_api"
)

// Fuzzy matching with the dictionary walk remembered. Bleve's fuzzy query
// builds a Levenshtein automaton for its word and walks the field's
// dictionary with it on every search: a third of a new search's time on
// 10,000 services. The words residents type repeat far more than whole
// searches do ("parking" in a hundred different searches), so the terms
// each word expands to are kept per index generation, and a search that
// meets the word again goes straight to their postings, scored exactly as
// Bleve's fuzzy query scores them (by edit distance).

// fuzzyKey identifies one expansion: the generation (see Index.gen) keeps
// a changed dictionary from being answered with the old one's terms.
type fuzzyKey struct {
	gen         uint64
	field, term string
	fuzziness   int
}

// fuzzyTerms are the dictionary terms within the fuzziness of a word and
// their edit distances, or the error of a word that expands to more terms
// than a query may have.
type fuzzyTerms struct {
	terms []string
	dists []uint8
	err   error
}

// fuzzyQuery is a Bleve query matching term's fuzzy expansion in field.
// The first rune must match, as in textQuery.
type fuzzyQuery struct {
	key   fuzzyKey
	boost float64
	cache *lru[fuzzyKey, fuzzyTerms]
}

func newFuzzyQuery(cache *lru[fuzzyKey, fuzzyTerms], gen uint64, term, field string, fuzziness int, boost float64) *fuzzyQuery {
	return &fuzzyQuery{key: fuzzyKey{gen: gen, field: field, term: term, fuzziness: fuzziness}, boost: boost, cache: cache}
}

// Searcher implements query.Query.
func (q *fuzzyQuery) Searcher(ctx context.Context, rd index.IndexReader, _ mapping.IndexMapping, options bsearch.SearcherOptions) (bsearch.Searcher, error) {
	ft, ok := q.cache.get(q.key)
	if !ok {
		ft = expandFuzzy(rd, q.key)
		q.cache.put(q.key, ft)
	}
	if ft.err != nil {
		return nil, ft.err
	}
	k := q.key
	if len(ft.terms) == 0 || (len(ft.terms) == 1 && ft.terms[0] == k.term) {
		return searcher.NewTermSearcher(ctx, rd, k.term, k.field, q.boost, options)
	}
	return searcher.NewMultiTermSearcherBoosted(ctx, rd, ft.terms, k.field, q.boost, ft.dists, options, true)
}

// expandFuzzy walks the field's dictionary with the word's automaton.
func expandFuzzy(rd index.IndexReader, k fuzzyKey) fuzzyTerms {
	fz, ok := rd.(index.IndexReaderFuzzy)
	if !ok {
		return fuzzyTerms{err: fmt.Errorf("search: index reader %T cannot match fuzzily", rd)}
	}
	prefix := k.term
	for i := range k.term {
		if i > 0 {
			prefix = k.term[:i]
			break
		}
	}
	d, err := fz.FieldDictFuzzy(k.field, k.term, k.fuzziness, prefix)
	if err != nil {
		return fuzzyTerms{err: err}
	}
	defer func() { _ = d.Close() }()
	var ft fuzzyTerms
	for {
		e, err := d.Next()
		if err != nil {
			return fuzzyTerms{err: err}
		}
		if e == nil {
			return ft
		}
		ft.terms = append(ft.terms, e.Term)
		ft.dists = append(ft.dists, e.EditDistance)
		if max := searcher.DisjunctionMaxClauseCount; max > 0 && len(ft.terms) > max {
			return fuzzyTerms{err: fmt.Errorf("search: %q expands to more than %d terms in %s", k.term, max, k.field)}
		}
	}
}
