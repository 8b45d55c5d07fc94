// Package search is the full-text index of the catalogue: Bleve on disk in the
// data directory, built from catalogue.Store, with per-language analysis,
// typo tolerance, synonyms, facets, highlighting and autocomplete.
package search

import "context"

// Request is one search as a resident types it. Query is user text: it is
// never parsed as Bleve query-string syntax.
type Request struct {
	Query    string
	Lang     string // one of catalogue.Languages; results use this language's texts
	Topic    string // topic slug, "" for all
	Audience string // "resident", "business" or ""
	Online   bool   // only services that can be done online
	Free     bool   // only services without a fee
	Page     int    // 1-based
	PerPage  int    // 0 means the default (10)
}

// Result is one page of hits with the facet counts of the whole result set.
type Result struct {
	Total      int
	Page       int
	PerPage    int
	Hits       []Hit
	Facets     Facets
	DidYouMean string // a corrected query when nothing (or little) matched; "" otherwise
}

// Hit is one matching service.
type Hit struct {
	Slug    string
	Score   float64
	Title   []Fragment // the title, with the matched words marked
	Snippet []Fragment // a passage of summary or description, with the matched words marked
}

// Fragment is a piece of text; Mark is true for the words that matched.
// Templates escape Text, so a snippet can never inject markup.
type Fragment struct {
	Text string
	Mark bool
}

// Facets count the hits of the whole result set (not just the page) by filter.
type Facets struct {
	Topics    map[string]int // topic slug -> hits
	Audiences map[string]int // "resident"/"business" -> hits
	Online    int
	Free      int
}

// Suggestion is one autocomplete entry.
type Suggestion struct {
	Slug  string
	Title string
}

// Searcher is what the portal needs of the index.
type Searcher interface {
	Search(ctx context.Context, r Request) (Result, error)
	Suggest(ctx context.Context, lang, prefix string, limit int) ([]Suggestion, error)
}
