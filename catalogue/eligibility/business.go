package eligibility

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"sportello/catalogue"
)

// BusinessQuestion is one yes/no question of the business permit finder.
type BusinessQuestion struct {
	Key      string
	Text     catalogue.Text
	Services []string // the slugs the answer decides, in plan order
}

// Plan is what a business needs from the council, step by step.
type Plan struct {
	Steps           []PlanStep
	TotalFeeCents   int64 // each service's fee once, even when it recurs (per year)
	Currency        string
	LongestWaitDays int // the longest set processing time of any service; services without one do not count
}

// PlanStep is one numbered step of a plan. Numbers run 1, 2, 3… over the
// steps that are left once the business's answers have removed some.
type PlanStep struct {
	Number   int
	Title    catalogue.Text
	Services []*catalogue.Service
}

// BusinessFinder plans a business's permits from the catalogue's business
// types (catalogue.BusinessType): which questions to ask, and which
// services the answers leave in the plan. It keeps pointers into the
// catalogue it was built from.
type BusinessFinder struct {
	services map[string]*catalogue.Service
	types    []*catalogue.BusinessType // catalogue order
	bySlug   map[string]*catalogue.BusinessType
	currency string
}

// NewBusinessFinder prepares the finder for c, which must be valid
// (catalogue.Validate): its business types name only its services.
func NewBusinessFinder(c *catalogue.Catalogue) *BusinessFinder {
	f := &BusinessFinder{
		services: make(map[string]*catalogue.Service, len(c.Services)),
		bySlug:   make(map[string]*catalogue.BusinessType, len(c.BusinessTypes)),
		currency: c.Authority.Currency,
	}
	for i := range c.Services {
		f.services[c.Services[i].Slug] = &c.Services[i]
	}
	for i := range c.BusinessTypes {
		b := &c.BusinessTypes[i]
		f.types = append(f.types, b)
		f.bySlug[b.Slug] = b
	}
	return f
}

// Types returns the business types a business can plan for, in catalogue
// order.
func (f *BusinessFinder) Types() []*catalogue.BusinessType { return f.types }

// Type returns the business type slug.
func (f *BusinessFinder) Type(slug string) (*catalogue.BusinessType, bool) {
	b, ok := f.bySlug[slug]
	return b, ok
}

func (f *BusinessFinder) businessType(slug string) (*catalogue.BusinessType, error) {
	b, ok := f.bySlug[slug]
	if !ok {
		return nil, fmt.Errorf("%w: no business type %q in the catalogue", catalogue.ErrNotFound, slug)
	}
	return b, nil
}

// Questions returns the yes/no questions of the business type slug, in the
// catalogue's order, each with the services its answer decides.
func (f *BusinessFinder) Questions(slug string) ([]BusinessQuestion, error) {
	b, err := f.businessType(slug)
	if err != nil {
		return nil, err
	}
	return questionsOf(b), nil
}

func questionsOf(b *catalogue.BusinessType) []BusinessQuestion {
	out := make([]BusinessQuestion, len(b.Questions))
	for i, q := range b.Questions {
		out[i] = BusinessQuestion{Key: q.Key, Text: q.Text}
		for _, st := range b.Steps {
			for _, p := range st.Services {
				if p.If == q.Key {
					out[i].Services = append(out[i].Services, p.Service)
				}
			}
		}
	}
	return out
}

// Plan returns the steps of the business type slug that a business needs
// given its answers to Questions. An unanswered question keeps its services
// in the plan: a permit the business may need is shown until it says it
// does not. A step left without services is dropped and the rest
// renumbered; a step without a title of its own takes its service's.
func (f *BusinessFinder) Plan(slug string, answers map[string]bool) (Plan, error) {
	b, err := f.businessType(slug)
	if err != nil {
		return Plan{}, err
	}
	if err := refuseUnasked(b, answers); err != nil {
		return Plan{}, err
	}
	p := Plan{Currency: f.currency}
	feeCurrency := ""
	for _, st := range b.Steps {
		var services []*catalogue.Service
		for _, permit := range st.Services {
			s, ok := f.services[permit.Service]
			if !ok {
				return Plan{}, fmt.Errorf("%w: business type %q names service %q, which is not in the catalogue", catalogue.ErrInvalid, slug, permit.Service)
			}
			if needed, answered := answers[permit.If]; permit.If != "" && answered && !needed {
				continue
			}
			services = append(services, s)
			if s.ProcessingTimeDays != nil {
				p.LongestWaitDays = max(p.LongestWaitDays, *s.ProcessingTimeDays)
			}
			if !s.Fee.Free() {
				if feeCurrency != "" && s.Fee.Currency != feeCurrency {
					return Plan{}, fmt.Errorf("%w: service %q charges in %s but the plan's other fees are in %s; fees in two currencies cannot be added",
						catalogue.ErrInvalid, s.Slug, s.Fee.Currency, feeCurrency)
				}
				feeCurrency = s.Fee.Currency
				p.TotalFeeCents += s.Fee.Amount
			}
		}
		if len(services) == 0 {
			continue
		}
		title := st.Title
		if title == nil {
			title = services[0].Title
		}
		p.Steps = append(p.Steps, PlanStep{Number: len(p.Steps) + 1, Title: title, Services: services})
	}
	if feeCurrency != "" {
		p.Currency = feeCurrency
	}
	return p, nil
}

// refuseUnasked refuses answers to questions the business type does not
// ask: a link with a misspelt key would otherwise plan as if unanswered.
func refuseUnasked(b *catalogue.BusinessType, answers map[string]bool) error {
	var unknown []string
	for key := range answers {
		if !slices.ContainsFunc(b.Questions, func(q catalogue.BusinessQuestion) bool { return q.Key == key }) {
			unknown = append(unknown, key)
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	sort.Strings(unknown)
	keys := make([]string, len(b.Questions))
	for i, q := range b.Questions {
		keys[i] = q.Key
	}
	return fmt.Errorf("%w: %s not asked for this plan; its questions are: %s",
		catalogue.ErrInvalid, quoteList(unknown), strings.Join(keys, ", "))
}

func quoteList(keys []string) string {
	q := make([]string, len(keys))
	for i, k := range keys {
		q[i] = fmt.Sprintf("%q", k)
	}
	if len(q) == 1 {
		return q[0] + " is"
	}
	return strings.Join(q, ", ") + " are"
}
