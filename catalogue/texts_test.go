package catalogue

import (
	"slices"
	"testing"
)

// MissingLanguages finds a language an entry lacks in any of its texts,
// however deep, and takes a text left empty in every language for no gap.
func TestMissingLanguages(t *testing.T) {
	c := demo(t)
	langs := []string{"en", "es", "ca", "it", "fr"}
	for i := range c.Services {
		if got := MissingLanguages(&c.Services[i], langs); got != nil {
			t.Fatalf("%s lacks %v in the demo, which is complete", c.Services[i].Slug, got)
		}
	}
	formService := func(c *Catalogue) *Service {
		for i := range c.Services {
			if f := c.Services[i].OnlineForm; f != nil && len(f.Fields) > 1 && len(f.Fields[1].Options) > 0 {
				return &c.Services[i]
			}
		}
		t.Fatal("no service with a form whose second field has options")
		return nil
	}
	tests := []struct {
		name  string
		entry func(c *Catalogue) any
		want  []string
	}{
		{"a title", func(c *Catalogue) any { delete(c.Services[0].Title, "it"); return &c.Services[0] }, []string{"it"}},
		{"a blank summary", func(c *Catalogue) any { c.Services[0].Summary["fr"] = " "; return &c.Services[0] }, []string{"fr"}},
		{"a form option, and a step list", func(c *Catalogue) any {
			s := formService(c)
			delete(s.OnlineForm.Fields[1].Options[0].Label, "ca")
			s.Steps["es"] = nil
			return s
		}, []string{"es", "ca"}},
		{"a journey's step", func(c *Catalogue) any { delete(c.Journeys[0].Steps[1].Title, "it"); return &c.Journeys[0] }, []string{"it"}},
		{"a text empty in every language", func(c *Catalogue) any {
			c.Services[0].LegalBasis = Text{"en": "", "es": ""}
			c.Services[0].Documents = TextList{"en": {}}
			return &c.Services[0]
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := MissingLanguages(tt.entry(demo(t)), langs); !slices.Equal(got, tt.want) {
				t.Errorf("MissingLanguages = %v, want %v", got, tt.want)
			}
		})
	}
}
