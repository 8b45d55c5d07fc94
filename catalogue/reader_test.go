package catalogue

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// readFile reads data, written to a file, with a Reader, and returns the
// services it handed over and its error.
func readFile(t *testing.T, data []byte) (*Reader, []Service, error) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "catalogue.json")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	rd, err := ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	var got []Service
	err = rd.Services(func(s *Service) error {
		got = append(got, *s)
		return nil
	})
	return rd, got, err
}

// encoded is the demo, broken by change, as a file.
func encoded(t *testing.T, change func(c *Catalogue)) []byte {
	t.Helper()
	c := demo(t)
	change(c)
	data, err := Encode(c)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// The Reader finds exactly the problems Load finds, in the same order and
// at the same lines, whatever the file: it is what `sportello import`
// reads with, and the editor's upload form reads with Load.
func TestReaderFindsWhatLoadFinds(t *testing.T) {
	demoJSON := DemoJSON()
	replace := func(old, new string) []byte {
		if !bytes.Contains(demoJSON, []byte(old)) {
			t.Fatalf("%q is not in the demo", old)
		}
		return bytes.Replace(demoJSON, []byte(old), []byte(new), 1)
	}
	// Services first, before the topics and questions they refer to.
	servicesFirst := func() []byte {
		i := bytes.Index(demoJSON, []byte(`  "services": [`))
		j := bytes.Index(demoJSON, []byte(`  "journeys": [`))
		k := bytes.Index(demoJSON, []byte(`  "topics": [`))
		var b []byte
		b = append(b, demoJSON[:k]...)
		b = append(b, demoJSON[i:j]...)
		b = append(b, demoJSON[k:i]...)
		return append(b, demoJSON[j:]...)
	}
	tests := []struct {
		name string
		data []byte
	}{
		{"demo", demoJSON},
		{"services before the topics", servicesFirst()},
		{"services before the topics, one broken", bytes.Replace(servicesFirst(), []byte(`"topic": "waste-recycling"`), []byte(`"topic": "no-such-topic"`), 1)},
		{"problems in services 3 and 7", encoded(t, func(c *Catalogue) {
			c.Services[3].Topic = "no-such-topic"
			c.Services[7].Channels = append(c.Services[7].Channels, "fax")
		})},
		{"duplicate slug, first and last", encoded(t, func(c *Catalogue) { c.Services[len(c.Services)-1].Slug = c.Services[0].Slug })},
		{"related to no service", encoded(t, func(c *Catalogue) { c.Services[5].Related = append(c.Services[5].Related, "no-such-service") })},
		{"journey to no service", encoded(t, func(c *Catalogue) { c.Journeys[0].Steps[0].Services = []string{"no-such-service"} })},
		{"business type to no service", encoded(t, func(c *Catalogue) { c.BusinessTypes[0].Steps[0].Services[0].Service = "no-such-service" })},
		{"currency", encoded(t, func(c *Catalogue) { c.Authority.Currency = "XYZ" })},
		{"language", encoded(t, func(c *Catalogue) { c.Authority.Languages = append(c.Authority.Languages, "de") })},
		{"broken rule", encoded(t, func(c *Catalogue) { c.Services[20].EligibilityRule = ptr("age >") })},
		{"type and content problems", bytes.Replace(replace(`"processing_time_days": 2,`, `"processing_time_days": "two",`), []byte(`"topic": "waste-recycling"`), []byte(`"topic": "no-such-topic"`), 1)},
		{"wrong types", bytes.Replace(replace(`"amount": 2500,`, `"amount": 12.5,`), []byte(`"format": "sportello-catalogue/1"`), []byte(`"format": 1`), 1)},
		{"a service not an object", replace(`{
      "slug": "order-a-new-bin"`, `"order-a-new-bin", {
      "slug": "order-a-new-bin-2"`)},
		{"slug of the wrong type", replace(`"slug": "order-a-new-bin"`, `"slug": 12`)},
		{"slug in capitals", replace(`"slug": "order-a-new-bin"`, `"SLUG": "order-a-new-bin"`)},
		{"unknown member", replace(`"topic": "waste-recycling",`, `"topik": "waste-recycling",`)},
		{"services not a list", []byte(`{"format": "sportello-catalogue/1", "services": {"slug": "x"}}`)},
		{"no services", []byte(`{"format": "sportello-catalogue/1"}`)},
		{"a list", []byte(`[]`)},
		{"empty", []byte(" \n")},
		{"cut short", demoJSON[:len(demoJSON)/2]},
		{"two documents", append(slices.Clone(demoJSON), "\n{}"...)},
		{"missing comma", replace(`"es": "Ayuntamiento de Porta Nova",`, `"es": "Ayuntamiento de Porta Nova"`)},
		{"too deep", replace(`"fee": null,`, `"fee": `+strings.Repeat("[", 40)+strings.Repeat("]", 40)+`,`)},
		{"a huge title", replace(`"en": "Report a missed bin collection"`, `"en": "`+strings.Repeat("x", 100<<10)+`"`)},
		{"every service broken", append(append([]byte(`{"format": "sportello-catalogue/1", "services": [`), bytes.Repeat([]byte(`1,`), 1000)...), "1]}"...)},
		{"many content problems", encoded(t, func(c *Catalogue) {
			for i := range c.Services {
				c.Services[i].Topic, c.Services[i].Department = "", ""
			}
		})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want, loadErr := Load(tt.data)
			_, got, err := readFile(t, tt.data)
			if loadErr == nil {
				if err != nil {
					t.Fatalf("Load accepts the file, the Reader says:\n%v", err)
				}
				if !reflect.DeepEqual(got, want.Services) {
					t.Errorf("the Reader handed over %d services, not those Load read (%d)", len(got), len(want.Services))
				}
				return
			}
			var wantVE, gotVE *ValidationError
			if !errors.As(loadErr, &wantVE) || !errors.As(err, &gotVE) {
				t.Fatalf("Load: %v\nReader: %v", loadErr, err)
			}
			if !reflect.DeepEqual(gotVE.Problems, wantVE.Problems) {
				t.Errorf("the Reader found:\n%v\nLoad found:\n%v", gotVE, wantVE)
			}
		})
	}
}

