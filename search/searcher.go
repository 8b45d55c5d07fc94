package search

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"

	"sportello/catalogue"
)

const (
	defaultPerPage = 10
	maxPerPage     = 100
	// maxOffset stops deep paging, which costs memory in proportion to
	// the offset; nobody reads page 1000 of search results.
	maxOffset = 10000
	// minPrefixRunes is the shortest last word autocomplete expands.
	minPrefixRunes = 2
)

var _ Searcher = (*Index)(nil)

// searchers is how many searches the caches cannot answer run at once: one
// per core. A burst of new searches then queues here instead of sharing the
// cores with every other request, so the pages and the searches answered
// from memory keep their latency. Two per core kept the cores busier while
// a search waited for the collector, when phrases made much garbage; since
// they make none, one per core gives a lower p99 at 10k services and the
// same, within the noise, at 100k, for a sixth fewer replayed searches a
// second there (docs/performance.md).
func searchers() int {
	return runtime.GOMAXPROCS(0)
}

// Search runs a resident's search. Whatever the text, it returns results or
// an empty result; errors mean the index itself failed (or ctx ended).
func (x *Index) Search(ctx context.Context, r Request) (Result, error) {
	// The generation is read before the index, so that what this search
	// caches can only be older than its key, never newer.
	gen := x.gen.Load()
	idx, err := x.reader()
	if err != nil {
		return Result{}, err
	}
	lang := normLang(r.Lang)
	text := sanitize(r.Query)
	page, perPage := max(r.Page, 1), r.PerPage
	if perPage <= 0 {
		perPage = defaultPerPage
	}
	perPage = min(perPage, maxPerPage)
	from := (page - 1) * perPage
	res := Result{Page: page, PerPage: perPage}
	if from > maxOffset {
		from, perPage = 0, 0 // count and facets only
	}

	// A page asked for again (a popular search, a resident going back) is
	// answered from memory; every page of a result set has the same facets
	// and did-you-mean, so the next page skips counting them again.
	key := setKey{gen: gen, text: text, lang: lang, topic: r.Topic, audience: r.Audience, online: r.Online, free: r.Free}
	pk := pageKey{set: key, page: page, perPage: perPage}
	if res, ok := x.pages.get(pk); ok {
		return res, nil
	}
	select {
	case x.searching <- struct{}{}:
		defer func() { <-x.searching }()
	case <-ctx.Done():
		return Result{}, ctx.Err()
	}
	words := x.hl.lightTerms(text)
	info, cached := x.sets.get(key)
	// With a prior, the pages within its window come from the window's
	// hits, reordered.
	prior := x.prior.Load()
	size, skip := perPage, from
	reorder := prior != nil && text != "" && perPage > 0 && from < priorWindow
	if reorder {
		size, skip = max(priorWindow, from+perPage), 0
	}
	var counter *facetCounter
	var watch hitWatcher
	if !cached {
		counter = &facetCounter{ctx: ctx, tables: &x.facetTables}
		watch = counter
	}
	br, err := x.run(ctx, idx, gen, text, lang, r, size, skip, watch)
	if err != nil {
		return Result{}, err
	}
	if reorder {
		prior.rerank(br.Hits, lang)
		br.Hits = br.Hits[min(from, len(br.Hits)):min(from+perPage, len(br.Hits))]
	}
	res.Total = int(br.Total)
	if !cached {
		info.facets = counter.facets()
		if text != "" {
			info.didYouMean = x.didYouMean(ctx, idx, gen, words, lang, r)
		}
		if ctx.Err() == nil {
			x.sets.put(key, info)
		}
	}
	res.Facets = info.facets
	res.DidYouMean = info.didYouMean
	var m *matcher
	if text != "" {
		m = x.hl.matcher(text, lang)
	}
	for _, h := range br.Hits {
		res.Hits = append(res.Hits, x.hit(h, lang, m))
	}
	if ctx.Err() == nil {
		x.pages.put(pk, res)
	}
	return res, nil
}

