package sqlstore

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"sportello/catalogue"
	"sportello/catalogue/cataloguetest"
	"sportello/store"
	"sportello/store/storetest"
)

// The same suite runs against SQLite (always) and PostgreSQL (when
// SPORTELLO_TEST_POSTGRES is set), each test in a fresh database.

// eachBackend runs test against every database, each with a fresh store.
func eachBackend(t *testing.T, test func(t *testing.T, db *Store)) {
	t.Helper()
	storetest.Each(t, func(t *testing.T, db *store.DB) { test(t, newStore(t, db)) })
}

// newStore is the catalogue store over db, closed when t ends.
func newStore(t testing.TB, db *store.DB) *Store {
	t.Helper()
	st, err := New(context.Background(), db)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// demo returns a fresh copy of the demo catalogue, parsed and validated.
func demo(t testing.TB) *catalogue.Catalogue {
	t.Helper()
	c, err := catalogue.Load(catalogue.DemoJSON())
	if err != nil {
		t.Fatalf("loading the demo catalogue: %v", err)
	}
	return c
}

func mustImport(t *testing.T, db *Store, c *catalogue.Catalogue) catalogue.ImportResult {
	t.Helper()
	res, err := db.Import(context.Background(), c)
	if err != nil {
		t.Fatalf("Import: %v", err)
	}
	return res
}

func mustExport(t *testing.T, db *Store) *catalogue.Catalogue {
	t.Helper()
	c, err := db.Export(context.Background())
	if err != nil {
		t.Fatalf("Export: %v", err)
	}
	return c
}

func slugs(services []catalogue.Service) []string {
	out := make([]string, len(services))
	for i, s := range services {
		out[i] = s.Slug
	}
	return out
}

func TestImportDemo(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *Store) {
		ctx := context.Background()
		if v, err := db.Version(ctx); err != nil || v != 0 {
			t.Fatalf("Version of an empty store = %d, %v; want 0, nil", v, err)
		}
		if _, err := db.Export(ctx); !errors.Is(err, catalogue.ErrNotFound) {
			t.Fatalf("Export of an empty store: %v, want ErrNotFound", err)
		}
		c := demo(t)
		res := mustImport(t, db, c)
		if len(res.Added) != len(c.Services) || len(res.Updated) != 0 || len(res.Archived) != 0 || res.Unchanged != 0 {
			t.Errorf("first import: %d added, %d updated, %d archived, %d unchanged; want %d added only",
				len(res.Added), len(res.Updated), len(res.Archived), res.Unchanged, len(c.Services))
		}
		if !slices.Equal(res.Added, slugs(c.Services)) {
			t.Errorf("Added is not the services in catalogue order")
		}
		if res.Version != 1 {
			t.Errorf("Version after the first import = %d, want 1", res.Version)
		}
		if v, _ := db.Version(ctx); v != res.Version {
			t.Errorf("Version() = %d, ImportResult.Version = %d", v, res.Version)
		}
		if got := mustExport(t, db); !reflect.DeepEqual(got, c) {
			t.Errorf("Export after importing the demo differs from the demo")
		}
	})
}

func TestReimportChangesNothing(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *Store) {
		first := mustImport(t, db, demo(t))
		second := mustImport(t, db, demo(t))
		if len(second.Added)+len(second.Updated)+len(second.Archived) != 0 {
			t.Errorf("second import of the same file: added %v, updated %v, archived %v; want nothing",
				second.Added, second.Updated, second.Archived)
		}
		if second.Unchanged != 132 {
			t.Errorf("Unchanged = %d, want 132", second.Unchanged)
		}
		if second.Version != first.Version {
			t.Errorf("Version went from %d to %d on an identical import", first.Version, second.Version)
		}
	})
}

