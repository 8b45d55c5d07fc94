package forms

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"text/template"
	"time"

	"sportello/catalogue"
)

// validValues makes an answer to every field of form that must pass.
func validValues(t testing.TB, form *catalogue.OnlineForm) (Values, Files) {
	values, files := Values{}, Files{}
	for _, f := range form.Fields {
		set := func(s string) { values[f.Name] = []string{s} }
		switch f.Type {
		case TypeText, TypeTextarea:
			s := "Ana García"
			if f.Pattern != nil {
				s = Example(*f.Pattern)
			}
			if f.MaxLength != nil && len([]rune(s)) > *f.MaxLength {
				s = string([]rune(s)[:*f.MaxLength])
			}
			set(s)
		case TypeEmail:
			set("ana@example.com")
		case TypeTel:
			set("+34 600 000 000")
		case TypeDate:
			// The example a form shows is within the field's range.
			parts := strings.Fields(ExampleDate(&f, today()))
			values[f.Name+"-day"], values[f.Name+"-month"], values[f.Name+"-year"] = parts[:1], parts[1:2], parts[2:]
		case TypeInteger:
			n := 1.0
			if f.Min != nil {
				n = *f.Min
			}
			set(strconv.FormatFloat(n, 'f', -1, 64))
		case TypeMoney:
			n := 120.5
			if f.Min != nil && *f.Min > n {
				n = *f.Min
			}
			if f.Max != nil && *f.Max < n {
				n = *f.Max
			}
			set(strconv.FormatFloat(n, 'f', 2, 64))
		case TypeSelect, TypeRadio:
			set(f.Options[len(f.Options)-1].Value)
		case TypeCheckbox:
			if len(f.Options) == 0 {
				set(CheckedValue)
			} else {
				set(f.Options[0].Value)
			}
		case TypeFile:
			files[f.Name] = []FileInput{fileOf("document", contentFor(t, f.Accept[0]))}
		case TypeLocation:
			values[f.Name+"-line1"], values[f.Name+"-line2"] = []string{"Carrer Major"}, []string{"outside number 12"}
		case TypeAddress:
			values[f.Name+"-line1"], values[f.Name+"-town"], values[f.Name+"-postcode"] = []string{"Carrer Major 1"}, []string{"Porta Nova"}, []string{"08800"}
		case TypeVehicleRegistration:
			set("1234 bcd")
		default:
			t.Fatalf("no valid answer for type %s", f.Type)
		}
	}
	return values, files
}

// TestDemoCatalogueForms runs every form of the demo catalogue with valid
// answers, which must pass and come back typed, and with nothing, which must
// fail exactly on the required fields.
func TestDemoCatalogueForms(t *testing.T) {
	c, err := catalogue.Load(catalogue.DemoJSON())
	if err != nil {
		t.Fatal(err)
	}
	val := NewValidator(Options{Currency: c.Authority.Currency, MaxFileSize: 50 << 20})
	ctx := context.Background()
	forms, types := 0, map[string]bool{}
	for i := range c.Services {
		s := &c.Services[i]
		if s.OnlineForm == nil {
			continue
		}
		forms++
		t.Run(s.Slug, func(t *testing.T) {
			values, files := validValues(t, s.OnlineForm)
			res, err := val.Validate(ctx, s.OnlineForm, values, files)
			if err != nil {
				t.Fatal(err)
			}
			if !res.OK() {
				t.Fatalf("valid answers rejected: %v", res.Errors)
			}
			nfiles := 0
			for j, f := range s.OnlineForm.Fields {
				types[f.Type] = true
				a := res.Answers[j]
				if a.Field != f.Name || a.Type != f.Type || a.Empty() {
					t.Errorf("answer %d = %+v, want a filled answer to %s", j, a, f.Name)
				}
				nfiles += len(a.Files)
			}
			if len(res.Files) != nfiles {
				t.Errorf("%d accepted files for %d in answers", len(res.Files), nfiles)
			}
			if _, err := json.Marshal(res.Answers); err != nil {
				t.Errorf("answers do not serialise: %v", err)
			}

			empty, err := val.Validate(ctx, s.OnlineForm, Values{}, Files{})
			if err != nil {
				t.Fatal(err)
			}
			var got, want []string
			for _, f := range s.OnlineForm.Fields {
				if f.Required {
					want = append(want, f.Name)
				}
			}
			for _, e := range empty.Errors {
				if len(got) > 0 && got[len(got)-1] == e.Field {
					continue // an address's parts
				}
				got = append(got, e.Field)
				if !strings.HasPrefix(e.Key, "form.error.required") && e.Key != KeyAddressLine1 && e.Key != KeyPostcode && e.Key != KeyLocation {
					t.Errorf("empty %s: key %s, want a required key", e.Field, e.Key)
				}
			}
			if !slices.Equal(got, want) {
				t.Errorf("empty answers: errors on %v, want on the required fields %v", got, want)
			}
		})
	}
	if forms < 100 {
		t.Errorf("only %d forms in the demo catalogue", forms)
	}
	for _, typ := range catalogue.FieldTypes {
		if !types[typ] {
			t.Errorf("the demo catalogue has no %s field, so it was not tried", typ)
		}
	}
}

