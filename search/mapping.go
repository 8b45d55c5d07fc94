package search

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/char/asciifolding"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/mapping"
	index "github.com/blevesearch/bleve_index_api"

	"sportello/catalogue"
)

// mappingVersion is part of the index's stamp. Bump it whenever the mapping
// or the way documents are built from services changes, so that existing
// indexes are rebuilt on the next start. (The stamp also carries a hash of
// the mapping itself, which catches a forgotten bump of mapping changes but
// not of document-building changes.)
const mappingVersion = 5

// defaultLang is the language every service has (FORMAT.md: "en" is always
// present); untranslated texts fall back to it.
const defaultLang = "en"

// analyzerLight is the analyzer of the light fields (fuzzy matching,
// autocomplete, did-you-mean); the languages' own are in analysis.go.
const analyzerLight = "sportello_light"

// Field names. Per-language fields end in "_<lang>".
const (
	fTitle    = "title_"   // analysed title (phrase queries need term vectors)
	fKeywords = "kw_"      // keywords: the service's synonyms
	fSummary  = "summary_" // analysed summary (no term vectors: no phrase is matched in it)
	fDesc     = "desc_"    // analysed description
	fLight    = "light_"   // title+keywords, lowercased and folded, unstemmed: fuzzy, prefix, did-you-mean
	fShowT    = "show_t_"  // stored title for display, only in translated languages
	fShowS    = "show_s_"  // stored summary for display, only in translated languages
	// fFacet holds every filter value of a service as one keyword each
	// ("t:housing", "a:resident", "o" for online, "f" for free). One field
	// instead of four means one doc-values visit per hit when counting
	// facets, which is what a broad search at 100k services spends its time on.
	fFacet = "facet"
)

// Values of fFacet. They are short because counting facets decompresses
// the doc values of every hit's 1024-document chunk, which is most of the
// cost of facets at 100k services; cutting ~55 bytes a service to ~30 cut
// that time by about a third.
const (
	facetTopic    = "t:"
	facetAudience = "a:"
	facetOnline   = "o"
	facetFree     = "f"
)

// newMapping builds the lean index mapping: nothing goes into _all, only
// display texts are stored, term vectors only where phrases are matched, and
// doc values only on the facet fields.
func newMapping() (*mapping.IndexMappingImpl, error) {
	im := mapping.NewIndexMapping()
	im.ScoringModel = index.BM25Scoring

	if err := addLanguages(im); err != nil {
		return nil, err
	}
	if err := im.AddCustomAnalyzer(analyzerLight, map[string]any{
		"type":          custom.Name,
		"char_filters":  []any{asciifolding.Name},
		"tokenizer":     wordsName,
		"token_filters": []any{lowercase.Name},
	}); err != nil {
		return nil, fmt.Errorf("define light analyzer: %w", err)
	}

	doc := mapping.NewDocumentMapping()
	doc.Dynamic = false
	text := func(analyzer string, vectors bool) *mapping.FieldMapping {
		return &mapping.FieldMapping{Type: "text", Analyzer: analyzer, Index: true, IncludeTermVectors: vectors}
	}
	// Descriptions are long and weigh little: a match counts, how often the
	// word occurs does not, which spares their frequencies and norms.
	bare := func(analyzer string) *mapping.FieldMapping {
		return &mapping.FieldMapping{Type: "text", Analyzer: analyzer, Index: true, SkipFreqNorm: true}
	}
	stored := func() *mapping.FieldMapping {
		return &mapping.FieldMapping{Type: "text", Analyzer: "keyword", Store: true}
	}
	for _, lang := range catalogue.Languages {
		a := analyzerFor(lang)
		doc.AddFieldMappingsAt(fTitle+lang, text(a, positional(fTitle)))
		doc.AddFieldMappingsAt(fKeywords+lang, text(a, positional(fKeywords)))
		doc.AddFieldMappingsAt(fSummary+lang, text(a, positional(fSummary)))
		doc.AddFieldMappingsAt(fDesc+lang, bare(a))
		doc.AddFieldMappingsAt(fLight+lang, text(analyzerLight, false))
		doc.AddFieldMappingsAt(fShowT+lang, stored())
		doc.AddFieldMappingsAt(fShowS+lang, stored())
	}
	doc.AddFieldMappingsAt(fFacet, &mapping.FieldMapping{Type: "text", Analyzer: "keyword", Index: true, DocValues: true})
	// No field goes into Bleve's composite _all field, but unless it is
	// switched off every field of every document is still offered to it.
	doc.AddSubDocumentMapping("_all", mapping.NewDocumentDisabledMapping())

	im.DefaultMapping = doc
	im.DefaultAnalyzer = analyzerLight
	im.IndexDynamic = false
	im.StoreDynamic = false
	im.DocValuesDynamic = false
	if err := im.Validate(); err != nil {
		return nil, fmt.Errorf("search mapping is invalid: %w", err)
	}
	return im, nil
}

