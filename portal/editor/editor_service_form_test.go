package editor

import (
	"encoding/json"
	"net/url"
	"reflect"
	"slices"
	"testing"

	"sportello/catalogue"
)

func testT(key string, _ ...any) string { return key }

// Opening a service in the editor and saving it unchanged gives back the
// same service, for every service of the demo catalogue.
func TestServiceFormRoundTrip(t *testing.T) {
	cat, err := catalogue.Load(catalogue.DemoJSON())
	if err != nil {
		t.Fatal(err)
	}
	for i := range cat.Services {
		want := &cat.Services[i]
		v := serviceValues(want, cat.Authority.Languages)
		got, probs := decodeService(v, cat.Authority.Languages, "en", "EUR", testT)
		if len(probs) > 0 {
			t.Fatalf("%s: %v", want.Slug, probs)
		}
		a, _ := json.Marshal(want)
		b, _ := json.Marshal(got)
		if string(a) != string(b) {
			changes, _ := diffDocs(a, b)
			t.Errorf("%s changed by a round trip through the form: %+v", want.Slug, changes)
		}
	}
}

func TestServiceFormParseProblems(t *testing.T) {
	v := url.Values{"slug": {"x"}, "fee.amount": {"twelve"}, "processing_time_days": {"3.5"},
		"online_form.count": {"1"}, "online_form.fields[0].max": {"lots"}}
	s, probs := decodeService(v, []string{"en"}, "en", "EUR", testT)
	if s != nil {
		t.Fatal("a form with unreadable numbers decoded")
	}
	var paths []string
	for _, p := range probs {
		paths = append(paths, p.Path)
	}
	for _, want := range []string{"fee.amount", "processing_time_days", "online_form.fields[0].max"} {
		if !slices.Contains(paths, want) {
			t.Errorf("no problem at %s, got %v", want, paths)
		}
	}
}

func TestFormBuilderActions(t *testing.T) {
	base := &catalogue.Service{Slug: "x", OnlineForm: &catalogue.OnlineForm{Fields: []catalogue.Field{
		{Name: "a", Type: "text", Label: catalogue.Text{"en": "A"}},
		{Name: "b", Type: "select", Label: catalogue.Text{"en": "B"}, Options: []catalogue.Option{{Value: "1", Label: catalogue.Text{"en": "One"}}}},
		{Name: "c", Type: "date", Label: catalogue.Text{"en": "C"}},
	}}}
	names := func(v url.Values) []string {
		s, probs := decodeService(v, []string{"en"}, "en", "EUR", testT)
		if len(probs) > 0 {
			t.Fatal(probs)
		}
		var out []string
		if s.OnlineForm == nil {
			return out
		}
		for _, f := range s.OnlineForm.Fields {
			out = append(out, f.Name+":"+f.Type+":"+f.Label["en"])
		}
		return out
	}
	for _, tc := range []struct {
		actions []string
		want    []string
	}{
		{[]string{"down:0"}, []string{"b:select:B", "a:text:A", "c:date:C"}},
		{[]string{"up:2"}, []string{"a:text:A", "c:date:C", "b:select:B"}},
		{[]string{"up:0"}, []string{"a:text:A", "b:select:B", "c:date:C"}},
		{[]string{"remove_field:1"}, []string{"a:text:A", "c:date:C"}},
		{[]string{"add_field"}, []string{"a:text:A", "b:select:B", "c:date:C", ":text:"}},
		{[]string{"remove_field:0", "remove_field:0", "remove_field:0"}, nil},
	} {
		v := serviceValues(base, []string{"en"})
		for _, a := range tc.actions {
			if !formAction(v, a) {
				t.Fatalf("%v: action %s refused", tc.actions, a)
			}
		}
		if got := names(v); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%v: fields %v, want %v", tc.actions, got, tc.want)
		}
	}
	// Options move with their field, and an added option row left empty
	// is dropped.
	v := serviceValues(base, []string{"en"})
	formAction(v, "add_option:1")
	formAction(v, "up:1")
	s, _ := decodeService(v, []string{"en"}, "en", "EUR", testT)
	if got := s.OnlineForm.Fields[0]; got.Name != "b" || len(got.Options) != 1 || got.Options[0].Label["en"] != "One" {
		t.Errorf("after moving, field 0 = %+v", got)
	}
	for _, bad := range []string{"remove_field:9", "up:x", "explode:1", ""} {
		if formAction(serviceValues(base, []string{"en"}), bad) {
			t.Errorf("action %q accepted", bad)
		}
	}
}

func TestProblemTarget(t *testing.T) {
	names := map[string]bool{"title.en": true, "steps.en": true, "related": true, "online_form.fields[2].options[0].label.es": true}
	for path, want := range map[string]string{
		"title.en":    "title.en",
		"steps.en[3]": "steps.en",
		"related[1]":  "related",
		"online_form.fields[2].options[0].label.es": "online_form.fields[2].options[0].label.es",
		"fee.currency": "",
		"":             "",
	} {
		if got := problemTarget(path, names); got != want {
			t.Errorf("problemTarget(%q) = %q, want %q", path, got, want)
		}
	}
}

func TestWordDiff(t *testing.T) {
	parts := wordDiff("Tell us if your bin was not emptied", "Tell us when your bin was not collected")
	var del, ins, kept string
	for _, p := range parts {
		switch p.Op {
		case "-":
			del += p.Text
		case "+":
			ins += p.Text
		default:
			kept += p.Text
		}
	}
	if del != "ifemptied" || ins != "whencollected" || kept != "Tell us  your bin was not " {
		t.Errorf("diff: kept %q, removed %q, added %q", kept, del, ins)
	}
	changes, err := diffDocs([]byte(`{"a":{"en":"x"},"n":[1,2],"same":"s"}`), []byte(`{"a":{"en":"y"},"n":[1],"same":"s"}`))
	if err != nil || len(changes) != 2 || changes[0].Path != "a.en" || changes[1].Path != "n[1]" {
		t.Errorf("diffDocs = %+v, %v", changes, err)
	}
}
