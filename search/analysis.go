package search

import (
	"bytes"
	"fmt"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/char/asciifolding"
	"github.com/blevesearch/bleve/v2/analysis/lang/ca"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/lang/es"
	"github.com/blevesearch/bleve/v2/analysis/lang/fr"
	"github.com/blevesearch/bleve/v2/analysis/lang/it"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/token/stop"
	"github.com/blevesearch/bleve/v2/analysis/tokenmap"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/registry"

	"sportello/catalogue"
)

// Every language is analysed the same way: words split on Unicode word
// boundaries (wordTokenizer), lowercased, elided articles cut ("l'",
// "dell'", "qu'"), stop words and question phrasing dropped, the rest
// stemmed and then stripped of accents (memoFilter remembers the two), so
// "handicapé" matches "handicape" and "més" "mes" (the stored texts keep
// their accents for display). Stemming before folding keeps the stemmers'
// accent rules; the stop lists hold both spellings.

// langAnalysis says how one language is analysed.
type langAnalysis struct {
	elision string // Bleve's elision filter of the language, "" for none
	stemmer string // a registered stemming token filter
	// foldFirst folds accents before stemming, for a stemmer written for
	// folded words.
	foldFirst bool
	stops     []byte // Bleve's stop word list, one word a line ("|" comments)
	// phrasing are words of how residents ask rather than what they ask
	// for ("how do I", "com puc", "come posso", "comment faire pour",
	// "necesito"): they would otherwise match every summary that tells
	// residents how to do something.
	phrasing string
}

var languages = map[string]langAnalysis{
	"en": {
		stemmer: en.SnowballStemmerName,
		stops:   en.EnglishStopWords,
		phrasing: "can need needs want wants wanted would like please get got getting " +
			"im ive id dont cant wont didnt doesnt isnt wasnt whats wheres hows " +
			"someone somebody anyone anybody able way trying try tell know",
	},
	"es": {
		stemmer: es.LightStemmerName,
		stops:   es.SpanishStopWords,
		phrasing: "cómo dónde cuándo cuál puedo puede pueden podemos podría podríamos " +
			"quiero quiere queremos quisiera querría necesito necesita necesitamos " +
			"hacer hago hace conseguir obtener saber gustaría favor manera forma alguien " +
			"debo tengo hay",
	},
	"ca": {
		elision:   ca.ElisionName,
		stemmer:   stemmerCAName,
		foldFirst: true,
		stops:     ca.CatalanStopWords,
		phrasing: "com on quan puc pot poden podem podria podríem vull vol volem voldria " +
			"necessito necessita necessitem cal fer faig aconseguir obtenir saber " +
			"manera algú plau dec haig",
	},
	"it": {
		elision: it.ElisionName,
		stemmer: it.LightStemmerName,
		stops:   it.ItalianStopWords,
		phrasing: "posso può puoi possiamo potrei potremmo voglio vuole vogliamo vorrei vorremmo " +
			"devo deve bisogno serve servono ottenere avere fare faccio sapere modo " +
			"qualcuno favore",
	},
	"fr": {
		elision: fr.ElisionName,
		stemmer: fr.SnowballStemmerName,
		stops:   fr.FrenchStopWords,
		phrasing: "comment où quand puis peux peut pouvons pourrais pourrait veux veut voulons " +
			"voudrais voudrait faut dois doit besoin obtenir avoir faire fais fait " +
			"savoir quelqu'un plaît svp",
	},
}

// Names of the token filters defined here.
const (
	foldName      = "sportello_fold"
	stemmerCAName = "sportello_stem_ca"
	memoName      = "sportello_memo"
)

// registerAnalysis registers the analysis components Bleve lacks: a faster
// word tokenizer, an accent folding that runs after stemming, a light
// Catalan stemmer and the memo of stems. Bleve's mappings refer to analysis
// components by name in its one global registry, so they are registered
// there, once per process.
var registerAnalysis = sync.OnceValue(func() error {
	if err := registry.RegisterTokenizer(wordsName, func(map[string]any, *registry.Cache) (analysis.Tokenizer, error) {
		return newWordTokenizer(), nil
	}); err != nil {
		return err
	}
	if err := registry.RegisterTokenFilter(foldName, func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
		return foldFilter{asciifolding.New()}, nil
	}); err != nil {
		return err
	}
	if err := registry.RegisterTokenFilter(memoName, newMemoFilter); err != nil {
		return err
	}
	return registry.RegisterTokenFilter(stemmerCAName, func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
		return catalanStemmer{}, nil
	})
})

