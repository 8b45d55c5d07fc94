package catalogue

import "slices"

// directoryIndex holds a Directory's lookups by slug. It is a pointer in
// Directory so that copying a Directory copies the index, not rebuilds it.
type directoryIndex struct {
	topics, departments, lifeEvents, journeys, services map[string]int
	byTopic, byLifeEvent                                map[string][]int
}

// BuildIndex makes the lookups below map lookups instead of scans, and the
// services' summaries share the values they repeat (shareRepeated). Call it
// once, after filling d and before sharing it between goroutines; the
// sqlstore's Directory does. Changing d's slices afterwards needs another
// call.
func (d *Directory) BuildIndex() {
	d.shareRepeated()
	x := &directoryIndex{
		topics:      positions(d.Topics, func(t Topic) string { return t.Slug }),
		departments: positions(d.Departments, func(t Department) string { return t.Slug }),
		lifeEvents:  positions(d.LifeEvents, func(t LifeEvent) string { return t.Slug }),
		journeys:    positions(d.Journeys, func(t Journey) string { return t.Slug }),
		services:    positions(d.Services, func(t ServiceSummary) string { return t.Slug }),
		byTopic:     make(map[string][]int),
		byLifeEvent: make(map[string][]int),
	}
	for i, s := range d.Services {
		x.byTopic[s.Topic] = append(x.byTopic[s.Topic], i)
		for _, e := range s.LifeEvents {
			x.byLifeEvent[e] = append(x.byLifeEvent[e], i)
		}
	}
	d.index = x
}

func positions[T any](items []T, slug func(T) string) map[string]int {
	m := make(map[string]int, len(items))
	for i, it := range items {
		m[slug(it)] = i
	}
	return m
}

// find returns &items[i] for the item with slug, using the index when built.
func find[T any](items []T, index map[string]int, built bool, slug string, slugOf func(T) string) (*T, bool) {
	if built {
		i, ok := index[slug]
		if !ok {
			return nil, false
		}
		return &items[i], true
	}
	i := slices.IndexFunc(items, func(t T) bool { return slugOf(t) == slug })
	if i < 0 {
		return nil, false
	}
	return &items[i], true
}

func (d *Directory) idx() (*directoryIndex, bool) {
	if d.index == nil {
		return &directoryIndex{}, false
	}
	return d.index, true
}

// Topic returns the topic with slug.
func (d *Directory) Topic(slug string) (*Topic, bool) {
	x, ok := d.idx()
	return find(d.Topics, x.topics, ok, slug, func(t Topic) string { return t.Slug })
}

// Department returns the department with slug.
func (d *Directory) Department(slug string) (*Department, bool) {
	x, ok := d.idx()
	return find(d.Departments, x.departments, ok, slug, func(t Department) string { return t.Slug })
}

// LifeEvent returns the life event with slug.
func (d *Directory) LifeEvent(slug string) (*LifeEvent, bool) {
	x, ok := d.idx()
	return find(d.LifeEvents, x.lifeEvents, ok, slug, func(t LifeEvent) string { return t.Slug })
}

// Journey returns the journey with slug.
func (d *Directory) Journey(slug string) (*Journey, bool) {
	x, ok := d.idx()
	return find(d.Journeys, x.journeys, ok, slug, func(t Journey) string { return t.Slug })
}

// Service returns the summary of the published service with slug.
func (d *Directory) Service(slug string) (*ServiceSummary, bool) {
	x, ok := d.idx()
	return find(d.Services, x.services, ok, slug, func(t ServiceSummary) string { return t.Slug })
}

// ServiceIndex returns the position in Services of the service with slug.
func (d *Directory) ServiceIndex(slug string) (int, bool) {
	if x, ok := d.idx(); ok {
		i, found := x.services[slug]
		return i, found
	}
	i := slices.IndexFunc(d.Services, func(s ServiceSummary) bool { return s.Slug == slug })
	return i, i >= 0
}

// ServicesByTopic returns the summaries of a topic's services in catalogue
// order.
func (d *Directory) ServicesByTopic(topic string) []ServiceSummary {
	if x, ok := d.idx(); ok {
		return pick(d.Services, x.byTopic[topic])
	}
	var out []ServiceSummary
	for _, s := range d.Services {
		if s.Topic == topic {
			out = append(out, s)
		}
	}
	return out
}

// ServicesByLifeEvent returns the summaries of the services for a life event
// in catalogue order.
func (d *Directory) ServicesByLifeEvent(event string) []ServiceSummary {
	if x, ok := d.idx(); ok {
		return pick(d.Services, x.byLifeEvent[event])
	}
	var out []ServiceSummary
	for _, s := range d.Services {
		if slices.Contains(s.LifeEvents, event) {
			out = append(out, s)
		}
	}
	return out
}

func pick(all []ServiceSummary, at []int) []ServiceSummary {
	out := make([]ServiceSummary, len(at))
	for i, j := range at {
		out[i] = all[j]
	}
	return out
}

// Service returns the service with slug, scanning: for import-time checks
// and tests, not for serving pages (use the Store).
func (c *Catalogue) Service(slug string) (*Service, bool) {
	i := slices.IndexFunc(c.Services, func(s Service) bool { return s.Slug == slug })
	if i < 0 {
		return nil, false
	}
	return &c.Services[i], true
}
