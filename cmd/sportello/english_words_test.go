package main

// The detector of English on a page that should be in another language,
// used by the browser walk of browser_languages_test.go. A word is English
// on a Spanish page when Sportello's English texts use it and none of its
// Spanish texts do: the words are learnt from the English and Spanish
// message files, the development provider's pages and the demo catalogue,
// so that "any" (a year, in Catalan), "so" (Italian) or "pick-up" (in every
// language) pass, and "the", "Apply" or "Continue" do not.

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"

	"sportello/catalogue"
	"sportello/catalogue/cataloguetest"
	"sportello/portal/web"
)

// alwaysEnglish are English words that no message file need hold for the
// portal to show them: what Go or a browser writes when a format is left
// in English (month and day names, "AM"). They count as English
// on a page unless the language's own texts use them. Short names that are
// another language's own ("mar", Tuesday in Spanish, Italian and French;
// "tu") are left out.
var alwaysEnglish = strings.Fields(`
	january february march april may june july august september october november december
	monday tuesday wednesday thursday friday saturday sunday
	mon tue tues wed thu thur thurs fri sat sun
	am pm today yesterday tomorrow the and of to your you with for this that from`)

// englishFormats are figures written the English way, or not written
// for people at all, whatever words surround them.
var englishFormats = []struct {
	name string
	re   *regexp.Regexp
}{
	// "€40.00" or "40.00 €": the other languages write "40,00 €".
	{"money written", regexp.MustCompile(`€\s?\d[\d,]*\.\d{2}\b|\b\d[\d,]*\.\d{2}\s?€`)},
	// The catalogue's opening hours as stored ("Mo-Fr 09:00-14:00"):
	// French cannot be told by its words, since "Mo" is its megabyte.
	{"opening hours as stored", regexp.MustCompile(`\b(Mo|Tu|We|Th|Fr|Sa|Su)[-,](Mo|Tu|We|Th|Fr|Sa|Su)\b|\bPH off\b|\b24/7\b`)},
}

// noText is what is not words of a language: e-mail and web addresses,
// references, request ids (UUIDs) and the like keep their own spelling.
var noText = regexp.MustCompile(`\S+@\S+|https?://\S+|\bPN-[0-9A-Z-]+|\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b`)

// englishWords knows, for each language, the words that are English there.
type englishWords map[string]map[string]bool

// loadEnglishWords learns the words from the texts a resident can meet:
// the portal's message files but the editor's (staff only), the
// development provider's pages, opening hours, and every text of the demo catalogue but
// the keywords (search terms are never shown, and hold loanwords such as
// "after" or "online" on purpose). Every English text counts, so that the
// English list is as long as it can be.
func loadEnglishWords(t *testing.T) englishWords {
	t.Helper()
	seen := map[string]map[string]bool{} // language -> words its texts use
	add := func(lang, text string, resident bool) {
		if lang != "en" && !resident {
			return
		}
		if seen[lang] == nil {
			seen[lang] = map[string]bool{}
		}
		for _, w := range words(text) {
			seen[lang][w] = true
		}
	}

	files, err := filepath.Glob(filepath.Join("..", "..", "portal", "web", "locales", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no message files in portal/web/locales (%v)", err)
	}
	for _, f := range files {
		area, lang := messageFile(filepath.Base(f))
		for _, s := range readMessages(t, f) {
			add(lang, s, area != "editor")
		}
	}
	idp, err := filepath.Glob(filepath.Join("..", "..", "portal", "devidp", "locales", "*.json"))
	if err != nil || len(idp) == 0 {
		t.Fatalf("no message files in portal/devidp/locales (%v)", err)
	}
	for _, f := range idp {
		lang := strings.TrimSuffix(filepath.Base(f), ".json")
		for _, s := range readMessages(t, f) {
			add(lang, s, true)
		}
	}

	demo, err := catalogue.Load(catalogue.DemoJSON())
	if err != nil {
		t.Fatal(err)
	}
	cataloguetest.Texts(demo, func(path string, text catalogue.Text, list catalogue.TextList) {
		shown := !strings.HasSuffix(path, ".keywords")
		for lang, s := range text {
			add(lang, s, shown)
		}
		for lang, l := range list {
			for _, s := range l {
				add(lang, s, shown)
			}
		}
	})

	// Opening hours are written by Go, not from a message file.
	for _, lang := range catalogue.Languages {
		for _, raw := range []string{"Mo,We,Fr,Su 09:00-14:00", "Tu,Th,Sa 10:00-12:00; PH off", "Mo-Su 08:00-20:00", "24/7"} {
			add(lang, web.OpeningHours(lang, raw), true)
		}
	}

	english := maps(seen["en"], alwaysEnglish)
	out := englishWords{}
	for _, lang := range catalogue.Languages {
		if lang == "en" {
			continue
		}
		out[lang] = map[string]bool{}
		for w := range english {
			if !seen[lang][w] {
				out[lang][w] = true
			}
		}
	}
	return out
}

// maps is the set of words of m and of extra.
func maps(m map[string]bool, extra []string) map[string]bool {
	out := map[string]bool{}
	for w := range m {
		out[w] = true
	}
	for _, w := range extra {
		out[w] = true
	}
	return out
}

// messageFile splits "public.es.json" into its area and language.
func messageFile(name string) (area, lang string) {
	parts := strings.Split(name, ".")
	if len(parts) != 3 {
		return "", ""
	}
	return parts[0], parts[1]
}

// readMessages returns every text of a message file, plural forms
// included, with the placeholders ({{.Count}}) taken out.
func readMessages(t *testing.T, path string) []string {
	t.Helper()
	buf, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(buf, &m); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var out []string
	var collect func(v any)
	collect = func(v any) {
		switch v := v.(type) {
		case string:
			out = append(out, placeholder.ReplaceAllString(v, " "))
		case map[string]any:
			for _, x := range v {
				collect(x)
			}
		}
	}
	for _, v := range m {
		collect(v)
	}
	return out
}

var placeholder = regexp.MustCompile(`\{\{[^}]*\}\}`)

// words splits a text into its words, lower-cased: runs of letters of two
// or more ("l'any" gives "any"; "a" and "y" say nothing of the language).
func words(s string) []string {
	s = noText.ReplaceAllString(s, " ")
	var out []string
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) }) {
		if len([]rune(w)) >= 2 {
			out = append(out, strings.ToLower(w))
		}
	}
	return out
}

