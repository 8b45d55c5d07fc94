package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"sportello/catalogue"
)

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

// SynonymSets returns every synonym set, by language.
func (db *DB) SynonymSets(ctx context.Context) ([]SynonymSet, error) {
	rows, err := db.sql.QueryContext(ctx, db.Rebind(qSynonymSets))
	if err != nil {
		return nil, fmt.Errorf("sqlstore: synonyms: %w", db.MapError(err))
	}
	defer rows.Close()
	var out []SynonymSet
	for rows.Next() {
		var s SynonymSet
		var terms string
		var at int64
		if err := rows.Scan(&s.ID, &s.Lang, &terms, &s.UpdatedBy, &at); err != nil {
			return nil, fmt.Errorf("sqlstore: synonyms: %w", db.MapError(err))
		}
		if err := json.Unmarshal([]byte(terms), &s.Terms); err != nil {
			return nil, fmt.Errorf("sqlstore: decoding synonym set %d: %w", s.ID, err)
		}
		s.UpdatedAt = time.Unix(at, 0).UTC()
		out = append(out, s)
	}
	return out, db.MapError(rows.Err())
}

// SaveSynonymSet creates the set (ID 0) or replaces it, and returns its id.
func (db *DB) SaveSynonymSet(ctx context.Context, s SynonymSet, actor string) (int64, error) {
	if len(s.Terms) < 2 {
		return 0, fmt.Errorf("%w: a synonym set needs at least two terms", catalogue.ErrInvalid)
	}
	terms, err := json.Marshal(s.Terms)
	if err != nil {
		return 0, err
	}
	at := time.Now().Unix()
	err = db.Tx(ctx, func(tx *sql.Tx) error {
		if s.ID == 0 {
			s.ID = randomID()
			_, err = tx.ExecContext(ctx, db.Rebind(qInsertSynonymSet), s.ID, s.Lang, string(terms), actor, at)
		} else {
			var res sql.Result
			res, err = tx.ExecContext(ctx, db.Rebind(qUpdateSynonymSet), s.Lang, string(terms), actor, at, s.ID)
			if err == nil {
				if n, _ := res.RowsAffected(); n == 0 {
					return fmt.Errorf("%w: synonym set %d", catalogue.ErrNotFound, s.ID)
				}
			}
		}
		if err != nil {
			return db.MapError(err)
		}
		return db.audit(ctx, tx, time.Unix(at, 0), actor, "synonyms", "", "", fmt.Sprintf("synonyms (%s) saved: %s", s.Lang, strings.Join(s.Terms, ", ")))
	})
	if err != nil {
		return 0, fmt.Errorf("sqlstore: saving synonyms: %w", err)
	}
	return s.ID, nil
}

// DeleteSynonymSet deletes one set.
func (db *DB) DeleteSynonymSet(ctx context.Context, id int64, actor string) error {
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, db.Rebind(qDeleteSynonymSet), id)
		if err != nil {
			return db.MapError(err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("%w: synonym set %d", catalogue.ErrNotFound, id)
		}
		return db.audit(ctx, tx, time.Now(), actor, "synonyms", "", "", fmt.Sprintf("synonym set %d deleted", id))
	})
	if err != nil {
		return fmt.Errorf("sqlstore: deleting synonyms: %w", err)
	}
	return nil
}

// BestBets returns every best bet, by language and query.
func (db *DB) BestBets(ctx context.Context) ([]BestBet, error) {
	rows, err := db.sql.QueryContext(ctx, db.Rebind(qBestBets))
	if err != nil {
		return nil, fmt.Errorf("sqlstore: best bets: %w", db.MapError(err))
	}
	defer rows.Close()
	var out []BestBet
	for rows.Next() {
		var b BestBet
		var at int64
		if err := rows.Scan(&b.Lang, &b.Query, &b.Slug, &b.UpdatedBy, &at); err != nil {
			return nil, fmt.Errorf("sqlstore: best bets: %w", db.MapError(err))
		}
		b.UpdatedAt = time.Unix(at, 0).UTC()
		out = append(out, b)
	}
	return out, db.MapError(rows.Err())
}

