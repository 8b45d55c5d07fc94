package search

import (
	"context"
	"math"
	"slices"
	"testing"

	bsearch "github.com/blevesearch/bleve/v2/search"
)

// TestPriorIsGentle checks that the prior reorders only results whose text
// scores are close, never lifts one above a clearly better match, and that
// the pages of a result set still agree.
func TestPriorIsGentle(t *testing.T) {
	x, _ := openDemo(t)
	ctx := context.Background()
	req := Request{Query: "parking permit", Lang: "en", PerPage: 10}
	before, err := x.Search(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if len(before.Hits) < 6 {
		t.Fatalf("the test needs a broad query: %v", slugs(before))
	}
	text := map[string]float64{}
	for _, h := range before.Hits {
		text[h.Slug] = h.Score
	}
	// Everything but the best match is the most used service there is.
	clicks := Clicks{"en": {}}
	for _, h := range before.Hits[1:] {
		clicks["en"][h.Slug] = 1000
	}
	x.SetPrior(NewPrior(nil, clicks))
	after, err := x.Search(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	got := slugs(after)
	if !slices.Equal(sorted(got), sorted(slugs(before))) {
		t.Fatalf("the prior changed what is found: %v, before %v", got, slugs(before))
	}
	for i, a := range got {
		for _, b := range got[i+1:] {
			if text[b] > text[a]*(1+priorStrength) {
				t.Errorf("%s (text score %.3f) ranks above %s (%.3f), a clearly better match", a, text[a], b, text[b])
			}
		}
	}
	// Pages of 3 put together give the first page of 10.
	var paged []string
	for p := 1; p <= 4; p++ {
		r, err := x.Search(ctx, Request{Query: req.Query, Lang: "en", PerPage: 3, Page: p})
		if err != nil {
			t.Fatal(err)
		}
		paged = append(paged, slugs(r)...)
	}
	if !slices.Equal(paged[:min(10, len(paged))], got) {
		t.Errorf("pages of 3: %v; one page of 10: %v", paged, got)
	}

	// A prior with a clear favourite moves it up among close matches.
	x.SetPrior(NewPrior([]string{before.Hits[1].Slug}, nil))
	r, _ := x.Search(ctx, req)
	if text[before.Hits[1].Slug]*(1+priorStrength*topTaskWeight) > text[before.Hits[0].Slug] && slugs(r)[0] != before.Hits[1].Slug {
		t.Errorf("a top task within the margin stays second: %v", slugs(r))
	}
	x.SetPrior(nil)
	if r, _ := x.Search(ctx, req); !slices.Equal(slugs(r), slugs(before)) {
		t.Errorf("without a prior: %v, want %v", slugs(r), slugs(before))
	}
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

// TestPriorWeights checks how clicks weigh: fully in their own language,
// at half in the others, on a logarithmic scale, and a handful of clicks
// less than a top task.
func TestPriorWeights(t *testing.T) {
	p := NewPrior([]string{"top"}, Clicks{
		"it": {"badge": 1000, "camp": 10},
		"ca": {"few": 3},
	})
	for _, c := range []struct {
		lang, slug string
		want       float64
	}{
		{"it", "badge", 1},
		{"en", "badge", otherLangWeight},
		{"it", "camp", math.Log1p(10) / math.Log1p(1000)},
		{"fr", "camp", otherLangWeight * math.Log1p(10) / math.Log1p(1000)},
		{"ca", "few", math.Log1p(3) / math.Log1p(fewClicks)},
		{"en", "top", topTaskWeight},
		{"it", "nothing", 0},
	} {
		if got := p.Weight(c.lang, c.slug); math.Abs(got-c.want) > 1e-9 {
			t.Errorf("Weight(%s, %s) = %.3f, want %.3f", c.lang, c.slug, got, c.want)
		}
	}
	if p.Weight("ca", "few") >= topTaskWeight {
		t.Errorf("three clicks weigh %.2f, at least a top task's %.2f", p.Weight("ca", "few"), topTaskWeight)
	}
	if w := NewPrior(nil, nil).Weight("en", "top"); w != 0 {
		t.Errorf("an empty prior weighs %v", w)
	}
}

// TestPriorFollowsTheSearchLanguage checks that clicks in one language
// lift a service in that language's searches more than in another's.
func TestPriorFollowsTheSearchLanguage(t *testing.T) {
	x, _ := openDemo(t)
	ctx := context.Background()
	req := Request{Query: "parking permit", Lang: "en", PerPage: 10}
	before, err := x.Search(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	// The second hit, clicked a lot in English searches and never in
	// Italian ones.
	second := before.Hits[1]
	x.SetPrior(NewPrior(nil, Clicks{"en": {second.Slug: 5000}}))
	en, _ := x.Search(ctx, req)
	it, _ := x.Search(ctx, Request{Query: req.Query, Lang: "it", PerPage: 10})
	x.SetPrior(nil)
	itBefore, _ := x.Search(ctx, Request{Query: req.Query, Lang: "it", PerPage: 10})
	scoreOf := func(r Result, slug string) float64 {
		for _, h := range r.Hits {
			if h.Slug == slug {
				return h.Score
			}
		}
		t.Fatalf("%s not found: %v", slug, slugs(r))
		return 0
	}
	gainEn := scoreOf(en, second.Slug) / second.Score
	gainIt := scoreOf(it, second.Slug) / scoreOf(itBefore, second.Slug)
	if math.Abs(gainEn-(1+priorStrength)) > 1e-6 || math.Abs(gainIt-(1+priorStrength*otherLangWeight)) > 1e-6 {
		t.Errorf("score gains: English %.4f (want %.4f), Italian %.4f (want %.4f)", gainEn, 1+priorStrength, gainIt, 1+priorStrength*otherLangWeight)
	}
}

// TestRerankOrdersEqualsBySlug: hits with the same score come in the order
// of their slugs, whatever order the index gave them in, with or without a
// prior's weights.
func TestRerankOrdersEqualsBySlug(t *testing.T) {
	for _, p := range []*Prior{NewPrior(nil, nil), NewPrior([]string{"zeta"}, nil)} {
		hits := bsearch.DocumentMatchCollection{
			&bsearch.DocumentMatch{ID: "delta", Score: 1}, &bsearch.DocumentMatch{ID: "beta", Score: 2},
			&bsearch.DocumentMatch{ID: "gamma", Score: 1}, &bsearch.DocumentMatch{ID: "alpha", Score: 1},
		}
		p.rerank(hits, "en")
		var got []string
		for _, h := range hits {
			got = append(got, h.ID)
		}
		if want := []string{"beta", "alpha", "delta", "gamma"}; !slices.Equal(got, want) {
			t.Errorf("reranked %v, want %v", got, want)
		}
	}
}
