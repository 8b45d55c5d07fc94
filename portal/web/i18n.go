package web

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"sportello/catalogue"
	"strings"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// Locales holds the UI message files, one per area and language
// (public.en.json, auth.es.json, ...). go-i18n takes the language from the
// file name.
//
//go:embed locales/*.json
var Locales embed.FS

// LanguageKey is the message that names lang in the reader's language
// (public.*.json: "language.es" is "Spanish" in English, "espagnol" in
// French); LanguageName is its name in itself, for the switcher.
func LanguageKey(lang string) string { return "language." + lang }

// LanguageName is a language's name in that language, for the switcher.
func LanguageName(lang string) string {
	switch lang {
	case "en":
		return "English"
	case "es":
		return "Español"
	case "ca":
		return "Català"
	case "it":
		return "Italiano"
	case "fr":
		return "Français"
	}
	return lang
}

// Translator translates UI strings. Messages without placeholders are looked
// up in a map built at start-up, because a page shows dozens of them and
// go-i18n would keep and execute a template for each; go-i18n holds only
// plural messages and those with placeholders.
type Translator struct {
	localizers map[string]*i18n.Localizer
	plain      map[string]map[string]string // lang -> key -> text, for messages without {{
	layout     map[string]*LayoutText       // lang -> the main layout's phrases
}

// NewTranslator loads every message file of fsys (a directory of
// <area>.<lang>.json files).
func NewTranslator(fsys fs.FS) (*Translator, error) {
	bundle := i18n.NewBundle(language.English)
	bundle.RegisterUnmarshalFunc("json", json.Unmarshal)
	files, err := fs.Glob(fsys, "*.json")
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("web: no message files (*.<lang>.json) in the locales directory")
	}
	raw := map[string]map[string]string{}
	for _, name := range files {
		buf, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		lang := langOfFile(name)
		var msgs map[string]any
		if err := json.Unmarshal(buf, &msgs); err != nil {
			return nil, fmt.Errorf("web: message file %s must be a JSON object: %w", name, err)
		}
		if raw[lang] == nil {
			raw[lang] = map[string]string{}
		}
		// Only plural messages ({"one": ..., "other": ...}) and those with
		// placeholders go to go-i18n: it keeps a parsed template of every
		// message it holds, 8 MB for all of them, and T answers the others
		// from the plain maps.
		templated := map[string]any{}
		for k, v := range msgs {
			s, ok := v.(string)
			if !ok {
				s = "{{plural}}"
			}
			raw[lang][k] = s
			if strings.Contains(s, "{{") {
				templated[k] = v
			}
		}
		if err := addMessages(bundle, name, templated); err != nil {
			return nil, err
		}
	}
	t := &Translator{localizers: map[string]*i18n.Localizer{}, plain: map[string]map[string]string{}}
	for _, lang := range catalogue.Languages {
		t.localizers[lang] = i18n.NewLocalizer(bundle, lang, "en")
		plain := map[string]string{}
		for k, v := range raw["en"] {
			if s, ok := raw[lang][k]; ok {
				v = s
			}
			if !strings.Contains(v, "{{") {
				plain[k] = v
			}
		}
		t.plain[lang] = plain
	}
	t.layout = map[string]*LayoutText{}
	for _, lang := range catalogue.Languages {
		t.layout[lang] = t.layoutText(lang)
	}
	return t, nil
}

// T translates key into lang. pairs are template data as name, value, ...
// ({{t .Lang "search.count" "Count" 3}}); a pair named Count also selects
// the plural form of a {"one": ..., "other": ...} message, and is written
// with lang's thousands separator. Other numbers are written as given: a
// template formats them with {{num .Lang n}}. A missing key shows the key, so it
// is noticed and never hides the page.
func (t *Translator) T(lang, key string, pairs ...any) string {
	if _, ok := t.localizers[lang]; !ok {
		lang = "en"
	}
	// A message without placeholders reads the same whatever the data.
	if s, ok := t.plain[lang][key]; ok {
		return s
	}
	loc := t.localizers[lang]
	data := make(map[string]any, len(pairs)/2)
	var count any
	for i := 0; i+1 < len(pairs); i += 2 {
		if name, ok := pairs[i].(string); ok {
			data[name] = pairs[i+1]
			if name == "Count" {
				// The form is picked by the number; the text shows
				// it as the language writes numbers ("1.200 resultats").
				count = pairs[i+1]
				if n, ok := asInt64(count); ok {
					data[name] = Number(lang, n)
				}
			}
		}
	}
	// "Count" also picks the plural form, so "1 result" and "2 results".
	s, err := loc.Localize(&i18n.LocalizeConfig{MessageID: key, TemplateData: data, PluralCount: count})
	if err != nil && s == "" {
		return key
	}
	return s
}

// Has reports whether key has an English message.
func (t *Translator) Has(key string) bool {
	if _, ok := t.plain["en"][key]; ok {
		return true
	}
	_, err := t.localizers["en"].Localize(&i18n.LocalizeConfig{MessageID: key})
	return err == nil
}

// addMessages gives bundle the messages of file name (msgs, as in the file),
// through go-i18n's own reading of message files, which checks the plural
// forms the file's language has.
func addMessages(bundle *i18n.Bundle, name string, msgs map[string]any) error {
	if len(msgs) == 0 {
		return nil
	}
	buf, err := json.Marshal(msgs)
	if err != nil {
		return fmt.Errorf("web: message file %s: %w", name, err)
	}
	if _, err := bundle.ParseMessageFileBytes(buf, name); err != nil {
		return fmt.Errorf("web: message file %s: %w", name, err)
	}
	return nil
}

// langOfFile returns "es" for "public.es.json".
func langOfFile(name string) string {
	base := strings.TrimSuffix(path.Base(name), path.Ext(name))
	if i := strings.LastIndexByte(base, '.'); i >= 0 {
		return base[i+1:]
	}
	return base
}

// asInt64 reads a count, which comes as an int or an int64.
func asInt64(v any) (int64, bool) {
	switch n := v.(type) {
	case int:
		return int64(n), true
	case int64:
		return n, true
	}
	return 0, false
}
