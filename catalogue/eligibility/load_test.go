package eligibility_test

import (
	"context"
	"reflect"
	"slices"
	"testing"

	"sportello/catalogue"
	"sportello/catalogue/eligibility"
	"sportello/catalogue/sqlstore"
	"sportello/store"
	"sportello/store/storetest"
)

// TestLoadReadsWhatTheFindersNeed checks that the finders built from Load
// answer as those built from the whole exported catalogue, and that Load
// keeps only the services with a rule or named by a business type.
func TestLoadReadsWhatTheFindersNeed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, sqldb *store.DB) { testLoad(t, sqldb) })
}

func testLoad(t *testing.T, sqldb *store.DB) {
	ctx := context.Background()
	db, err := sqlstore.New(ctx, sqldb)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	demo, err := catalogue.Load(catalogue.DemoJSON())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Import(ctx, demo); err != nil {
		t.Fatal(err)
	}

	whole, err := db.Export(ctx)
	if err != nil {
		t.Fatal(err)
	}
	light, err := eligibility.Load(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	named := map[string]bool{}
	for _, b := range whole.BusinessTypes {
		for _, st := range b.Steps {
			for _, p := range st.Services {
				named[p.Service] = true
			}
		}
	}
	var want []string
	for _, s := range whole.Services {
		if s.EligibilityRule != nil || named[s.Slug] {
			want = append(want, s.Slug)
		}
	}
	var got []string
	for _, s := range light.Services {
		got = append(got, s.Slug)
	}
	if !slices.Equal(got, want) || len(got) == len(whole.Services) {
		t.Errorf("Load kept %d of %d services: %v, want %v", len(got), len(whole.Services), got, want)
	}

	wholeRules, err := eligibility.Compile(whole)
	if err != nil {
		t.Fatal(err)
	}
	lightRules, err := eligibility.Compile(light)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(lightRules.Services(), wholeRules.Services()) || len(lightRules.Services()) == 0 {
		t.Errorf("rules of %v, want %v", lightRules.Services(), wholeRules.Services())
	}
	seventy := eligibility.Answers{"resident": true, "age": 70}
	if g, w := slugs(lightRules.Evaluate(seventy)), slugs(wholeRules.Evaluate(seventy)); !slices.Equal(g, w) || len(w) == 0 {
		t.Errorf("a resident of 70 matches %v, want %v", g, w)
	}

	wholeFinder, lightFinder := eligibility.NewBusinessFinder(whole), eligibility.NewBusinessFinder(light)
	for _, b := range whole.BusinessTypes {
		w, werr := wholeFinder.Plan(b.Slug, nil)
		g, gerr := lightFinder.Plan(b.Slug, nil)
		if werr != nil || gerr != nil || !reflect.DeepEqual(g, w) {
			t.Errorf("plan for %s: %+v, %v; want %+v, %v", b.Slug, g, gerr, w, werr)
		}
	}
}

func slugs(ms []eligibility.Match) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Slug)
	}
	return out
}
