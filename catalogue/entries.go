package catalogue

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// Kinds of entries an editor works on one at a time. Profile questions and
// the authority change with the rules engine and are edited in the file.
const (
	KindService    = "service"
	KindTopic      = "topic"
	KindDepartment = "department"
	KindLifeEvent  = "life_event"
	KindJourney    = "journey"
	// KindBusinessType is a business type of the permit finder.
	KindBusinessType = "business_type"
)

// Kinds lists the editable kinds, in the order the editor shows them.
var Kinds = []string{KindService, KindTopic, KindDepartment, KindLifeEvent, KindJourney, KindBusinessType}

// ValidKind reports whether kind is one of Kinds.
func ValidKind(kind string) bool { return slices.Contains(Kinds, kind) }

// DecodeEntry decodes the JSON document of one entry of kind into its type
// (*Service, *Topic, *Department, *LifeEvent, *Journey or *BusinessType).
func DecodeEntry(kind string, doc []byte) (any, error) {
	var v any
	switch kind {
	case KindService:
		v = &Service{}
	case KindTopic:
		v = &Topic{}
	case KindDepartment:
		v = &Department{}
	case KindLifeEvent:
		v = &LifeEvent{}
	case KindJourney:
		v = &Journey{}
	case KindBusinessType:
		v = &BusinessType{}
	default:
		return nil, fmt.Errorf("%w: %q is not a kind of entry; use one of %s", ErrInvalid, kind, strings.Join(Kinds, ", "))
	}
	if err := json.Unmarshal(doc, v); err != nil {
		return nil, fmt.Errorf("%w: decoding a %s: %v", ErrInvalid, kind, err)
	}
	return v, nil
}

// EntrySlug returns the slug of an entry decoded by DecodeEntry.
func EntrySlug(entry any) string {
	switch e := entry.(type) {
	case *Service:
		return e.Slug
	case *Topic:
		return e.Slug
	case *Department:
		return e.Slug
	case *LifeEvent:
		return e.Slug
	case *Journey:
		return e.Slug
	case *BusinessType:
		return e.Slug
	}
	return ""
}

// EntryTitle returns an entry's title (a department's name) in lang, else
// in the default language.
func EntryTitle(entry any, lang, fallback string) string {
	var t Text
	switch e := entry.(type) {
	case *Service:
		t = e.Title
	case *Topic:
		t = e.Title
	case *Department:
		t = e.Name
	case *LifeEvent:
		t = e.Title
	case *Journey:
		t = e.Title
	case *BusinessType:
		t = e.Title
	}
	s, _ := t.In(lang, fallback)
	return s
}

// Put places entry (from DecodeEntry) in c, replacing the entry of the same
// kind and slug or appending it, and returns its JSON path ("services[12]"),
// which prefixes the paths of Validate's problems about it. oldSlug names
// the entry being replaced when the edit renamed it; "" when it did not.
func (c *Catalogue) Put(entry any, oldSlug string) (string, error) {
	slug := EntrySlug(entry)
	if oldSlug == "" {
		oldSlug = slug
	}
	switch e := entry.(type) {
	case *Service:
		return index("services", put(&c.Services, *e, oldSlug, func(s Service) string { return s.Slug })), nil
	case *Topic:
		return index("topics", put(&c.Topics, *e, oldSlug, func(s Topic) string { return s.Slug })), nil
	case *Department:
		return index("departments", put(&c.Departments, *e, oldSlug, func(s Department) string { return s.Slug })), nil
	case *LifeEvent:
		return index("life_events", put(&c.LifeEvents, *e, oldSlug, func(s LifeEvent) string { return s.Slug })), nil
	case *Journey:
		return index("journeys", put(&c.Journeys, *e, oldSlug, func(s Journey) string { return s.Slug })), nil
	case *BusinessType:
		return index("business_types", put(&c.BusinessTypes, *e, oldSlug, func(s BusinessType) string { return s.Slug })), nil
	}
	return "", fmt.Errorf("%w: %T is not a catalogue entry", ErrInvalid, entry)
}

func put[T any](list *[]T, v T, slug string, slugOf func(T) string) int {
	for i := range *list {
		if slugOf((*list)[i]) == slug {
			(*list)[i] = v
			return i
		}
	}
	*list = append(*list, v)
	return len(*list) - 1
}

// ProblemsAt returns the problems whose path is at or under prefix, with the
// prefix and its dot removed ("services[3].title.en" -> "title.en"); a
// problem about the entry as a whole gets the path "".
func ProblemsAt(err error, prefix string) []Problem {
	ve, ok := err.(*ValidationError)
	if !ok {
		return nil
	}
	var out []Problem
	for _, p := range ve.Problems {
		rest, ok := strings.CutPrefix(p.Path, prefix)
		if !ok || (rest != "" && rest[0] != '.' && rest[0] != '[') {
			continue
		}
		p.Path = strings.TrimPrefix(rest, ".")
		out = append(out, p)
	}
	return out
}

// Link is a reference from an entry to a service: a related service, a
// journey step or a business type's step.
type Link struct {
	Kind string // of the entry that links
	Slug string // of the entry that links
	Path string // where in that entry, e.g. related[1], steps[0].services[2], steps[1].services[0].service
	To   string // the service linked to
}

// ServiceLinks returns the links from one entry to services.
func ServiceLinks(entry any) []Link {
	var out []Link
	switch e := entry.(type) {
	case *Service:
		for i, to := range e.Related {
			out = append(out, Link{KindService, e.Slug, index("related", i), to})
		}
	case *Journey:
		for i, st := range e.Steps {
			for j, to := range st.Services {
				out = append(out, Link{KindJourney, e.Slug, index(member(index("steps", i), "services"), j), to})
			}
		}
	case *BusinessType:
		for i, st := range e.Steps {
			for j, p := range st.Services {
				out = append(out, Link{KindBusinessType, e.Slug, member(index(member(index("steps", i), "services"), j), "service"), p.Service})
			}
		}
	}
	return out
}

// LinksTo returns the links from c's services, journeys and business types
// to the service slug: what breaks if it is archived.
func (c *Catalogue) LinksTo(slug string) []Link {
	var out []Link
	keep := func(links []Link) {
		for _, l := range links {
			if l.To == slug {
				out = append(out, l)
			}
		}
	}
	for i := range c.Services {
		if c.Services[i].Slug != slug {
			keep(ServiceLinks(&c.Services[i]))
		}
	}
	for i := range c.Journeys {
		keep(ServiceLinks(&c.Journeys[i]))
	}
	for i := range c.BusinessTypes {
		keep(ServiceLinks(&c.BusinessTypes[i]))
	}
	return out
}
