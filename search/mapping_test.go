package search

import (
	"fmt"
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2/document"
	index "github.com/blevesearch/bleve_index_api"

	"sportello/catalogue"
	"sportello/catalogue/synthetic"
)

// TestDocumentAsMapped holds document to what Bleve's mapping makes of the
// same service given as a map, the way services were indexed before
// document built Bleve's documents itself: the same fields, values, places
// in lists, options and analyzers, for every service of the demo and of a
// generated catalogue.
func TestDocumentAsMapped(t *testing.T) {
	im, err := newMapping()
	if err != nil {
		t.Fatal(err)
	}
	fs, err := newDocFields(im)
	if err != nil {
		t.Fatal(err)
	}
	services := demoCatalogue(t).Services
	services = append(services, synthetic.Generate(300, 7).Services...)
	for _, svc := range services {
		s := svc.Searchable()
		mapped := document.NewDocument(s.Slug)
		if err := im.MapDocument(mapped, asMap(s)); err != nil {
			t.Fatal(err)
		}
		got, want := fieldsOf(fs.document(s)), fieldsOf(mapped)
		if !slices.Equal(got, want) {
			t.Fatalf("%s: document gives\n%v\nthe mapping gives\n%v", s.Slug, got, want)
		}
	}
}

// asMap is a service as a map of field names to values, which Bleve maps
// through the index mapping.
func asMap(s *catalogue.Searchable) map[string]any {
	facets := []any{facetTopic + s.Topic}
	for _, a := range s.Audience {
		facets = append(facets, facetAudience+a)
	}
	if s.Online {
		facets = append(facets, facetOnline)
	}
	if s.Free {
		facets = append(facets, facetFree)
	}
	m := map[string]any{fFacet: facets}
	for _, lang := range catalogue.Languages {
		title := s.Title[lang]
		if title == "" && lang != defaultLang {
			continue
		}
		m[fTitle+lang], m[fShowT+lang] = title, title
		if sum := s.Summary[lang]; sum != "" {
			m[fSummary+lang], m[fShowS+lang] = sum, sum
		}
		if desc := s.Description[lang]; desc != "" {
			m[fDesc+lang] = desc
		}
		light := []any{title}
		if kws := s.Keywords[lang]; len(kws) > 0 {
			kw := make([]any, len(kws))
			for i, k := range kws {
				kw[i] = k
				light = append(light, k)
			}
			m[fKeywords+lang] = kw
		}
		m[fLight+lang] = light
	}
	return m
}

// fieldsOf describes each field of d in one line, sorted (Bleve's mapping
// adds a map's fields in no set order).
func fieldsOf(d *document.Document) []string {
	var out []string
	d.VisitFields(func(f index.Field) {
		tf := f.(*document.TextField)
		out = append(out, fmt.Sprintf("%s%v %q options=%d analyzer=%p", f.Name(), f.ArrayPositions(), f.Value(), f.Options(), tf.Analyzer()))
	})
	slices.Sort(out)
	if d.HasComposite() {
		out = append(out, "composite fields")
	}
	return out
}
