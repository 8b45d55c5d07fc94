package search

import (
	"context"
	"errors"
	"maps"
	"slices"
	"testing"
	"time"

	"sportello/catalogue"
)

// wantFacets counts the facets of r's whole result set from the catalogue,
// fetching every page: what a cached or fresh Result must report.
func wantFacets(t *testing.T, x *Index, c *catalogue.Catalogue, r Request) Facets {
	t.Helper()
	bySlug := map[string]*catalogue.Service{}
	for i := range c.Services {
		bySlug[c.Services[i].Slug] = &c.Services[i]
	}
	f := Facets{Topics: map[string]int{}, Audiences: map[string]int{}}
	r.PerPage = maxPerPage
	for r.Page = 1; ; r.Page++ {
		res, err := x.Search(context.Background(), r)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Hits) == 0 {
			return f
		}
		for _, h := range res.Hits {
			s := bySlug[h.Slug]
			f.Topics[s.Topic]++
			for _, a := range s.Audience {
				f.Audiences[a]++
			}
			if s.Online() {
				f.Online++
			}
			if s.Free() {
				f.Free++
			}
		}
	}
}

func sameFacets(a, b Facets) bool {
	return maps.Equal(a.Topics, b.Topics) && maps.Equal(a.Audiences, b.Audiences) && a.Online == b.Online && a.Free == b.Free
}

// TestCachedFacetsAreThoseOfTheWholeSet checks that every page of a result
// set, first seen or served from the cache, reports the facets and
// did-you-mean of the whole set, and that filters and language are part of
// what is cached.
func TestCachedFacetsAreThoseOfTheWholeSet(t *testing.T) {
	x, c := openDemo(t)
	ctx := context.Background()
	for _, r := range []Request{
		{Query: "permit", Lang: "en"},
		{Query: "permit", Lang: "en", Online: true},
		{Query: "permit", Lang: "en", Audience: "business"},
		{Query: "permiso", Lang: "es"},
		{Query: "rubish", Lang: "en"},
		{Query: "plannning permision", Lang: "en"},
		{Lang: "en"},
		{Lang: "en", Topic: "housing", Free: true},
	} {
		first, err := x.Search(ctx, Request{Query: r.Query, Lang: r.Lang, Topic: r.Topic, Audience: r.Audience, Online: r.Online, Free: r.Free, PerPage: 3})
		if err != nil {
			t.Fatal(err)
		}
		want := wantFacets(t, x, c, r)
		for _, page := range []int{1, 2, 1} {
			r.Page, r.PerPage = page, 3
			got, err := x.Search(ctx, r)
			if err != nil {
				t.Fatal(err)
			}
			if !sameFacets(got.Facets, want) {
				t.Errorf("%+v: facets %+v, want %+v", r, got.Facets, want)
			}
			if got.Total != first.Total || got.DidYouMean != first.DidYouMean {
				t.Errorf("%+v: Total %d, DidYouMean %q; first page had %d, %q", r, got.Total, got.DidYouMean, first.Total, first.DidYouMean)
			}
		}
		if !sameFacets(first.Facets, want) {
			t.Errorf("%+v: first search facets %+v, want %+v", r, first.Facets, want)
		}
	}
}

// TestCacheForgetsOnChange checks that an update or new tuning is never
// answered with the facets counted before it.
func TestCacheForgetsOnChange(t *testing.T) {
	x, c := openDemo(t)
	ctx := context.Background()
	topics := func(q string) (int, int) {
		t.Helper()
		r, err := x.Search(ctx, Request{Query: q, Lang: "en"})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, v := range r.Facets.Topics {
			n += v
		}
		return r.Total, n
	}
	for _, step := range []struct {
		name   string
		change func()
		query  string
	}{
		{"tuning", func() {
			x.SetTuning(NewTuning([]SynonymSet{{Lang: "en", Terms: []string{"streetlamp", "street light"}}}, nil))
		}, "streetlamp"},
		{"update", func() {
			added := c.Services[1]
			added.Slug = "report-a-smelly-drain"
			added.Title = catalogue.Text{"en": "Report a smelly drain"}
			added.Summary = catalogue.Text{"en": "Tell us about a blocked drain."}
			added.Description = catalogue.Text{"en": "Drains."}
			added.Keywords = catalogue.TextList{"en": {"gully"}}
			next := *c
			next.Services = append(slices.Clone(c.Services), added)
			must(t, x.Update(ctx, FromCatalogue(&next, 2), []*catalogue.Service{&added}, nil, 2))
		}, "smelly"},
	} {
		before, _ := topics(step.query)
		step.change()
		total, counted := topics(step.query)
		if total == before || counted != total {
			t.Errorf("%s: %q found %d before and %d after, facets count %d", step.name, step.query, before, total, counted)
		}
	}
}