// analyzerFor maps a language to the analyzer of its full-text fields.
func analyzerFor(lang string) string { return "sportello_" + lang }

// addLanguages defines the analyzer of every language.
func addLanguages(im *mapping.IndexMappingImpl) error {
	if err := registerAnalysis(); err != nil {
		return fmt.Errorf("register search analysis: %w", err)
	}
	for lang, la := range languages {
		stopName := "sportello_stop_" + lang
		if err := im.AddCustomTokenMap(stopName, map[string]any{"type": tokenmap.Name, "tokens": stopWords(la)}); err != nil {
			return fmt.Errorf("define %s stop words: %w", lang, err)
		}
		if err := im.AddCustomTokenFilter(stopName, map[string]any{"type": stop.Name, "stop_token_map": stopName}); err != nil {
			return fmt.Errorf("define %s stop filter: %w", lang, err)
		}
		// Lowercase before elision: Bleve's elision filter matches the
		// articles case-sensitively, so "D'ESCOMBRARIES" would keep its "d'".
		filters := []any{lowercase.Name}
		if lang == "en" {
			filters = append([]any{en.PossessiveName}, filters...)
		}
		if la.elision != "" {
			filters = append(filters, la.elision)
		}
		tail := []any{la.stemmer, foldName}
		if la.foldFirst {
			tail = []any{foldName, la.stemmer}
		}
		tailName := "sportello_stem_fold_" + lang
		if err := im.AddCustomTokenFilter(tailName, map[string]any{"type": memoName, "filters": tail}); err != nil {
			return fmt.Errorf("define %s stemming: %w", lang, err)
		}
		filters = append(filters, stopName, tailName)
		if err := im.AddCustomAnalyzer(analyzerFor(lang), map[string]any{
			"type":          custom.Name,
			"tokenizer":     wordsName,
			"token_filters": filters,
		}); err != nil {
			return fmt.Errorf("define %s analyzer: %w", lang, err)
		}
	}
	return nil
}

// stopWords returns a language's stop words and phrasing words, each in its
// own spelling and folded, so that the list works before and after folding.
func stopWords(la langAnalysis) []any {
	fold := asciifolding.New()
	seen := map[string]bool{}
	var out []any
	add := func(w string) {
		w = strings.ToLower(strings.TrimSpace(w))
		for _, v := range []string{w, string(fold.Filter([]byte(w)))} {
			if v != "" && !seen[v] {
				seen[v] = true
				out = append(out, v)
			}
		}
	}
	for line := range strings.SplitSeq(string(la.stops), "\n") {
		line, _, _ = strings.Cut(line, "|")
		if strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		for w := range strings.FieldsSeq(line) {
			add(w)
		}
	}
	for w := range strings.FieldsSeq(la.phrasing) {
		add(w)
	}
	return out
}

// foldFilter strips accents from each token ("é" → "e", "ç" → "c").
type foldFilter struct {
	f *asciifolding.AsciiFoldingFilter
}

func (f foldFilter) Filter(in analysis.TokenStream) analysis.TokenStream {
	for _, t := range in {
		t.Term = f.f.Filter(t.Term)
	}
	return in
}

// catalanStemmer is a light stemmer for folded Catalan words: it takes off
// plural and gender endings so that singular and plural, masculine and
// feminine meet ("targeta", "targetes" → "target"; "gos", "gossos" →
// "gos"; "camió", "camions" → "cami"). Bleve has no Catalan stemmer.
type catalanStemmer struct{}

func (catalanStemmer) Filter(in analysis.TokenStream) analysis.TokenStream {
	for _, t := range in {
		if !t.KeyWord {
			t.Term = []byte(stemCatalan(string(t.Term)))
		}
	}
	return in
}

