package search

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/mapping"

	"sportello/catalogue"
)

// Highlighting is done here rather than with Bleve's highlighter: Bleve's
// returns HTML built from the document (which templates could not escape)
// and needs term vectors with offsets on every highlighted field. Instead
// each word of the displayed text is analysed like the index analyses it and
// marked when it matches a query term, exactly or within the fuzzy distance.

// snippetRunes is about two lines of a results page.
const snippetRunes = 220

type highlighter struct {
	words     analysis.Tokenizer
	light     analysis.Analyzer
	analyzers map[string]analysis.Analyzer // by language
}

func newHighlighter(im *mapping.IndexMappingImpl) (*highlighter, error) {
	h := &highlighter{words: newWordTokenizer(), analyzers: map[string]analysis.Analyzer{}}
	h.light = im.AnalyzerNamed(analyzerLight)
	if h.light == nil {
		return nil, fmt.Errorf("search mapping lacks analyzer %q", analyzerLight)
	}
	for _, lang := range catalogue.Languages {
		a := im.AnalyzerNamed(analyzerFor(lang))
		if a == nil {
			return nil, fmt.Errorf("search mapping lacks the analyzer for %q (is its language package imported?)", lang)
		}
		h.analyzers[lang] = a
	}
	return h, nil
}

// lightTerms returns the light analysis of text: the words fuzzy matching
// and did-you-mean work on.
func (h *highlighter) lightTerms(text string) []string {
	var out []string
	for _, t := range h.light.Analyze([]byte(text)) {
		out = append(out, string(t.Term))
	}
	return out
}

// queryWords returns the content words of text: those the search
// language's analyzer keeps. (The default language's stop words count in
// another language's search: "de" is not English, but it is no content.)
func (h *highlighter) queryWords(text, lang string) []qword {
	var out []qword
	for _, t := range h.words.Tokenize([]byte(text)) {
		raw := strings.ToLower(string(t.Term))
		light := h.light.Analyze([]byte(raw))
		if len(light) == 0 || len(h.analyzers[lang].Analyze([]byte(raw))) == 0 {
			continue
		}
		out = append(out, qword{raw: raw, light: string(light[0].Term)})
		if len(out) == maxQueryWords {
			break
		}
	}
	return out
}

// matcher decides which words of a displayed text match a query. It is
// used by one search at a time: the hits of a page share most of their
// words ("the", "council", "permit"), and each is analysed once.
type matcher struct {
	h     *highlighter
	stems map[string]map[string]bool // lang -> analysed query terms
	light []lightWord                // the query's words, lightly analysed
	known map[wordIn]bool            // words already decided
}

// lightWord is a query word as fuzzy matching sees it: a text's word that
// begins with the same letter and is within its fuzziness matches it, as it
// does in a search.
type lightWord struct {
	meter     *editMeter
	fuzziness int
	first     string // the word's first letter
}

// wordIn is a word of a text in a language.
type wordIn struct{ word, lang string }

// matcher makes the matcher of the search for text in lang: its words are
// the search's own (queryWords), so the words of how people ask ("how",
// "a"), which the search does not look for, are not marked either.
func (h *highlighter) matcher(text, lang string) *matcher {
	m := &matcher{h: h, stems: map[string]map[string]bool{}, known: map[wordIn]bool{}}
	for _, q := range h.queryWords(text, lang) {
		_, size := utf8.DecodeRuneInString(q.light)
		m.light = append(m.light, lightWord{newEditMeter(q.light), fuzziness(q.light), q.light[:size]})
	}
	// Hits show texts in the search language or, untranslated, in the
	// default one.
	for _, l := range []string{lang, defaultLang} {
		set := map[string]bool{}
		for _, t := range h.analyzers[l].Analyze([]byte(text)) {
			set[string(t.Term)] = true
		}
		m.stems[l] = set
	}
	return m
}

// matches reports whether one word of a text in lang matches the query.
func (m *matcher) matches(word, lang string) bool {
	k := wordIn{word, lang}
	match, ok := m.known[k]
	if !ok {
		match = m.match(word, lang)
		m.known[k] = match
	}
	return match
}

func (m *matcher) match(word, lang string) bool {
	if set := m.stems[lang]; set != nil {
		for _, t := range m.h.analyzers[lang].Analyze([]byte(word)) {
			if set[string(t.Term)] {
				return true
			}
		}
	}
	for _, t := range m.h.light.Analyze([]byte(word)) {
		lw := string(t.Term)
		for _, q := range m.light {
			if strings.HasPrefix(lw, q.first) && q.meter.distance(lw, q.fuzziness) <= q.fuzziness {
				return true
			}
		}
	}
	return false
}