// SaveBestBet pins b.Slug to b.Query in b.Lang, replacing any pin of it.
func (db *DB) SaveBestBet(ctx context.Context, b BestBet, actor string) error {
	if b.Query == "" || b.Slug == "" {
		return fmt.Errorf("%w: a best bet needs a query and a service", catalogue.ErrInvalid)
	}
	at := time.Now()
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, db.Rebind(qUpsertBestBet), b.Lang, b.Query, b.Slug, actor, at.Unix()); err != nil {
			return db.MapError(err)
		}
		return db.audit(ctx, tx, at, actor, "best_bet", catalogue.KindService, b.Slug, fmt.Sprintf("best bet (%s) %q pinned to %s", b.Lang, b.Query, b.Slug))
	})
	if err != nil {
		return fmt.Errorf("sqlstore: saving a best bet: %w", err)
	}
	return nil
}

// DeleteBestBet removes the pin of query in lang.
func (db *DB) DeleteBestBet(ctx context.Context, lang, query, actor string) error {
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, db.Rebind(qDeleteBestBet), lang, query)
		if err != nil {
			return db.MapError(err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("%w: best bet (%s) %q", catalogue.ErrNotFound, lang, query)
		}
		return db.audit(ctx, tx, time.Now(), actor, "best_bet", "", "", fmt.Sprintf("best bet (%s) %q removed", lang, query))
	})
	if err != nil {
		return fmt.Errorf("sqlstore: deleting a best bet: %w", err)
	}
	return nil
}

// InsightCount is what is known about one query in one week and language:
// counts, and nothing about who searched.
type InsightCount struct {
	Week, Lang, Query string
	Searches          int64
	ZeroResults       int64
	Clicks            int64
}

// AddInsights adds counts to the stored ones, in one transaction.
func (db *DB) AddInsights(ctx context.Context, counts []InsightCount) error {
	if len(counts) == 0 {
		return nil
	}
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		st, err := tx.PrepareContext(ctx, db.Rebind(qAddInsight))
		if err != nil {
			return db.MapError(err)
		}
		defer st.Close()
		for _, c := range counts {
			if _, err := st.ExecContext(ctx, c.Week, c.Lang, c.Query, c.Searches, c.ZeroResults, c.Clicks); err != nil {
				return db.MapError(err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("sqlstore: adding search insights: %w", err)
	}
	return nil
}

// Insights returns the counts of week (and lang, unless ""), most searched
// first, at most limit rows.
func (db *DB) Insights(ctx context.Context, week, lang string, limit int) ([]InsightCount, error) {
	rows, err := db.sql.QueryContext(ctx, db.Rebind(qInsights), week, lang, lang, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: search insights: %w", db.MapError(err))
	}
	defer rows.Close()
	var out []InsightCount
	for rows.Next() {
		var c InsightCount
		if err := rows.Scan(&c.Week, &c.Lang, &c.Query, &c.Searches, &c.ZeroResults, &c.Clicks); err != nil {
			return nil, fmt.Errorf("sqlstore: search insights: %w", db.MapError(err))
		}
		out = append(out, c)
	}
	return out, db.MapError(rows.Err())
}

// InsightWeeks returns the weeks with insights, newest first.
func (db *DB) InsightWeeks(ctx context.Context) ([]string, error) {
	rows, err := db.sql.QueryContext(ctx, db.Rebind(qInsightWeeks))
	if err != nil {
		return nil, fmt.Errorf("sqlstore: search insight weeks: %w", db.MapError(err))
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var w string
		if err := rows.Scan(&w); err != nil {
			return nil, db.MapError(err)
		}
		out = append(out, w)
	}
	return out, db.MapError(rows.Err())
}
