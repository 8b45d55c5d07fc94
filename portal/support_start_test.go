package portal

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// Every page of both finders renders in every language with one h1, the
// lang attribute, no raw message key and nothing html/template refused.
func TestFinderPagesInEveryLanguage(t *testing.T) {
	site := startLiveSite(t)
	b := site.browser(t, followRedirects)
	answerAll(t, b, olderResidentAnswers600())
	rawKey := regexp.MustCompile(`>\s*(support|business_start)\.[a-z_.0-9]+\s*<`)
	paths := []string{
		"/support-finder", "/support-finder/questions/age", "/support-finder/questions/resident",
		"/support-finder/answers", "/support-finder/results", "/business/start",
		"/business/start/questions?what=journey:open-a-restaurant",
		"/business/start/plan?what=journey:open-a-restaurant&sells_food=yes&sells_alcohol=no&outdoor_seating=unsure&sign=yes",
		"/business", "/",
	}
	for _, lang := range []string{"en", "es", "ca", "it", "fr"} {
		for _, p := range paths {
			sep := "?"
			if strings.Contains(p, "?") {
				sep = "&"
			}
			page := b.get(p + sep + "lang=" + lang)
			if page.status != http.StatusOK {
				t.Errorf("%s in %s: status %d", p, lang, page.status)
			}
			if n := strings.Count(page.body, "<h1"); n != 1 {
				t.Errorf("%s in %s: %d h1 elements, want 1", p, lang, n)
			}
			if !strings.Contains(page.body, `<html lang="`+lang+`">`) {
				t.Errorf("%s in %s: no lang attribute", p, lang)
			}
			if m := rawKey.FindString(page.body); m != "" {
				t.Errorf("%s in %s: untranslated key %s", p, lang, m)
			}
			if strings.Contains(page.body, "ZgotmplZ") {
				t.Errorf("%s in %s: html/template rejected a value", p, lang)
			}
		}
	}
	// Questions the catalogue has not translated are shown in English and
	// marked so.
	if p := b.get("/support-finder/questions/age?lang=fr"); !strings.Contains(p.body, `<label for="answer" lang="en">How old are you?</label>`) {
		t.Errorf("an untranslated question should carry lang=\"en\":\n%s", excerpt(p.body))
	}
	if p := b.get("/support-finder/questions/age?lang=es"); !strings.Contains(p.body, `<label for="answer">`) || strings.Contains(p.body, `<label for="answer" lang="en">`) {
		t.Error("a translated question should be shown in Spanish")
	}
}

// The finders are linked from the home page, the business hub and (the
// saved support) the account page.
func TestFinderLinks(t *testing.T) {
	runScenarios(t, []scenario{
		{name: "home", path: "/", status: 200, contains: []string{`href="/support-finder"`, `href="/business/start"`}},
		{name: "business hub", path: "/business", status: 200, contains: []string{`<a class="button" href="/business/start">Find the permits you need</a>`}},
		{name: "start page", path: "/support-finder", status: 200, contains: []string{
			"Find support you may be able to get", `href="/support-finder/questions/age"`, "This is guidance, not a decision.",
		}},
	})
}

func olderResidentAnswers600() map[string]string {
	out := map[string]string{}
	for k, v := range olderResident {
		out[k] = v
	}
	out["monthly_income"] = "600"
	return out
}