func TestImportChanges(t *testing.T) {
	tests := []struct {
		name     string
		change   func(c *catalogue.Catalogue)
		added    []string
		updated  []string
		archived []string
	}{
		{
			name:    "a service's title changes",
			change:  func(c *catalogue.Catalogue) { c.Services[3].Title["en"] = "A new title" },
			updated: []string{"$3"},
		},
		{
			name: "a service's fee changes",
			change: func(c *catalogue.Catalogue) {
				c.Services[0].Fee = &catalogue.Fee{Amount: 100, Currency: "EUR", When: "on_application"}
			},
			updated: []string{"$0"},
		},
		{
			name:     "a service leaves the file",
			change:   func(c *catalogue.Catalogue) { c.Services = slices.Delete(c.Services, 5, 6) },
			archived: []string{"$5"},
		},
		{
			name: "a service joins the file",
			change: func(c *catalogue.Catalogue) {
				s := c.Services[0]
				s.Slug = "a-brand-new-service"
				c.Services = append(c.Services, s)
			},
			added: []string{"a-brand-new-service"},
		},
		{
			name: "two services swap places",
			change: func(c *catalogue.Catalogue) {
				c.Services[0], c.Services[1] = c.Services[1], c.Services[0]
			},
		},
		{
			name:   "a topic's title changes",
			change: func(c *catalogue.Catalogue) { c.Topics[0].Title["en"] = "Bins" },
		},
		{
			name:   "the authority's phone changes",
			change: func(c *catalogue.Catalogue) { c.Authority.Phone = "+34 900 000 999" },
		},
		{
			name:   "a profile question leaves",
			change: func(c *catalogue.Catalogue) { c.ProfileQuestions = c.ProfileQuestions[:len(c.ProfileQuestions)-1] },
		},
		{
			name: "a journey gains a step",
			change: func(c *catalogue.Catalogue) {
				c.Journeys[0].Steps = append(c.Journeys[0].Steps, c.Journeys[0].Steps[0])
			},
		},
		{
			name: "a business type's question changes and another business type leaves",
			change: func(c *catalogue.Catalogue) {
				c.BusinessTypes[0].Questions[0].Text["es"] = "¿Servirá comida?"
				c.BusinessTypes = c.BusinessTypes[:len(c.BusinessTypes)-1]
			},
		},
	}
	resolve := func(c *catalogue.Catalogue, want []string) []string {
		var out []string
		for _, s := range want {
			if s[0] == '$' {
				i := int(s[1] - '0')
				s = c.Services[i].Slug
			}
			out = append(out, s)
		}
		return out
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			eachBackend(t, func(t *testing.T, db *Store) {
				ctx := context.Background()
				original := demo(t)
				before := mustImport(t, db, original)
				changed := demo(t)
				tt.change(changed)
				res := mustImport(t, db, changed)

				if want := resolve(original, tt.added); !slices.Equal(res.Added, want) {
					t.Errorf("Added = %v, want %v", res.Added, want)
				}
				if want := resolve(original, tt.updated); !slices.Equal(res.Updated, want) {
					t.Errorf("Updated = %v, want %v", res.Updated, want)
				}
				if want := resolve(original, tt.archived); !slices.Equal(res.Archived, want) {
					t.Errorf("Archived = %v, want %v", res.Archived, want)
				}
				if res.Version <= before.Version {
					t.Errorf("Version = %d after a change, want more than %d", res.Version, before.Version)
				}
				if got := mustExport(t, db); !reflect.DeepEqual(got, changed) {
					t.Errorf("Export after the change differs from the changed catalogue")
				}
				for _, slug := range res.Archived {
					if _, err := db.Service(ctx, slug); !errors.Is(err, catalogue.ErrNotFound) {
						t.Errorf("Service(%q) of an archived service: %v, want ErrNotFound", slug, err)
					}
					d, err := db.Directory(ctx)
					if err != nil {
						t.Fatal(err)
					}
					if _, ok := d.Service(slug); ok {
						t.Errorf("Directory lists the archived service %q", slug)
					}
				}
				again := mustImport(t, db, changed)
				if again.Version != res.Version || len(again.Added)+len(again.Updated)+len(again.Archived) != 0 {
					t.Errorf("importing the changed file again changed something: %+v", again)
				}
			})
		})
	}
}

func TestArchivedServiceComesBack(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *Store) {
		ctx := context.Background()
		mustImport(t, db, demo(t))
		without := demo(t)
		gone := without.Services[10].Slug
		without.Services = slices.Delete(without.Services, 10, 11)
		mustImport(t, db, without)
		if _, err := db.Service(ctx, gone); !errors.Is(err, catalogue.ErrNotFound) {
			t.Fatalf("Service(%q) after archiving: %v, want ErrNotFound", gone, err)
		}
		res := mustImport(t, db, demo(t))
		if !slices.Equal(res.Added, []string{gone}) || len(res.Archived) != 0 {
			t.Errorf("re-adding %q: Added %v, Archived %v", gone, res.Added, res.Archived)
		}
		if _, err := db.Service(ctx, gone); err != nil {
			t.Errorf("Service(%q) after it came back: %v", gone, err)
		}
		if got := mustExport(t, db); !reflect.DeepEqual(slugs(got.Services), slugs(demo(t).Services)) {
			t.Errorf("the service did not come back in its place")
		}
	})
}

