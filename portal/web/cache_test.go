package web

import (
	"testing"
)

func TestVersionCache(t *testing.T) {
	c := NewVersionCache[string](2)
	c.Put(1, "a", "a1")
	if v, ok := c.Get(1, "a"); !ok || v != "a1" {
		t.Fatalf("get(1, a) = %q, %v", v, ok)
	}
	if _, ok := c.Get(2, "a"); ok {
		t.Error("a value of version 1 was returned for version 2")
	}
	c.Put(2, "b", "b2")
	if _, ok := c.Get(1, "a"); ok {
		t.Error("version 1 survived a put of version 2")
	}
	c.Put(1, "a", "late")
	if _, ok := c.Get(2, "a"); ok {
		t.Error("a late put of an old version was kept")
	}
	c.Put(2, "c", "c2")
	c.Put(2, "d", "d2") // over the bound: starts over
	if _, ok := c.Get(2, "b"); ok {
		t.Error("the cache grew past its bound")
	}
	if v, _ := c.Get(2, "d"); v != "d2" {
		t.Errorf("get(2, d) = %q", v)
	}
}
