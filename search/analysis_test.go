package search

import (
	"slices"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"

	"sportello/catalogue"
)

// TestLanguageAnalysis checks what residents type against what the
// catalogue says: elided articles, accents, plurals and question phrasing.
func TestLanguageAnalysis(t *testing.T) {
	im, err := newMapping()
	if err != nil {
		t.Fatal(err)
	}
	terms := func(lang, text string) []string {
		var out []string
		for _, tok := range im.AnalyzerNamed(analyzerFor(lang)).Analyze([]byte(text)) {
			out = append(out, string(tok.Term))
		}
		return out
	}
	for _, tc := range []struct {
		lang, a, b string // a and b analyse to the same terms
	}{
		{"en", "How do I get a disabled parking badge", "disabled parking badges"},
		{"en", "where can I register my address", "register address"},
		{"es", "¿Cómo puedo pedir la tarjeta?", "pedir tarjeta"},
		{"es", "necesito el certificado de empadronamiento", "certificados empadronamiento"},
		{"es", "quiero una licencia", "licencias"},
		{"ca", "com puc pagar l'IBI", "pagar ibi"},
		{"ca", "on puc demanar la targeta", "demanar targetes"},
		{"ca", "els gossos", "gos"},
		{"ca", "llicència d'obres", "llicencies obra"},
		{"ca", "camions", "camió"},
		{"it", "come posso ottenere il contrassegno disabili", "contrassegno disabile"},
		{"it", "dell'auto nell'area", "auto area"},
		{"it", "dove posso pagare l'IMU", "pagare imu"},
		{"fr", "comment faire pour obtenir une carte de stationnement", "cartes stationnement"},
		{"fr", "où puis-je contester l'amende", "contester amende"},
		{"fr", "qu'il faut handicapé", "handicape"},
		{"fr", "Carte de stationnement handicapé", "carte stationnement handicape"},
	} {
		ta, tb := terms(tc.lang, tc.a), terms(tc.lang, tc.b)
		if len(ta) == 0 || !slices.Equal(ta, tb) {
			t.Errorf("%s: %q → %v, %q → %v; want the same terms", tc.lang, tc.a, ta, tc.b, tb)
		}
	}
}

func TestStemCatalan(t *testing.T) {
	for _, group := range [][]string{
		{"targeta", "targetes"},
		{"biblioteca", "biblioteques"},
		{"botiga", "botigues"},
		{"gos", "gossos"},
		{"pis", "pisos"},
		{"certificat", "certificats"},
		{"arbre", "arbres"},
		{"camio", "camions"},
		{"inscripcio", "inscripcions"},
		{"llicencia", "llicencies"},
		{"resident", "residents"},
	} {
		want := stemCatalan(group[0])
		for _, w := range group[1:] {
			if got := stemCatalan(w); got != want {
				t.Errorf("stemCatalan(%q) = %q, stemCatalan(%q) = %q; want the same", group[0], want, w, got)
			}
		}
	}
}

// TestMemoFilterChangesNothing: every language's analyzer gives the same
// terms with its memo of stems as its filters give without one, for every
// word of the demo catalogue, met for the first time or again, past the
// memo's limit, and once it is forgotten.
func TestMemoFilterChangesNothing(t *testing.T) {
	c := demoCatalogue(t)
	for _, limit := range []int{memoWords, 50} {
		im, err := newMapping()
		if err != nil {
			t.Fatal(err)
		}
		for _, lang := range catalogue.Languages {
			a := im.AnalyzerNamed(analyzerFor(lang)).(*analysis.DefaultAnalyzer)
			memo, ok := a.TokenFilters[len(a.TokenFilters)-1].(*memoFilter)
			if !ok {
				t.Fatalf("%s: last filter is %T, want the memo", lang, a.TokenFilters[len(a.TokenFilters)-1])
			}
			memo.limit = limit
			memo.remember()
			plain := *a
			plain.TokenFilters = append(slices.Clone(a.TokenFilters[:len(a.TokenFilters)-1]), memo.filters...)
			terms := func(a *analysis.DefaultAnalyzer, text string) string {
				var out []string
				for _, tok := range a.Analyze([]byte(text)) {
					out = append(out, string(tok.Term))
				}
				return strings.Join(out, " ")
			}
			var texts []string
			for _, s := range c.Services {
				texts = append(texts, s.Title[lang], s.Summary[lang], s.Description[lang])
			}
			for pass := range 2 {
				for _, text := range texts {
					if got, want := terms(a, text), terms(&plain, text); got != want {
						t.Fatalf("%s, pass %d, limit %d: %q\n got %s\nwant %s", lang, pass, limit, text, got, want)
					}
				}
			}
			if n := len(memo.memo); n > limit || (limit < memoWords && n != limit) {
				t.Errorf("%s: the memo holds %d words, limit %d", lang, n, limit)
			}
			memo.forget()
			for _, text := range texts[:20] {
				if got, want := terms(a, text), terms(&plain, text); got != want {
					t.Fatalf("%s, forgotten: %q\n got %s\nwant %s", lang, text, got, want)
				}
			}
			if memo.memo != nil {
				t.Errorf("%s: the memo remembers after forget", lang)
			}
		}
	}
}