// TestMessages checks forms.<lang>.json: every key in every language, the
// same placeholders everywhere, and each error message renders with the
// arguments Validate gives it.
func TestMessages(t *testing.T) {
	langs := []string{"en", "es", "ca", "it", "fr"}
	files := map[string]map[string]string{}
	for _, lang := range langs {
		files[lang] = map[string]string{}
		// The location's coordinates are the reports' (reports.<lang>.json).
		for _, area := range []string{"forms", "reports"} {
			b, err := os.ReadFile(filepath.Join("..", "..", "portal", "web", "locales", area+"."+lang+".json"))
			if err != nil {
				t.Fatal(err)
			}
			var m map[string]any
			if err := json.Unmarshal(b, &m); err != nil {
				t.Fatalf("%s.%s.json: %v", area, lang, err)
			}
			for k, v := range m {
				if s, ok := v.(string); ok && (area == "forms" || strings.HasPrefix(k, "form.")) {
					files[lang][k] = s
				}
			}
		}
	}
	need := slices.Clone(ErrorKeys)
	need = append(need, KeyNotProvided, KeyDeclared, KeyDateFormat, KeyFileSizeKB, KeyFileSizeMB, KeyFileListing)
	for m := 1; m <= 12; m++ {
		need = append(need, KeyMonthPrefix+strconv.Itoa(m))
	}
	for _, p := range []string{"line1", "line2", "town", "postcode"} {
		need = append(need, KeyAddressPart+p)
	}
	need = append(need, KeyLocationPart+"line1", KeyLocationPart+"line2", KeyLocationPart+"lat", KeyLocationPart+"lng", KeyLocationPin)
	for _, p := range []string{"day", "month", "year"} {
		need = append(need, KeyDatePart+p)
	}
	for _, k := range need {
		if _, ok := files["en"][k]; !ok {
			t.Errorf("forms.en.json lacks %s", k)
		}
	}
	placeholder := regexp.MustCompile(`{{\s*\.(\w+)\s*}}`)
	args := map[string]any{"MaxLength": 5, "Length": 6, "Example": "PN12345678", "Min": "1", "Max": "20", "Currency": "EUR",
		"Name": "plan.pdf", "Types": "PDF, JPG", "MaxMB": "10", "Day": "27", "Month": "March", "Year": "2026", "Size": "12", "Lat": "41.219", "Lng": "1.726"}
	for k, en := range files["en"] {
		wantPH := placeholder.FindAllString(en, -1)
		slices.Sort(wantPH)
		for _, lang := range langs {
			msg, ok := files[lang][k]
			if !ok {
				t.Errorf("forms.%s.json lacks %s, which English has", lang, k)
				continue
			}
			got := placeholder.FindAllString(msg, -1)
			slices.Sort(got)
			if !slices.Equal(got, wantPH) {
				t.Errorf("%s %s has placeholders %v, English %v", lang, k, got, wantPH)
			}
			tmpl, err := template.New(k).Option("missingkey=error").Parse(msg)
			if err != nil {
				t.Errorf("%s %s: %v", lang, k, err)
				continue
			}
			if err := tmpl.Execute(&strings.Builder{}, args); err != nil {
				t.Errorf("%s %s: %v", lang, k, err)
			}
		}
	}
	for _, lang := range langs {
		for k := range files[lang] {
			if _, ok := files["en"][k]; !ok {
				t.Errorf("forms.%s.json has %s, which English lacks", lang, k)
			}
		}
	}
}

func TestDisplay(t *testing.T) {
	messages := map[string]string{}
	b, err := os.ReadFile(filepath.Join("..", "..", "portal", "web", "locales", "forms.ca.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &messages); err != nil {
		t.Fatal(err)
	}
	tr := func(lang, key string, pairs ...any) string {
		data := map[string]any{}
		for i := 0; i+1 < len(pairs); i += 2 {
			data[pairs[i].(string)] = pairs[i+1]
		}
		var sb strings.Builder
		template.Must(template.New(key).Parse(messages[key])).Execute(&sb, data)
		return sb.String()
	}
	d := Display{Lang: "ca", Fallback: "en", T: tr}
	n := int64(120050)
	tests := []struct {
		a    Answer
		want []string
	}{
		{Answer{Type: TypeDate, Text: "2026-04-07"}, []string{"7 d’abril de 2026"}},
		{Answer{Type: TypeMoney, Number: &n, Currency: "EUR"}, []string{"1200.50 EUR"}},
		{Answer{Type: TypeCheckbox, Checked: true}, []string{"Confirmat"}},
		{Answer{Type: TypeSelect, Text: "paper", Choices: []Choice{{Value: "paper", Label: catalogue.Text{"en": "Paper", "ca": "Paper i cartró"}}}}, []string{"Paper i cartró"}},
		{Answer{Type: TypeCheckbox, Choices: []Choice{{Value: "a", Label: en("A")}, {Value: "b", Label: en("B")}}}, []string{"A", "B"}},
		{Answer{Type: TypeAddress, Address: &Address{Line1: "Carrer Major 1", Town: "Porta Nova", Postcode: "08800"}}, []string{"Carrer Major 1", "08800 Porta Nova"}},
		{Answer{Type: TypeFile, Files: []FileRef{{Name: "a.pdf", Size: 2500}, {Name: "b.jpg", Size: 3 << 20}}}, []string{"a.pdf (3 KB)", "b.jpg (3 MB)"}},
		{Answer{Type: TypeFile, Files: []FileRef{{Name: "c.jpg", Size: 1<<20 + 1<<19}}}, []string{"c.jpg (1,5 MB)"}},
		{Answer{Type: TypeTextarea, Text: "one\ntwo"}, []string{"one", "two"}},
		{Answer{Type: TypeText}, []string{"No indicat"}},
	}
	for _, tt := range tests {
		if got := d.Answer(&tt.a); !slices.Equal(got, tt.want) {
			t.Errorf("Display(%+v) = %q, want %q", tt.a, got, tt.want)
		}
	}
}

// today is the day the tests run, as the validator sees it.
func today() time.Time {
	y, m, d := time.Now().UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
