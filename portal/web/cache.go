package web

import "sync"

// VersionCache keeps values derived from one catalogue version (rendered
// pages, Markdown), bounded in size. A value from another version is never
// returned, so an import makes every entry stale at once; at the bound the
// cache starts over, which costs one render per page.
type VersionCache[V any] struct {
	mu      sync.RWMutex
	max     int
	version int64
	entries map[string]V
}

func NewVersionCache[V any](max int) *VersionCache[V] {
	return &VersionCache[V]{max: max, entries: map[string]V{}}
}

func (c *VersionCache[V]) Get(version int64, key string) (V, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.version != version {
		var zero V
		return zero, false
	}
	v, ok := c.entries[key]
	return v, ok
}

func (c *VersionCache[V]) Put(version int64, key string, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if version < c.version {
		return // a slow request of the previous version
	}
	if version > c.version || len(c.entries) >= c.max {
		c.version = version
		c.entries = map[string]V{}
	}
	c.entries[key] = v
}
