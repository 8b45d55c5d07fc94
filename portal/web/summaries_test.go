package web

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"

	"sportello/catalogue"
)

// countingSource serves summary texts made from the slug and records what
// each call asked for.
type countingSource struct {
	asked [][]string
	err   error
}

func (s *countingSource) Summaries(_ context.Context, slugs []string) (map[string]catalogue.PackedText, error) {
	s.asked = append(s.asked, slices.Clone(slugs))
	if s.err != nil {
		return nil, s.err
	}
	out := map[string]catalogue.PackedText{}
	for _, slug := range slugs {
		if slug != "archived" {
			out[slug] = catalogue.Pack(catalogue.Text{"en": "About " + slug})
		}
	}
	return out, nil
}

func summaries(slugs ...string) []*catalogue.ServiceSummary {
	out := make([]*catalogue.ServiceSummary, len(slugs))
	for i, s := range slugs {
		out[i] = &catalogue.ServiceSummary{Slug: s}
	}
	return out
}

// A list reads the summaries it lacks in one call, and only those; a
// service the store no longer publishes gets an empty summary, not an error,
// and is asked for again next time.
func TestSummaryCacheReadsWhatItLacks(t *testing.T) {
	src := &countingSource{}
	c := newSummaryCache(src)
	ctx := context.Background()
	got, err := c.get(ctx, summaries("bins", "parking"))
	if err != nil {
		t.Fatal(err)
	}
	if text, _ := got["parking"].In("en", "en"); text != "About parking" {
		t.Errorf("parking's summary = %q", text)
	}
	got, err = c.get(ctx, summaries("parking", "library", "archived"))
	if err != nil {
		t.Fatal(err)
	}
	if want := [][]string{{"bins", "parking"}, {"library", "archived"}}; !slices.EqualFunc(src.asked, want, slices.Equal) {
		t.Errorf("the source was asked %v, want %v", src.asked, want)
	}
	if text, _ := got["archived"].In("en", "en"); text != "" || len(got) != 3 {
		t.Errorf("got %d summaries, the archived one %q; want 3 and an empty one", len(got), text)
	}
	if _, err := c.get(ctx, summaries("parking", "archived")); err != nil || len(src.asked) != 3 || !slices.Equal(src.asked[2], []string{"archived"}) {
		t.Errorf("a list already read asked the source for %v (%v); want only the archived service again", src.asked[2:], err)
	}

	src.err = errors.New("database gone")
	if _, err := c.get(ctx, summaries("new")); !errors.Is(err, src.err) {
		t.Errorf("the source's error became %v", err)
	}
}

// The cache keeps at most two generations of summaryCacheSize: what is
// still shown stays, what nobody asked for since is read again.
func TestSummaryCacheIsBounded(t *testing.T) {
	src := &countingSource{}
	c := newSummaryCache(src)
	ctx := context.Background()
	for i := range 3 * summaryCacheSize {
		if _, err := c.get(ctx, summaries(fmt.Sprint(i), "home")); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(c.recent) + len(c.older); n > 2*summaryCacheSize {
		t.Errorf("the cache holds %d summaries, more than %d", n, 2*summaryCacheSize)
	}
	homeReads := 0
	for _, a := range src.asked {
		if slices.Contains(a, "home") {
			homeReads++
		}
	}
	if homeReads != 1 {
		t.Errorf("a summary every list shows was read %d times, want once", homeReads)
	}
	src.asked = nil
	if _, err := c.get(ctx, summaries("0")); err != nil || len(src.asked) != 1 {
		t.Errorf("the first summary, long unasked, was not read again (%v)", src.asked)
	}
}

// A list larger than half the cache is read but not kept, so that it does
// not push out what every page shows.
func TestSummaryCacheKeepsNoHugeList(t *testing.T) {
	src := &countingSource{}
	c := newSummaryCache(src)
	ctx := context.Background()
	if _, err := c.get(ctx, summaries("home")); err != nil {
		t.Fatal(err)
	}
	var huge []string
	for i := range summaryCacheSize/2 + 1 {
		huge = append(huge, fmt.Sprint("topic-", i))
	}
	for range 2 {
		if _, err := c.get(ctx, summaries(huge...)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.get(ctx, summaries("home")); err != nil {
		t.Fatal(err)
	}
	if len(src.asked) != 3 {
		t.Errorf("the source was asked %d times, want 3: home once, the huge list each time", len(src.asked))
	}
}

// Requests share a directory's cache: run with -race (.ci/run does).
func TestSummaryCacheConcurrentLists(t *testing.T) {
	c := newSummaryCache(&lockedSource{})
	ctx := context.Background()
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				got, err := c.get(ctx, summaries(fmt.Sprint(i), fmt.Sprint(g*1000+i), "home"))
				if err != nil {
					t.Error(err)
					return
				}
				if text, _ := got["home"].In("en", "en"); text != "About home" {
					t.Errorf("home's summary = %q", text)
					return
				}
			}
		})
	}
	wg.Wait()
}

// lockedSource is a countingSource safe for concurrent calls.
type lockedSource struct {
	mu  sync.Mutex
	src countingSource
}

func (s *lockedSource) Summaries(ctx context.Context, slugs []string) (map[string]catalogue.PackedText, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.src.Summaries(ctx, slugs)
}
