package synthetic

import (
	"math/rand/v2"
	"strings"

	"sportello/catalogue"
)

// Search is one search of the load runs' kind: a few words, a language and
// at most one filter.
type Search struct {
	Query, Lang, Topic, Audience string
	Online                       bool
}

// Searches makes n searches of c of the kind docs/perf/loadrun.sh makes
// (not the same ones: its are drawn by Python): one to three words (of more
// than three letters) of the first 3,000 services' English titles, in a
// language at random, one in five in a topic, one in ten of services online
// and one in ten for businesses. The same seed gives the same searches.
func Searches(c *catalogue.Catalogue, n int, seed uint64) []Search {
	var words []string
	for _, s := range c.Services[:min(3000, len(c.Services))] {
		for _, w := range strings.Fields(strings.ToLower(s.Title["en"])) {
			if len(w) > 3 {
				words = append(words, w)
			}
		}
	}
	rnd := rand.New(rand.NewPCG(1, seed))
	out := make([]Search, n)
	for i := range out {
		q := make([]string, 1+rnd.IntN(3))
		for j := range q {
			q[j] = words[rnd.IntN(len(words))]
		}
		s := Search{Query: strings.Join(q, " "), Lang: catalogue.Languages[rnd.IntN(len(catalogue.Languages))]}
		switch p := rnd.Float64(); {
		case p < 0.2:
			s.Topic = c.Topics[rnd.IntN(len(c.Topics))].Slug
		case p < 0.3:
			s.Online = true
		case p < 0.4:
			s.Audience = "business"
		}
		out[i] = s
	}
	return out
}
