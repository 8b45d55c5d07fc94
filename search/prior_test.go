package search

import (
	"context"
	"slices"
	"testing"
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
	clicks := map[string]int64{}
	for _, h := range before.Hits[1:] {
		clicks[h.Slug] = 1000
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
