package catalogue

import (
	"bytes"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// replaceFirst replaces the first old in the demo and returns the file and
// the line old was on.
func replaceFirst(t *testing.T, old, new string) ([]byte, int) {
	t.Helper()
	data := DemoJSON()
	i := bytes.Index(data, []byte(old))
	if i < 0 {
		t.Fatalf("%q is not in the demo", old)
	}
	line := bytes.Count(data[:i], []byte{'\n'}) + 1
	return bytes.Replace(data, []byte(old), []byte(new), 1), line
}

func TestParseReportsPathAndLine(t *testing.T) {
	const serviceMembers = "slug, kind, topic, department, audience, life_events, keywords, channels, processing_time_days, fee, renewal, title, summary, description, eligibility_text, documents, steps, legal_basis, output, related, eligibility_rule, assurance, online_form, privacy, booking"
	tests := []struct {
		name     string
		old, new string
		path     string
		message  string
		lineDiff int // the problem's line relative to old's line
	}{
		{"fee amount with cents as a fraction", `"amount": 2500,`, `"amount": 12.5,`,
			"services[1].fee.amount", "must be a whole number of cents, 0 or more, not 12.5", 0},
		{"fee amount as a string", `"amount": 2500,`, `"amount": "25.00",`,
			"services[1].fee.amount", "must be a whole number of cents, 0 or more, not a string", 0},
		{"fee amount too large", `"amount": 2500,`, `"amount": 99999999999999999999,`,
			"services[1].fee.amount", "must be a whole number of cents, 0 or more, not 99999999999999999999", 0},
		{"processing time as text", `"processing_time_days": 2,`, `"processing_time_days": "two",`,
			"services[0].processing_time_days", "must be a whole number, not a string", 0},
		{"renewal in words", `"valid_for_days": 365,`, `"valid_for_days": "a year",`,
			"services[10].renewal.valid_for_days", "must be a whole number of days, not a string", 0},
		{"renewal as a number", "\"renewal\": {\n        \"valid_for_days\": 365,\n        \"remind_days_before\": 30\n      },", `"renewal": 365,`,
			"services[10].renewal", "must be an object {...}, not a number", 0},
		{"kind as a list", `"kind": "report",`, `"kind": ["report"],`,
			"services[0].kind", "must be a string in double quotes, not a list", 0},
		{"fee as text", `"fee": null,`, `"fee": "free",`,
			"services[0].fee", "must be an object {...}, not a string", 0},
		{"unknown member", `"topic": "waste-recycling",`, `"topik": "waste-recycling",`,
			"services[0].topik", "unknown member; check its spelling (known members: " + serviceMembers + ")", 0},
		{"member twice", `"topic": "waste-recycling",`, `"topic": "waste-recycling", "topic": "housing",`,
			"services[0].topic", "appears twice in the same object; keep one", 0},
		{"list where text belongs", `"en": "City of Porta Nova",`, `"en": ["City of Porta Nova"],`,
			"authority.name.en", "must be a string in double quotes, not a list", 0},
		{"not a number", `"amount": 2500,`, `"amount": 25OO,`,
			"services[1].fee", "the file is not valid JSON: invalid character 'O' after object key:value pair; look for a missing comma, quote or bracket on this line or the one before", 0},
		{"missing comma", `"es": "Ayuntamiento de Porta Nova",`, `"es": "Ayuntamiento de Porta Nova"`,
			"authority.name", "the file is not valid JSON: invalid character '\"' after object key:value pair; look for a missing comma, quote or bracket on this line or the one before", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data, line := replaceFirst(t, tt.old, tt.new)
			_, err := Parse(data)
			var ve *ValidationError
			if !errors.As(err, &ve) || !errors.Is(err, ErrInvalid) {
				t.Fatalf("Parse = %v, want a *ValidationError wrapping ErrInvalid", err)
			}
			want := []Problem{{Path: tt.path, Line: line + tt.lineDiff, Message: tt.message}}
			if !reflect.DeepEqual(ve.Problems, want) {
				t.Errorf("problems:\n%s\nwant:\n%s", ve, want[0])
			}
		})
	}
}

func TestParseBrokenFiles(t *testing.T) {
	demo := DemoJSON()
	// Cut just after the opening brace of the second topic.
	end := []byte("\n    },\n    {")
	cutShort := demo[:bytes.Index(demo, end)+len(end)]
	tests := []struct {
		name string
		data []byte
		want Problem
	}{
		{"empty", []byte("  \n"), Problem{Message: "the file is empty; a catalogue is one JSON object"}},
		{"cut short", cutShort, Problem{Path: "topics[1]", Line: bytes.Count(cutShort, []byte{'\n'}) + 1, Message: "the file ends in the middle of the catalogue; it may have been cut short"}},
		{"two documents", append(DemoJSON(), []byte("\n{}")...), Problem{Message: "there is more after the end of the catalogue object; remove it"}},
		{"a list", []byte("[]"), Problem{Line: 1, Message: "must be an object {...}, not a list"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(tt.data)
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("Parse = %v, want a *ValidationError", err)
			}
			if !reflect.DeepEqual(ve.Problems, []Problem{tt.want}) {
				t.Errorf("problems:\n%s\nwant:\n%s", ve, tt.want)
			}
		})
	}
}

