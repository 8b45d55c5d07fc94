package portal

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	"sportello/catalogue"
	"sportello/editorial"
)

// BenchmarkPublishToSearchable measures what a publisher waits for: the
// publish transaction, the search index update and the directory reload,
// until the new title is found by search. Target: well under a second.
func BenchmarkPublishToSearchable(b *testing.B) {
	site := startLiveSite(b, ownCatalogue)
	ctx := context.Background()
	const slug = "report-a-pothole"
	svc := site.publishedService(b, slug)
	i := 0
	for b.Loop() {
		i++
		word := fmt.Sprintf("benchword%d", i)
		svc.Title["en"] = "Report a pothole " + word
		doc, _ := json.Marshal(svc)
		base, _ := site.store.NewestRevision(ctx, catalogue.KindService, slug)
		rev, err := site.store.SaveDraft(ctx, editorial.SaveRequest{Kind: catalogue.KindService, Slug: slug, Base: base, Doc: doc, Author: "bench", Status: editorial.StatusDraft})
		if err != nil {
			b.Fatal(err)
		}
		started := time.Now()
		if _, err := site.store.Publish(ctx, editorial.PublishRequest{Kind: catalogue.KindService, Slug: slug, Base: rev.Number, Doc: doc, Actor: "bench", ReviewBy: started}); err != nil {
			b.Fatal(err)
		}
		if err := site.srv.editor.SyncPublished(ctx, started); err != nil {
			b.Fatal(err)
		}
		if !slices.Contains(site.searchSlugs(b, word, "en"), slug) {
			b.Fatalf("%s is not searchable after publishing", word)
		}
	}
}
