package catalogue_test

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"sportello/catalogue"
	"sportello/catalogue/cataloguetest"
)

// minKeywords is how many words residents use for a service, per language,
// that every service of the demo carries (issue 13: everyday names, slang,
// misspellings).
const minKeywords = 5

// Every text a resident can meet in the demo catalogue — services, their
// forms (labels, help, options) and fees, topics, offices, life events,
// journeys, the support finder's questions, the business finder, the
// council's name — is in each of Sportello's five languages, and every
// service has at least five keywords in each.
func TestDemoCatalogueInEveryLanguage(t *testing.T) {
	c, err := catalogue.Load(catalogue.DemoJSON())
	if err != nil {
		t.Fatal(err)
	}
	if !sameLanguages(c.Authority.Languages, catalogue.Languages) {
		t.Errorf("authority.languages = %v, want all of %v", c.Authority.Languages, catalogue.Languages)
	}
	// The walk itself reaches every kind of text.
	reached := map[string]bool{}
	kinds := []string{"authority.name", "topics[", "departments[", "life_events[", "journeys[", ".steps[",
		"profile_questions[", "business_types[", ".questions[", "services[", ".fee.unit", ".keywords", ".documents",
		".online_form.fields[", ".label", ".help", ".options["}
	cataloguetest.Texts(c, func(path string, _ catalogue.Text, _ catalogue.TextList) {
		for _, k := range kinds {
			reached[k] = reached[k] || strings.Contains(path, k)
		}
	})
	for _, k := range kinds {
		if !reached[k] {
			t.Errorf("no text at %s… was walked", k)
		}
	}
	for _, p := range missingTranslations(c) {
		t.Error(p)
	}
}

// The check above finds each kind of gap, so a pass means something.
func TestMissingTranslationsAreFound(t *testing.T) {
	demo := decodeDemo(t)
	slugOf := func(i int) string { return demo.Services[i].Slug }
	tests := []struct {
		name  string
		spoil func(c *catalogue.Catalogue)
		want  string
	}{
		{"a service title", func(c *catalogue.Catalogue) { delete(c.Services[0].Title, "it") },
			`services[0].title (` + slugOf(0) + `) lacks it`},
		{"a blank translation", func(c *catalogue.Catalogue) { c.Topics[1].Description["fr"] = "  " },
			"topics[1].description lacks fr"},
		{"a form option", func(c *catalogue.Catalogue) {
			f := firstChoiceField(c)
			delete(f.Options[0].Label, "ca")
		}, ".options[0].label ("},
		{"a form field's help", func(c *catalogue.Catalogue) {
			for i := range c.Services {
				if f := c.Services[i].OnlineForm; f != nil {
					for j := range f.Fields {
						if f.Fields[j].Help != nil {
							delete(f.Fields[j].Help, "es")
							return
						}
					}
				}
			}
		}, ".help ("},
		{"a fee's unit", func(c *catalogue.Catalogue) {
			for i := range c.Services {
				if fee := c.Services[i].Fee; fee != nil && fee.Unit != nil {
					delete(fee.Unit, "fr")
					return
				}
			}
		}, ".fee.unit ("},
		{"an office", func(c *catalogue.Catalogue) { delete(c.Departments[2].Name, "es") }, "departments[2].name lacks es"},
		{"a life event", func(c *catalogue.Catalogue) { delete(c.LifeEvents[0].Title, "it") }, "life_events[0].title lacks it"},
		{"a journey step", func(c *catalogue.Catalogue) { delete(c.Journeys[0].Steps[1].Title, "fr") }, "journeys[0].steps[1].title lacks fr"},
		{"a profile question", func(c *catalogue.Catalogue) { delete(c.ProfileQuestions[0].Label, "ca") }, "profile_questions[0].label lacks ca"},
		{"a business question", func(c *catalogue.Catalogue) { delete(c.BusinessTypes[0].Questions[0].Text, "it") }, "business_types[0].questions[0].text lacks it"},
		{"the council's name", func(c *catalogue.Catalogue) { delete(c.Authority.Name, "fr") }, "authority.name lacks fr"},
		{"a list missing a language", func(c *catalogue.Catalogue) { delete(c.Services[3].Steps, "ca") },
			`services[3].steps (` + slugOf(3) + `) lacks ca`},
		{"a list shorter in one language", func(c *catalogue.Catalogue) {
			s := &c.Services[4]
			s.Documents["it"] = s.Documents["it"][:len(s.Documents["it"])-1]
		}, `services[4].documents (` + slugOf(4) + `) has`},
		{"a list empty in one language only", func(c *catalogue.Catalogue) { c.Services[5].Steps["es"] = []string{} },
			`services[5].steps (` + slugOf(5) + `) has `},
		{"too few keywords", func(c *catalogue.Catalogue) { c.Services[6].Keywords["it"] = c.Services[6].Keywords["it"][:4] },
			`services[6].keywords (` + slugOf(6) + `) has 4 in it`},
		{"a blank keyword", func(c *catalogue.Catalogue) { c.Services[7].Keywords["es"][0] = "" },
			`services[7].keywords[0] (` + slugOf(7) + `) is blank in es`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := decodeDemo(t)
			tt.spoil(c)
			got := missingTranslations(c)
			if len(got) == 0 || !slices.ContainsFunc(got, func(p string) bool { return strings.Contains(p, tt.want) }) {
				t.Errorf("problems %q, want one containing %q", got, tt.want)
			}
		})
	}
	// A list that is empty in every language is not a gap: a service may
	// need no documents.
	c := decodeDemo(t)
	c.Services[0].Documents = catalogue.TextList{}
	for _, l := range catalogue.Languages {
		c.Services[0].Documents[l] = []string{}
	}
	if got := missingTranslations(c); len(got) != 0 {
		t.Errorf("documents empty in every language reported as %q", got)
	}
}

