// Package synthetic generates large, plausible catalogues for benchmarks and
// load runs. Services reuse the demo catalogue's authority, topics and
// departments, and mix its vocabulary: titles are built from actions and
// objects per topic, keywords and description sentences are sampled from the
// demo services of the same topic (and a few from other topics), so that
// queries hit different, overlapping sets of services as they would in a
// real catalogue.
package synthetic

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"sportello/catalogue"
)

// Shares of generated services with each optional feature.
const (
	shareEsCa   = 0.25 // translated into Spanish and Catalan
	shareItFr   = 0.12 // translated into Italian and French (each)
	shareOnline = 0.7
	shareFee    = 0.35
	shareBoth   = 0.2 // for residents and businesses
)

// pools holds the demo's vocabulary by language and topic.
type pools struct {
	keywords  map[string]map[string][]string // lang -> topic -> keywords
	sentences map[string]map[string][]string // lang -> topic -> description sentences
	summaries map[string]map[string][]string // lang -> topic -> summaries
	dept      map[string]string              // topic -> department
	events    map[string][]string            // audience -> life event slugs
	topics    []string                       // sorted, so that a seed gives one catalogue
}

// Generate returns a catalogue of n valid services, the same for the same
// seed.
func Generate(n int, seed int64) *catalogue.Catalogue {
	demo := demo()
	p := newPools(demo)
	rng := rand.New(rand.NewPCG(uint64(seed), 0x5357_4f52_5445_4c4c))
	c := &catalogue.Catalogue{
		Format:           catalogue.FormatVersion,
		Authority:        demo.Authority,
		Topics:           demo.Topics,
		Departments:      demo.Departments,
		LifeEvents:       demo.LifeEvents,
		ProfileQuestions: demo.ProfileQuestions,
		Services:         make([]catalogue.Service, 0, n),
	}
	for i := range n {
		s := p.service(rng, c.Topics[rng.IntN(len(c.Topics))].Slug, i)
		if i > 0 && rng.IntN(2) == 0 {
			// Related services must be in the same document: point back
			// to one generated before.
			s.Related = []string{c.Services[rng.IntN(i)].Slug}
		}
		c.Services = append(c.Services, s)
	}
	return c
}

// demo decodes the embedded demo catalogue. It is part of the binary and
// covered by the catalogue package's tests, so failing to decode it is a
// build defect, not a runtime condition.
func demo() *catalogue.Catalogue {
	var c catalogue.Catalogue
	if err := json.Unmarshal(catalogue.DemoJSON(), &c); err != nil {
		panic(fmt.Sprintf("synthetic: the embedded demo catalogue does not decode: %v", err))
	}
	return &c
}

func newPools(c *catalogue.Catalogue) *pools {
	p := &pools{
		keywords:  map[string]map[string][]string{},
		sentences: map[string]map[string][]string{},
		summaries: map[string]map[string][]string{},
		dept:      map[string]string{},
		events:    map[string][]string{},
	}
	add := func(m map[string]map[string][]string, lang, topic string, v ...string) {
		if m[lang] == nil {
			m[lang] = map[string][]string{}
		}
		m[lang][topic] = append(m[lang][topic], v...)
	}
	for _, s := range c.Services {
		p.dept[s.Topic] = s.Department
		for lang, kws := range s.Keywords {
			add(p.keywords, lang, s.Topic, kws...)
		}
		for lang, sum := range s.Summary {
			add(p.summaries, lang, s.Topic, sum)
		}
		for lang, desc := range s.Description {
			for _, para := range strings.Split(desc, "\n") {
				para = strings.TrimSpace(para)
				// List items and headings read oddly out of context.
				if para == "" || strings.HasPrefix(para, "-") || strings.HasPrefix(para, "#") {
					continue
				}
				for _, sent := range strings.SplitAfter(para, ". ") {
					if sent = strings.TrimSpace(sent); len(sent) > 20 {
						add(p.sentences, lang, s.Topic, sent)
					}
				}
			}
		}
	}
	for _, e := range c.LifeEvents {
		p.events[e.Audience] = append(p.events[e.Audience], e.Slug)
	}
	for t := range p.dept {
		p.topics = append(p.topics, t)
	}
	slices.Sort(p.topics)
	return p
}

// pick returns k random entries of lang's pool for topic, falling back to
// the whole language when the demo has nothing for that topic.
func (p *pools) pick(rng *rand.Rand, m map[string]map[string][]string, lang, topic string, k int) []string {
	pool := m[lang][topic]
	if len(pool) == 0 {
		for _, t := range p.topics {
			pool = append(pool, m[lang][t]...)
		}
	}
	if len(pool) == 0 {
		return nil
	}
	out := make([]string, 0, k)
	for range k {
		out = append(out, pool[rng.IntN(len(pool))])
	}
	return out
}

// otherTopic returns a random topic of the pools other than topic.
func (p *pools) otherTopic(rng *rand.Rand, topic string) string {
	t := p.topics[rng.IntN(len(p.topics))]
	if t == topic {
		t = p.topics[(slices.Index(p.topics, t)+1)%len(p.topics)]
	}
	return t
}

