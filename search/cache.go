package search

import (
	"container/list"
	"maps"
	"slices"
	"sync"
)

// cacheEntries bounds each of the index's two caches. A council's search
// log is dominated by a few thousand queries ("bins", "parking permit",
// their typos and languages) and by residents paging through them, so a
// few thousand recent ones answer most searches without touching the
// index. At about a kilobyte a set (13 topics) and three or four a page of
// ten hits, both stay within about 20 MB.
const cacheEntries = 4096

// setKey identifies a result set: everything a search's hits depend on
// except the page. gen is the index generation (see Index.gen), so a change
// of the index, its tuning or its prior never serves an old answer.
type setKey struct {
	gen             uint64
	text, lang      string
	topic, audience string
	online, free    bool
}

// pageKey identifies one page of a result set.
type pageKey struct {
	set           setKey
	page, perPage int
}

// setInfo is what a result set costs most to work out and every page of it
// shares: the facet counts (a pass over every hit) and the did-you-mean
// (a dictionary walk and a second search).
type setInfo struct {
	facets     Facets
	didYouMean string
}

// lru is a small least-recently-used cache, safe for concurrent use. get
// and put copy values with clone, so that neither the cache nor its callers
// see the other's changes.
type lru[K comparable, V any] struct {
	clone func(V) V
	mu    sync.Mutex
	order *list.List // front: most recently used; values are *lruItem
	items map[K]*list.Element
}

type lruItem[K comparable, V any] struct {
	key K
	val V
}

func newLRU[K comparable, V any](clone func(V) V) *lru[K, V] {
	return &lru[K, V]{clone: clone, order: list.New(), items: map[K]*list.Element{}}
}

func (c *lru[K, V]) get(k K) (V, bool) {
	c.mu.Lock()
	e, ok := c.items[k]
	if !ok {
		c.mu.Unlock()
		var zero V
		return zero, false
	}
	c.order.MoveToFront(e)
	v := e.Value.(*lruItem[K, V]).val
	c.mu.Unlock()
	return c.clone(v), true
}

func (c *lru[K, V]) put(k K, v V) {
	v = c.clone(v)
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[k]; ok {
		e.Value.(*lruItem[K, V]).val = v
		c.order.MoveToFront(e)
		return
	}
	c.items[k] = c.order.PushFront(&lruItem[K, V]{key: k, val: v})
	for c.order.Len() > cacheEntries {
		last := c.order.Back()
		c.order.Remove(last)
		delete(c.items, last.Value.(*lruItem[K, V]).key)
	}
}

// clear drops every entry; entries of past generations are unreachable
// anyway, clearing just frees them sooner.
func (c *lru[K, V]) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.order.Init()
	clear(c.items)
}

func (s setInfo) clone() setInfo {
	s.facets = s.facets.clone()
	return s
}

func (f Facets) clone() Facets {
	f.Topics = maps.Clone(f.Topics)
	f.Audiences = maps.Clone(f.Audiences)
	return f
}

// clone copies what a caller could change: the facet maps and the slice of
// hits (fragments are never changed once made).
func (r Result) clone() Result {
	r.Facets = r.Facets.clone()
	r.Hits = slices.Clone(r.Hits)
	return r
}