// positional reports whether the fields of stem keep term positions (term
// vectors), which matching a phrase needs: titles and keywords do.
func positional(stem string) bool { return stem == fTitle || stem == fKeywords }

// mappingHash identifies the mapping's content, so that an index built with
// a different mapping is rebuilt even if mappingVersion was not bumped.
func mappingHash(im *mapping.IndexMappingImpl) (string, error) {
	b, err := json.Marshal(im)
	if err != nil {
		return "", fmt.Errorf("encode search mapping: %w", err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:8]), nil
}

// docField is a field of the index with the options and analyzer the
// mapping gives it.
type docField struct {
	name     string
	options  index.FieldIndexingOptions
	analyzer analysis.Analyzer
}

// add adds value to d as this field; pos is the value's place in a list of
// values, as Bleve's mapping numbers them, and none for a single value.
func (f docField) add(d *document.Document, value string, pos ...uint64) {
	d.AddField(document.NewTextFieldCustom(f.name, pos, []byte(value), f.options, f.analyzer))
}

// docFields are the fields document fills, looked up once in the mapping.
// Handing Bleve a ready document rather than a map spares it walking the
// map by reflection and looking each field's mapping and analyzer up by
// name: 3.5% of the build's CPU at 100k services (docs/performance.md).
type docFields struct {
	facet docField
	langs []langFields // in the order of catalogue.Languages
}

// langFields are the fields of one language.
type langFields struct {
	lang                                                string
	title, keywords, summary, desc, light, showT, showS docField
}

func newDocFields(im *mapping.IndexMappingImpl) (*docFields, error) {
	var missing []string
	field := func(name string) docField {
		dm := im.DefaultMapping.Properties[name]
		if dm == nil || len(dm.Fields) != 1 || dm.Fields[0].Type != "text" || dm.Fields[0].Name != "" {
			missing = append(missing, name)
			return docField{}
		}
		fm := dm.Fields[0]
		a := im.AnalyzerNamed(fm.Analyzer)
		if a == nil {
			missing = append(missing, name)
		}
		return docField{name: name, options: fm.Options(), analyzer: a}
	}
	fs := &docFields{facet: field(fFacet)}
	for _, lang := range catalogue.Languages {
		fs.langs = append(fs.langs, langFields{
			lang:     lang,
			title:    field(fTitle + lang),
			keywords: field(fKeywords + lang),
			summary:  field(fSummary + lang),
			desc:     field(fDesc + lang),
			light:    field(fLight + lang),
			showT:    field(fShowT + lang),
			showS:    field(fShowS + lang),
		})
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("search mapping lacks the text fields %v, or their analyzers", missing)
	}
	return fs, nil
}

// document makes the Bleve document of a service. Only languages the
// service is translated into get fields; searches in another language fall
// back to the default language's fields at query time (see buildQuery), which
// keeps the index about four times smaller than copying the default text
// into every language.
func (fs *docFields) document(s *catalogue.Searchable) *document.Document {
	d := document.NewDocument(s.Slug)
	facets := []string{facetTopic + s.Topic}
	for _, a := range s.Audience {
		facets = append(facets, facetAudience+a)
	}
	if s.Online {
		facets = append(facets, facetOnline)
	}
	if s.Free {
		facets = append(facets, facetFree)
	}
	for i, f := range facets {
		fs.facet.add(d, f, uint64(i))
	}
	for _, lf := range fs.langs {
		title := s.Title[lf.lang]
		if title == "" && lf.lang != defaultLang {
			continue
		}
		lf.title.add(d, title)
		lf.showT.add(d, title)
		if sum := s.Summary[lf.lang]; sum != "" {
			lf.summary.add(d, sum)
			lf.showS.add(d, sum)
		}
		if desc := s.Description[lf.lang]; desc != "" {
			lf.desc.add(d, desc)
		}
		// The light field holds the title and then the search terms.
		lf.light.add(d, title, 0)
		for i, k := range s.Keywords[lf.lang] {
			lf.keywords.add(d, k, uint64(i))
			lf.light.add(d, k, uint64(i+1))
		}
	}
	d.SetIndexed()
	return d
}
