package main

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"sportello/catalogue"
	"sportello/catalogue/sqlstore"
	"sportello/editorial"
	"sportello/portal/public"
	"sportello/search"
	"sportello/store"
	"sportello/store/storetest"
)

// TestLoadPrior checks that the index's prior is the top tasks and the
// clicks of the last priorWeeks weeks, per language, on both databases.
func TestLoadPrior(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		cat, err := sqlstore.New(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		c, err := catalogue.Load(catalogue.DemoJSON())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := cat.Import(ctx, c); err != nil {
			t.Fatal(err)
		}
		index, err := search.Open(ctx, t.TempDir(), cat, slog.New(slog.DiscardHandler))
		if err != nil {
			t.Fatal(err)
		}
		defer index.Close()
		now := time.Date(2026, 3, 4, 12, 0, 0, 0, time.UTC)
		old := public.ISOWeek(now.AddDate(0, 0, -7*(priorWeeks+1)))
		err = cat.AddInsights(ctx, nil, []editorial.ServiceClicks{
			{Week: public.ISOWeek(now), Lang: "it", Slug: "disabled-parking-badge", Clicks: 200},
			{Week: public.ISOWeek(now.AddDate(0, 0, -14)), Lang: "it", Slug: "disabled-parking-badge", Clicks: 300},
			{Week: old, Lang: "it", Slug: "summer-camp-registration", Clicks: 5000},
		})
		if err != nil {
			t.Fatal(err)
		}
		p, err := loadPrior(ctx, cat, index, []string{"report-a-pothole"}, now)
		if err != nil {
			t.Fatal(err)
		}
		if w := p.Weight("it", "disabled-parking-badge"); w != 1 {
			t.Errorf("the most clicked service of Italian searches weighs %.2f there, want 1", w)
		}
		if w := p.Weight("fr", "disabled-parking-badge"); w <= 0 || w >= 1 {
			t.Errorf("it weighs %.2f in French searches, want between 0 and 1", w)
		}
		if w := p.Weight("it", "summer-camp-registration"); w != 0 {
			t.Errorf("clicks older than %d weeks weigh %.2f, want 0", priorWeeks, w)
		}
		if w := p.Weight("en", "report-a-pothole"); w <= 0 {
			t.Errorf("a top task weighs %.2f", w)
		}
	})
}
