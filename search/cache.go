package search

import (
	"container/list"
	"maps"
	"sync"
)

// cacheEntries bounds the memoised result sets: a few thousand recent
// queries cover a resident paging through results and a council's popular
// searches (the facet counts they spare are a third of a broad search's
// time at 100k services), and at about a kilobyte each (13 topics) the
// cache stays within a few megabytes.
const cacheEntries = 4096

// setKey identifies a result set: everything a search's hits depend on
// except the page. gen is the index generation (see Index.gen), so a change
// of the index or of its tuning never serves an old answer.
type setKey struct {
	gen             uint64
	text, lang      string
	topic, audience string
	online, free    bool
}

// setInfo is what a result set costs most to work out and every page of it
// shares: the facet counts (a doc-values visit per hit) and the did-you-mean
// (a dictionary walk and a second search).
type setInfo struct {
	facets     Facets
	didYouMean string
}

// setCache is a small LRU of setInfo, safe for concurrent use.
type setCache struct {
	mu    sync.Mutex
	order *list.List // front: most recently used; values are *cacheItem
	items map[setKey]*list.Element
}

type cacheItem struct {
	key  setKey
	info setInfo
}

func newSetCache() *setCache {
	return &setCache{order: list.New(), items: map[setKey]*list.Element{}}
}

// get returns a copy of the cached info, so callers may change the maps.
func (c *setCache) get(k setKey) (setInfo, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.items[k]
	if !ok {
		return setInfo{}, false
	}
	c.order.MoveToFront(e)
	return e.Value.(*cacheItem).info.clone(), true
}

func (c *setCache) put(k setKey, info setInfo) {
	info = info.clone()
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[k]; ok {
		e.Value.(*cacheItem).info = info
		c.order.MoveToFront(e)
		return
	}
	c.items[k] = c.order.PushFront(&cacheItem{key: k, info: info})
	for c.order.Len() > cacheEntries {
		last := c.order.Back()
		c.order.Remove(last)
		delete(c.items, last.Value.(*cacheItem).key)
	}
}

// clear drops every entry; entries of past generations are unreachable
// anyway, clearing just frees them sooner.
func (c *setCache) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.order.Init()
	clear(c.items)
}

func (s setInfo) clone() setInfo {
	s.facets.Topics = maps.Clone(s.facets.Topics)
	s.facets.Audiences = maps.Clone(s.facets.Audiences)
	return s
}