// Export, import into a fresh database, export again: the same bytes, and
// every language of every text of every kind of entry is still there.
func TestExportRoundTrip(t *testing.T) {
	storetest.Each(t, func(t *testing.T, raw *store.DB) {
		db := newStore(t, raw)
		mustImport(t, db, demo(t))
		exported, err := catalogue.Encode(mustExport(t, db))
		if err != nil {
			t.Fatal(err)
		}
		reloaded, err := catalogue.Load(exported)
		if err != nil {
			t.Fatalf("the export does not load: %v", err)
		}
		if !reflect.DeepEqual(reloaded, demo(t)) {
			t.Errorf("export, then load, differs from the demo")
		}
		direct, _ := catalogue.Encode(demo(t))
		if string(direct) != string(exported) {
			t.Errorf("exporting through the store writes different bytes from encoding the parsed file")
		}

		fresh := newStore(t, storetest.Open(t, raw.Dialect()))
		mustImport(t, fresh, reloaded)
		again, err := catalogue.Encode(mustExport(t, fresh))
		if err != nil {
			t.Fatal(err)
		}
		if string(again) != string(exported) {
			t.Errorf("exporting what was imported from an export writes different bytes (%d, first export %d)", len(again), len(exported))
		}
		// Said outright, since the demo is in all five languages: no
		// language of any kind of text is lost on the way.
		back, err := catalogue.Load(again)
		if err != nil {
			t.Fatal(err)
		}
		got, want := translations(back), translations(demo(t))
		if !reflect.DeepEqual(got, want) {
			t.Errorf("texts per kind and language after the round trip: %v, want %v", got, want)
		}
		for kind, perLang := range want {
			for _, l := range catalogue.Languages {
				if perLang[l] == 0 || perLang[l] != perLang["en"] {
					t.Errorf("%s: %d texts in %s, %d in English: the demo is not in every language, so the round trip proves less", kind, perLang[l], l, perLang["en"])
				}
			}
		}
		for _, kind := range []string{"authority", "topics", "departments", "life_events", "journeys", "profile_questions", "business_types", "services"} {
			if want[kind] == nil {
				t.Errorf("no text of %s was counted", kind)
			}
		}
	})
}

// translations counts the texts and lists of c written in each language, by the kind of
// entry that holds them (the first part of their path: "services",
// "journeys"…).
func translations(c *catalogue.Catalogue) map[string]map[string]int {
	n := map[string]map[string]int{}
	cataloguetest.Texts(c, func(path string, text catalogue.Text, list catalogue.TextList) {
		kind, _, _ := strings.Cut(path, "[")
		kind, _, _ = strings.Cut(kind, ".")
		if n[kind] == nil {
			n[kind] = map[string]int{}
		}
		for l, s := range text {
			if strings.TrimSpace(s) != "" {
				n[kind][l]++
			}
		}
		for l, items := range list {
			if len(items) > 0 {
				n[kind][l]++
			}
		}
	})
	return n
}

// A failure halfway through an import leaves the store as it was: the last
// service breaks a CHECK constraint after the others were written.
func TestImportFailureWritesNothing(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *Store) {
		ctx := context.Background()
		broken := demo(t)
		broken.Services = append(broken.Services, catalogue.Service{Slug: ""})
		if _, err := db.Import(ctx, broken); err == nil {
			t.Fatal("importing a service with no slug into an empty store succeeded")
		}
		if v, _ := db.Version(ctx); v != 0 {
			t.Errorf("Version after a failed first import = %d, want 0", v)
		}
		if _, err := db.Service(ctx, demo(t).Services[0].Slug); !errors.Is(err, catalogue.ErrNotFound) {
			t.Errorf("a service of the failed import was written: %v", err)
		}

		before := mustImport(t, db, demo(t))
		broken = demo(t)
		broken.Authority.Phone = "+34 000"
		broken.Topics[0].Title["en"] = "Changed"
		broken.Services[0].Title["en"] = "Changed"
		broken.Services = slices.Delete(broken.Services, 1, 2)
		broken.Services = append(broken.Services, catalogue.Service{Slug: ""})
		_, err := db.Import(ctx, broken)
		if err == nil {
			t.Fatal("importing a service with no slug succeeded")
		}
		t.Logf("the import failed as it should: %v", err)
		if v, _ := db.Version(ctx); v != before.Version {
			t.Errorf("Version after a failed import = %d, want %d", v, before.Version)
		}
		if got := mustExport(t, db); !reflect.DeepEqual(got, demo(t)) {
			t.Errorf("a failed import changed the stored catalogue")
		}
	})
}