// find returns, for each text that holds English in lang, the text and
// the English words it holds; nothing when there is none.
func (e englishWords) find(lang string, texts []string) []string {
	english := e[lang]
	var found []string
	for _, text := range texts {
		text = strings.Join(strings.Fields(text), " ")
		var hits []string
		for _, w := range words(text) {
			if english[w] && !slices.Contains(hits, w) {
				hits = append(hits, w)
			}
		}
		for _, f := range englishFormats {
			if m := f.re.FindString(text); m != "" {
				hits = append(hits, f.name+" "+m)
			}
		}
		if len(hits) > 0 {
			if len(text) > 160 {
				text = text[:160] + "…"
			}
			found = append(found, fmt.Sprintf("%s in %q", strings.Join(hits, ", "), text))
		}
	}
	return found
}

// The detector itself: it finds the English of the English pages and of
// formats left in English, and lets through each language's own texts,
// loanwords and names.
func TestEnglishWords(t *testing.T) {
	e := loadEnglishWords(t)
	for _, lang := range []string{"es", "ca", "it", "fr"} {
		if n := len(e[lang]); n < 1000 {
			t.Errorf("%s: only %d words count as English, so the English texts were not read", lang, n)
		}
	}
	english := []string{
		"Check your answers before sending your application",
		"Apply now",
		"Search",
		"Continue to payment",
		"Your applications",
		"Mo-Fr 09:00-14:00",
		"12 March 2026",
		"€40.00",
		"15,00 € per book of 10 days",
	}
	for _, lang := range []string{"es", "ca", "it", "fr"} {
		for _, s := range english {
			if got := e.find(lang, []string{s}); len(got) == 0 {
				t.Errorf("%s: %q passes as %s", lang, s, lang)
			}
		}
	}
	own := map[string][]string{
		"es": {"Comprobar sus respuestas", "lun–vie 9:00–14:00", "40,00 € al año", "Marta Vidal", "hello@portanova.example", "PN-4KX7-9QJM"},
		"ca": {"Comprovi les respostes", "40,00 € l'any", "Pick-up", "Porta Nova"},
		"it": {"Controlli le risposte", "Non lo so", "40,00 €"},
		"fr": {"Vérifiez vos réponses", "1 330,00 €", "lun.–ven. 9 h–14 h"},
	}
	for lang, texts := range own {
		if got := e.find(lang, texts); len(got) > 0 {
			t.Errorf("%s: its own texts are taken for English: %s", lang, strings.Join(got, "; "))
		}
	}
}
