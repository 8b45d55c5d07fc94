package devidp

import (
	"embed"
	"encoding/json"
	"fmt"
	"net/http"
	"path"
	"strings"

	"golang.org/x/text/language"
)

// The pages are written in the portal's five languages, so that a resident
// who signs in from a Catalan page meets no English on the way. The texts are
// the provider's own (locales/<lang>.json), not the portal's: a real provider
// brings its own pages too.
//
//go:embed locales/*.json
var localeFiles embed.FS

// pageLanguages are the languages of the pages; the first is the fallback.
var pageLanguages = []language.Tag{language.English, language.Spanish, language.Catalan, language.Italian, language.French}

var (
	messages       = mustLoadMessages()
	languageSelect = language.NewMatcher(pageLanguages)
)

// mustLoadMessages reads the embedded message files; they are part of the
// binary, so a broken one is a programming error (TestMessages catches it).
func mustLoadMessages() map[string]map[string]string {
	out := map[string]map[string]string{}
	for _, tag := range pageLanguages {
		lang := tag.String()
		buf, err := localeFiles.ReadFile(path.Join("locales", lang+".json"))
		if err != nil {
			panic(fmt.Sprintf("devidp: message file for %s: %v", lang, err))
		}
		m := map[string]string{}
		if err := json.Unmarshal(buf, &m); err != nil {
			panic(fmt.Sprintf("devidp: message file for %s: %v", lang, err))
		}
		out[lang] = m
	}
	return out
}

// text is the message key in lang, else in English, else the key itself.
func text(lang, key string) string {
	if s, ok := messages[lang][key]; ok {
		return s
	}
	if s, ok := messages["en"][key]; ok {
		return s
	}
	return key
}

// langOf picks the page language: the ui_locales the relying party sent with
// the sign-in request, then a language carried by the page's own form, then
// the browser's Accept-Language; English when none matches.
func langOf(r *http.Request, uiLocales []string) string {
	var wanted []language.Tag
	for _, l := range uiLocales {
		if t, err := language.Parse(l); err == nil {
			wanted = append(wanted, t)
		}
	}
	if l := r.FormValue("lang"); l != "" {
		if t, err := language.Parse(l); err == nil {
			wanted = append(wanted, t)
		}
	}
	if accept, _, err := language.ParseAcceptLanguage(r.Header.Get("Accept-Language")); err == nil {
		wanted = append(wanted, accept...)
	}
	_, i, conf := languageSelect.Match(wanted...)
	if conf == language.No {
		return "en"
	}
	return pageLanguages[i].String()
}

// localeStrings turns the request's ui_locales into plain strings for the
// pending request.
func localeStrings(tags []language.Tag) []string {
	var out []string
	for _, t := range tags {
		out = append(out, strings.Clone(t.String()))
	}
	return out
}
