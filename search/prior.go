package search

import (
	"math"
	"slices"
	"strings"

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
	// fewClicks is the number of clicks below which the most clicked
	// service of a language does not reach the full prior: a handful of
	// clicks says little, and must not outweigh the top tasks.
	fewClicks = 100
	// otherLangWeight scales what residents of the other languages click:
	// a service popular in Italian searches is likely useful to a Catalan
	// resident too, but less surely than one Catalan residents open.
	otherLangWeight = 0.5
)

// Prior weighs services by use, from 0 (nothing known) to 1, per search
// language.
type Prior struct {
	common map[string]float64            // slug → weight in any language
	byLang map[string]map[string]float64 // lang → slug → weight
}

// Clicks counts the clicks on each service from the search results page,
// per search language: clicks[lang][slug].
type Clicks map[string]map[string]int64

// NewPrior builds the prior from the top tasks (the services the council
// knows are used most: the home page's) and the clicks each service had
// from the search results page per language (from the search log; may be
// nil). Clicks count on a logarithmic scale, so that the most clicked
// service does not leave every other far behind; a search in one language
// weighs its own language's clicks fully and the others' at half.
func NewPrior(topTasks []string, clicks Clicks) *Prior {
	p := &Prior{common: map[string]float64{}, byLang: map[string]map[string]float64{}}
	for _, slug := range topTasks {
		p.common[slug] = topTaskWeight
	}
	all := map[string]int64{}
	for lang, bySlug := range clicks {
		w := clickWeights(bySlug)
		if len(w) > 0 {
			p.byLang[lang] = w
		}
		for slug, n := range bySlug {
			all[slug] += n
		}
	}
	for slug, w := range clickWeights(all) {
		p.common[slug] = max(p.common[slug], otherLangWeight*w)
	}
	return p
}

// clickWeights scales clicks to weights: log(1+n) / log(1+most), with most
// at least fewClicks.
func clickWeights(clicks map[string]int64) map[string]float64 {
	most := int64(fewClicks)
	for _, n := range clicks {
		most = max(most, n)
	}
	w := map[string]float64{}
	for slug, n := range clicks {
		if n > 0 {
			w[slug] = math.Log1p(float64(n)) / math.Log1p(float64(most))
		}
	}
	return w
}

// Weight is the prior of slug in a search in lang, from 0 to 1.
func (p *Prior) Weight(lang, slug string) float64 {
	return max(p.common[slug], p.byLang[lang][slug])
}

// SetPrior makes p the index's prior from the next search on; nil removes
// it. The pages ordered by the previous prior are forgotten.
func (x *Index) SetPrior(p *Prior) {
	x.prior.Store(p)
	x.invalidate()
}

// rerank reorders the first priorWindow hits of a search in lang by their
// score times the prior. Equals go in the order of their slugs: Bleve
// leaves them in the index's order, which two batches written at once make
// differ from one build to the next.
func (p *Prior) rerank(hits bsearch.DocumentMatchCollection, lang string) {
	w := hits[:min(len(hits), priorWindow)]
	if p != nil && (len(p.common) > 0 || len(p.byLang) > 0) {
		for _, h := range w {
			h.Score *= 1 + priorStrength*p.Weight(lang, h.ID)
		}
	}
	slices.SortFunc(w, func(a, b *bsearch.DocumentMatch) int {
		switch {
		case a.Score > b.Score:
			return -1
		case a.Score < b.Score:
			return 1
		}
		return strings.Compare(a.ID, b.ID)
	})
}