func stemCatalan(w string) string {
	n := len(w)
	switch {
	case n > 5 && strings.HasSuffix(w, "ques"): // biblioteques → bibliotec(a)
		return w[:n-4] + "c"
	case n > 5 && strings.HasSuffix(w, "gues"): // botigues → botig(a)
		return w[:n-4] + "g"
	case n > 5 && strings.HasSuffix(w, "ssos"): // gossos → gos
		return w[:n-3]
	case n > 4 && (strings.HasSuffix(w, "es") || strings.HasSuffix(w, "os")):
		return w[:n-2]
	case n > 3 && strings.HasSuffix(w, "s"):
		w = w[:n-1]
	}
	n = len(w)
	// A stressed final vowel takes -ns in the plural (camió, camions).
	if n > 4 && w[n-1] == 'n' && strings.IndexByte("aeiou", w[n-2]) >= 0 {
		w = w[:n-1]
		n--
	}
	if n > 3 && strings.IndexByte("aeo", w[n-1]) >= 0 {
		w = w[:n-1]
	}
	return w
}

// memoFilter applies filters that change each word on its own, whatever
// its neighbours (stemming and folding), and, while the index is rebuilt,
// remembers what they made of the first memoWords words it met. A
// catalogue says the same few thousand words in every service: at 100k
// services the stemmers took 7% of the CPU of building the index. The
// memo is forgotten once the build is over: kept, its 150,000 or so
// words made the live heap the collector scans while serving bigger, for
// searches that analyse a few words each. It must come last in an
// analyzer, since the words it gives back are shared by every token that
// had that word.
type memoFilter struct {
	filters []analysis.TokenFilter
	limit   int // how many words it remembers

	mu   sync.RWMutex
	memo map[string][]byte // nil: not remembering
}

// memoWords bounds each language's memo, about 3 MB when full.
const memoWords = 1 << 15

// newMemoFilter builds a memoFilter of the named filters
// ({"filters": ["stemmer", "fold"]}).
func newMemoFilter(config map[string]any, cache *registry.Cache) (analysis.TokenFilter, error) {
	names, _ := config["filters"].([]any)
	if len(names) == 0 {
		return nil, fmt.Errorf("%s: no filters", memoName)
	}
	f := &memoFilter{limit: memoWords}
	for _, n := range names {
		name, _ := n.(string)
		tf, err := cache.TokenFilterNamed(name)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", memoName, err)
		}
		f.filters = append(f.filters, tf)
	}
	return f, nil
}

// remember starts a memo; forget drops it.
func (f *memoFilter) remember() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.memo == nil {
		f.memo = make(map[string][]byte)
	}
}

func (f *memoFilter) forget() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.memo = nil
}

func (f *memoFilter) Filter(in analysis.TokenStream) analysis.TokenStream {
	for _, t := range in {
		if t.KeyWord { // a word some filters leave alone
			f.apply(t)
			continue
		}
		f.mu.RLock()
		remembering := f.memo != nil
		done, ok := f.memo[string(t.Term)]
		f.mu.RUnlock()
		if ok {
			t.Term = done
			continue
		}
		if !remembering {
			f.apply(t)
			continue
		}
		word := string(t.Term)
		f.apply(t)
		f.mu.Lock()
		if f.memo != nil && len(f.memo) < f.limit {
			// A copy: the filters may hand back a slice of the text.
			f.memo[word] = bytes.Clone(t.Term)
		}
		f.mu.Unlock()
	}
	return in
}

func (f *memoFilter) apply(t *analysis.Token) {
	one := analysis.TokenStream{t}
	for _, tf := range f.filters {
		one = tf.Filter(one)
	}
}

// memoFilters returns the memo of every language's analyzer in im.
func memoFilters(im *mapping.IndexMappingImpl) []*memoFilter {
	var out []*memoFilter
	for _, lang := range catalogue.Languages {
		if a, ok := im.AnalyzerNamed(analyzerFor(lang)).(*analysis.DefaultAnalyzer); ok && len(a.TokenFilters) > 0 {
			if m, ok := a.TokenFilters[len(a.TokenFilters)-1].(*memoFilter); ok {
				out = append(out, m)
			}
		}
	}
	return out
}
