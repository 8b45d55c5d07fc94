package web

import (
	"bytes"
	"cmp"
	"maps"
	"slices"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"sportello/catalogue"
)

// Directory is the catalogue Directory with the lookups the pages need,
// built once per catalogue version and then only read.
type Directory struct {
	*catalogue.Directory
	DefaultLang  string
	TopicOf      map[string]*catalogue.Topic
	DepartmentOf map[string]*catalogue.Department
	LifeEventOf  map[string]*catalogue.LifeEvent
	JourneyOf    map[string]*catalogue.Journey
	ServiceOf    map[string]*catalogue.ServiceSummary
	ByTopic      map[string][]*catalogue.ServiceSummary
	ByLifeEvent  map[string][]*catalogue.ServiceSummary
	TopTasks     []*catalogue.ServiceSummary
	// rank holds, per language, each service's position in title order, by
	// its position in Services, so lists read alphabetically in every
	// language without collating per request (a collator is not safe for
	// concurrent use).
	rank map[string][]int32
	// summaries are the services' summary texts the lists have shown
	// (Cards), read from the store: the directory does not hold them.
	summaries *summaryCache
}

const topTaskCount = 8

func NewDirectory(d *catalogue.Directory, topTasks []string, summaries SummarySource) *Directory {
	dir := &Directory{
		summaries:    newSummaryCache(summaries),
		Directory:    d,
		DefaultLang:  cmp.Or(d.Authority.DefaultLanguage, "en"),
		TopicOf:      map[string]*catalogue.Topic{},
		DepartmentOf: map[string]*catalogue.Department{},
		LifeEventOf:  map[string]*catalogue.LifeEvent{},
		JourneyOf:    map[string]*catalogue.Journey{},
		ServiceOf:    map[string]*catalogue.ServiceSummary{},
		ByTopic:      map[string][]*catalogue.ServiceSummary{},
		ByLifeEvent:  map[string][]*catalogue.ServiceSummary{},
		rank:         map[string][]int32{},
	}
	for i := range d.Topics {
		dir.TopicOf[d.Topics[i].Slug] = &d.Topics[i]
	}
	for i := range d.Departments {
		dir.DepartmentOf[d.Departments[i].Slug] = &d.Departments[i]
	}
	for i := range d.LifeEvents {
		dir.LifeEventOf[d.LifeEvents[i].Slug] = &d.LifeEvents[i]
	}
	for i := range d.Journeys {
		dir.JourneyOf[d.Journeys[i].Slug] = &d.Journeys[i]
	}
	type keyed struct {
		key []byte
		at  int // in d.Services
	}
	var buf collate.Buffer
	for _, lang := range catalogue.Languages {
		col := collate.New(language.Make(lang), collate.Loose)
		keys := make([]keyed, len(d.Services))
		for i := range d.Services {
			t, _ := d.Services[i].Title.In(lang, dir.DefaultLang)
			keys[i] = keyed{key: slices.Clone(col.KeyFromString(&buf, t)), at: i}
			buf.Reset()
		}
		slices.SortStableFunc(keys, func(a, b keyed) int { return bytes.Compare(a.key, b.key) })
		rank := make([]int32, len(keys))
		for i, k := range keys {
			rank[k.at] = int32(i)
		}
		dir.rank[lang] = rank
	}
	for i := range d.Services {
		s := &d.Services[i]
		dir.ServiceOf[s.Slug] = s
		dir.ByTopic[s.Topic] = append(dir.ByTopic[s.Topic], s)
		for _, le := range s.LifeEvents {
			dir.ByLifeEvent[le] = append(dir.ByLifeEvent[le], s)
		}
	}
	for _, slug := range topTasks {
		if s, ok := dir.ServiceOf[slug]; ok && len(dir.TopTasks) < topTaskCount {
			dir.TopTasks = append(dir.TopTasks, s)
		}
	}
	for i := 0; i < len(d.Services) && len(dir.TopTasks) < topTaskCount; i++ {
		s := &d.Services[i]
		if s.Online && !slices.Contains(dir.TopTasks, s) {
			dir.TopTasks = append(dir.TopTasks, s)
		}
	}
	return dir
}

// KindOf is the kind of transaction of the service slug, whose words the
// pages about an application for it use; a service since removed from the
// catalogue reads as one applied for ("").
func (d *Directory) KindOf(slug string) string {
	if sum, ok := d.ServiceOf[slug]; ok {
		return sum.Kind
	}
	return ""
}

// InLang returns a copy of list in the alphabetical order of lang. Each
// service's place is looked up once, not at every comparison: the business
// page of a national catalogue sorts tens of thousands.
func (d *Directory) InLang(lang string, list []*catalogue.ServiceSummary) []*catalogue.ServiceSummary {
	rank, ok := d.rank[lang]
	if !ok {
		rank = d.rank[d.DefaultLang]
	}
	type placed struct {
		at  int32
		sum *catalogue.ServiceSummary
	}
	ps := make([]placed, len(list))
	for i, s := range list {
		ps[i].sum = s // at 0: a draft's new service
		if j, ok := d.ServiceIndex(s.Slug); ok && j < len(rank) {
			ps[i].at = rank[j]
		}
	}
	slices.SortFunc(ps, func(a, b placed) int { return cmp.Compare(a.at, b.at) })
	out := make([]*catalogue.ServiceSummary, len(ps))
	for i, p := range ps {
		out[i] = p.sum
	}
	return out
}

// WithDraft returns a copy of d whose lookup by slug finds entry instead of
// the published entry of its kind, so the public pages' code builds the
// preview. Only that one map is copied; d itself is left as it was, since
// other requests read it at the same time.
func (d *Directory) WithDraft(entry any) *Directory {
	// The copy shares the summaries' cache: a draft entry lists published
	// services, whose summaries are the same.
	cp := *d
	switch e := entry.(type) {
	case *catalogue.Topic:
		cp.TopicOf = maps.Clone(d.TopicOf)
		cp.TopicOf[e.Slug] = e
	case *catalogue.Department:
		cp.DepartmentOf = maps.Clone(d.DepartmentOf)
		cp.DepartmentOf[e.Slug] = e
	case *catalogue.LifeEvent:
		cp.LifeEventOf = maps.Clone(d.LifeEventOf)
		cp.LifeEventOf[e.Slug] = e
	case *catalogue.Journey:
		cp.JourneyOf = maps.Clone(d.JourneyOf)
		cp.JourneyOf[e.Slug] = e
	}
	return &cp
}

// JourneysFor lists the journeys that go through at least two of services,
// so a life-event page points to the step-by-step guides for it without
// listing every journey that happens to share one common service.
func (d *Directory) JourneysFor(lang string, services []*catalogue.ServiceSummary) LinkList {
	in := make(map[string]bool, len(services))
	for _, s := range services {
		in[s.Slug] = true
	}
	out := LinkList{Lang: lang}
	for i := range d.Journeys {
		j := &d.Journeys[i]
		shared := 0
		for _, st := range j.Steps {
			for _, slug := range st.Services {
				if in[slug] {
					shared++
				}
			}
		}
		if shared >= 2 {
			out.Items = append(out.Items, d.JourneyLink(j, lang))
		}
	}
	return out
}