// run executes one search. An empty text lists the services that pass the
// filters. A query Bleve refuses (a fuzzy term that expands to too many
// clauses) is retried without its fuzzy part rather than failed. A watcher,
// if any, sees the hits of the search that answers.
func (x *Index) run(ctx context.Context, idx bleve.Index, gen uint64, text string, lang string, r Request, size, from int, watch hitWatcher) (*bleve.SearchResult, error) {
	if text == "" {
		return x.exec(ctx, idx, query.NewMatchAllQuery(), r, text, lang, size, from, watch)
	}
	t := x.tuning.Load()
	words := t.expand(lang, x.hl.queryWords(text, lang))
	remembered := func(term, field string, fuzziness int, boost float64) query.Query {
		return newFuzzyQuery(x.fuzzy, gen, term, field, fuzziness, boost)
	}
	var common wordTest
	if rd, err := readerOf(idx); err == nil {
		defer func() { _ = rd.Close() }()
		common = x.commonInDescriptions(ctx, rd, lang)
	}
	build := func(fuzzy fuzzyMaker, need int) query.Query {
		q := textQuery(text, words, lang, fuzzy, common, need)
		if alts := t.phrases(lang, text); len(alts) > 0 {
			qs := []query.Query{q}
			for _, alt := range alts {
				qs = append(qs, textQuery(alt, x.hl.queryWords(alt, lang), lang, fuzzy, common, 1))
			}
			q = query.NewDisjunctionQuery(qs)
		}
		return t.pin(q, lang, text)
	}
	need := minMatch(len(words))
	br, err := x.exec(ctx, idx, build(remembered, need), r, text, lang, size, from, watch)
	if err == nil && br.Total == 0 && need > 1 {
		br, err = x.exec(ctx, idx, build(remembered, 1), r, text, lang, size, from, watch)
	}
	if err != nil && ctx.Err() == nil && !errors.Is(err, errFound) {
		x.log.Debug("search retried without fuzzy terms", "err", err)
		br, err = x.exec(ctx, idx, build(nil, 1), r, text, lang, size, from, watch)
	}
	return br, err
}

// hitWatcher sees every hit of a search before the collector keeps or
// drops it (facetCounter, anyHit).
type hitWatcher interface {
	handler(sc *bsearch.SearchContext) (bsearch.DocumentMatchHandler, bool, error)
}

// errFound is how anyHit stops a search at its first hit.
var errFound = errors.New("search: stopped at the first hit")

// anyHit stops a search at its first hit, with errFound: whether a query
// finds anything at all, without walking every posting of its words.
type anyHit struct{}

func (anyHit) handler(*bsearch.SearchContext) (bsearch.DocumentMatchHandler, bool, error) {
	return func(d *bsearch.DocumentMatch) error {
		if d != nil {
			return errFound
		}
		return nil
	}, false, nil
}

