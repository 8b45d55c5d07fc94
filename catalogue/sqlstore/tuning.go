package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"sportello/catalogue"
	"sportello/editorial"
	"sportello/store"
)

// SynonymSets returns every synonym set, by language.
func (st *Store) SynonymSets(ctx context.Context) ([]editorial.SynonymSet, error) {
	out, err := store.Query(ctx, st.db.SQL(), st.db.Rebind(qSynonymSets), func(r store.Scanner) (editorial.SynonymSet, error) {
		var s editorial.SynonymSet
		var terms string
		var at int64
		if err := r.Scan(&s.ID, &s.Lang, &terms, &s.UpdatedBy, &at); err != nil {
			return s, err
		}
		s.UpdatedAt = time.Unix(at, 0).UTC()
		if err := json.Unmarshal([]byte(terms), &s.Terms); err != nil {
			return s, fmt.Errorf("decoding synonym set %d: %w", s.ID, err)
		}
		return s, nil
	})
	if err != nil {
		return nil, fmt.Errorf("sqlstore: synonyms: %w", st.db.MapError(err))
	}
	return out, nil
}

// SaveSynonymSet creates the set (ID 0) or replaces it, and returns its id.
func (st *Store) SaveSynonymSet(ctx context.Context, s editorial.SynonymSet, actor string) (int64, error) {
	if len(s.Terms) < 2 {
		return 0, fmt.Errorf("%w: a synonym set needs at least two terms", catalogue.ErrInvalid)
	}
	terms, err := json.Marshal(s.Terms)
	if err != nil {
		return 0, err
	}
	at := time.Now().Unix()
	err = st.db.Tx(ctx, func(tx *sql.Tx) error {
		if s.ID == 0 {
			s.ID = randomID()
			_, err = tx.ExecContext(ctx, st.db.Rebind(qInsertSynonymSet), s.ID, s.Lang, string(terms), actor, at)
		} else {
			var res sql.Result
			res, err = tx.ExecContext(ctx, st.db.Rebind(qUpdateSynonymSet), s.Lang, string(terms), actor, at, s.ID)
			if err == nil {
				if n, _ := res.RowsAffected(); n == 0 {
					return fmt.Errorf("%w: synonym set %d", catalogue.ErrNotFound, s.ID)
				}
			}
		}
		if err != nil {
			return st.db.MapError(err)
		}
		return st.tuningChanged(ctx, tx, time.Unix(at, 0), actor, "synonyms", "", "", fmt.Sprintf("synonyms (%s) saved: %s", s.Lang, strings.Join(s.Terms, ", ")))
	})
	if err != nil {
		return 0, fmt.Errorf("sqlstore: saving synonyms: %w", err)
	}
	return s.ID, nil
}

// DeleteSynonymSet deletes one set.
func (st *Store) DeleteSynonymSet(ctx context.Context, id int64, actor string) error {
	err := st.db.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, st.db.Rebind(qDeleteSynonymSet), id)
		if err != nil {
			return st.db.MapError(err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("%w: synonym set %d", catalogue.ErrNotFound, id)
		}
		return st.tuningChanged(ctx, tx, time.Now(), actor, "synonyms", "", "", fmt.Sprintf("synonym set %d deleted", id))
	})
	if err != nil {
		return fmt.Errorf("sqlstore: deleting synonyms: %w", err)
	}
	return nil
}

// tuningChanged records a change of synonyms or best bets in the audit log
// and announces it on the change feed, in the change's transaction.
func (st *Store) tuningChanged(ctx context.Context, tx *sql.Tx, at time.Time, actor, action, kind, slug, detail string) error {
	if err := st.audit(ctx, tx, at, actor, action, kind, slug, detail); err != nil {
		return err
	}
	return st.db.Notify(ctx, tx, editorial.TuningTopic)
}

// BestBets returns every best bet, by language and query.
func (st *Store) BestBets(ctx context.Context) ([]editorial.BestBet, error) {
	out, err := store.Query(ctx, st.db.SQL(), st.db.Rebind(qBestBets), func(r store.Scanner) (editorial.BestBet, error) {
		var b editorial.BestBet
		var at int64
		err := r.Scan(&b.Lang, &b.Query, &b.Slug, &b.UpdatedBy, &at)
		b.UpdatedAt = time.Unix(at, 0).UTC()
		return b, err
	})
	if err != nil {
		return nil, fmt.Errorf("sqlstore: best bets: %w", st.db.MapError(err))
	}
	return out, nil
}

