package search

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"

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

// TestEditMeterCountsAsBleves holds the highlighter's edit distance to
// Bleve's fuzzy automaton: among the demo's words of each language that
// begin as the query word does, those it finds within the word's fuzziness
// are the ones the automaton finds, at the same distances. The query words
// are words of the demo's light fields in every language and typos of them:
// a letter changed, dropped, added, and two neighbours swapped.
func TestEditMeterCountsAsBleves(t *testing.T) {
	x, _ := openDemo(t)
	idx, err := x.reader()
	if err != nil {
		t.Fatal(err)
	}
	rd, err := readerOf(idx)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = rd.Close() }()
	fz := rd.(index.IndexReaderFuzzy)
	typos := func(w string) []string {
		r := []rune(w)
		out := []string{w}
		for i := 1; i < len(r); i += 2 {
			out = append(out,
				string(slices.Concat(r[:i], []rune{'x'}, r[i+1:])),
				string(slices.Concat(r[:i], r[i+1:])),
				string(slices.Concat(r[:i], []rune{'é'}, r[i:])))
			if i+1 < len(r) {
				out = append(out, string(slices.Concat(r[:i], []rune{r[i+1], r[i]}, r[i+2:])))
			}
		}
		return out
	}
	checked := 0
	for _, lang := range catalogue.Languages {
		field := fLight + lang
		d, err := idx.FieldDict(field)
		if err != nil {
			t.Fatal(err)
		}
		var terms []string
		for {
			e, err := d.Next()
			if err != nil {
				t.Fatal(err)
			}
			if e == nil {
				break
			}
			terms = append(terms, e.Term)
		}
		_ = d.Close()
		for i := 0; i < len(terms); i += 9 {
			for _, typo := range typos(terms[i]) {
				f := fuzziness(typo)
				if f == 0 {
					continue
				}
				m := newEditMeter(typo)
				_, size := utf8.DecodeRuneInString(typo)
				var got fuzzyTerms
				for _, term := range terms {
					if dist := m.distance(term, f); strings.HasPrefix(term, typo[:size]) && dist <= f {
						got.terms = append(got.terms, term)
						got.dists = append(got.dists, uint8(dist))
					}
				}
				want := bleveFuzzy(t, fz, field, typo, f)
				if g, w := fmt.Sprint(got.terms, got.dists), fmt.Sprint(want.terms, want.dists); g != w {
					t.Errorf("%s %q (fuzziness %d): %s, Bleve's automaton %s", field, typo, f, g, w)
				}
				checked++
			}
		}
	}
	if checked < 1000 {
		t.Fatalf("checked %d words, want 1000 or more", checked)
	}
}

// bleveFuzzy is the expansion of term by Bleve's fuzzy automaton, the first
// rune fixed.
func bleveFuzzy(t *testing.T, fz index.IndexReaderFuzzy, field, term string, fuzziness int) fuzzyTerms {
	t.Helper()
	_, size := utf8.DecodeRuneInString(term)
	d, err := fz.FieldDictFuzzy(field, term, fuzziness, term[:size])
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = d.Close() }()
	var ft fuzzyTerms
	for {
		e, err := d.Next()
		if err != nil {
			t.Fatal(err)
		}
		if e == nil {
			return ft
		}
		ft.terms = append(ft.terms, e.Term)
		ft.dists = append(ft.dists, e.EditDistance)
	}
}