func TestImportRefusesDuplicateSlugs(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *Store) {
		c := demo(t)
		c.Services = append(c.Services, c.Services[0])
		if _, err := db.Import(context.Background(), c); !errors.Is(err, catalogue.ErrInvalid) {
			t.Errorf("Import with a service twice: %v, want ErrInvalid", err)
		}
	})
}

func TestService(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *Store) {
		ctx := context.Background()
		c := demo(t)
		mustImport(t, db, c)
		for _, i := range []int{0, 57, len(c.Services) - 1} {
			got, err := db.Service(ctx, c.Services[i].Slug)
			if err != nil {
				t.Fatalf("Service(%q): %v", c.Services[i].Slug, err)
			}
			if !reflect.DeepEqual(got, &c.Services[i]) {
				t.Errorf("Service(%q) differs from the file", c.Services[i].Slug)
			}
		}
		for _, slug := range []string{"no-such-service", "", "REPORT-MISSED-BIN-COLLECTION"} {
			if _, err := db.Service(ctx, slug); !errors.Is(err, catalogue.ErrNotFound) {
				t.Errorf("Service(%q): %v, want ErrNotFound", slug, err)
			}
		}
	})
}

func TestDirectory(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *Store) {
		ctx := context.Background()
		c := demo(t)
		res := mustImport(t, db, c)
		d, err := db.Directory(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if d.Version != res.Version {
			t.Errorf("Directory.Version = %d, want %d", d.Version, res.Version)
		}
		if !reflect.DeepEqual(d.Authority, c.Authority) {
			t.Errorf("Directory.Authority differs from the file")
		}
		for name, pair := range map[string][2]any{
			"topics":            {d.Topics, c.Topics},
			"departments":       {d.Departments, c.Departments},
			"life events":       {d.LifeEvents, c.LifeEvents},
			"profile questions": {d.ProfileQuestions, c.ProfileQuestions},
			"journeys":          {d.Journeys, c.Journeys},
			"business types":    {d.BusinessTypes, c.BusinessTypes},
		} {
			if !reflect.DeepEqual(pair[0], pair[1]) {
				t.Errorf("Directory %s differ from the file", name)
			}
		}
		if len(d.Services) != len(c.Services) {
			t.Fatalf("Directory has %d services, want %d", len(d.Services), len(c.Services))
		}
		for i := range c.Services {
			if want := c.Services[i].Summarise(); !reflect.DeepEqual(d.Services[i], want) {
				t.Errorf("Directory.Services[%d] = %+v, want %+v", i, d.Services[i], want)
			}
		}
		topic := c.Services[0].Topic
		var want []string
		for _, s := range c.Services {
			if s.Topic == topic {
				want = append(want, s.Slug)
			}
		}
		var got []string
		for _, s := range d.ServicesByTopic(topic) {
			got = append(got, s.Slug)
		}
		if !slices.Equal(got, want) {
			t.Errorf("ServicesByTopic(%q) = %v, want %v", topic, got, want)
		}
		if tp, ok := d.Topic(topic); !ok || tp.Slug != topic {
			t.Errorf("Topic(%q) = %v, %v", topic, tp, ok)
		}
	})
}

// Every caller of Directory gets the one copy of a version, however many
// ask at once, and a new copy once the catalogue changes.
func TestDirectoryIsSharedUntilTheCatalogueChanges(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *Store) {
		ctx := context.Background()
		c := demo(t)
		mustImport(t, db, c)
		const callers = 8
		got := make([]*catalogue.Directory, callers)
		var wg sync.WaitGroup
		for i := range callers {
			wg.Go(func() {
				d, err := db.Directory(ctx)
				if err != nil {
					t.Error(err)
				}
				got[i] = d
			})
		}
		wg.Wait()
		for i, d := range got {
			if d != got[0] {
				t.Fatalf("caller %d got a directory of its own", i)
			}
		}
		c.Services[0].Title["en"] += " (new)"
		res := mustImport(t, db, c)
		d, err := db.Directory(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if d == got[0] || d.Version != res.Version {
			t.Fatalf("after a change Directory returned version %d (the same copy: %v), want %d", d.Version, d == got[0], res.Version)
		}
		if s, _ := d.Service(c.Services[0].Slug); s.Title.Text()["en"] != c.Services[0].Title["en"] {
			t.Errorf("the new directory's title is %q, want %q", s.Title.Text()["en"], c.Services[0].Title["en"])
		}
	})
}

