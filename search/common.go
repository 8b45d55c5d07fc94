package search

import (
	"context"

	index "github.com/blevesearch/bleve_index_api"
)

// Words common in descriptions are not matched there.
//
// A description weighs little in a rank (wDesc), yet a word such as
// "register" or "centre" is in the descriptions of a large share of a big
// catalogue, and matching it there makes a search walk and count all of
// those services, most of which nothing else in the query asks for. As
// Elasticsearch's common-terms query does, such a word is matched only in
// the fields where it says something: titles, search terms and summaries.
// On the judged sets this ranks better, not worse (docs/performance.md,
// "The seventh round"): a common word in a description was mostly noise.
// A word that no title, search term or summary of the language has is
// still matched in descriptions, so that "hole" finds the pothole service
// whatever the catalogue's size.
const (
	// commonShare is the share of services above which a word is common
	// in descriptions: one in fifty.
	commonShare = 50
	// minCommon keeps small catalogues from calling every word common: a
	// word must be in more descriptions than this.
	minCommon = 2
)

// wordTest reports something of a query word (commonInDescriptions).
type wordTest func(word string) bool

// commonInDescriptions returns the test of the words of a search in lang
// that are not matched in descriptions (above), or nil when the reader
// cannot tell, so that every description is matched. Each word is looked
// up once per test.
func (x *Index) commonInDescriptions(ctx context.Context, rd index.IndexReader, lang string) wordTest {
	docs, err := rd.DocCount()
	if err != nil {
		return nil
	}
	limit := max(docs/commonShare, minCommon)
	elsewhere := []string{fTitle + lang, fKeywords + lang, fSummary + lang}
	decided := map[string]bool{}
	return func(word string) bool {
		if common, ok := decided[word]; ok {
			return common
		}
		terms := x.hl.analyzers[lang].Analyze([]byte(word))
		common := len(terms) > 0
		for _, t := range terms {
			if docFreq(ctx, rd, fDesc+lang, t.Term) <= limit || !known(rd, elsewhere, string(t.Term)) {
				common = false
				break
			}
		}
		decided[word] = common
		return common
	}
}

// docFreq is how many services have term in field; 0 when the reader
// fails.
func docFreq(ctx context.Context, rd index.IndexReader, field string, term []byte) uint64 {
	r, err := rd.TermFieldReader(ctx, term, field, false, false, false)
	if err != nil {
		return 0
	}
	defer func() { _ = r.Close() }()
	return r.Count()
}
