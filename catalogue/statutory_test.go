package catalogue

import (
	"bytes"
	"reflect"
	"testing"
)

// Every demo service with an online form says what it does with personal
// data and how long it keeps it; the council says who its data protection
// officer is and how accessible its site is.
func TestDemoSaysWhatItDoesWithPersonalData(t *testing.T) {
	c := demo(t)
	for _, s := range c.Services {
		switch {
		case s.OnlineForm != nil && s.Privacy == nil:
			t.Errorf("%s has an online form but no privacy", s.Slug)
		case s.Privacy != nil && s.Renewal != nil && s.Privacy.RetentionDays < s.Renewal.ValidForDays:
			t.Errorf("%s keeps its applications %d days, less than the %d its permit lasts", s.Slug, s.Privacy.RetentionDays, s.Renewal.ValidForDays)
		}
	}
	a := c.Authority
	if a.Privacy == nil || a.Privacy.DPOEmail == "" || a.Privacy.Supervisor.Website != "https://www.aepd.es" {
		t.Errorf("authority.privacy = %+v, want the DPO and the AEPD", a.Privacy)
	}
	if a.Accessibility == nil || a.Accessibility.Status != AccessibilityPartial || len(a.Accessibility.KnownIssues["es"]) == 0 {
		t.Errorf("authority.accessibility = %+v, want partially compliant with known issues", a.Accessibility)
	}
}

// The statutory members survive encoding and decoding, and a catalogue
// without them is written without them.
func TestStatutoryRoundTrip(t *testing.T) {
	c := demo(t)
	out, err := Encode(c)
	if err != nil {
		t.Fatal(err)
	}
	again, err := Load(out)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(again.Authority, c.Authority) || !reflect.DeepEqual(again.Services[0].Privacy, c.Services[0].Privacy) {
		t.Error("privacy or accessibility differ after a round trip")
	}
	c.Authority.Privacy, c.Authority.Accessibility = nil, nil
	for i := range c.Services {
		c.Services[i].Privacy = nil
	}
	out, err = Encode(c)
	if err != nil {
		t.Fatal(err)
	}
	for _, member := range []string{`"privacy": {`, `"accessibility": {`} {
		if bytes.Contains(out, []byte(member)) {
			t.Errorf("a catalogue without %s is written with it", member)
		}
	}
	if _, err := Load(out); err != nil {
		t.Errorf("a catalogue without the statutory members does not load: %v", err)
	}
}
