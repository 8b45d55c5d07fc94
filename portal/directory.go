package portal

import (
	"bytes"
	"cmp"
	"slices"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"sportello/catalogue"
)

// directory is the catalogue directory with the lookups the pages need,
// built once per catalogue version and then only read.
type directory struct {
	*catalogue.Directory
	defaultLang string
	topics      map[string]*catalogue.Topic
	departments map[string]*catalogue.Department
	lifeEvents  map[string]*catalogue.LifeEvent
	journeys    map[string]*catalogue.Journey
	services    map[string]*catalogue.ServiceSummary
	byTopic     map[string][]*catalogue.ServiceSummary
	byLifeEvent map[string][]*catalogue.ServiceSummary
	topTasks    []*catalogue.ServiceSummary
	// rank holds, per language, each service's position in title order, so
	// lists read alphabetically in every language without collating per
	// request (a collator is not safe for concurrent use).
	rank map[string]map[string]int
}

const topTaskCount = 8

func newDirectory(d *catalogue.Directory, topTasks []string) *directory {
	dir := &directory{
		Directory:   d,
		defaultLang: cmp.Or(d.Authority.DefaultLanguage, "en"),
		topics:      map[string]*catalogue.Topic{},
		departments: map[string]*catalogue.Department{},
		lifeEvents:  map[string]*catalogue.LifeEvent{},
		journeys:    map[string]*catalogue.Journey{},
		services:    map[string]*catalogue.ServiceSummary{},
		byTopic:     map[string][]*catalogue.ServiceSummary{},
		byLifeEvent: map[string][]*catalogue.ServiceSummary{},
		rank:        map[string]map[string]int{},
	}
	for i := range d.Topics {
		dir.topics[d.Topics[i].Slug] = &d.Topics[i]
	}
	for i := range d.Departments {
		dir.departments[d.Departments[i].Slug] = &d.Departments[i]
	}
	for i := range d.LifeEvents {
		dir.lifeEvents[d.LifeEvents[i].Slug] = &d.LifeEvents[i]
	}
	for i := range d.Journeys {
		dir.journeys[d.Journeys[i].Slug] = &d.Journeys[i]
	}
	type keyed struct {
		key  []byte
		slug string
	}
	var buf collate.Buffer
	for _, lang := range catalogue.Languages {
		col := collate.New(language.Make(lang), collate.Loose)
		keys := make([]keyed, len(d.Services))
		for i := range d.Services {
			t, _ := d.Services[i].Title.In(lang, dir.defaultLang)
			keys[i] = keyed{key: slices.Clone(col.KeyFromString(&buf, t)), slug: d.Services[i].Slug}
			buf.Reset()
		}
		slices.SortStableFunc(keys, func(a, b keyed) int { return bytes.Compare(a.key, b.key) })
		rank := make(map[string]int, len(keys))
		for i, k := range keys {
			rank[k.slug] = i
		}
		dir.rank[lang] = rank
	}
	for i := range d.Services {
		s := &d.Services[i]
		dir.services[s.Slug] = s
		dir.byTopic[s.Topic] = append(dir.byTopic[s.Topic], s)
		for _, le := range s.LifeEvents {
			dir.byLifeEvent[le] = append(dir.byLifeEvent[le], s)
		}
	}
	for _, slug := range topTasks {
		if s, ok := dir.services[slug]; ok && len(dir.topTasks) < topTaskCount {
			dir.topTasks = append(dir.topTasks, s)
		}
	}
	for i := 0; i < len(d.Services) && len(dir.topTasks) < topTaskCount; i++ {
		s := &d.Services[i]
		if s.Online && !slices.Contains(dir.topTasks, s) {
			dir.topTasks = append(dir.topTasks, s)
		}
	}
	return dir
}

// inLang returns a copy of list in the alphabetical order of lang.
func (d *directory) inLang(lang string, list []*catalogue.ServiceSummary) []*catalogue.ServiceSummary {
	out := slices.Clone(list)
	rank, ok := d.rank[lang]
	if !ok {
		rank = d.rank[d.defaultLang]
	}
	slices.SortFunc(out, func(a, b *catalogue.ServiceSummary) int { return cmp.Compare(rank[a.Slug], rank[b.Slug]) })
	return out
}
