package search

import (
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"testing"

	"sportello/catalogue"
)

// demoCatalogue decodes the embedded demo catalogue. (catalogue.Parse will
// validate it too once it exists; plain decoding is enough for the index.)
func demoCatalogue(t testing.TB) *catalogue.Catalogue {
	t.Helper()
	var c catalogue.Catalogue
	if err := json.Unmarshal(catalogue.DemoJSON(), &c); err != nil {
		t.Fatalf("decode demo catalogue: %v", err)
	}
	if len(c.Services) < 100 {
		t.Fatalf("demo catalogue has %d services, want 100+", len(c.Services))
	}
	return &c
}

func testLogger(t testing.TB) *slog.Logger {
	if testing.Verbose() {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.DiscardHandler)
}

// openDemo builds the demo catalogue's index in a temporary directory.
func openDemo(t testing.TB) (*Index, *catalogue.Catalogue) {
	t.Helper()
	c := demoCatalogue(t)
	x, err := Open(context.Background(), t.TempDir(), FromCatalogue(c, 1), testLogger(t))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := x.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return x, c
}

func slugs(r Result) []string {
	out := make([]string, len(r.Hits))
	for i, h := range r.Hits {
		out[i] = h.Slug
	}
	return out
}