// fragments splits text in lang into marked and unmarked pieces. With a
// nil matcher the text comes back whole.
func (m *matcher) fragments(text, lang string) []Fragment {
	if text == "" {
		return nil
	}
	if m == nil {
		return []Fragment{{Text: text}}
	}
	// Fragments are pieces of text: the one being built is text[from:at],
	// marked or not; a piece of the other kind ends it.
	var out []Fragment
	from, at, marked := 0, 0, false
	add := func(end int, mark bool) {
		if end == at {
			return
		}
		if mark != marked && at > from {
			out = append(out, Fragment{Text: text[from:at], Mark: marked})
			from = at
		}
		marked, at = mark, end
	}
	for _, t := range m.h.words.Tokenize([]byte(text)) {
		if t.Start < at || t.End > len(text) {
			continue
		}
		add(t.Start, false)
		add(t.End, m.matches(text[t.Start:t.End], lang))
	}
	add(len(text), false)
	if at > from {
		out = append(out, Fragment{Text: text[from:at], Mark: marked})
	}
	return out
}

// snippet returns the fragments of at most about snippetRunes runes of
// text, centred on the first match when the text is longer.
func snippet(frags []Fragment) []Fragment {
	total := 0
	for _, f := range frags {
		total += utf8.RuneCountInString(f.Text)
	}
	if total <= snippetRunes {
		return frags
	}
	// Start a little before the first mark so it reads in context.
	start := 0
	seen := 0
	for _, f := range frags {
		if f.Mark {
			start = max(0, seen-snippetRunes/3)
			break
		}
		seen += utf8.RuneCountInString(f.Text)
	}
	end := start + snippetRunes
	var out []Fragment
	if start > 0 {
		out = append(out, Fragment{Text: "…"})
	}
	at := 0
	for _, f := range frags {
		r := []rune(f.Text)
		from, to := max(start-at, 0), min(end-at, len(r))
		at += len(r)
		if from >= to {
			continue
		}
		piece := string(r[from:to])
		if from > 0 && !f.Mark {
			// Begin at a word boundary.
			if i := strings.IndexByte(piece, ' '); i >= 0 {
				piece = piece[i+1:]
			}
		}
		if to < len(r) && !f.Mark {
			if i := strings.LastIndexByte(piece, ' '); i >= 0 {
				piece = piece[:i]
			}
		}
		if len(out) > 0 && out[len(out)-1].Mark == f.Mark {
			out[len(out)-1].Text += piece
		} else {
			out = append(out, Fragment{Text: piece, Mark: f.Mark})
		}
	}
	if end < total {
		if n := len(out); n > 0 && !out[n-1].Mark {
			out[n-1].Text += " …"
		} else {
			out = append(out, Fragment{Text: " …"})
		}
	}
	return out
}

// editMeter measures the edit distance of words from one query word: the
// fewest insertions, deletions and substitutions of a letter and swaps of
// two neighbouring letters that turn one into the other (the optimal string
// alignment distance), as Bleve's fuzzy automaton counts it when a search
// matches words fuzzily, so that what a search found by a typo is marked.
// It reuses its rows from one word to the next.
type editMeter struct {
	word, term    []rune
	pp, prev, cur []int // rows i-2, i-1 and i of the distance table
}

func newEditMeter(word string) *editMeter {
	return &editMeter{word: []rune(word)}
}

// distance returns the edit distance of term from the word, or limit+1 if
// it is more than limit.
func (m *editMeter) distance(term string, limit int) int {
	m.term = m.term[:0]
	for _, r := range term {
		m.term = append(m.term, r)
	}
	a, b := m.word, m.term
	if d := len(a) - len(b); d > limit || -d > limit {
		return limit + 1
	}
	n := len(b) + 1
	if cap(m.cur) < n {
		m.pp, m.prev, m.cur = make([]int, n), make([]int, n), make([]int, n)
	}
	pp, prev, cur := m.pp[:n], m.prev[:n], m.cur[:n]
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		best := i
		for j := 1; j < n; j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, pp[j-2]+1)
			}
			cur[j] = v
			best = min(best, v)
		}
		// No later row is below this one's least: a swap into the next row
		// costs one more than the match that carries the same cell of the
		// row before into this one.
		if best > limit {
			return limit + 1
		}
		pp, prev, cur = prev, cur, pp
	}
	return min(prev[n-1], limit+1)
}