// TestEachSearchable: every published service in catalogue order, each
// exactly what Service.Searchable gives of it (the store decodes only part
// of a stored service), stopping at fn's first error.
func TestEachSearchable(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *Store) {
		ctx := context.Background()
		c := demo(t)
		// Import a reversed catalogue first, so that catalogue order and
		// insertion order differ.
		reversed := demo(t)
		slices.Reverse(reversed.Services)
		mustImport(t, db, reversed)
		mustImport(t, db, c)
		var got []string
		online, free := 0, 0
		err := db.EachSearchable(ctx, func(s *catalogue.Searchable) error {
			got = append(got, s.Slug)
			if i := len(got) - 1; i < len(c.Services) {
				if want := c.Services[i].Searchable(); !reflect.DeepEqual(s, want) {
					t.Errorf("EachSearchable gave %+v, want %+v", s, want)
				}
			}
			if s.Online {
				online++
			}
			if s.Free {
				free++
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, slugs(c.Services)) {
			t.Errorf("EachSearchable order differs from the catalogue order")
		}
		// The demo has both kinds of each, so that the comparison above
		// covers them.
		if online == 0 || online == len(got) || free == 0 || free == len(got) {
			t.Errorf("%d online and %d free of %d: the demo should have both kinds", online, free, len(got))
		}

		stop := errors.New("stop")
		n := 0
		err = db.EachSearchable(ctx, func(*catalogue.Searchable) error {
			n++
			if n == 3 {
				return stop
			}
			return nil
		})
		if !errors.Is(err, stop) || n != 3 {
			t.Errorf("EachSearchable after fn failed: %v after %d calls, want stop after 3", err, n)
		}
	})
}

func BenchmarkService(b *testing.B) {
	for _, d := range storetest.Dialects {
		b.Run(d, func(b *testing.B) {
			ctx := context.Background()
			db := newStore(b, storetest.Open(b, d))
			c := demo(b)
			if _, err := db.Import(ctx, c); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				i := 0
				for pb.Next() {
					if _, err := db.Service(ctx, c.Services[i%len(c.Services)].Slug); err != nil {
						b.Error(err)
						return
					}
					i++
				}
			})
		})
	}
}

func BenchmarkDirectory(b *testing.B) {
	for _, d := range storetest.Dialects {
		b.Run(d, func(b *testing.B) {
			ctx := context.Background()
			db := newStore(b, storetest.Open(b, d))
			if _, err := db.Import(ctx, demo(b)); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := db.Directory(ctx); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func TestChanges(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *Store) {
		first := mustImport(t, db, demo(t))

		all, err := db.Changes(context.Background(), 0)
		if err != nil {
			t.Fatal(err)
		}
		if all.Version != first.Version || len(all.Services) != 132 || len(all.Archived) != 0 {
			t.Fatalf("Changes(0) = version %d, %d services, %d archived; want %d, 132, 0",
				all.Version, len(all.Services), len(all.Archived), first.Version)
		}

		c := demo(t)
		c.Services[3].Title["en"] = "A new title"
		archived := c.Services[7].Slug
		c.Services = slices.Delete(c.Services, 7, 8)
		second := mustImport(t, db, c)

		ch, err := db.Changes(context.Background(), first.Version)
		if err != nil {
			t.Fatal(err)
		}
		if ch.Version != second.Version {
			t.Errorf("Changes version = %d, want %d", ch.Version, second.Version)
		}
		if len(ch.Services) != 1 || ch.Services[0].Title["en"] != "A new title" {
			t.Errorf("Changes services = %v, want only the retitled one", len(ch.Services))
		}
		if !slices.Equal(ch.Archived, []string{archived}) {
			t.Errorf("Changes archived = %v, want [%s]", ch.Archived, archived)
		}

		none, err := db.Changes(context.Background(), second.Version)
		if err != nil {
			t.Fatal(err)
		}
		if len(none.Services)+len(none.Archived) != 0 {
			t.Errorf("Changes(current) = %d services, %d archived; want none", len(none.Services), len(none.Archived))
		}
	})
}

func TestAuthority(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *Store) {
		if _, err := db.Authority(context.Background()); !errors.Is(err, catalogue.ErrNotFound) {
			t.Errorf("Authority of an empty store: %v, want ErrNotFound", err)
		}
		mustImport(t, db, demo(t))
		a, err := db.Authority(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if a.Currency != "EUR" || a.Name["en"] != "City of Porta Nova" {
			t.Errorf("Authority = %+v", a)
		}
	})
}

// importFile imports data, written to a file, as `sportello import` does:
// read twice, each service written as it is checked (ImportEach).
func importFile(t *testing.T, db *Store, data []byte) (catalogue.ImportResult, error) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "catalogue.json")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	rd, err := catalogue.ReadFile(path)
	if err != nil {
		return catalogue.ImportResult{}, err
	}
	return db.ImportEach(context.Background(), rd.Catalogue(), rd.Services)
}

