package portal

import "testing"

func TestVersionCache(t *testing.T) {
	c := newVersionCache[string](2)
	c.put(1, "a", "a1")
	if v, ok := c.get(1, "a"); !ok || v != "a1" {
		t.Fatalf("get(1, a) = %q, %v", v, ok)
	}
	if _, ok := c.get(2, "a"); ok {
		t.Error("a value of version 1 was returned for version 2")
	}
	c.put(2, "b", "b2")
	if _, ok := c.get(1, "a"); ok {
		t.Error("version 1 survived a put of version 2")
	}
	c.put(1, "a", "late")
	if _, ok := c.get(2, "a"); ok {
		t.Error("a late put of an old version was kept")
	}
	c.put(2, "c", "c2")
	c.put(2, "d", "d2") // over the bound: starts over
	if _, ok := c.get(2, "b"); ok {
		t.Error("the cache grew past its bound")
	}
	if v, _ := c.get(2, "d"); v != "d2" {
		t.Errorf("get(2, d) = %q", v)
	}
}
