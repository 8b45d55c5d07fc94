package catalogue

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
)

func TestEncodeRoundTrip(t *testing.T) {
	c := demo(t)
	out, err := Encode(c)
	if err != nil {
		t.Fatal(err)
	}
	again, err := Load(out)
	if err != nil {
		t.Fatalf("the export does not load: %v", err)
	}
	if !reflect.DeepEqual(again, c) {
		t.Fatal("parse, encode, parse differs from parse")
	}
	twice, _ := Encode(again)
	if !bytes.Equal(out, twice) {
		t.Error("encoding is not stable: a second round trip wrote different bytes")
	}
	if bytes.Contains(out, []byte(`\u003c`)) || bytes.Contains(out, []byte(`\u0026`)) {
		t.Error("Encode escaped HTML characters; Markdown must stay readable")
	}
	// The demo file itself differs in one known way: 25 form fields put
	// "help" after min/max/max_length/pattern/options, where the Field
	// struct puts it before. Everything else is byte for byte.
	file := DemoJSON()
	if bytes.Equal(out, file) {
		t.Log("Encode(Parse(demo)) is byte-identical to the demo")
	} else {
		t.Logf("Encode(Parse(demo)) is %d bytes, the demo %d: see the comment above for why they differ", len(out), len(file))
	}
	if got, want := bytes.Count(out, []byte("\n")), bytes.Count(file, []byte("\n")); got != want {
		t.Errorf("the export has %d lines, the demo %d; only key order and null processing times should differ", got, want)
	}
}

func TestTextKeyOrder(t *testing.T) {
	text := Text{"fr": "F", "de": "D", "en": "E <b>&", "ab": "A", "ca": "C"}
	out, err := Encode(&Catalogue{Authority: Authority{Name: text}})
	if err != nil {
		t.Fatal(err)
	}
	want := `"name": {
      "en": "E <b>&",
      "ca": "C",
      "fr": "F",
      "ab": "A",
      "de": "D"
    }`
	if !bytes.Contains(out, []byte(want)) {
		t.Errorf("Encode wrote:\n%s\nwant it to contain:\n%s", out, want)
	}
	// json.Marshal keeps its HTML escaping, and the order.
	m, err := json.Marshal(text)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"en":"E \u003cb\u003e\u0026","ca":"C","fr":"F","ab":"A","de":"D"}`; string(m) != want {
		t.Errorf("json.Marshal(Text) = %s, want %s", m, want)
	}
	list, _ := json.Marshal(TextList{"es": {"b"}, "en": {}, "it": nil})
	if want := `{"en":[],"es":["b"],"it":null}`; string(list) != want {
		t.Errorf("json.Marshal(TextList) = %s, want %s", list, want)
	}
	var nilText Text
	if b, _ := json.Marshal(struct{ T Text }{nilText}); string(b) != `{"T":null}` {
		t.Errorf("nil Text encodes as %s, want null", b)
	}
}

func TestDirectoryLookups(t *testing.T) {
	c := demo(t)
	plain := &Directory{Topics: c.Topics, Departments: c.Departments, LifeEvents: c.LifeEvents, Journeys: c.Journeys}
	for i := range c.Services {
		plain.Services = append(plain.Services, c.Services[i].Summarise())
	}
	indexed := *plain
	indexed.BuildIndex()
	for name, d := range map[string]*Directory{"scanning": plain, "indexed": &indexed} {
		t.Run(name, func(t *testing.T) {
			if tp, ok := d.Topic("housing"); !ok || tp.Slug != "housing" {
				t.Errorf("Topic(housing) = %v, %v", tp, ok)
			}
			if _, ok := d.Topic("nope"); ok {
				t.Error("Topic(nope) found something")
			}
			if dp, ok := d.Department(c.Departments[2].Slug); !ok || dp.Slug != c.Departments[2].Slug {
				t.Errorf("Department = %v, %v", dp, ok)
			}
			if j, ok := d.Journey(c.Journeys[3].Slug); !ok || j.Slug != c.Journeys[3].Slug {
				t.Errorf("Journey = %v, %v", j, ok)
			}
			if s, ok := d.Service(c.Services[100].Slug); !ok || s.Slug != c.Services[100].Slug {
				t.Errorf("Service = %v, %v", s, ok)
			}
			var want []string
			for _, s := range c.Services {
				if s.Topic == "housing" {
					want = append(want, s.Slug)
				}
			}
			var got []string
			for _, s := range d.ServicesByTopic("housing") {
				got = append(got, s.Slug)
			}
			if len(want) == 0 || !reflect.DeepEqual(got, want) {
				t.Errorf("ServicesByTopic(housing) = %v, want %v", got, want)
			}
			event := c.LifeEvents[0].Slug
			want, got = nil, nil
			for _, s := range c.Services {
				for _, e := range s.LifeEvents {
					if e == event {
						want = append(want, s.Slug)
					}
				}
			}
			for _, s := range d.ServicesByLifeEvent(event) {
				got = append(got, s.Slug)
			}
			if len(want) == 0 || !reflect.DeepEqual(got, want) {
				t.Errorf("ServicesByLifeEvent(%s) = %v, want %v", event, got, want)
			}
		})
	}
}
