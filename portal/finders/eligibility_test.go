package finders

import (
	"context"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"

	"sportello/catalogue"
	"sportello/catalogue/eligibility"
	"sportello/catalogue/sqlstore"
	"sportello/portal/web"
	"sportello/store"
)

// The rules are compiled once per catalogue version: the same finders until
// an import changes the version, then new ones with the new rules, built
// once however many requests ask at the same time.
func TestFindersPerCatalogueVersion(t *testing.T) {
	ctx := context.Background()
	sqldb, err := store.Open(ctx, filepath.Join(t.TempDir(), "sportello.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer sqldb.Close()
	db, err := sqlstore.New(ctx, sqldb)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	defer db.Close()
	cat, err := catalogue.Load(catalogue.DemoJSON())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Import(ctx, cat); err != nil {
		t.Fatal(err)
	}
	sh := &web.Shared{Site: web.NewSite(nil, nil, "https://portanova.example", false), Log: slog.New(slog.DiscardHandler), Catalogue: db}
	if err := sh.Reload(ctx); err != nil {
		t.Fatal(err)
	}
	srv := New(sh, db, nil, nil)
	first, err := srv.finders(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := srv.finders(ctx); again != first {
		t.Error("the finders were built again for the same catalogue version")
	}
	seventy := eligibility.Answers{"resident": true, "age": 70}
	if got, _ := first.rules.Outcome("older-persons-bus-pass", seventy); got != eligibility.True {
		t.Fatalf("bus pass at 70 with the demo rule: %v", got)
	}

	for i := range cat.Services {
		if cat.Services[i].Slug == "older-persons-bus-pass" {
			rule := "resident && age >= 75"
			cat.Services[i].EligibilityRule = &rule
		}
	}
	if _, err := db.Import(ctx, cat); err != nil {
		t.Fatal(err)
	}
	if err := srv.Reload(ctx); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	got := make([]*finders, 8)
	for i := range got {
		wg.Go(func() {
			f, err := srv.finders(ctx)
			if err != nil {
				t.Error(err)
			}
			got[i] = f
		})
	}
	wg.Wait()
	for _, f := range got {
		if f != got[0] {
			t.Fatal("concurrent requests after a version change built the finders more than once")
		}
	}
	second := got[0]
	if second == first || second.version <= first.version {
		t.Fatalf("after an import: version %d, was %d; want new finders", second.version, first.version)
	}
	if got, _ := second.rules.Outcome("older-persons-bus-pass", seventy); got != eligibility.False {
		t.Errorf("bus pass at 70 after the rule became age >= 75: %v, want false", got)
	}
}