func encode(t *testing.T, c *catalogue.Catalogue) []byte {
	t.Helper()
	data, err := catalogue.Encode(c)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// A file imported one service at a time gives what Import of the whole
// catalogue gives: the same results, the same stored catalogue, the same
// archiving of services that left the file.
func TestImportEachIsImport(t *testing.T) {
	without := demo(t)
	without.Services = slices.Delete(without.Services, 8, 9) // one no other entry refers to
	changed := demo(t)
	changed.Services[3].Title["en"] = "A new title"
	changed.Services[4], changed.Services[5] = changed.Services[5], changed.Services[4]
	steps := []*catalogue.Catalogue{demo(t), demo(t), without, demo(t), changed}
	storetest.Each(t, func(t *testing.T, raw *store.DB) {
		whole := newStore(t, raw)
		each := newStore(t, storetest.Open(t, raw.Dialect()))
		for i, c := range steps {
			want := mustImport(t, whole, c)
			got, err := importFile(t, each, encode(t, c))
			if err != nil {
				t.Fatalf("step %d: %v", i, err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("step %d: ImportEach = %+v, Import = %+v", i, got, want)
			}
			if a, b := encode(t, mustExport(t, each)), encode(t, mustExport(t, whole)); !bytes.Equal(a, b) {
				t.Errorf("step %d: the stored catalogues differ", i)
			}
		}
		if res, _ := importFile(t, each, encode(t, changed)); len(res.Added)+len(res.Updated)+len(res.Archived) != 0 || res.Unchanged != len(changed.Services) {
			t.Errorf("importing the same file again: %+v, want every service unchanged", res)
		}
	})
}

// A file with problems in several services is refused with all of them,
// and nothing is written: not the services before the first problem, which
// were already written in the transaction, nor those after it.
func TestImportEachWritesNothingWhenAnyProblem(t *testing.T) {
	broken := demo(t)
	broken.Authority.Phone = "+34 000"
	broken.Topics[0].Title["en"] = "Changed"
	broken.Services[0].Title["en"] = "Changed"
	broken.Services[3].Topic = "no-such-topic"
	broken.Services[7].Channels = append(broken.Services[7].Channels, "fax")
	dupe := demo(t)
	dupe.Services[len(dupe.Services)-1].Slug = dupe.Services[0].Slug
	journey := demo(t)
	journey.Services[0].Title["en"] = "Changed"
	journey.Journeys[0].Steps[0].Services = []string{"no-such-service"}
	tests := []struct {
		name  string
		data  []byte
		paths []string
	}{
		{"problems in services 3 and 7", encode(t, broken), []string{"services[3].topic", "services[7].channels[2]"}},
		{"duplicate slug, first and last", encode(t, dupe), []string{"services[131].slug"}},
		{"a journey to no service, after every service", encode(t, journey), []string{"journeys[0].steps[0].services[0]"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			eachBackend(t, func(t *testing.T, db *Store) {
				ctx := context.Background()
				if _, err := importFile(t, db, tt.data); err == nil {
					t.Fatal("a file with problems was imported into an empty store")
				}
				if v, _ := db.Version(ctx); v != 0 {
					t.Errorf("Version after a refused first import = %d, want 0", v)
				}
				if _, err := db.Service(ctx, demo(t).Services[0].Slug); !errors.Is(err, catalogue.ErrNotFound) {
					t.Errorf("a service of the refused import was written: %v", err)
				}

				before := mustImport(t, db, demo(t))
				_, err := importFile(t, db, tt.data)
				var ve *catalogue.ValidationError
				if !errors.As(err, &ve) {
					t.Fatalf("ImportEach = %v, want a *catalogue.ValidationError", err)
				}
				var paths []string
				for _, p := range ve.Problems {
					if slices.Contains(tt.paths, p.Path) {
						paths = append(paths, p.Path)
					}
				}
				if !slices.Equal(paths, tt.paths) {
					t.Errorf("problems:\n%v\nwant at least, in this order, %v", err, tt.paths)
				}
				if v, _ := db.Version(ctx); v != before.Version {
					t.Errorf("Version after a refused import = %d, want %d", v, before.Version)
				}
				if got := mustExport(t, db); !reflect.DeepEqual(got, demo(t)) {
					t.Errorf("a refused import changed the stored catalogue")
				}
			})
		})
	}
}

// The directory leaves the summary texts out; Summaries reads those of the
// services a page lists, in as many queries as the slugs need, and never an
// archived service's.
func TestSummaries(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *Store) {
		ctx := context.Background()
		c := demo(t)
		archived := c.Services[len(c.Services)-1]
		mustImport(t, db, c)
		c.Services = c.Services[:len(c.Services)-1]
		mustImport(t, db, c)

		// More slugs than one query takes: a real one in the first query,
		// the others in the second.
		ask := []string{c.Services[0].Slug}
		for i := range maxSlugsPerQuery + 10 {
			ask = append(ask, fmt.Sprintf("no-such-service-%d", i))
		}
		ask = append(ask, archived.Slug)
		ask = append(ask, slugs(c.Services[1:])...)
		got, err := db.Summaries(ctx, ask)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(c.Services) {
			t.Errorf("Summaries returned %d services, want %d (the published ones asked for)", len(got), len(c.Services))
		}
		if _, ok := got[archived.Slug]; ok {
			t.Errorf("Summaries returned the archived service %q", archived.Slug)
		}
		for _, s := range c.Services {
			if text := got[s.Slug].Text(); !reflect.DeepEqual(text, s.Summary) {
				t.Errorf("summary of %s = %v, want %v", s.Slug, text, s.Summary)
			}
		}
	})
}