// exec runs one Bleve search with the request's filters.
func (x *Index) exec(ctx context.Context, idx bleve.Index, q query.Query, r Request, text, lang string, size, from int, watch hitWatcher) (*bleve.SearchResult, error) {
	if watch != nil {
		ctx = context.WithValue(ctx, bsearch.MakeDocumentMatchHandlerKey, bsearch.MakeDocumentMatchHandler(watch.handler))
	}
	br, err := idx.SearchInContext(ctx, x.request(withFilters(q, r), text, lang, size, from))
	if err != nil {
		if errors.Is(err, errFound) {
			return nil, errFound
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("search index: %w", err)
	}
	return br, nil
}

func (x *Index) request(q query.Query, text, lang string, size, from int) *bleve.SearchRequest {
	sr := bleve.NewSearchRequestOptions(q, size, from, false)
	if size > 0 {
		sr.Fields = displayFields(lang)
	}
	// The default order (score, then index order) is deterministic for a
	// given index. Sorting by "_id" as a tie-breaker would load the id of
	// every hit, which costs more than the whole search on broad queries.
	return sr
}

// displayFields are the stored texts a hit shows in lang.
func displayFields(lang string) []string {
	if lang == defaultLang {
		return []string{fShowT + lang, fShowS + lang}
	}
	return []string{fShowT + lang, fShowS + lang, fShowT + defaultLang, fShowS + defaultLang}
}

// display returns the stored text of field in lang, falling back to the
// default language when the service is untranslated, and the language the
// returned text is in.
func display(fields map[string]any, field, lang string) (string, string) {
	if s, ok := fields[field+lang].(string); ok && s != "" {
		return s, lang
	}
	s, _ := fields[field+defaultLang].(string)
	return s, defaultLang
}

func (x *Index) hit(h *bsearch.DocumentMatch, lang string, m *matcher) Hit {
	title, tl := display(h.Fields, fShowT, lang)
	summary, sl := display(h.Fields, fShowS, lang)
	return Hit{
		Slug:    h.ID,
		Score:   h.Score,
		Title:   m.fragments(title, tl),
		Snippet: snippet(m.fragments(summary, sl)),
	}
}

// didYouMean proposes a corrected query when the text has words the index
// does not know (in no title or search term of any language, and after
// analysis in no summary or description of the search language): each is
// replaced by the closest title or search term of the search language only,
// so an Italian query is never "corrected" into English. Fuzzy matching may
// already have found services for the typo; the correction is still
// offered, so the resident sees what was understood, but only when the
// corrected query finds something. Known words and the words of how people
// ask ("come", "ottenere") are never "corrected", so a search that finds
// little because the catalogue lacks it gets no misleading suggestion.
func (x *Index) didYouMean(ctx context.Context, idx bleve.Index, gen uint64, words []string, lang string, r Request) string {
	if len(words) == 0 || len(words) > maxFuzzyWords {
		return ""
	}
	rd, err := readerOf(idx)
	if err != nil {
		return ""
	}
	defer func() { _ = rd.Close() }()
	others := make([]string, 0, len(catalogue.Languages))
	for _, l := range catalogue.Languages {
		if l != lang {
			others = append(others, fLight+l)
		}
	}

	changed := false
	out := make([]string, len(words))
	for i, w := range words {
		out[i] = w
		if known(rd, []string{fLight + lang}, w) || x.knownInText(rd, w, lang) {
			continue
		}
		best, dist := x.closest(ctx, rd, gen, fLight+lang, w)
		// A word of another language ("padrón" in Italian, "blue" in
		// French) is what the resident meant unless it is a long word one
		// letter away from a word of the search language ("grafiti" in
		// English): short words of different languages are often that
		// close.
		if best == "" || ((dist > 1 || utf8.RuneCountInString(w) < 6) && known(rd, others, w)) {
			continue
		}
		out[i], changed = best, true
	}
	if !changed {
		return ""
	}
	corrected := strings.Join(out, " ")
	if _, err := x.run(ctx, idx, gen, corrected, lang, r, 0, 0, anyHit{}); !errors.Is(err, errFound) {
		return "" // found nothing, or failed
	}
	return corrected
}

// readerOf returns a reader of idx's current snapshot, to be closed.
func readerOf(idx bleve.Index) (index.IndexReader, error) {
	adv, err := idx.Advanced()
	if err != nil {
		return nil, err
	}
	return adv.Reader()
}

// known reports whether term is in the dictionary of any of fields.
func known(rd index.IndexReader, fields []string, term string) bool {
	c, ok := rd.(index.IndexReaderContains)
	if !ok {
		return true
	}
	for _, f := range fields {
		d, err := c.FieldDictContains(f)
		if err != nil {
			continue
		}
		if found, err := d.Contains([]byte(term)); err == nil && found {
			return true
		}
	}
	return false
}

// knownInText reports whether word (a light term) occurs, after the search
// language's analysis, in its summaries or descriptions, or is one of the
// language's stop or phrasing words: such a word is not a typo even though
// no title or keyword has it. Only the search language counts: a French
// typo stemmed by the English analyzer too often lands on some English
// word.
func (x *Index) knownInText(rd index.IndexReader, word, lang string) bool {
	terms := x.hl.analyzers[lang].Analyze([]byte(word))
	if len(terms) == 0 {
		return true
	}
	for _, t := range terms {
		if known(rd, []string{fSummary + lang, fDesc + lang, fTitle + lang, fKeywords + lang}, string(t.Term)) {
			return true
		}
	}
	return false
}

// nearest is a dictionary term closest to a word and its edit distance.
type nearest struct {
	term string
	dist int
}

// closest returns the term of field's dictionary nearest to w by edit
// distance (the most frequent among equals) and its distance, or "". The
// answer is kept per index generation, as fuzzy expansions are (fuzzy.go):
// walking a large dictionary with a fuzzy automaton costs more than
// many searches, and the words residents type repeat. The automaton's walk
// gives no term's frequency, so those of the nearest are looked up.
func (x *Index) closest(ctx context.Context, rd index.IndexReader, gen uint64, field, w string) (string, int) {
	f := fuzziness(w)
	fz, ok := rd.(index.IndexReaderFuzzy)
	if f == 0 || !ok {
		return "", 0
	}
	key := fuzzyKey{gen: gen, field: field, term: w, fuzziness: f}
	if n, ok := x.nearest.get(key); ok {
		return n.term, n.dist
	}
	d, err := fz.FieldDictFuzzy(field, w, f, "")
	if err != nil {
		return "", 0
	}
	defer func() { _ = d.Close() }()
	var nearestTerms []string
	bestDist := f + 1
	for {
		e, err := d.Next()
		if err != nil {
			return "", 0 // not kept: the next search tries again
		}
		if e == nil {
			break
		}
		switch dist := int(e.EditDistance); {
		case dist < bestDist:
			nearestTerms, bestDist = append(nearestTerms[:0], e.Term), dist
		case dist == bestDist:
			nearestTerms = append(nearestTerms, e.Term)
		}
	}
	best, bestCount := "", uint64(0)
	for _, t := range nearestTerms {
		if n := docFreq(ctx, rd, field, []byte(t)); best == "" || n > bestCount {
			best, bestCount = t, n
		}
	}
	x.nearest.put(key, nearest{best, bestDist})
	return best, bestDist
}

// Suggest returns services whose title or keywords start with what the
// resident is typing, for autocomplete.
func (x *Index) Suggest(ctx context.Context, lang, prefix string, limit int) ([]Suggestion, error) {
	idx, err := x.reader()
	if err != nil {
		return nil, err
	}
	lang = normLang(lang)
	text := sanitize(prefix)
	words := x.hl.lightTerms(text)
	if len(words) == 0 || limit <= 0 {
		return []Suggestion{}, nil
	}
	limit = min(limit, 20)
	if len(words) > maxFuzzyWords {
		words = words[:maxFuzzyWords]
	}
	last := words[len(words)-1]
	if utf8.RuneCountInString(last) < minPrefixRunes {
		// One letter would expand to most of the dictionary.
		return []Suggestion{}, nil
	}
	var must []query.Query
	for _, w := range words[:len(words)-1] {
		must = append(must, anyLang(lang, func(field string) query.Query {
			q := query.NewTermQuery(w)
			q.SetField(field)
			return q
		}))
	}
	must = append(must, anyLang(lang, func(field string) query.Query {
		q := query.NewPrefixQuery(last)
		q.SetField(field)
		return q
	}))
	// Titles that contain the words rank above keyword-only matches.
	tq := query.NewMatchQuery(text)
	tq.SetField(fTitle + lang)
	tq.SetBoost(wSuggestTitle)
	b := query.NewBooleanQuery(must, []query.Query{tq}, nil)

	sr := bleve.NewSearchRequestOptions(b, limit, 0, false)
	sr.Fields = displayFields(lang)
	br, err := idx.SearchInContext(ctx, sr)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		// A prefix that expands to too many terms is too short to suggest.
		x.log.Debug("suggest failed", "err", err)
		return []Suggestion{}, nil
	}
	out := make([]Suggestion, 0, len(br.Hits))
	for _, h := range br.Hits {
		title, _ := display(h.Fields, fShowT, lang)
		out = append(out, Suggestion{Slug: h.ID, Title: title})
	}
	return out, nil
}

// anyLang matches a light field of lang or of the default language.
func anyLang(lang string, mk func(field string) query.Query) query.Query {
	qs := []query.Query{mk(fLight + lang)}
	if lang != defaultLang {
		qs = append(qs, mk(fLight+defaultLang))
	}
	return query.NewDisjunctionQuery(qs)
}

// errClosed is returned by searches after Close.
var errClosed = errors.New("search: index is closed")
