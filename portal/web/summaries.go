package web

import (
	"context"
	"sync"

	"sportello/catalogue"
)

// SummarySource reads services' summary texts, which the directory leaves
// out; catalogue.Store is one.
type SummarySource interface {
	Summaries(ctx context.Context, slugs []string) (map[string]catalogue.PackedText, error)
}

// summaryCacheSize bounds the summaries a directory keeps: the home page's,
// the related services of the pages people read, and the first ListCap of
// the lists of topics and life events people browse. Each
// is a few hundred bytes in five languages, so the cache holds at most a
// few megabytes where the whole catalogue's were 30 MB at 100k services.
const summaryCacheSize = 4096

// summaryCache keeps the summary texts the lists of one directory have
// shown. It holds two generations: when the newer fills, it becomes the
// older and the older is dropped, so what pages keep showing stays and the
// cache never holds more than twice its size.
type summaryCache struct {
	src           SummarySource
	mu            sync.Mutex
	recent, older map[string]catalogue.PackedText
}

func newSummaryCache(src SummarySource) *summaryCache {
	return &summaryCache{src: src, recent: map[string]catalogue.PackedText{}}
}

// get returns the summary texts of list by slug, reading those it lacks
// from the source in one call. A service the source no longer has (archived
// since the directory was read) gets an empty summary, which is not kept:
// the next directory will not list it. A read of more than half the cache
// (a long list) is not kept either, so that it does not push out
// what every page shows, like the home page's top tasks.
//
// The source reads the published catalogue as it is now, which between a
// publish and the directory's reload (seconds; minutes after a large
// import) may be a version newer than the directory's: a list may then show
// a service's new summary beside its old title until the reload.
func (c *summaryCache) get(ctx context.Context, list []*catalogue.ServiceSummary) (map[string]catalogue.PackedText, error) {
	out := make(map[string]catalogue.PackedText, len(list))
	var missing []string
	c.mu.Lock()
	for _, s := range list {
		if t, ok := c.lookup(s.Slug); ok {
			out[s.Slug] = t
		} else {
			missing = append(missing, s.Slug)
		}
	}
	c.mu.Unlock()
	if len(missing) == 0 {
		return out, nil
	}
	read, err := c.src.Summaries(ctx, missing)
	if err != nil {
		return nil, err
	}
	keep := len(missing) <= summaryCacheSize/2
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, slug := range missing {
		t, ok := read[slug]
		out[slug] = t
		if ok && keep {
			c.put(slug, t)
		}
	}
	return out, nil
}

// lookup finds slug in either generation, moving it to the newer. c.mu is
// held.
func (c *summaryCache) lookup(slug string) (catalogue.PackedText, bool) {
	if t, ok := c.recent[slug]; ok {
		return t, true
	}
	t, ok := c.older[slug]
	if ok {
		c.put(slug, t)
	}
	return t, ok
}

// put adds slug to the newer generation, starting a new one when it is
// full. c.mu is held.
func (c *summaryCache) put(slug string, t catalogue.PackedText) {
	if len(c.recent) >= summaryCacheSize {
		c.older, c.recent = c.recent, make(map[string]catalogue.PackedText, summaryCacheSize)
	}
	c.recent[slug] = t
}