// SaveBestBet pins b.Slug to b.Query in b.Lang, replacing any pin of it.
func (st *Store) SaveBestBet(ctx context.Context, b editorial.BestBet, actor string) error {
	if b.Query == "" || b.Slug == "" {
		return fmt.Errorf("%w: a best bet needs a query and a service", catalogue.ErrInvalid)
	}
	at := time.Now()
	err := st.db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, st.db.Rebind(qUpsertBestBet), b.Lang, b.Query, b.Slug, actor, at.Unix()); err != nil {
			return st.db.MapError(err)
		}
		return st.tuningChanged(ctx, tx, at, actor, "best_bet", catalogue.KindService, b.Slug, fmt.Sprintf("best bet (%s) %q pinned to %s", b.Lang, b.Query, b.Slug))
	})
	if err != nil {
		return fmt.Errorf("sqlstore: saving a best bet: %w", err)
	}
	return nil
}

// DeleteBestBet removes the pin of query in lang.
func (st *Store) DeleteBestBet(ctx context.Context, lang, query, actor string) error {
	err := st.db.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, st.db.Rebind(qDeleteBestBet), lang, query)
		if err != nil {
			return st.db.MapError(err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("%w: best bet (%s) %q", catalogue.ErrNotFound, lang, query)
		}
		return st.tuningChanged(ctx, tx, time.Now(), actor, "best_bet", "", "", fmt.Sprintf("best bet (%s) %q removed", lang, query))
	})
	if err != nil {
		return fmt.Errorf("sqlstore: deleting a best bet: %w", err)
	}
	return nil
}

// AddInsights adds counts to the stored ones (per query and per service),
// in one transaction.
func (st *Store) AddInsights(ctx context.Context, counts []editorial.InsightCount, clicks []editorial.ServiceClicks) error {
	if len(counts) == 0 && len(clicks) == 0 {
		return nil
	}
	err := st.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := execEach(ctx, tx, st.db.Rebind(qAddInsight), counts, func(c editorial.InsightCount) []any {
			return []any{c.Week, c.Lang, c.Query, c.Searches, c.ZeroResults, c.Clicks}
		}); err != nil {
			return st.db.MapError(err)
		}
		return st.db.MapError(execEach(ctx, tx, st.db.Rebind(qAddClicks), clicks, func(c editorial.ServiceClicks) []any {
			return []any{c.Week, c.Lang, c.Slug, c.Clicks}
		}))
	})
	if err != nil {
		return fmt.Errorf("sqlstore: adding search insights: %w", err)
	}
	return nil
}

// Insights returns the counts of week (and lang, unless ""), most searched
// first, at most limit rows.
func (st *Store) Insights(ctx context.Context, week, lang string, limit int) ([]editorial.InsightCount, error) {
	out, err := store.Query(ctx, st.db.SQL(), st.db.Rebind(qInsights), func(r store.Scanner) (editorial.InsightCount, error) {
		var c editorial.InsightCount
		err := r.Scan(&c.Week, &c.Lang, &c.Query, &c.Searches, &c.ZeroResults, &c.Clicks)
		return c, err
	}, week, lang, lang, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: search insights: %w", st.db.MapError(err))
	}
	return out, nil
}

// execEach runs one prepared statement for each row.
func execEach[T any](ctx context.Context, tx *sql.Tx, q string, rows []T, args func(T) []any) error {
	if len(rows) == 0 {
		return nil
	}
	stmt, err := tx.PrepareContext(ctx, q)
	if err != nil {
		return err
	}
	defer stmt.Close()
	for _, r := range rows {
		if _, err := stmt.ExecContext(ctx, args(r)...); err != nil {
			return err
		}
	}
	return nil
}

// ServiceClicks sums the clicks on each service from the search results,
// per language, over the weeks from fromWeek on: clicks[lang][slug].
func (st *Store) ServiceClicks(ctx context.Context, fromWeek string) (map[string]map[string]int64, error) {
	type row struct {
		lang, slug string
		clicks     int64
	}
	rows, err := store.Query(ctx, st.db.SQL(), st.db.Rebind(qServiceClicks), func(r store.Scanner) (row, error) {
		var c row
		err := r.Scan(&c.lang, &c.slug, &c.clicks)
		return c, err
	}, fromWeek)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: clicks per service: %w", st.db.MapError(err))
	}
	out := map[string]map[string]int64{}
	for _, c := range rows {
		if out[c.lang] == nil {
			out[c.lang] = map[string]int64{}
		}
		out[c.lang][c.slug] = c.clicks
	}
	return out, nil
}

// InsightWeeks returns the weeks with insights, newest first.
func (st *Store) InsightWeeks(ctx context.Context) ([]string, error) {
	out, err := store.Query(ctx, st.db.SQL(), st.db.Rebind(qInsightWeeks), func(r store.Scanner) (string, error) {
		var w string
		err := r.Scan(&w)
		return w, err
	})
	if err != nil {
		return nil, fmt.Errorf("sqlstore: search insight weeks: %w", st.db.MapError(err))
	}
	return out, nil
}
