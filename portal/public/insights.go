package public

import (
	"context"
	"fmt"
	"log/slog"
	"regexp"
	"sync"
	"time"
	"unicode/utf8"

	"sportello/editorial"
	"sportello/search"
)

// Insights counts searches, searches with no results and clicks on results,
// per ISO week, language and normalised query, and the clicks per service
// (the search's ranking prior): counts only, never who searched. Counts gather in memory and are added to the database in one
// transaction every flushEvery or flushKeys distinct queries, so a search
// costs a map update rather than a database write; a crash loses at most
// that much.
type Insights struct {
	db  editorial.Insights
	log *slog.Logger
	now func() time.Time

	mu        sync.Mutex
	pending   map[insightKey]*editorial.InsightCount
	clicks    map[insightKey]int64 // query is the service's slug
	lastFlush time.Time
	flushMu   sync.Mutex // one flush at a time
}

type insightKey struct{ week, lang, query string }

const (
	flushEvery = 30 * time.Second
	flushKeys  = 500
	// maxInsightQuery bounds what is kept of a query.
	maxInsightQuery = 100
)

// WithheldQuery is counted instead of a query that looks like personal
// data. It is stored as it is, so the editor's page shows it in its own
// language (editor.search.withheld).
const WithheldQuery = "[withheld: looked like personal data]"

// personalData matches what must not be kept from a query: e-mail
// addresses and long numbers (phone, ID, card and reference numbers).
var personalData = regexp.MustCompile(`[^\s@]+@[^\s@]+|\d[\d\s./-]{4,}\d`)

func NewInsights(db editorial.Insights, log *slog.Logger) *Insights {
	return &Insights{db: db, log: log, now: time.Now, pending: map[insightKey]*editorial.InsightCount{}, clicks: map[insightKey]int64{}, lastFlush: time.Now()}
}

// ISOWeek names the week of t as "2026-W07".
func ISOWeek(t time.Time) string {
	y, w := t.ISOWeek()
	return fmt.Sprintf("%d-W%02d", y, w)
}

// insightQuery is the form a query is counted in, "" for none.
func insightQuery(q string) string {
	n := search.NormalizeQuery(q)
	if n == "" {
		return ""
	}
	if personalData.MatchString(n) {
		return WithheldQuery
	}
	if utf8.RuneCountInString(n) > maxInsightQuery {
		r := []rune(n)
		n = string(r[:maxInsightQuery])
	}
	return n
}

// search counts one search (the first page of it) and whether it found
// nothing.
func (in *Insights) Search(lang, query string, total int) {
	in.add(lang, query, func(c *editorial.InsightCount) {
		c.Searches++
		if total == 0 {
			c.ZeroResults++
		}
	})
}

// Click counts a click on a result of query: for the query, and for the
// service opened (slug).
func (in *Insights) Click(lang, query, slug string) {
	in.add(lang, query, func(c *editorial.InsightCount) {
		c.Clicks++
		in.clicks[insightKey{c.Week, lang, slug}]++
	})
}

func (in *Insights) add(lang, query string, count func(*editorial.InsightCount)) {
	q := insightQuery(query)
	if q == "" {
		return
	}
	now := in.now()
	k := insightKey{ISOWeek(now), lang, q}
	in.mu.Lock()
	c := in.pending[k]
	if c == nil {
		c = &editorial.InsightCount{Week: k.week, Lang: k.lang, Query: k.query}
		in.pending[k] = c
	}
	count(c)
	due := len(in.pending)+len(in.clicks) >= flushKeys || now.Sub(in.lastFlush) >= flushEvery
	in.mu.Unlock()
	if due {
		go func() {
			if err := in.Flush(context.Background()); err != nil {
				in.log.Warn("saving search Insights failed; will retry", "err", err)
			}
		}()
	}
}

// flush adds the pending counts to the database. Counts that could not be
// written go back to pending.
func (in *Insights) Flush(ctx context.Context) error {
	in.flushMu.Lock()
	defer in.flushMu.Unlock()
	in.mu.Lock()
	batch := make([]editorial.InsightCount, 0, len(in.pending))
	for _, c := range in.pending {
		batch = append(batch, *c)
	}
	clicks := make([]editorial.ServiceClicks, 0, len(in.clicks))
	for k, n := range in.clicks {
		clicks = append(clicks, editorial.ServiceClicks{Week: k.week, Lang: k.lang, Slug: k.query, Clicks: n})
	}
	in.pending = map[insightKey]*editorial.InsightCount{}
	in.clicks = map[insightKey]int64{}
	in.lastFlush = in.now()
	in.mu.Unlock()
	err := in.db.AddInsights(ctx, batch, clicks)
	if err != nil {
		in.mu.Lock()
		for _, c := range clicks {
			in.clicks[insightKey{c.Week, c.Lang, c.Slug}] += c.Clicks
		}
		for _, b := range batch {
			k := insightKey{b.Week, b.Lang, b.Query}
			c := in.pending[k]
			if c == nil {
				c = &editorial.InsightCount{Week: b.Week, Lang: b.Lang, Query: b.Query}
				in.pending[k] = c
			}
			c.Searches += b.Searches
			c.ZeroResults += b.ZeroResults
			c.Clicks += b.Clicks
		}
		in.mu.Unlock()
	}
	return err
}
