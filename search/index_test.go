package search

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"

	"sportello/catalogue"
	"sportello/catalogue/synthetic"
)

func currentSub(t *testing.T, dir string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, currentFile))
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(b))
}

func subdirs(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		if e.IsDir() {
			out = append(out, e.Name())
		}
	}
	return out
}

func mustOpen(t *testing.T, dir string, src Source) *Index {
	t.Helper()
	x, err := Open(context.Background(), dir, src, testLogger(t))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return x
}

func mustFind(t *testing.T, x *Index, query, slug string) {
	t.Helper()
	r, err := x.Search(context.Background(), Request{Query: query, Lang: "en"})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(slugs(r), slug) {
		t.Errorf("%q: %s not found in %v", query, slug, slugs(r))
	}
}

// TestOpenDecidesWhenToRebuild checks every reason to rebuild, and that an
// up-to-date index is reused as it is.
func TestOpenDecidesWhenToRebuild(t *testing.T) {
	c := demoCatalogue(t)
	tests := []struct {
		name    string
		damage  func(t *testing.T, dir string) // applied to a closed, up-to-date index
		version int64
		rebuild bool
	}{
		{"up to date", func(*testing.T, string) {}, 1, false},
		{"catalogue changed", func(*testing.T, string) {}, 2, true},
		{"CURRENT missing", func(t *testing.T, dir string) {
			must(t, os.Remove(filepath.Join(dir, currentFile)))
		}, 1, true},
		{"CURRENT garbage", func(t *testing.T, dir string) {
			must(t, os.WriteFile(filepath.Join(dir, currentFile), []byte("../../etc\n"), 0o644))
		}, 1, true},
		{"index directory gone", func(t *testing.T, dir string) {
			must(t, os.RemoveAll(filepath.Join(dir, currentSub(t, dir))))
		}, 1, true},
		{"root.bolt corrupt", func(t *testing.T, dir string) {
			must(t, os.WriteFile(filepath.Join(dir, currentSub(t, dir), "store", "root.bolt"), []byte("not a bolt file"), 0o600))
		}, 1, true},
		{"index_meta.json corrupt", func(t *testing.T, dir string) {
			must(t, os.WriteFile(filepath.Join(dir, currentSub(t, dir), "index_meta.json"), []byte("{"), 0o600))
		}, 1, true},
		{"segments deleted", func(t *testing.T, dir string) {
			files, _ := filepath.Glob(filepath.Join(dir, currentSub(t, dir), "store", "*.zap"))
			if len(files) == 0 {
				t.Fatal("no segment files to delete")
			}
			for _, f := range files {
				must(t, os.Remove(f))
			}
		}, 1, true},
		{"mapping changed", func(t *testing.T, dir string) {
			setRawStamp(t, dir, stamp{Mapping: mappingVersion, MappingHash: "0000", Catalogue: 1})
		}, 1, true},
		{"mapping version bumped", func(t *testing.T, dir string) {
			x := mustOpen(t, dir, FromCatalogue(c, 1))
			h := x.mhash
			must(t, x.Close())
			setRawStamp(t, dir, stamp{Mapping: mappingVersion - 1, MappingHash: h, Catalogue: 1})
		}, 1, true},
		{"stamp unreadable", func(t *testing.T, dir string) {
			setRawInternal(t, dir, []byte("{not json"))
		}, 1, true},
		{"interrupted rebuild left a directory", func(t *testing.T, dir string) {
			must(t, os.MkdirAll(filepath.Join(dir, subdirStem+"left-over", "store"), 0o755))
		}, 1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			x := mustOpen(t, dir, FromCatalogue(c, 1))
			must(t, x.Close())
			before := currentSub(t, dir)
			tt.damage(t, dir)

			x = mustOpen(t, dir, FromCatalogue(c, tt.version))
			defer func() { must(t, x.Close()) }()
			after := currentSub(t, dir)
			if rebuilt := before != after; rebuilt != tt.rebuild {
				t.Errorf("rebuilt = %v, want %v", rebuilt, tt.rebuild)
			}
			if got := subdirs(t, dir); !slices.Equal(got, []string{after}) {
				t.Errorf("index directory holds %v, want only %s", got, after)
			}
			mustFind(t, x, "pothole", "report-a-pothole")
		})
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func setRawStamp(t *testing.T, dir string, st stamp) {
	t.Helper()
	raw, err := json.Marshal(st)
	must(t, err)
	setRawInternal(t, dir, raw)
}

func setRawInternal(t *testing.T, dir string, raw []byte) {
	t.Helper()
	idx, err := bleve.Open(filepath.Join(dir, currentSub(t, dir)))
	must(t, err)
	must(t, idx.SetInternal([]byte(stampKey), raw))
	must(t, idx.Close())
}

func TestOpenFailsFastOnLockedIndex(t *testing.T) {
	c := demoCatalogue(t)
	dir := t.TempDir()
	x := mustOpen(t, dir, FromCatalogue(c, 1))
	defer func() { must(t, x.Close()) }()

	_, err := Open(context.Background(), dir, FromCatalogue(c, 1), testLogger(t))
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("second Open: err = %v, want ErrLocked", err)
	}
	// The first index is unharmed.
	mustFind(t, x, "pothole", "report-a-pothole")
}