// Problems in several services are all reported, each at its path; once
// there is one, no further service is handed over to be written.
func TestReaderReportsProblemsAcrossServices(t *testing.T) {
	data := encoded(t, func(c *Catalogue) {
		c.Services[3].Audience = []string{"tourist"}
		c.Services[7].Topic = "no-such-topic"
	})
	_, got, err := readFile(t, data)
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("Services: %v, want a *ValidationError", err)
	}
	var paths []string
	for _, p := range ve.Problems {
		paths = append(paths, p.Path)
	}
	if want := []string{"services[3].audience[0]", "services[7].topic"}; !slices.Equal(paths, want) {
		t.Errorf("problems at %v, want %v:\n%v", paths, want, err)
	}
	if len(got) != 3 {
		t.Errorf("%d services handed over, want the 3 before the first problem", len(got))
	}

	// A duplicate of the first slug in the last service is known from the
	// first reading (reported before any service's own problems, as Load
	// does): no service is handed over at all.
	data = encoded(t, func(c *Catalogue) { c.Services[len(c.Services)-1].Slug = c.Services[0].Slug })
	_, got, err = readFile(t, data)
	if !errors.As(err, &ve) || ve.Problems[0].Path != "services[131].slug" ||
		!strings.Contains(ve.Problems[0].Message, "is already the slug of services[0]") {
		t.Errorf("Services: %v, want the duplicate slug at services[131].slug", err)
	}
	if len(got) != 0 {
		t.Errorf("%d services handed over from a file with a duplicate slug", len(got))
	}

	// A type problem in the last service, found by the first reading, and
	// a content problem in the first, by the second.
	data = bytes.Replace(encoded(t, func(c *Catalogue) {
		c.Services[0].Topic = "no-such-topic"
		c.Services[len(c.Services)-1].ProcessingTimeDays = ptr(987654)
	}), []byte(`"processing_time_days": 987654`), []byte(`"processing_time_days": "soon"`), 1)
	rd, got, err := readFile(t, data)
	paths = nil
	if errors.As(err, &ve) {
		for _, p := range ve.Problems {
			paths = append(paths, p.Path)
		}
	}
	if want := []string{"services[131].processing_time_days", "services[0].topic"}; !slices.Equal(paths, want) {
		t.Errorf("problems at %v, want %v:\n%v", paths, want, err)
	}
	if len(got) != 0 || rd.Clean() {
		t.Errorf("%d services handed over, Clean %v, from a file known to be wrong from the start", len(got), rd.Clean())
	}
}

// The file changing between the two readings is an error, not a file
// imported half from one version and half from the other.
func TestReaderNoticesAChangedFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "catalogue.json")
	if err := os.WriteFile(path, DemoJSON(), 0o644); err != nil {
		t.Fatal(err)
	}
	rd, err := ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	changed := bytes.Replace(DemoJSON(), []byte(`"phone": "+34 `), []byte(`"phone": "+39 `), 1)
	if bytes.Equal(changed, DemoJSON()) {
		t.Fatal("the change changed nothing")
	}
	if err := os.WriteFile(path, changed, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := rd.Services(func(*Service) error { return nil }); !errors.Is(err, errChanged) {
		t.Errorf("Services after the file changed: %v, want %v", err, errChanged)
	}
}

// yield's error stops the reading and comes back as it is.
func TestReaderReturnsYieldsError(t *testing.T) {
	path := filepath.Join(t.TempDir(), "catalogue.json")
	if err := os.WriteFile(path, DemoJSON(), 0o644); err != nil {
		t.Fatal(err)
	}
	rd, err := ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	stop := errors.New("the database is gone")
	n := 0
	err = rd.Services(func(*Service) error {
		if n++; n == 5 {
			return stop
		}
		return nil
	})
	if err != stop || n != 5 {
		t.Errorf("Services = %v after %d services, want %v after 5", err, n, stop)
	}
}