func TestParseReportsAllTypeErrorsAtOnce(t *testing.T) {
	data := DemoJSON()
	data = bytes.Replace(data, []byte(`"amount": 2500,`), []byte(`"amount": 12.5,`), 1)
	data = bytes.Replace(data, []byte(`"processing_time_days": 2,`), []byte(`"processing_time_days": "2",`), 1)
	data = bytes.Replace(data, []byte(`"format": "sportello-catalogue/1"`), []byte(`"format": 1`), 1)
	_, err := Parse(data)
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("Parse = %v, want a *ValidationError", err)
	}
	var got []string
	for _, p := range ve.Problems {
		got = append(got, p.Path)
	}
	want := []string{"format", "services[0].processing_time_days", "services[1].fee.amount"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("paths = %v, want %v", got, want)
	}
	if first := strings.Split(err.Error(), "\n")[0]; first != `line 2: format: must be a string in double quotes, not a number` {
		t.Errorf("first line of Error() = %q", first)
	}
}

func TestLoadValidates(t *testing.T) {
	data, _ := replaceFirst(t, `"currency": "EUR",`, `"currency": "XYZ",`)
	_, err := Load(data)
	var ve *ValidationError
	if !errors.As(err, &ve) || len(ve.Problems) != 1 || ve.Problems[0].Path != "authority.currency" {
		t.Errorf("Load with a bad currency = %v, want one problem at authority.currency", err)
	}
	if _, err := Load(DemoJSON()); err != nil {
		t.Errorf("Load(demo): %v", err)
	}
}

func TestProcessingTimeMayBeNull(t *testing.T) {
	data, _ := replaceFirst(t, `"processing_time_days": 2,`, `"processing_time_days": null,`)
	c, err := Load(data)
	if err != nil {
		t.Fatal(err)
	}
	if c.Services[0].ProcessingTimeDays != nil {
		t.Errorf("null processing_time_days read as %d, want nil", *c.Services[0].ProcessingTimeDays)
	}
}

// A value of the wrong type does not hide the content problems elsewhere:
// one run of `sportello import` lists both, and the value set aside is not
// reported a second time as missing.
func TestLoadReportsTypeAndContentProblemsTogether(t *testing.T) {
	data, _ := replaceFirst(t, `"processing_time_days": 2,`, `"processing_time_days": "two",`)
	data = bytes.Replace(data, []byte(`"topic": "waste-recycling"`), []byte(`"topic": "no-such-topic"`), 1)
	_, err := Load(data)
	var verr *ValidationError
	if !errors.As(err, &verr) {
		t.Fatalf("Load: %v, want a *ValidationError", err)
	}
	var paths []string
	for _, p := range verr.Problems {
		paths = append(paths, p.Path)
	}
	want := []string{"services[0].processing_time_days", "services[0].topic"}
	if !slices.Equal(paths, want) {
		t.Errorf("problems at %v, want exactly %v:\n%v", paths, want, err)
	}
}

// A catalogue that says nothing of kinds (written before they existed, or
// by another council) still loads: every service reads as one to apply for,
// and its export still says nothing of them.
// TestRenewalRoundTrip: a renewal is read, summarised for the directory,
// written back by an export as it was, and a service without one exports
// none.
func TestRenewalRoundTrip(t *testing.T) {
	c, err := Load(DemoJSON())
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Renewal{}
	for _, s := range c.Services {
		if s.Renewal != nil {
			got[s.Slug] = *s.Renewal
			if sum := s.Summarise(); sum.Renewal == nil || *sum.Renewal != *s.Renewal {
				t.Errorf("%s: the summary's renewal is %v, want %v", s.Slug, sum.Renewal, *s.Renewal)
			}
		}
	}
	if r := got["resident-parking-permit"]; r != (Renewal{ValidForDays: 365, RemindDaysBefore: 30}) {
		t.Errorf("resident-parking-permit renewal = %+v, want 365 days, reminded 30 before (its page promises it)", r)
	}
	if _, ok := got["report-missed-bin-collection"]; ok {
		t.Error("a report has a renewal")
	}
	out, err := Encode(c)
	if err != nil {
		t.Fatal(err)
	}
	if n, want := bytes.Count(out, []byte(`"renewal": {`)), len(got); n != want {
		t.Errorf("the export writes %d renewals, want %d: one per service that has one, none for the others", n, want)
	}
	again, err := Load(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range again.Services {
		if r, ok := got[s.Slug]; ok != (s.Renewal != nil) || ok && r != *s.Renewal {
			t.Errorf("%s: renewal %v after the round trip, want %v", s.Slug, s.Renewal, r)
		}
	}
}

func TestKindMayBeLeftOut(t *testing.T) {
	data := bytes.ReplaceAll(DemoJSON(), []byte(`"kind": "report",`), nil)
	data = bytes.ReplaceAll(data, []byte(`"kind": "pay",`), nil)
	c, err := Load(data)
	if err != nil {
		t.Fatal(err)
	}
	s := &c.Services[0]
	if s.Kind != "" || TransactionOf(s.Kind) != TransactionApply || s.Summarise().Kind != TransactionApply {
		t.Errorf("a service without a kind: Kind %q, TransactionOf %q, summary %q; want \"\", apply, apply", s.Kind, TransactionOf(s.Kind), s.Summarise().Kind)
	}
	out, err := Encode(c)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(out, []byte(`"kind": "report"`)) || !bytes.Contains(out, []byte(`"kind": "book"`)) {
		t.Error("the export added or lost kinds: it must write back what it read")
	}
}
