package editorial

import (
	"context"
	"time"
)

// TuningTopic is the change feed's topic (store.DB.Notify, Listen) of
// synonym sets and best bets: a store announces every change of them under
// it, so that every instance gives its search index the new tuning.
const TuningTopic = "search_tuning"

// Tuning is what editors keep to make search find better: synonym sets and
// best bets. Each change is written to the audit log with it.
type Tuning interface {
	// SynonymSets returns every synonym set, by language.
	SynonymSets(ctx context.Context) ([]SynonymSet, error)
	// SaveSynonymSet creates the set (ID 0) or replaces it, and returns
	// its id; catalogue.ErrInvalid with fewer than two terms.
	SaveSynonymSet(ctx context.Context, s SynonymSet, actor string) (int64, error)
	// DeleteSynonymSet deletes one set, or returns catalogue.ErrNotFound.
	DeleteSynonymSet(ctx context.Context, id int64, actor string) error
	// BestBets returns every best bet, by language and query.
	BestBets(ctx context.Context) ([]BestBet, error)
	// SaveBestBet pins b.Slug to b.Query in b.Lang, replacing any pin of it.
	SaveBestBet(ctx context.Context, b BestBet, actor string) error
	// DeleteBestBet removes the pin of query in lang, or returns
	// catalogue.ErrNotFound.
	DeleteBestBet(ctx context.Context, lang, query, actor string) error
}

// SynonymSet is a set of words or phrases that mean the same in one
// language, as editors keep them for search.
type SynonymSet struct {
	ID        int64
	Lang      string
	Terms     []string
	UpdatedBy string
	UpdatedAt time.Time
}

// BestBet pins a service to a (normalised) query in one language.
type BestBet struct {
	Lang, Query, Slug string
	UpdatedBy         string
	UpdatedAt         time.Time
}

// Insights are what residents search for, counted per week and language,
// and which services they open from the results.
type Insights interface {
	// AddInsights adds counts to the stored ones (per query and per
	// service), in one transaction.
	AddInsights(ctx context.Context, counts []InsightCount, clicks []ServiceClicks) error
	// Insights returns the counts of week (and lang, unless ""), most
	// searched first, at most limit rows.
	Insights(ctx context.Context, week, lang string, limit int) ([]InsightCount, error)
	// InsightWeeks returns the weeks with insights, newest first.
	InsightWeeks(ctx context.Context) ([]string, error)
	// ServiceClicks sums the clicks on each service from the search
	// results, per language, over the weeks from fromWeek ("2026-W07") on:
	// clicks[lang][slug].
	ServiceClicks(ctx context.Context, fromWeek string) (map[string]map[string]int64, error)
}

// InsightCount is what is known about one query in one week and language:
// counts, and nothing about who searched.
type InsightCount struct {
	Week, Lang, Query string
	Searches          int64
	ZeroResults       int64
	Clicks            int64
}

// ServiceClicks counts the clicks one service had from the search results
// in one week and language: what residents open, the search's ranking
// prior. Nothing about who clicked.
type ServiceClicks struct {
	Week, Lang, Slug string
	Clicks           int64
}
