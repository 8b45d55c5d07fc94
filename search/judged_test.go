package search

import (
	"context"
	"encoding/json"
	"os"
	"slices"
	"testing"

	"sportello/catalogue"
)

// judged is one query of testdata/judged.json: what a resident or business
// typed, in which language, and the service that should be in the first
// three results.
type judged struct {
	Lang  string `json:"lang"`
	Query string `json:"query"`
	Want  string `json:"want"`
}

type quality struct {
	n, at1, at3 int
	rr          float64
}

func (q *quality) add(rank int) {
	q.n++
	if rank == 1 {
		q.at1++
	}
	if rank >= 1 && rank <= 3 {
		q.at3++
	}
	if rank >= 1 {
		q.rr += 1 / float64(rank)
	}
}

func (q quality) success3() float64 { return float64(q.at3) / float64(q.n) }

// TestJudgedQueries measures ranking quality on the judged query set and
// fails when fewer than 90% of the queries have their service in the top 3.
func TestJudgedQueries(t *testing.T) {
	raw, err := os.ReadFile("testdata/judged.json")
	if err != nil {
		t.Fatal(err)
	}
	var set []judged
	if err := json.Unmarshal(raw, &set); err != nil {
		t.Fatalf("testdata/judged.json: %v", err)
	}
	x, c := openDemo(t)
	exists := map[string]bool{}
	for _, s := range c.Services {
		exists[s.Slug] = true
	}
	perLang := map[string]*quality{}
	var all quality
	for _, j := range set {
		if !exists[j.Want] {
			t.Fatalf("judged query %q wants unknown service %q", j.Query, j.Want)
		}
		r, err := x.Search(context.Background(), Request{Query: j.Query, Lang: j.Lang, PerPage: 10})
		if err != nil {
			t.Fatalf("Search(%q): %v", j.Query, err)
		}
		rank := slices.Index(slugs(r), j.Want) + 1
		if rank == 0 || rank > 3 {
			t.Logf("miss [%s] %q: want %s, rank %d, got %v", j.Lang, j.Query, j.Want, rank, first(slugs(r), 3))
		}
		all.add(rank)
		if perLang[j.Lang] == nil {
			perLang[j.Lang] = &quality{}
		}
		perLang[j.Lang].add(rank)
	}
	for _, lang := range catalogue.Languages {
		q := perLang[lang]
		if q == nil || q.n < 8 {
			t.Errorf("language %s has fewer than 8 judged queries", lang)
			continue
		}
		t.Logf("%s: n=%d success@1=%.2f success@3=%.2f MRR=%.3f", lang, q.n,
			float64(q.at1)/float64(q.n), q.success3(), q.rr/float64(q.n))
	}
	t.Logf("all: n=%d success@1=%.2f success@3=%.2f MRR=%.3f", all.n,
		float64(all.at1)/float64(all.n), all.success3(), all.rr/float64(all.n))
	if all.n < 60 {
		t.Errorf("judged set has %d queries, want at least 60", all.n)
	}
	if all.success3() < 0.9 {
		t.Errorf("success@3 = %.2f, want >= 0.90", all.success3())
	}
}

func first(s []string, n int) []string { return s[:min(n, len(s))] }