// missingTranslations lists, with their paths in the file, the texts of c
// that lack one of Sportello's languages, the translated lists whose
// languages disagree on how many items they hold, and the services with
// fewer than minKeywords keywords in a language.
func missingTranslations(c *catalogue.Catalogue) []string {
	var out []string
	slug := func(path string) string {
		var i int
		if _, err := fmt.Sscanf(path, "services[%d]", &i); err == nil && i < len(c.Services) {
			return " (" + c.Services[i].Slug + ")"
		}
		return ""
	}
	cataloguetest.Texts(c, func(path string, text catalogue.Text, list catalogue.TextList) {
		where := path + slug(path)
		for _, l := range catalogue.Languages {
			switch {
			case text != nil && strings.TrimSpace(text[l]) == "":
				out = append(out, where+" lacks "+l)
			case list != nil:
				if _, ok := list[l]; !ok {
					out = append(out, where+" lacks "+l)
				}
				for i, item := range list[l] {
					if strings.TrimSpace(item) == "" {
						out = append(out, fmt.Sprintf("%s[%d]%s is blank in %s", path, i, slug(path), l))
					}
				}
			}
		}
		if list == nil {
			return
		}
		if strings.HasSuffix(path, ".keywords") {
			for _, l := range catalogue.Languages {
				if n := len(list[l]); n < minKeywords {
					out = append(out, fmt.Sprintf("%s has %d in %s, want at least %d", where, n, l, minKeywords))
				}
			}
			return
		}
		// Documents and steps say the same things in every language: as
		// many items in each (none in all of them is fine).
		counts := map[int][]string{}
		for _, l := range catalogue.Languages {
			if items, ok := list[l]; ok {
				counts[len(items)] = append(counts[len(items)], l)
			}
		}
		if len(counts) > 1 {
			var parts []string
			for _, l := range catalogue.Languages {
				if items, ok := list[l]; ok {
					parts = append(parts, fmt.Sprintf("%d items in %s", len(items), l))
				}
			}
			out = append(out, where+" has "+strings.Join(parts, ", "))
		}
	})
	return out
}

// decodeDemo is a fresh copy of the demo catalogue to spoil. Plain
// encoding/json is enough (TestDemoIsValid loads it with every check) and
// five times quicker than Parse's line-keeping reader.
func decodeDemo(t *testing.T) *catalogue.Catalogue {
	t.Helper()
	var c catalogue.Catalogue
	if err := json.Unmarshal(catalogue.DemoJSON(), &c); err != nil {
		t.Fatal(err)
	}
	return &c
}

func sameLanguages(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

func firstChoiceField(c *catalogue.Catalogue) *catalogue.Field {
	for i := range c.Services {
		if f := c.Services[i].OnlineForm; f != nil {
			for j := range f.Fields {
				if len(f.Fields[j].Options) > 0 {
					return &f.Fields[j]
				}
			}
		}
	}
	panic("the demo has no form field with options")
}

// The form says what it already says once: an optional field's label does
// not carry its own "(optional)" (the form adds it), and a file field's help
// does not repeat the types and size the form writes beside it.
func TestDemoFormsSayItOnce(t *testing.T) {
	c, err := catalogue.Load(catalogue.DemoJSON())
	if err != nil {
		t.Fatal(err)
	}
	optional := regexp.MustCompile(`(?i)\((optional|opcional|facoltativ[oa]|facultati(f|ve)|optionnel(le)?)\)`)
	size := regexp.MustCompile(`\b\d+ (MB|Mo)\b`)
	for _, s := range c.Services {
		if s.OnlineForm == nil {
			continue
		}
		for _, f := range s.OnlineForm.Fields {
			for lang, label := range f.Label {
				if !f.Required && optional.MatchString(label) {
					t.Errorf("%s, field %s, %s label %q: the form adds (optional) itself", s.Slug, f.Name, lang, label)
				}
			}
			for lang, help := range f.Help {
				if f.Type == "file" && size.MatchString(help) {
					t.Errorf("%s, field %s, %s help %q: the form writes the types and size itself", s.Slug, f.Name, lang, help)
				}
			}
		}
	}
}

// French is written with its own spacing: no ordinary space before : ; ? !
// or », nor after « (cataloguetest.BadFrenchSpacing).
func TestDemoFrenchSpacing(t *testing.T) {
	c := decodeDemo(t)
	check := func(path, s string) {
		if bad := cataloguetest.BadFrenchSpacing(s); bad != "" {
			t.Errorf("%s.fr: an ordinary space in %q", path, bad)
		}
	}
	cataloguetest.Texts(c, func(path string, text catalogue.Text, list catalogue.TextList) {
		check(path, text["fr"])
		for _, s := range list["fr"] {
			check(path, s)
		}
	})
	if cataloguetest.BadFrenchSpacing("Quel âge avez-vous ?") == "" || cataloguetest.BadFrenchSpacing("« poubelle »") == "" {
		t.Error("BadFrenchSpacing lets ordinary spaces through")
	}
	if bad := cataloguetest.BadFrenchSpacing("Quel âge avez-vous\u202f? À 9:00, «\u00a0poubelle\u00a0»\u00a0: oui"); bad != "" {
		t.Errorf("BadFrenchSpacing finds %q in well-spaced French", bad)
	}
}