func (p *pools) service(rng *rand.Rand, topic string, i int) catalogue.Service {
	action := actions[rng.IntN(len(actions))]
	objs := objects[topic]
	object := objs[rng.IntN(len(objs))]
	qual := qualifiers[rng.IntN(len(qualifiers))]

	langs := []string{"en"}
	if rng.Float64() < shareEsCa {
		langs = append(langs, "es", "ca")
	}
	for _, l := range []string{"it", "fr"} {
		if rng.Float64() < shareItFr {
			langs = append(langs, l)
		}
	}

	s := catalogue.Service{
		Topic:              topic,
		Department:         p.dept[topic],
		Audience:           []string{catalogue.AudienceResident},
		LifeEvents:         []string{},
		Keywords:           catalogue.TextList{},
		Channels:           []string{"in_person", "phone"},
		ProcessingTimeDays: ptr(1 + rng.IntN(60)),
		Title:              catalogue.Text{},
		Summary:            catalogue.Text{},
		Description:        catalogue.Text{},
		EligibilityText:    catalogue.Text{},
		Documents:          catalogue.TextList{},
		Steps:              catalogue.TextList{},
		LegalBasis:         catalogue.Text{},
		Output:             catalogue.Text{},
		Related:            []string{},
	}
	switch r := rng.Float64(); {
	case r < shareBoth:
		s.Audience = []string{catalogue.AudienceResident, catalogue.AudienceBusiness}
	case r < shareBoth+0.25 || topic == "business-licensing":
		s.Audience = []string{catalogue.AudienceBusiness}
	}
	if ev := p.events[s.Audience[0]]; len(ev) > 0 && rng.IntN(3) == 0 {
		s.LifeEvents = []string{ev[rng.IntN(len(ev))]}
	}

	other := p.otherTopic(rng, topic)
	for _, l := range langs {
		title := action[l] + " " + object[l]
		if q := qual[l]; q != "" {
			if l == "en" {
				title = action[l] + " " + q + " " + object[l]
			} else {
				title += " " + q
			}
		}
		s.Title[l] = title
		s.Summary[l] = p.pick(rng, p.summaries, l, topic, 1)[0]
		desc := p.pick(rng, p.sentences, l, topic, 4+rng.IntN(6))
		desc = append(desc, p.pick(rng, p.sentences, l, other, 1+rng.IntN(2))...)
		rng.Shuffle(len(desc), func(a, b int) { desc[a], desc[b] = desc[b], desc[a] })
		s.Description[l] = strings.Join(desc, " ")
		kws := p.pick(rng, p.keywords, l, topic, 3+rng.IntN(4))
		kws = append(kws, p.pick(rng, p.keywords, l, other, 1+rng.IntN(2))...)
		s.Keywords[l] = dedupe(kws)
		s.EligibilityText[l] = eligibility[l]
		s.LegalBasis[l] = legalBasis[l]
		s.Output[l] = output[l]
		for _, d := range documents[:rng.IntN(len(documents)+1)] {
			s.Documents[l] = append(s.Documents[l], d[l])
		}
		if s.Documents[l] == nil {
			s.Documents[l] = []string{}
		}
		for _, st := range steps {
			s.Steps[l] = append(s.Steps[l], st[l])
		}
	}
	s.Slug = fmt.Sprintf("%s-%d", slugify(s.Title["en"]), i+1)

	if rng.Float64() < shareOnline {
		s.Channels = append([]string{"online"}, s.Channels...)
		s.OnlineForm = form(langs)
		a := []string{catalogue.AssuranceNone, catalogue.AssuranceLow, catalogue.AssuranceSubstantial}[rng.IntN(3)]
		s.Assurance = &a
	}
	if rng.Float64() < shareFee {
		// Only a signed-in applicant can pay on application. The draw comes
		// first so that the rest of each seed's catalogue stays as it was.
		when := catalogue.FeeOnApproval
		if s.OnlineForm != nil && rng.IntN(2) == 0 && *s.Assurance != catalogue.AssuranceNone {
			when = catalogue.FeeOnApplication
		}
		unit := catalogue.Text{}
		for _, l := range langs {
			unit[l] = feeUnit[l]
		}
		s.Fee = &catalogue.Fee{Amount: int64(500 + 100*rng.IntN(300)), Currency: "EUR", Unit: unit, When: when}
	}
	return s
}

func form(langs []string) *catalogue.OnlineForm {
	f := &catalogue.OnlineForm{}
	for _, fd := range fields {
		label := catalogue.Text{}
		for _, l := range langs {
			label[l] = fd.label[l]
		}
		f.Fields = append(f.Fields, catalogue.Field{Name: fd.name, Type: fd.typ, Required: fd.typ != "textarea", Label: label})
	}
	return f
}

func dedupe(in []string) []string {
	seen := map[string]bool{}
	out := make([]string, 0, len(in))
	for _, s := range in {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// slugify turns an English title into slug characters: lowercase ASCII
// letters, digits and single hyphens.
func slugify(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

func ptr[T any](v T) *T { return &v }