// oldSummary is the stored summary as written before ServiceSummary lost
// its summary text (commit 660258d), field for field.
type oldSummary struct {
	Slug               string
	Kind               string
	Topic              string
	Department         string
	Audience           []string
	LifeEvents         []string
	Title              catalogue.PackedText
	Summary            catalogue.PackedText
	Fee                *catalogue.Fee
	Online             bool
	Assurance          string
	ProcessingTimeDays *int
	HasRule            bool
	Renewal            *catalogue.Renewal `json:",omitempty"`
	Booking            *catalogue.Booking `json:",omitempty"`
	RetentionDays      int                `json:",omitempty"`
	Untranslated       []string           `json:",omitempty"`
}

// The summary column keeps the bytes it had before the summary text left
// ServiceSummary: they are part of each service's hash, and an import after
// the upgrade must not count every service as updated.
func TestStoredSummaryKeepsItsBytes(t *testing.T) {
	for _, svc := range demo(t).Services {
		sum := svc.Summarise()
		old, err := json.Marshal(oldSummary{
			Slug: sum.Slug, Kind: sum.Kind, Topic: sum.Topic, Department: sum.Department,
			Audience: sum.Audience, LifeEvents: sum.LifeEvents, Title: sum.Title, Summary: catalogue.Pack(svc.Summary),
			Fee: sum.Fee, Online: sum.Online, Assurance: sum.Assurance, ProcessingTimeDays: sum.ProcessingTimeDays,
			HasRule: sum.HasRule, Renewal: sum.Renewal, Booking: sum.Booking, RetentionDays: sum.RetentionDays,
			Untranslated: sum.Untranslated,
		})
		if err != nil {
			t.Fatal(err)
		}
		now, err := json.Marshal(storedSummary{sum, catalogue.Pack(svc.Summary)})
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(now, old) {
			t.Fatalf("the stored summary of %s changed:\nnow %s\nwas %s", svc.Slug, now, old)
		}
	}
}
