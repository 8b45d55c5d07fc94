package search

import (
	"context"
	"slices"
	"strconv"
	"sync"
	"testing"

	"sportello/catalogue"
)

// changingSource is a catalogue that moves through versions, as the store
// does under imports and publishes: version n retitles the first service
// "Version n". It counts the Changes calls and the versions they start from.
type changingSource struct {
	base *catalogue.Catalogue

	mu      sync.Mutex
	version int64
	since   []int64 // the since of every Changes call
}

func (s *changingSource) moveTo(v int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.version = v
}

func (s *changingSource) at(v int64) *catalogue.Catalogue {
	c := *s.base
	c.Services = slices.Clone(s.base.Services)
	if v > 1 {
		c.Services[0].Title = catalogue.Text{"en": "Version " + strconv.FormatInt(v, 10)}
	}
	return &c
}

func (s *changingSource) Version(context.Context) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.version, nil
}

func (s *changingSource) EachSearchable(ctx context.Context, fn func(*catalogue.Searchable) error) error {
	v, _ := s.Version(ctx)
	return FromCatalogue(s.at(v), v).EachSearchable(ctx, fn)
}

func (s *changingSource) Changes(_ context.Context, since int64) (catalogue.Changes, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.since = append(s.since, since)
	ch := catalogue.Changes{Version: s.version}
	if since < s.version {
		ch.Services = []*catalogue.Service{&s.at(s.version).Services[0]}
	}
	return ch, nil
}

func (s *changingSource) changesCalls() []int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.since)
}

// An update to an older version than the index's must not take the index
// back: neither its version nor its documents.
func TestUpdateRefusesAnOlderVersion(t *testing.T) {
	src := &changingSource{base: demoCatalogue(t), version: 3}
	x := mustOpen(t, t.TempDir(), src)
	defer func() { must(t, x.Close()) }()
	ctx := context.Background()
	slug := src.base.Services[0].Slug
	mustFind(t, x, "version 3", slug)

	older := src.at(2).Services[0]
	older.Title = catalogue.Text{"en": "An older title"}
	must(t, x.Update(ctx, src, []*catalogue.Service{&older}, []string{src.base.Services[1].Slug}, 2))
	if x.Version() != 3 {
		t.Errorf("Version() = %d after an update to 2, want 3", x.Version())
	}
	r, err := x.Search(ctx, Request{Query: "older title", Lang: "en"})
	must(t, err)
	if slices.Contains(slugs(r), slug) {
		t.Errorf("the older update was applied: %v", slugs(r))
	}
	mustFind(t, x, "version 3", slug)
	mustFind(t, x, src.base.Services[1].Title["en"], src.base.Services[1].Slug)

	// The same version is applied: the index may be told again.
	same := src.at(3).Services[0]
	same.Title = catalogue.Text{"en": "Version 3 revisited"}
	must(t, x.Update(ctx, src, []*catalogue.Service{&same}, nil, 3))
	mustFind(t, x, "revisited", slug)
}

func TestCatchUp(t *testing.T) {
	src := &changingSource{base: demoCatalogue(t), version: 1}
	x := mustOpen(t, t.TempDir(), src)
	defer func() { must(t, x.Close()) }()
	ctx := context.Background()
	slug := src.base.Services[0].Slug

	// Nothing changed: the store is not asked for changes.
	must(t, x.CatchUp(ctx, src))
	if calls := src.changesCalls(); len(calls) != 0 {
		t.Errorf("Changes called %v with the index up to date", calls)
	}

	src.moveTo(2)
	must(t, x.CatchUp(ctx, src))
	if x.Version() != 2 {
		t.Errorf("Version() = %d after catching up to 2", x.Version())
	}
	mustFind(t, x, "version 2", slug)
	if calls := src.changesCalls(); !slices.Equal(calls, []int64{1}) {
		t.Errorf("Changes calls = %v, want [1]", calls)
	}

	// A store behind the index leaves it alone.
	src.moveTo(1)
	must(t, x.CatchUp(ctx, src))
	if x.Version() != 2 {
		t.Errorf("Version() = %d after a catch-up to an older store, want 2", x.Version())
	}
}

// Catch-ups that run at once (a publish and the background sync) take
// turns: the store is asked once for what changed since the index's
// version, the others find the index up to date, and whatever the order,
// the index ends at the newest version and never goes back.
func TestConcurrentCatchUps(t *testing.T) {
	src := &changingSource{base: demoCatalogue(t), version: 1}
	x := mustOpen(t, t.TempDir(), src)
	defer func() { must(t, x.Close()) }()
	ctx := context.Background()

	for _, v := range []int64{2, 3, 4} {
		src.moveTo(v)
		var wg sync.WaitGroup
		var mu sync.Mutex
		var seen []int64
		for range 8 {
			wg.Go(func() {
				must(t, x.CatchUp(ctx, src))
				mu.Lock()
				seen = append(seen, x.Version())
				mu.Unlock()
			})
		}
		wg.Wait()
		if x.Version() != v {
			t.Fatalf("Version() = %d after catching up to %d", x.Version(), v)
		}
		for _, got := range seen {
			if got != v {
				t.Errorf("a catch-up returned with the index at %d, want %d", got, v)
			}
		}
	}
	if calls := src.changesCalls(); !slices.Equal(calls, []int64{1, 2, 3}) {
		t.Errorf("Changes calls = %v, want one per version: [1 2 3]", calls)
	}
	mustFind(t, x, "version 4", src.base.Services[0].Slug)
}
