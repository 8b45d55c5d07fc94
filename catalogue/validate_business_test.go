package catalogue

import (
	"errors"
	"strings"
	"testing"
)

// Each case breaks the demo's business types (business_types[0] is
// open-a-restaurant: questions sells_food, sells_alcohol, outdoor_seating
// and sign; six steps, the fifth with two services) and expects these
// problems, each a path and the start of its message.
func TestValidateBusinessTypes(t *testing.T) {
	allLangs := func(s string) Text { return Text{"en": s, "es": s, "ca": s, "it": s, "fr": s} }
	tests := []struct {
		name   string
		break_ func(b []BusinessType) []BusinessType
		want   []Problem
	}{
		{"unknown service", func(b []BusinessType) []BusinessType {
			b[0].Steps[2].Services[0].Service = "food-licence"
			return b
		}, []Problem{{"business_types[0].steps[2].services[0].service", 0, `"food-licence" is not the slug of any of the catalogue's services; check the spelling or add it`}}},
		{"a service twice", func(b []BusinessType) []BusinessType {
			b[0].Steps[5].Services = append(b[0].Steps[5].Services, BusinessPermit{Service: "start-trading-declaration"})
			return b
		}, []Problem{{"business_types[0].steps[5].services[1].service", 0, `"start-trading-declaration" is already listed at steps[1].services[0]; list each service once in a business type`}}},
		{"duplicate slug", func(b []BusinessType) []BusinessType { return append(b, b[0]) },
			[]Problem{{"business_types[6].slug", 0, `"open-a-restaurant" is already the slug of business_types[0]; slugs must be unique`}}},
		{"duplicate question key", func(b []BusinessType) []BusinessType {
			b[0].Questions = append(b[0].Questions, b[0].Questions[0])
			return b
		}, []Problem{{"business_types[0].questions[4].key", 0, `"sells_food" is already the key of questions[0]; keys must be unique within a business type`}}},
		{"key not a name", func(b []BusinessType) []BusinessType {
			b[0].Questions = append(b[0].Questions, BusinessQuestion{Key: "Sells-Beer", Text: allLangs("Beer?")})
			return b
		}, []Problem{{"business_types[0].questions[4].key", 0, `"Sells-Beer" must start with a lowercase letter`}}},
		{"key the finder's links use", func(b []BusinessType) []BusinessType {
			b[0].Questions[0].Key = "lang"
			b[0].Steps[2].Services[0].If = "lang"
			return b
		}, []Problem{
			{"business_types[0].questions[0].key", 0, `"lang" is a word the permit finder's links use for themselves (what, lang)`},
			{"business_types[0].steps[2].services[0].if", 0, `"lang" is not the key of any of this business type's questions; use one of "lang", "sells_alcohol"`},
		}},
		{"condition on a question not asked", func(b []BusinessType) []BusinessType {
			b[0].Steps[3].Services[0].If = "sells_beer"
			return b
		}, []Problem{
			{"business_types[0].steps[3].services[0].if", 0, `"sells_beer" is not the key of any of this business type's questions`},
			{"business_types[0].questions[1]", 0, `"sells_alcohol" decides no service: no step names it in "if"`},
		}},
		{"a question that decides nothing", func(b []BusinessType) []BusinessType {
			b[0].Questions = append(b[0].Questions, BusinessQuestion{Key: "heated_terrace", Text: allLangs("Heaters?")})
			return b
		}, []Problem{{"business_types[0].questions[4]", 0, `"heated_terrace" decides no service`}}},
		{"question without its default-language text", func(b []BusinessType) []BusinessType {
			delete(b[0].Questions[2].Text, "en")
			return b
		}, []Problem{{"business_types[0].questions[2].text.en", 0, `is missing or empty; every text needs one in the default language "en"`}}},
		{"question without one translation", func(b []BusinessType) []BusinessType {
			delete(b[0].Questions[2].Text, "fr")
			return b
		}, []Problem{{"business_types[0].questions[2].text.fr", 0, `is missing, but the business type has title, summary, questions[0].text`}}},
		{"step with several services and no title", func(b []BusinessType) []BusinessType {
			b[0].Steps[4].Title = nil
			return b
		}, []Problem{{"business_types[0].steps[4].title", 0, `is missing; a step with several services needs a title`}}},
		{"no steps", func(b []BusinessType) []BusinessType {
			b[5].Steps = nil
			return b
		}, []Problem{{"business_types[5].steps", 0, `must have at least one step`}}},
		{"step without services", func(b []BusinessType) []BusinessType {
			b[0].Steps[0].Services = nil
			return b
		}, []Problem{{"business_types[0].steps[0].services", 0, `must list at least one service`}}},
		{"no title", func(b []BusinessType) []BusinessType {
			b[1].Title = nil
			return b
		}, []Problem{{"business_types[1].title", 0, `is missing; give at least the en text`}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := demo(t)
			c.BusinessTypes = tt.break_(c.BusinessTypes)
			var ve *ValidationError
			if err := Validate(c); !errors.As(err, &ve) {
				t.Fatalf("Validate = %v, want a *ValidationError", err)
			}
			if len(ve.Problems) != len(tt.want) {
				t.Fatalf("problems:\n%s\nwant %d", ve, len(tt.want))
			}
			for i, p := range ve.Problems {
				if p.Path != tt.want[i].Path || !strings.HasPrefix(p.Message, tt.want[i].Message) {
					t.Errorf("problem %d:\n%s\nwant:\n%s…", i, p, tt.want[i])
				}
			}
		})
	}
}

// On import, a business type's values of the wrong type are reported with
// their JSON path and line, like every other member's.
func TestLoadReportsBusinessTypeMembersOfTheWrongType(t *testing.T) {
	file := strings.Replace(string(DemoJSON()), `"if": "sells_food"`, `"if": true`, 1)
	_, err := Load([]byte(file))
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("Load = %v, want a *ValidationError", err)
	}
	p := ve.Problems[0]
	if p.Path != "business_types[0].steps[2].services[0].if" || p.Line == 0 || !strings.HasPrefix(p.Message, "must be a string") {
		t.Errorf("problems:\n%s", ve)
	}
}

// A catalogue without business types is valid: its permit finder has
// nothing to offer, and the rest of the site works.
func TestBusinessTypesAreOptional(t *testing.T) {
	c := demo(t)
	c.BusinessTypes = nil
	if err := Validate(c); err != nil {
		t.Fatal(err)
	}
}
