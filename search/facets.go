package search

import (
	"context"
	"fmt"
	"math/bits"
	"strings"
	"sync"

	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/collector"
	index "github.com/blevesearch/bleve_index_api"
)

// Facet counts come from a table of each document's facet values, built
// once per index snapshot, instead of Bleve's facets, which read and
// decompress the doc values of every hit on every search: at 100k services
// that was a third of a broad search's time. The table is a bit set per
// document (bit i: the snapshot's i-th facet value), indexed by the
// snapshot's internal document number, which is what each hit carries.
//
// A snapshot never changes; a new one (an update, or Bleve merging its
// segments in the background) numbers its documents differently and gets a
// table of its own, built from the posting lists of the facet field's few
// values, which costs about as much as one search.

// facetTable is the facet values of every document of one snapshot.
type facetTable struct {
	snapshot index.IndexReader // kept so that its address is not reused
	terms    []string          // the facet field's values; bit i is terms[i]
	words    int               // uint64 words per document
	bits     []uint64          // document n's words: bits[n*words : (n+1)*words]
}

// facetTables hands out the table of the snapshot a search reads,
// building it the first time that snapshot is seen.
type facetTables struct {
	mu   sync.Mutex
	last *facetTable
}

func (ft *facetTables) get(ctx context.Context, rd index.IndexReader) (*facetTable, error) {
	ft.mu.Lock()
	defer ft.mu.Unlock()
	if ft.last != nil && ft.last.snapshot == rd {
		return ft.last, nil
	}
	t, err := buildFacetTable(ctx, rd)
	if err != nil {
		return nil, err
	}
	ft.last = t
	return t, nil
}

// buildFacetTable reads the posting list of each value of the facet field.
func buildFacetTable(ctx context.Context, rd index.IndexReader) (*facetTable, error) {
	dict, err := rd.FieldDict(fFacet)
	if err != nil {
		return nil, fmt.Errorf("read facet values: %w", err)
	}
	t := &facetTable{snapshot: rd}
	for {
		e, err := dict.Next()
		if err != nil {
			_ = dict.Close()
			return nil, fmt.Errorf("read facet values: %w", err)
		}
		if e == nil {
			break
		}
		t.terms = append(t.terms, e.Term)
	}
	if err := dict.Close(); err != nil {
		return nil, fmt.Errorf("read facet values: %w", err)
	}
	t.words = max(1, (len(t.terms)+63)/64)
	for i, term := range t.terms {
		if err := t.mark(ctx, rd, i, term); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// mark sets bit i of every document that has term.
func (t *facetTable) mark(ctx context.Context, rd index.IndexReader, i int, term string) error {
	tfr, err := rd.TermFieldReader(ctx, []byte(term), fFacet, false, false, false)
	if err != nil {
		return fmt.Errorf("read facet value %q: %w", term, err)
	}
	defer func() { _ = tfr.Close() }()
	var doc index.TermFieldDoc
	for {
		d, err := tfr.Next(&doc)
		if err != nil {
			return fmt.Errorf("read facet value %q: %w", term, err)
		}
		if d == nil {
			return nil
		}
		n := int(d.ID.Value())
		if end := (n + 1) * t.words; end > len(t.bits) {
			// Documents come in order of their numbers: grow by a quarter
			// more than needed, in whole documents.
			t.bits = append(t.bits, make([]uint64, end-len(t.bits)+len(t.bits)/4/t.words*t.words)...)
		}
		t.bits[n*t.words+i/64] |= 1 << (i % 64)
	}
}

// facetCounter counts the facet values of a search's hits as Bleve's
// collector passes them on.
type facetCounter struct {
	ctx    context.Context // the search's, for building a new snapshot's table
	tables *facetTables
	table  *facetTable
	counts []int
}

// handler is the bleve.MakeDocumentMatchHandler that sees every hit before
// the collector keeps or drops it.
func (c *facetCounter) handler(sc *bsearch.SearchContext) (bsearch.DocumentMatchHandler, bool, error) {
	next, loadID, err := collector.MakeTopNDocumentMatchHandler(sc)
	if err != nil {
		return nil, false, err
	}
	t, err := c.tables.get(c.ctx, sc.IndexReader)
	if err != nil {
		return nil, false, err
	}
	c.table = t
	c.counts = make([]int, len(t.terms))
	return func(d *bsearch.DocumentMatch) error {
		if d != nil {
			c.count(d.IndexInternalID.Value())
		}
		return next(d)
	}, loadID, nil
}

func (c *facetCounter) count(doc uint64) {
	t := c.table
	at := int(doc) * t.words
	if at >= len(t.bits) {
		return // no facet value at all
	}
	for w, word := range t.bits[at : at+t.words] {
		for word != 0 {
			c.counts[w*64+bits.TrailingZeros64(word)]++
			word &= word - 1
		}
	}
}

// facets turns the counts into the result's facets.
func (c *facetCounter) facets() Facets {
	f := Facets{Topics: map[string]int{}, Audiences: map[string]int{}}
	if c.table == nil {
		return f
	}
	for i, n := range c.counts {
		if n == 0 {
			continue
		}
		switch term := c.table.terms[i]; {
		case strings.HasPrefix(term, facetTopic):
			f.Topics[strings.TrimPrefix(term, facetTopic)] = n
		case strings.HasPrefix(term, facetAudience):
			f.Audiences[strings.TrimPrefix(term, facetAudience)] = n
		case term == facetOnline:
			f.Online = n
		case term == facetFree:
			f.Free = n
		}
	}
	return f
}