func TestUpdate(t *testing.T) {
	c := demoCatalogue(t)
	dir := t.TempDir()
	x := mustOpen(t, dir, FromCatalogue(c, 1))
	ctx := context.Background()
	if x.Version() != 1 {
		t.Errorf("Version() = %d after opening at 1", x.Version())
	}

	// Change one service, remove another, add a new one.
	changed := c.Services[0] // report-missed-bin-collection
	changed.Title = catalogue.Text{"en": "Report a skipped wheelie bin", "es": "Avisar de un cubo olvidado"}
	added := c.Services[1]
	added.Slug = "report-a-smelly-drain"
	added.Title = catalogue.Text{"en": "Report a smelly drain"}
	added.Summary = catalogue.Text{"en": "Tell us about a blocked or smelly drain."}
	added.Description = catalogue.Text{"en": "Drains."}
	added.Keywords = catalogue.TextList{"en": {"sewer", "gully"}}
	removed := "report-a-pothole"

	next := *c
	next.Services = slices.Clone(c.Services)
	next.Services[0] = changed
	next.Services = append(next.Services, added)
	next.Services = slices.DeleteFunc(next.Services, func(s catalogue.Service) bool { return s.Slug == removed })

	must(t, x.Update(ctx, FromCatalogue(&next, 2), []*catalogue.Service{&changed, &added}, []string{removed}, 2))
	if x.Version() != 2 {
		t.Errorf("Version() = %d after updating to 2", x.Version())
	}
	mustFind(t, x, "skipped", changed.Slug)
	mustFind(t, x, "smelly drain", "report-a-smelly-drain")
	r, err := x.Search(ctx, Request{Query: "pothole", Lang: "en"})
	must(t, err)
	if slices.Contains(slugs(r), removed) {
		t.Errorf("removed service still found: %v", slugs(r))
	}
	r, err = x.Search(ctx, Request{Query: "cubo olvidado", Lang: "es"})
	must(t, err)
	if len(r.Hits) == 0 || r.Hits[0].Slug != changed.Slug {
		t.Errorf("updated translation not found first: %v", slugs(r))
	}
	sub := currentSub(t, dir)
	must(t, x.Close())

	// The stamp moved with the update: version 2 opens without a rebuild.
	x = mustOpen(t, dir, FromCatalogue(&next, 2))
	defer func() { must(t, x.Close()) }()
	if currentSub(t, dir) != sub {
		t.Errorf("index rebuilt after an incremental update")
	}
	mustFind(t, x, "smelly drain", "report-a-smelly-drain")
	r, err = x.Search(ctx, Request{})
	must(t, err)
	if r.Total != len(next.Services) {
		t.Errorf("Total = %d, want %d", r.Total, len(next.Services))
	}
}

func TestClosedIndex(t *testing.T) {
	c := demoCatalogue(t)
	x := mustOpen(t, t.TempDir(), FromCatalogue(c, 1))
	must(t, x.Close())
	must(t, x.Close())
	if _, err := x.Search(context.Background(), Request{Query: "bin"}); err == nil {
		t.Error("Search on a closed index succeeded")
	}
	if _, err := x.Suggest(context.Background(), "en", "bin", 3); err == nil {
		t.Error("Suggest on a closed index succeeded")
	}
}

func TestCatalanAnalyzer(t *testing.T) {
	x, _ := openDemo(t)
	tests := []struct{ in, want string }{
		{"l'escombraria", "escombrari"},
		{"D'ESCOMBRARIES", "escombrari"}, // elided, lowercased, stemmed
		{"Sol·licitar", "sol·licitar"},
		{"llicència", "llicenci"},
		{"més", ""}, // stop word, after folding
		{"el", ""},
	}
	for _, tt := range tests {
		var got []string
		for _, tk := range x.hl.analyzers["ca"].Analyze([]byte(tt.in)) {
			got = append(got, string(tk.Term))
		}
		if strings.Join(got, " ") != tt.want {
			t.Errorf("ca(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestFreshIndexIsMergedIntoOneSegment checks that a rebuilt index ends as
// one segment (compact), so that a search looks each word up once.
func TestFreshIndexIsMergedIntoOneSegment(t *testing.T) {
	x, err := Open(context.Background(), t.TempDir(), FromCatalogue(synthetic.Generate(3*batchSize, 1), 1), testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = x.Close() }()
	x.merging.Wait()
	idx, err := x.reader()
	if err != nil {
		t.Fatal(err)
	}
	adv, err := idx.Advanced()
	if err != nil {
		t.Fatal(err)
	}
	rd, err := adv.Reader()
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = rd.Close() }()
	if n := len(rd.(*scorch.IndexSnapshot).Segments()); n != 1 {
		t.Errorf("%d segments after the merge, want 1", n)
	}
}

// TestMemosOnlyWhileRebuilding: the memos of stems fill while the index
// is built and are dropped once it is.
func TestMemosOnlyWhileRebuilding(t *testing.T) {
	x, _ := openDemo(t)
	if len(x.memos) != len(catalogue.Languages) {
		t.Fatalf("%d memos, want one a language", len(x.memos))
	}
	for _, m := range x.memos {
		if m.memo != nil {
			t.Errorf("a memo of %d words is kept after the build", len(m.memo))
		}
	}
	if _, err := x.Search(context.Background(), Request{Query: "parking permit", Lang: "en"}); err != nil {
		t.Fatal(err)
	}
	for _, m := range x.memos {
		if m.memo != nil {
			t.Error("a search started a memo")
		}
	}
}
