package web

import (
	"encoding/json"
	"io/fs"
	"sort"
	"sportello/catalogue"
	"sportello/catalogue/cataloguetest"
	"strings"
	"testing"
)

// Every language has every message English has, across all message files
// (public.*.json, auth.*.json, ...), and no language has a file English lacks.
func TestMissingTranslations(t *testing.T) {
	files, err := fs.Glob(Locales, "locales/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no message files: %v", err)
	}
	keys := map[string]map[string]map[string]bool{} // area -> lang -> keys
	for _, name := range files {
		base := strings.TrimSuffix(strings.TrimPrefix(name, "locales/"), ".json")
		area, lang, ok := strings.Cut(base, ".")
		if !ok || !contains(catalogue.Languages, lang) {
			t.Errorf("%s: name it <area>.<lang>.json with lang one of %v", name, catalogue.Languages)
			continue
		}
		buf, err := fs.ReadFile(Locales, name)
		if err != nil {
			t.Fatal(err)
		}
		var msgs map[string]any
		if err := json.Unmarshal(buf, &msgs); err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if keys[area] == nil {
			keys[area] = map[string]map[string]bool{}
		}
		keys[area][lang] = map[string]bool{}
		for k, v := range msgs {
			keys[area][lang][k] = true
			if s, ok := v.(string); ok && strings.TrimSpace(s) == "" {
				t.Errorf("%s: %s is empty", name, k)
			}
		}
	}
	for area, byLang := range keys {
		en, ok := byLang["en"]
		if !ok {
			t.Errorf("%s.*.json: there is no English file, the fallback", area)
			continue
		}
		for _, lang := range catalogue.Languages {
			var missing []string
			for k := range en {
				if !byLang[lang][k] {
					missing = append(missing, k)
				}
			}
			sort.Strings(missing)
			if len(missing) > 0 {
				t.Errorf("%s.%s.json lacks %d keys English has: %s", area, lang, len(missing), strings.Join(missing, ", "))
			}
			for k := range byLang[lang] {
				if !en[k] {
					t.Errorf("%s.%s.json has %s, which English lacks (a typo, or an English message to add)", area, lang, k)
				}
			}
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestTranslator(t *testing.T) {
	sub, err := fs.Sub(Locales, "locales")
	if err != nil {
		t.Fatal(err)
	}
	tr, err := NewTranslator(sub)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		lang, key string
		pairs     []any
		want      string
	}{
		{"en", "nav.home", nil, "Home"},
		{"es", "nav.home", nil, "Inicio"},
		{"xx", "nav.home", nil, "Home"},
		{"en", "no.such.key", nil, "no.such.key"},
		{"en", "search.count", []any{"Count", 1}, "1 result"},
		{"en", "search.count", []any{"Count", 7}, "7 results"},
		{"fr", "search.count", []any{"Count", 0}, "0 résultat"},
		{"en", "search.count", []any{"Count", 12345}, "12,345 results"},
		{"es", "search.count", []any{"Count", 1800}, "1800 resultados"},
		{"es", "search.count", []any{"Count", int64(12345)}, "12.345 resultados"},
		{"fr", "search.count", []any{"Count", 1800}, "1\u202f800 résultats"},
		{"ca", "search.page_of", []any{"Page", 2, "Pages", 5}, "Pàgina 2 de 5"},
		{"it", "search.title_for", []any{"Query", "<b>"}, "Risultati della ricerca «<b>»"},
	}
	for _, tt := range tests {
		if got := tr.T(tt.lang, tt.key, tt.pairs...); got != tt.want {
			t.Errorf("T(%s, %s, %v) = %q, want %q", tt.lang, tt.key, tt.pairs, got, tt.want)
		}
	}
}

// The fallback notice names languages in the reader's language: every
// language Sportello offers has a name in every message file, and it is
// not the English one (except in English).
func TestLanguageNamesInEveryLanguage(t *testing.T) {
	tr := testSite(t).Translator
	for _, reader := range catalogue.Languages {
		for _, l := range catalogue.Languages {
			got := tr.T(reader, LanguageKey(l))
			if got == LanguageKey(l) {
				t.Errorf("no name for %s in %s (%s)", l, reader, LanguageKey(l))
				continue
			}
			if reader != "en" && got == tr.T("en", LanguageKey(l)) {
				t.Errorf("%s calls %s %q, the English name", reader, l, got)
			}
		}
	}
	if got := tr.T("es", "layout.fallback", "Lang", tr.T("es", LanguageKey("es")), "Fallback", tr.T("es", LanguageKey("en"))); got != "Esta página todavía no está disponible en español; se muestra en inglés." {
		t.Errorf("Spanish notice: %q", got)
	}
}

// The French messages are spaced as French is written: no ordinary space
// before : ; ? ! or », nor after «.
func TestFrenchSpacing(t *testing.T) {
	files, err := fs.Glob(Locales, "locales/*.fr.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no French message files: %v", err)
	}
	for _, name := range files {
		buf, err := fs.ReadFile(Locales, name)
		if err != nil {
			t.Fatal(err)
		}
		var msgs map[string]any
		if err := json.Unmarshal(buf, &msgs); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for key, v := range msgs {
			forms, ok := v.(map[string]any)
			if !ok {
				forms = map[string]any{"": v}
			}
			for _, f := range forms {
				if s, _ := f.(string); cataloguetest.BadFrenchSpacing(s) != "" {
					t.Errorf("%s %s: an ordinary space in %q", name, key, cataloguetest.BadFrenchSpacing(s))
				}
			}
		}
	}
}
