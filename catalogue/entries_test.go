package catalogue

import (
	"encoding/json"
	"slices"
	"testing"
)

func TestPutMapsProblemsBackToTheEntry(t *testing.T) {
	c := demo(t)
	s := c.Services[5]
	s.Title = Text{"en": ""}
	s.Related = []string{"no-such-service"}
	path, err := c.Put(&s, "")
	if err != nil || path != "services[5]" {
		t.Fatalf("Put = %q, %v", path, err)
	}
	probs := ProblemsAt(Validate(c), path)
	var paths []string
	for _, p := range probs {
		paths = append(paths, p.Path)
	}
	if !slices.Contains(paths, "title.en") || !slices.Contains(paths, "related[0]") {
		t.Errorf("problems of the entry = %v, want title.en and related[0]", paths)
	}
	// Problems of other entries are not the entry's.
	other := c.Services[50]
	other.Title = Text{"en": ""}
	c.Put(&other, "")
	if got := ProblemsAt(Validate(c), path); len(got) != len(probs) {
		t.Errorf("with services[50] broken too, services[5] has %d problems, want %d", len(got), len(probs))
	}

	fresh := Topic{Slug: "new-topic", Title: Text{"en": "New"}}
	if p, _ := c.Put(&fresh, ""); p != "topics[13]" {
		t.Errorf("a new topic goes last, got %q", p)
	}
}

func TestDecodeEntry(t *testing.T) {
	c := demo(t)
	for _, tc := range []struct {
		kind  string
		entry any
	}{
		{KindService, &c.Services[0]}, {KindTopic, &c.Topics[0]}, {KindDepartment, &c.Departments[0]},
		{KindLifeEvent, &c.LifeEvents[0]}, {KindJourney, &c.Journeys[0]},
	} {
		doc, _ := json.Marshal(tc.entry)
		e, err := DecodeEntry(tc.kind, doc)
		if err != nil || EntrySlug(e) != EntrySlug(tc.entry) || EntryTitle(e, "en", "en") == "" {
			t.Errorf("%s: DecodeEntry = %v, %v", tc.kind, e, err)
		}
	}
	if _, err := DecodeEntry("profile_question", []byte(`{}`)); err == nil {
		t.Error("an unknown kind was decoded")
	}
}

func TestLinksTo(t *testing.T) {
	c := demo(t)
	links := c.LinksTo("food-business-registration")
	var fromJourney bool
	for _, l := range links {
		if l.To != "food-business-registration" {
			t.Errorf("link to %q listed", l.To)
		}
		fromJourney = fromJourney || l.Kind == KindJourney
	}
	if !fromJourney {
		t.Errorf("links to food-business-registration = %+v, want the restaurant journey's step", links)
	}
}

func TestDuplicates(t *testing.T) {
	c := demo(t)
	if d := LikelyDuplicates(c.Services, "en", "en"); len(d) != 0 {
		t.Errorf("the demo catalogue has no duplicates, found %+v", d)
	}
	copy := c.Services[0]
	copy.Slug = "report-missed-bin-collections"
	copy.Title = Text{"en": "Report missed bin collections"}
	copy.Summary = Text{"en": "Tell us when your bin was not emptied on collection day."}
	d := DuplicatesOf(&copy, c.Services, "en", "en")
	if len(d) == 0 || d[0].B != c.Services[0].Slug {
		t.Errorf("DuplicatesOf(reworded copy) = %+v, want %s", d, c.Services[0].Slug)
	}
	all := LikelyDuplicates(append(slices.Clone(c.Services), copy), "en", "en")
	if len(all) != 1 || all[0].Score < DuplicateThreshold {
		t.Errorf("LikelyDuplicates with one copy = %+v", all)
	}
}
