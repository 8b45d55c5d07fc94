package search

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"
	bleveunicode "github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"

	"sportello/catalogue"
	"sportello/catalogue/synthetic"
)

// TestWordTokenizerMatchesBleve: wordTokenizer gives the words, offsets,
// positions and types Bleve's Unicode tokenizer gives, on every text of the
// demo and a generated catalogue (without handing any to Bleve's), on each
// character it classifies between letters, digits and itself, and on
// random mixtures of them.
func TestWordTokenizerMatchesBleve(t *testing.T) {
	ours, theirs := newWordTokenizer(), bleveunicode.NewUnicodeTokenizer()
	check := func(text string) bool {
		t.Helper()
		got, want := render(ours.Tokenize([]byte(text))), render(theirs.Tokenize([]byte(text)))
		if got != want {
			t.Fatalf("Tokenize(%q)\n got %s\nwant %s", text, got, want)
		}
		_, fast := latinWords([]byte(text))
		return fast
	}

	for name, c := range map[string]*catalogue.Catalogue{"demo": demoCatalogue(t), "generated": synthetic.Generate(2000, 1)} {
		n := 0
		for _, s := range c.Services {
			var texts []string
			for _, m := range []map[string]string{s.Title, s.Summary, s.Description} {
				for _, text := range m {
					texts = append(texts, text)
				}
			}
			for _, kws := range s.Keywords {
				texts = append(texts, kws...)
			}
			for _, text := range texts {
				if !check(text) {
					t.Errorf("%s catalogue, %s: %q went to Bleve's tokenizer", name, s.Slug, text)
				}
			}
			n += len(texts)
		}
		t.Logf("%s catalogue: %d texts", name, n)
	}

	// Every character classified here, and some that are not, between
	// and beside letters and digits.
	var chars []rune
	for r := rune(0); r < 0x250; r++ {
		chars = append(chars, r)
	}
	for r := rune(0x1E00); r <= 0x1EFF; r++ {
		chars = append(chars, r)
	}
	chars = append(chars, 0x2018, 0x2019, 0x2013, 0x2014, 0x201C, 0x201D, 0x2022, 0x2026, 0x20AC,
		0x300, 0x301, 0x200D, 0x202F, 0x3B1, 0x5D0, 0x65E5, 0x30A2, 0xFFFD)
	for _, r := range chars {
		c := string(r)
		for _, text := range []string{c, "a" + c + "b", "1" + c + "2", "a" + c + "1", "1" + c + "a", c + "ab", "ab" + c, c + "12", "12" + c, "a" + c + c + "b", "1" + c + c + "2"} {
			check(text)
		}
	}

	// Random texts of letters, digits, middle characters and spaces.
	alphabet := []rune("aZé·ß09 .,;:'’‘-_«»\u00a0\u00ad\u0301–l")
	rng := rand.New(rand.NewPCG(1, 2))
	for range 50000 {
		var b strings.Builder
		for range 1 + rng.IntN(12) {
			b.WriteRune(alphabet[rng.IntN(len(alphabet))])
		}
		check(b.String())
	}
	check(string([]byte{'a', 0xff, 'b'})) // not UTF-8
}

// render prints a token stream for comparison.
func render(ts analysis.TokenStream) string {
	parts := make([]string, len(ts))
	for i, t := range ts {
		parts[i] = fmt.Sprintf("%q@%d[%d:%d]%d", t.Term, t.Position, t.Start, t.End, t.Type)
	}
	return "[" + strings.Join(parts, " ") + "]"
}

// The tokenizer is what the index's analyzers use.
func TestAnalyzersUseWordTokenizer(t *testing.T) {
	im, err := newMapping()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range append(slices.Clone(catalogue.Languages), "light") {
		name := analyzerFor(lang)
		if lang == "light" {
			name = analyzerLight
		}
		a, ok := im.AnalyzerNamed(name).(*analysis.DefaultAnalyzer)
		if !ok {
			t.Fatalf("analyzer %s is %T", name, im.AnalyzerNamed(name))
		}
		if _, ok := a.Tokenizer.(wordTokenizer); !ok {
			t.Errorf("analyzer %s tokenizes with %T, want wordTokenizer", name, a.Tokenizer)
		}
	}
}
