package synthetic

import (
	"encoding/json"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"sportello/catalogue"
)

var slugRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// TestGenerateIsValid checks the rules of FORMAT.md that a generated
// catalogue must keep.
func TestGenerateIsValid(t *testing.T) {
	c := Generate(2000, 42)
	if c.Format != catalogue.FormatVersion || len(c.Services) != 2000 {
		t.Fatalf("format %q, %d services", c.Format, len(c.Services))
	}
	topics, depts, events := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, x := range c.Topics {
		topics[x.Slug] = true
	}
	for _, x := range c.Departments {
		depts[x.Slug] = true
	}
	for _, x := range c.LifeEvents {
		events[x.Slug] = true
	}
	slugs := map[string]bool{}
	var online, fee, translated, business int
	usedTopics := map[string]bool{}
	for i, s := range c.Services {
		if !slugRE.MatchString(s.Slug) || slugs[s.Slug] {
			t.Fatalf("service %d: bad or duplicate slug %q", i, s.Slug)
		}
		slugs[s.Slug] = true
		usedTopics[s.Topic] = true
		if !topics[s.Topic] || !depts[s.Department] {
			t.Errorf("%s: unknown topic %q or department %q", s.Slug, s.Topic, s.Department)
		}
		for _, e := range s.LifeEvents {
			if !events[e] {
				t.Errorf("%s: unknown life event %q", s.Slug, e)
			}
		}
		for _, r := range s.Related {
			if !slugs[r] {
				t.Errorf("%s: related %q is not an earlier service", s.Slug, r)
			}
		}
		if len(s.Audience) == 0 {
			t.Errorf("%s: no audience", s.Slug)
		}
		for _, a := range s.Audience {
			if a != catalogue.AudienceResident && a != catalogue.AudienceBusiness {
				t.Errorf("%s: audience %q", s.Slug, a)
			}
		}
		if s.For(catalogue.AudienceBusiness) {
			business++
		}
		if s.Online() != slices.Contains(s.Channels, "online") || s.Online() != (s.Assurance != nil) {
			t.Errorf("%s: online form, channel and assurance disagree", s.Slug)
		}
		if s.Online() {
			online++
		}
		if s.Fee != nil {
			fee++
			if s.Fee.Amount <= 0 || s.Fee.Currency != "EUR" ||
				(s.Fee.When != catalogue.FeeOnApplication && s.Fee.When != catalogue.FeeOnApproval) ||
				(s.Fee.When == catalogue.FeeOnApplication && (!s.Online() || *s.Assurance == catalogue.AssuranceNone)) {
				t.Errorf("%s: bad fee %+v", s.Slug, s.Fee)
			}
		}
		langs := s.Languages()
		if !slices.Contains(langs, "en") {
			t.Errorf("%s: no English title", s.Slug)
		}
		if len(langs) > 1 {
			translated++
		}
		for _, l := range langs {
			if s.Summary[l] == "" || s.Description[l] == "" || s.Keywords[l] == nil ||
				s.Steps[l] == nil || s.Documents[l] == nil || s.EligibilityText[l] == "" {
				t.Errorf("%s: language %s is only partly translated", s.Slug, l)
			}
		}
		for _, m := range []map[string]string{s.Summary, s.Description, s.EligibilityText, s.LegalBasis, s.Output} {
			if len(m) != len(langs) {
				t.Errorf("%s: texts in %d languages, title in %d", s.Slug, len(m), len(langs))
			}
		}
	}
	if len(usedTopics) != len(c.Topics) {
		t.Errorf("services use %d of %d topics", len(usedTopics), len(c.Topics))
	}
	share := func(n int) float64 { return float64(n) / float64(len(c.Services)) }
	for name, got := range map[string]float64{"online": share(online), "fee": share(fee), "translated": share(translated), "business": share(business)} {
		if got < 0.1 || got > 0.9 {
			t.Errorf("share of %s services = %.2f, want a mix", name, got)
		}
	}
	// It survives the interchange format.
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	var back catalogue.Catalogue
	if err := json.Unmarshal(b, &back); err != nil || len(back.Services) != len(c.Services) {
		t.Fatalf("round trip: %v", err)
	}
}

func TestGenerateIsDeterministicAndVaried(t *testing.T) {
	a, b := Generate(300, 7), Generate(300, 7)
	if !reflect.DeepEqual(a, b) {
		t.Error("the same seed gave different catalogues")
	}
	c := Generate(300, 8)
	if reflect.DeepEqual(a.Services, c.Services) {
		t.Error("different seeds gave the same services")
	}
	titles := map[string]bool{}
	for _, s := range a.Services {
		titles[s.Title["en"]] = true
	}
	if len(titles) < 200 {
		t.Errorf("%d distinct titles in 300 services, want variety", len(titles))
	}
	if n := len(Generate(0, 1).Services); n != 0 {
		t.Errorf("Generate(0) made %d services", n)
	}
}

func TestSearches(t *testing.T) {
	c := Generate(500, 1)
	a, b := Searches(c, 200, 1), Searches(c, 200, 1)
	if !slices.Equal(a, b) {
		t.Error("the same seed gave different searches")
	}
	if slices.Equal(a, Searches(c, 200, 2)) {
		t.Error("another seed gave the same searches")
	}
	filtered := 0
	for _, s := range a {
		if n := len(strings.Fields(s.Query)); n < 1 || n > 3 {
			t.Errorf("%q has %d words, want 1 to 3", s.Query, n)
		}
		if !slices.Contains(catalogue.Languages, s.Lang) {
			t.Errorf("%q is in %q, no catalogue language", s.Query, s.Lang)
		}
		n := 0
		for _, on := range []bool{s.Topic != "", s.Audience != "", s.Online} {
			if on {
				n++
			}
		}
		if n > 1 {
			t.Errorf("%+v has %d filters, want at most one", s, n)
		}
		filtered += n
	}
	if filtered == 0 || filtered == len(a) {
		t.Errorf("%d of %d searches filtered, want some", filtered, len(a))
	}
}
