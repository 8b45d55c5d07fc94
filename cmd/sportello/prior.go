package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"sportello/editorial"
	"sportello/portal/public"
	"sportello/search"
)

const (
	// priorEvery is how often each instance reads the clicks per service
	// again: the prior follows what residents use over weeks, so a few
	// minutes' delay changes nothing, and each read is one small query.
	priorEvery = 10 * time.Minute
	// priorWeeks is how far back clicks count: about a season, so that
	// what residents need (school admissions in spring, heating help in
	// winter) moves the ranking within weeks, and last year's rush fades.
	priorWeeks = 13
)

// loadPrior gives the index its ranking prior: the home page's top tasks and
// the clicks per language and service of the last priorWeeks weeks.
func loadPrior(ctx context.Context, clicks editorial.Insights, index *search.Index, topTasks []string, now time.Time) (*search.Prior, error) {
	byLang, err := clicks.ServiceClicks(ctx, public.ISOWeek(now.AddDate(0, 0, -7*priorWeeks)))
	if err != nil {
		return nil, fmt.Errorf("reading the clicks per service for the search ranking: %w", err)
	}
	p := search.NewPrior(topTasks, byLang)
	index.SetPrior(p)
	return p, nil
}

// followPrior reloads the prior every priorEvery until ctx ends. Every
// instance runs it (not a job, which runs on one instance only): each has
// its own index. A failed read keeps the prior it had.
func followPrior(ctx context.Context, clicks editorial.Insights, index *search.Index, topTasks []string, log *slog.Logger) {
	t := time.NewTicker(priorEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			if _, err := loadPrior(ctx, clicks, index, topTasks, now); err != nil && ctx.Err() == nil {
				log.Warn("search prior not updated; keeping the last", "err", err)
			}
		}
	}
}
