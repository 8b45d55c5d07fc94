package search

import (
	"math"
	"slices"

	bsearch "github.com/blevesearch/bleve/v2/search"
)

// What residents use most is a gentle prior on the ranking: among results
// that match the text about as well, the service people use more comes
// first. It multiplies a hit's score by at most 1+priorStrength, so a
// service can only pass another whose text score is within that margin:
// never one that clearly matches better.
const (
	priorStrength = 0.06
	// priorWindow is how many of the best hits the prior reorders. Pages
	// past it keep the text order, which the reordering cannot change
	// beyond the window: every page of a result set agrees.
	priorWindow = 20
	// topTaskWeight is the prior of a top task, against 1 for the most
	// clicked service of the search log.
	topTaskWeight = 0.6
)

// Prior weighs services by use, from 0 (nothing known) to 1.
type Prior struct {
	weight map[string]float64
}

// NewPrior builds the prior from the top tasks (the services the council
// knows are used most: the home page's) and the clicks each service had
// from the search results page, which may be nil. Clicks count on a
// logarithmic scale, so that the most clicked service does not leave every
// other far behind.
func NewPrior(topTasks []string, clicks map[string]int64) *Prior {
	p := &Prior{weight: map[string]float64{}}
	for _, slug := range topTasks {
		p.weight[slug] = topTaskWeight
	}
	var most int64
	for _, n := range clicks {
		most = max(most, n)
	}
	if most > 0 {
		for slug, n := range clicks {
			if n > 0 {
				w := math.Log1p(float64(n)) / math.Log1p(float64(most))
				p.weight[slug] = max(p.weight[slug], w)
			}
		}
	}
	return p
}

// SetPrior makes p the index's prior from the next search on; nil removes
// it.
func (x *Index) SetPrior(p *Prior) {
	x.prior.Store(p)
}

// rerank reorders the first priorWindow hits by their score times the
// prior, keeping the text order between equals.
func (p *Prior) rerank(hits bsearch.DocumentMatchCollection) {
	if p == nil || len(p.weight) == 0 {
		return
	}
	w := hits[:min(len(hits), priorWindow)]
	for _, h := range w {
		h.Score *= 1 + priorStrength*p.weight[h.ID]
	}
	slices.SortStableFunc(w, func(a, b *bsearch.DocumentMatch) int {
		switch {
		case a.Score > b.Score:
			return -1
		case a.Score < b.Score:
			return 1
		}
		return 0
	})
}