// TestCachedPagesAreCopies checks that a page served again from memory is
// the page first computed, and that a caller changing what it got changes
// nothing for the next one.
func TestCachedPagesAreCopies(t *testing.T) {
	x, _ := openDemo(t)
	ctx := context.Background()
	r := Request{Query: "parking permit", Lang: "en", PerPage: 5}
	first, err := x.Search(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	if len(first.Hits) < 2 {
		t.Fatalf("%q found %d hits; the test needs two", r.Query, len(first.Hits))
	}
	want := slices.Clone(first.Hits)
	first.Hits[0], first.Hits[1] = first.Hits[1], first.Hits[0]
	first.Facets.Topics["changed"] = 1

	again, err := x.Search(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	if again.Hits[0].Slug != want[0].Slug || again.Hits[1].Slug != want[1].Slug {
		t.Errorf("the cached page changed with its caller's copy: %s, %s; want %s, %s", again.Hits[0].Slug, again.Hits[1].Slug, want[0].Slug, want[1].Slug)
	}
	if _, ok := again.Facets.Topics["changed"]; ok {
		t.Error("the cached facets changed with its caller's copy")
	}
	r.Page = 2
	next, err := x.Search(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	if next.Page != 2 || len(next.Hits) > 0 && next.Hits[0].Slug == want[0].Slug {
		t.Errorf("page 2 was answered with page 1: %+v", next)
	}
}

// TestFacetsFollowUpdates checks that facet counts stay those of the
// catalogue as updates add, change and remove services: every update (and
// every merge Bleve makes behind it) numbers the documents anew, and the
// facet table of the old numbering must not be used for the new.
func TestFacetsFollowUpdates(t *testing.T) {
	x, c := openDemo(t)
	ctx := context.Background()
	requests := []Request{
		{Lang: "en"},
		{Query: "permit", Lang: "en"},
		{Query: "licencia", Lang: "es", Online: true},
	}
	topics := []string{"housing", "waste-recycling", "parking-transport"}
	for round := range 4 {
		// Change the topic of a tenth of the services, and remove one.
		var changed []*catalogue.Service
		for i := round; i < len(c.Services); i += 10 {
			s := &c.Services[i]
			s.Topic = topics[(i+round)%len(topics)]
			changed = append(changed, s)
		}
		gone := c.Services[len(c.Services)-1].Slug
		c.Services = c.Services[:len(c.Services)-1]
		if err := x.Update(ctx, FromCatalogue(c, int64(round+2)), changed, []string{gone}, int64(round+2)); err != nil {
			t.Fatal(err)
		}
		for _, r := range requests {
			got, err := x.Search(ctx, r)
			if err != nil {
				t.Fatal(err)
			}
			if want := wantFacets(t, x, c, r); !sameFacets(got.Facets, want) {
				t.Errorf("round %d, %+v: facets %+v, want %+v", round, r, got.Facets, want)
			}
		}
	}
}

// TestBusySearchersQueueNewSearches checks that when every searcher is busy,
// a search the caches can answer is still answered, a new one waits for a
// searcher, and one whose context ends while it waits reports why.
func TestBusySearchersQueueNewSearches(t *testing.T) {
	x, _ := openDemo(t)
	cached := Request{Query: "parking", Lang: "en"}
	if _, err := x.Search(context.Background(), cached); err != nil {
		t.Fatal(err)
	}
	for range cap(x.searching) {
		x.searching <- struct{}{}
	}
	if res, err := x.Search(context.Background(), cached); err != nil || len(res.Hits) == 0 {
		t.Fatalf("cached search while busy: %d hits, %v", len(res.Hits), err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancelled := make(chan error)
	go func() {
		_, err := x.Search(ctx, Request{Query: "library", Lang: "en"})
		cancelled <- err
	}()
	cancel()
	if err := <-cancelled; !errors.Is(err, context.Canceled) {
		t.Fatalf("new search cancelled while waiting: %v, want context.Canceled", err)
	}

	type outcome struct {
		res Result
		err error
	}
	waiting := make(chan outcome)
	go func() {
		res, err := x.Search(context.Background(), Request{Query: "library", Lang: "en"})
		waiting <- outcome{res, err}
	}()
	// Not a speed check: a new search must not finish while no searcher is
	// free, however long it is given.
	select {
	case o := <-waiting:
		t.Fatalf("new search ran while every searcher was busy: %d hits, %v", len(o.res.Hits), o.err)
	case <-time.After(100 * time.Millisecond):
	}
	<-x.searching
	if o := <-waiting; o.err != nil || len(o.res.Hits) == 0 {
		t.Fatalf("new search once a searcher is free: %d hits, %v", len(o.res.Hits), o.err)
	}
}
