package search

import (
	"context"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"sportello/catalogue"
)

// TestFuzzyQueryScoresAsBleves checks that the remembered expansion finds
// the same services with the same scores as Bleve's own fuzzy query, the
// first time a word is met and the second.
func TestFuzzyQueryScoresAsBleves(t *testing.T) {
	x, _ := openDemo(t)
	idx, err := x.reader()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	run := func(q query.Query) map[string]float64 {
		t.Helper()
		br, err := idx.SearchInContext(ctx, bleve.NewSearchRequestOptions(q, 1000, 0, false))
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]float64{}
		for _, h := range br.Hits {
			got[h.ID] = h.Score
		}
		return got
	}
	for _, w := range []struct{ term, lang string }{
		{"rubish", "en"}, {"parkng", "en"}, {"permision", "en"}, {"basura", "es"},
		{"escombraries", "ca"}, {"rifuti", "it"}, {"stationement", "fr"}, {"zzzzzz", "en"},
	} {
		field, f := fLight+w.lang, fuzziness(w.term)
		bq := query.NewFuzzyQuery(w.term)
		bq.SetField(field)
		bq.SetFuzziness(f)
		bq.SetPrefix(1)
		bq.SetBoost(wFuzzy)
		want := run(bq)
		for range 2 {
			got := run(newFuzzyQuery(x.fuzzy, x.gen.Load(), w.term, field, f, wFuzzy))
			if len(got) != len(want) {
				t.Errorf("%q: %d hits, Bleve's fuzzy query %d", w.term, len(got), len(want))
			}
			for id, s := range want {
				if got[id] != s {
					t.Errorf("%q: %s scores %v, Bleve's fuzzy query %v", w.term, id, got[id], s)
				}
			}
		}
	}
}

// TestFuzzyExpansionFollowsUpdates checks that a word's remembered
// expansion is not used once the dictionary has changed: a service added
// with a new word is found by a typo of it right after the update.
func TestFuzzyExpansionFollowsUpdates(t *testing.T) {
	x, c := openDemo(t)
	ctx := context.Background()
	search := func() []string {
		t.Helper()
		r, err := x.Search(ctx, Request{Query: "trampolline", Lang: "en"})
		if err != nil {
			t.Fatal(err)
		}
		return slugs(r)
	}
	if got := search(); len(got) != 0 {
		t.Fatalf("before the update, %v", got)
	}
	s := c.Services[0]
	s.Slug = "trampoline-park-licence"
	s.Title = catalogue.Text{"en": "Trampoline park licence"}
	if err := x.Update(ctx, FromCatalogue(c, 2), []*catalogue.Service{&s}, nil, 2); err != nil {
		t.Fatal(err)
	}
	if got := search(); len(got) == 0 || got[0] != s.Slug {
		t.Errorf("after the update, %v; want %s first", got, s.Slug)
	}
}
