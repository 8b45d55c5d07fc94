package search

import (
	"context"
	"slices"
	"testing"
)

func TestSynonymsTakeEffectWithoutRebuild(t *testing.T) {
	x, _ := openDemo(t)
	ctx := context.Background()
	search := func(q, lang string) Result {
		t.Helper()
		r, err := x.Search(ctx, Request{Query: q, Lang: lang})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	if r := search("streetlamp", "en"); r.Total != 0 {
		t.Fatalf("before tuning, streetlamp finds %v; the test needs a word the demo lacks", slugs(r))
	}
	x.SetTuning(NewTuning([]SynonymSet{{Lang: "en", Terms: []string{"Streetlamp", "street light"}}}, nil))
	for _, tc := range []struct {
		query, lang string
		want        bool
	}{
		{"streetlamp", "en", true},
		{"broken streetlamp", "en", true},
		{"STREETLAMP", "en", true},
		{"streetlamp", "es", false}, // the set is English only
	} {
		r := search(tc.query, tc.lang)
		if got := slices.Contains(slugs(r), "report-street-light-fault"); got != tc.want {
			t.Errorf("%s (%s): found report-street-light-fault = %v, want %v (hits %v)", tc.query, tc.lang, got, tc.want, slugs(r))
		}
	}
	// A synonym ranks below the word itself: "street light" still puts the
	// service first, as before tuning.
	if r := search("street light", "en"); len(r.Hits) == 0 || r.Hits[0].Slug != "report-street-light-fault" {
		t.Errorf("street light with synonyms: %v", slugs(r))
	}
	x.SetTuning(nil)
	if r := search("streetlamp", "en"); r.Total != 0 {
		t.Errorf("after removing the tuning, streetlamp finds %v", slugs(r))
	}
}

func TestBestBetIsPinnedFirst(t *testing.T) {
	x, _ := openDemo(t)
	ctx := context.Background()
	before, _ := x.Search(ctx, Request{Query: "parking", Lang: "en"})
	if len(before.Hits) == 0 || before.Hits[0].Slug == "disabled-parking-badge" {
		t.Fatalf("the test needs parking not to rank disabled-parking-badge first: %v", slugs(before))
	}
	x.SetTuning(NewTuning(nil, []BestBet{
		{Lang: "en", Query: " Parking ", Slug: "disabled-parking-badge"},
		{Lang: "en", Query: "rubbish", Slug: "no-such-service"},
	}))
	for _, tc := range []struct {
		name   string
		req    Request
		first  string
		absent bool
	}{
		{"pinned first", Request{Query: "parking", Lang: "en"}, "disabled-parking-badge", false},
		{"spelling normalised", Request{Query: "PARKING", Lang: "en"}, "disabled-parking-badge", false},
		{"other language not pinned", Request{Query: "parking", Lang: "fr"}, "", false},
		{"filters still apply", Request{Query: "parking", Lang: "en", Topic: "waste-recycling"}, "", true},
		{"a pin to a service not in the index adds nothing", Request{Query: "rubbish", Lang: "en"}, "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := x.Search(ctx, tc.req)
			if err != nil {
				t.Fatal(err)
			}
			got := slugs(r)
			switch {
			case tc.first != "" && (len(got) == 0 || got[0] != tc.first):
				t.Errorf("hits %v, want %s first", got, tc.first)
			case tc.first == "" && len(got) > 0 && got[0] == "disabled-parking-badge" && !tc.absent:
				t.Errorf("hits %v: pinned where it should not be", got)
			case tc.absent && slices.Contains(got, "disabled-parking-badge"):
				t.Errorf("hits %v: the pinned service ignores the filter", got)
			case slices.Contains(got, "no-such-service"):
				t.Errorf("hits %v include a service that is not indexed", got)
			}
		})
	}
	// The total counts the pinned service once.
	r, _ := x.Search(ctx, Request{Query: "parking", Lang: "en"})
	if r.Total != before.Total {
		t.Errorf("total with a pin = %d, without = %d", r.Total, before.Total)
	}
}

func TestNormalizeQuery(t *testing.T) {
	for in, want := range map[string]string{
		"  Wheelie   BIN ": "wheelie bin",
		"a:b":              "a b",
		"\x00tab\there":    "tab here",
		"Àpat":             "àpat",
	} {
		if got := NormalizeQuery(in); got != want {
			t.Errorf("NormalizeQuery(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestTuningInEveryLanguage checks that editors' synonyms and best bets
// work in all five languages, whatever the accents and case the resident
// types, and only in the language they were saved for.
func TestTuningInEveryLanguage(t *testing.T) {
	x, _ := openDemo(t)
	ctx := context.Background()
	search := func(q, lang string) []string {
		t.Helper()
		r, err := x.Search(ctx, Request{Query: q, Lang: lang})
		if err != nil {
			t.Fatal(err)
		}
		return slugs(r)
	}
	// A made-up word per language, which the demo catalogue cannot know,
	// made a synonym of the street light's own word.
	cases := []struct {
		lang, invented, typed, synonym string
	}{
		{"en", "Zoglimmer", "ZOGLIMMER", "street light"},
		{"es", "Zélumbra", "zelumbra", "farola"},
		{"ca", "Zèllumena", "zellumena", "fanal"},
		{"it", "Zèlumbro", "zelumbro", "lampione"},
		{"fr", "Zébrilume", "ZEBRILUME", "lampadaire"},
	}
	const want = "report-street-light-fault"
	var sets []SynonymSet
	var bets []BestBet
	for _, tc := range cases {
		if got := search(tc.typed, tc.lang); len(got) > 0 {
			t.Fatalf("before tuning, %q (%s) finds %v; the test needs a word the demo lacks", tc.typed, tc.lang, got)
		}
		sets = append(sets, SynonymSet{Lang: tc.lang, Terms: []string{tc.invented, tc.synonym}})
		bets = append(bets, BestBet{Lang: tc.lang, Query: "Àrbre " + tc.invented, Slug: "tree-planting-request"})
	}
	x.SetTuning(NewTuning(sets, bets))
	for i, tc := range cases {
		if got := search(tc.typed, tc.lang); !slices.Contains(got, want) {
			t.Errorf("%s: synonym %q finds %v, want %s", tc.lang, tc.typed, got, want)
		}
		if got := search("arbre "+tc.typed, tc.lang); len(got) == 0 || got[0] != "tree-planting-request" {
			t.Errorf("%s: best bet for %q: %v, want tree-planting-request first", tc.lang, "arbre "+tc.typed, got)
		}
		other := cases[(i+1)%len(cases)].lang
		if got := search(tc.typed, other); slices.Contains(got, want) {
			t.Errorf("%s's synonym %q works in %s too: %v", tc.lang, tc.typed, other, got)
		}
	}
}
