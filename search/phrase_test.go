package search

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"sportello/catalogue"
	"sportello/catalogue/synthetic"
)

// TestPhraseQueryMatchesBlevesPhrase checks phraseQuery against Bleve's
// MatchPhraseQuery on the demo catalogue and on a generated one (few words,
// so many services have a phrase's words but not in its order): the same
// services, with the same scores, for the titles and search terms of every
// language, whole and in windows of two and three words, reversed, and with
// the stop words that analysis drops; alone, as a bonus and required.
func TestPhraseQueryMatchesBlevesPhrase(t *testing.T) {
	ctx := context.Background()
	for name, c := range map[string]*catalogue.Catalogue{"demo": demoCatalogue(t), "generated": synthetic.Generate(2000, 1)} {
		t.Run(name, func(t *testing.T) {
			x, err := Open(ctx, t.TempDir(), FromCatalogue(c, 1), testLogger(t))
			if err != nil {
				t.Fatal(err)
			}
			defer func() { _ = x.Close() }()
			idx, err := x.reader()
			if err != nil {
				t.Fatal(err)
			}
			checked, found := 0, 0
			for lang, texts := range phraseSamples(c, 60) {
				for _, text := range texts {
					for _, field := range []string{fTitle + lang, fKeywords + lang} {
						theirs := query.NewMatchPhraseQuery(text)
						theirs.SetField(field)
						theirs.SetBoost(wPhraseTitle)
						ours := newPhraseQuery(text, field, wPhraseTitle)
						want := phraseHits(t, idx, theirs)
						samePhraseHits(t, text+" in "+field, phraseHits(t, idx, ours), want)
						// As textQuery uses it: a bonus on top of the words,
						// where the searcher is advanced to each service the
						// words find rather than walked.
						words := query.NewMatchQuery(text)
						words.SetField(field)
						samePhraseHits(t, text+" in "+field+", as a bonus",
							phraseHits(t, idx, query.NewBooleanQuery([]query.Query{words}, []query.Query{ours}, nil)),
							phraseHits(t, idx, query.NewBooleanQuery([]query.Query{words}, []query.Query{theirs}, nil)))
						// Required with a topic: the conjunction advances it
						// to the topic's services, and goes on only while it
						// has more.
						topic := query.NewTermQuery(facetTopic + c.Topics[checked%len(c.Topics)].Slug)
						topic.SetField(fFacet)
						samePhraseHits(t, text+" in "+field+", required",
							phraseHits(t, idx, query.NewConjunctionQuery([]query.Query{topic, ours})),
							phraseHits(t, idx, query.NewConjunctionQuery([]query.Query{topic, theirs})))
						checked++
						found += len(want)
					}
				}
			}
			if checked < 500 || found < checked {
				t.Fatalf("checked %d phrases finding %d services: too few to mean anything", checked, found)
			}
		})
	}
}

// phraseSamples takes phrases from the catalogue's titles and search terms
// in each language: whole, windows of two and three words, the first two
// words reversed, and two words around a stop word.
func phraseSamples(c *catalogue.Catalogue, perLang int) map[string][]string {
	stop := map[string]string{"en": "of", "es": "de", "ca": "de", "it": "di", "fr": "de"}
	out := map[string][]string{}
	for _, s := range c.Services {
		for _, lang := range catalogue.Languages {
			if len(out[lang]) >= perLang*8 {
				continue
			}
			texts := append([]string{s.Title[lang]}, s.Keywords[lang]...)
			for _, text := range texts {
				w := strings.Fields(text)
				if len(w) < 2 {
					continue
				}
				out[lang] = append(out[lang], text, w[1]+" "+w[0], w[0]+" "+stop[lang]+" "+w[1])
				for i := 0; i+2 <= len(w); i++ {
					out[lang] = append(out[lang], strings.Join(w[i:i+2], " "))
				}
				if len(w) >= 3 {
					out[lang] = append(out[lang], strings.Join(w[len(w)-3:], " "))
				}
			}
		}
	}
	return out
}

func samePhraseHits(t *testing.T, what string, got, want map[string]float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d services, with Bleve's phrase %d", what, len(got), len(want))
	}
	for id, score := range want {
		if g, ok := got[id]; !ok || math.Abs(g-score) > 1e-9*math.Abs(score) {
			t.Fatalf("%s: %s scores %v (found: %v), with Bleve's phrase %v", what, id, g, ok, score)
		}
	}
}

func phraseHits(t *testing.T, idx bleve.Index, q query.Query) map[string]float64 {
	t.Helper()
	r, err := idx.Search(bleve.NewSearchRequestOptions(q, 100000, 0, false))
	if err != nil {
		t.Fatal(err)
	}
	hits := make(map[string]float64, len(r.Hits))
	for _, h := range r.Hits {
		hits[h.ID] = h.Score
	}
	return hits
}
