// Command pgfts measures PostgreSQL full-text search on Sportello's
// catalogues, as the peer a council would otherwise use (docs/performance.md,
// "PostgreSQL full-text search side by side"). In a scratch schema of the
// database given, dropped at the end, it
//
//   - loads the synthetic catalogue of -n services (`sportello generate`'s,
//     the same seed) with one weighted tsvector per language (title and
//     search terms A, summary B, description D) and a GIN index on each, and
//     reports the load and index build rate;
//   - replays the load run's searches (-paths, the search.txt that
//     docs/perf/loadrun.sh writes; without it, an equivalent list made the
//     same way) from -conns connections for -duration, each search the ten
//     best by ts_rank plus the topic, audience, online and free counts of
//     all its hits, as Sportello's API answers, and reports throughput and
//     latency;
//   - loads the demo catalogue and runs the judged query sets, reporting
//     success@1, success@3 and MRR as TestJudgedQueries does.
//
// Text search configurations: english, spanish, italian and french are
// PostgreSQL's own, with unaccent before the stemmer (as PostgreSQL's
// documentation shows) so that accents are folded as Sportello folds them;
// Catalan has no built-in configuration, so it is 'simple' (lowercase, no
// stemming, no stop words) with unaccent. A search in a language matches its
// own tsvector and, at half the rank, the English one (the text of
// untranslated services), like Sportello's fallback; words are ANDed
// (websearch_to_tsquery), and a search that finds nothing so is retried
// with any word (the tsquery's & made |), as Sportello retries.
//
//	go run ./docs/perf/pgfts -n 10000 -paths /tmp/search.txt
//	go run ./docs/perf/pgfts -n 100000 -duration 20s
package main

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"sportello/catalogue"
	"sportello/catalogue/synthetic"
)

// configs maps each language to its text search configuration in the
// scratch schema, and the built-in one it copies ("" for Catalan: simple).
var configs = map[string]string{"en": "english", "es": "spanish", "it": "italian", "fr": "french", "ca": ""}

func main() {
	dbURL := flag.String("db", "postgres://postgres@127.0.0.1:5432/test?sslmode=disable", "PostgreSQL to use (a scratch schema is created and dropped)")
	n := flag.Int("n", 10000, "synthetic services")
	paths := flag.String("paths", "", "search paths to replay (docs/perf/loadrun.sh's search.txt); default: made like it")
	conns := flag.Int("conns", 16, "concurrent connections")
	duration := flag.Duration("duration", 20*time.Second, "how long to replay the searches")
	judged := flag.String("judged", "search/testdata", "directory of judged.json and judged_heldout.json")
	flag.Parse()
	if err := run(context.Background(), *dbURL, *n, *paths, *conns, *duration, *judged); err != nil {
		fmt.Fprintln(os.Stderr, "pgfts:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, dbURL string, n int, pathsFile string, conns int, duration time.Duration, judgedDir string) error {
	schema := "pgfts_" + strings.ToLower(rand.Text()[:8])
	cfg, err := pgxpool.ParseConfig(dbURL)
	if err != nil {
		return err
	}
	cfg.MaxConns = int32(conns)
	cfg.ConnConfig.RuntimeParams["search_path"] = schema + ",public"
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return err
	}
	defer pool.Close()
	if err := setUp(ctx, pool, schema); err != nil {
		return err
	}
	defer func() {
		if _, err := pool.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			fmt.Fprintln(os.Stderr, "pgfts: dropping the scratch schema:", err)
		}
	}()
	fmt.Printf("scratch schema %s; Catalan: 'simple' + unaccent (no built-in configuration)\n", schema)

	c := synthetic.Generate(n, 1)
	if err := load(ctx, pool, "svc", c.Services); err != nil {
		return err
	}
	var searches []search
	if pathsFile != "" {
		searches, err = readPaths(pathsFile)
	} else {
		searches = makeSearches(c)
	}
	if err != nil {
		return err
	}
	if err := replay(ctx, pool, "svc", searches, conns, duration); err != nil {
		return err
	}

	demo, err := catalogue.Load(catalogue.DemoJSON())
	if err != nil {
		return err
	}
	if err := load(ctx, pool, "demo", demo.Services); err != nil {
		return err
	}
	for _, f := range []string{"judged.json", "judged_heldout.json"} {
		if err := quality(ctx, pool, judgedDir+"/"+f); err != nil {
			return err
		}
	}
	return nil
}

// setUp creates the schema, unaccent in it when the database has none yet,
// and one text search configuration per language.
func setUp(ctx context.Context, pool *pgxpool.Pool, schema string) error {
	stmts := []string{
		"CREATE SCHEMA " + schema,
		"CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA " + schema,
	}
	for lang, builtin := range configs {
		copyOf, stem := "simple", "simple"
		if builtin != "" {
			copyOf, stem = "pg_catalog."+builtin, builtin+"_stem"
		}
		stmts = append(stmts,
			fmt.Sprintf("CREATE TEXT SEARCH CONFIGURATION %s.cfg_%s (COPY = %s)", schema, lang, copyOf),
			fmt.Sprintf("ALTER TEXT SEARCH CONFIGURATION %s.cfg_%s ALTER MAPPING FOR hword, hword_part, word WITH unaccent, %s", schema, lang, stem))
	}
	for _, s := range stmts {
		if _, err := pool.Exec(ctx, s); err != nil {
			return fmt.Errorf("%s: %w", s, err)
		}
	}
	return nil
}

// load creates table and fills it with services, then indexes it, and
// reports the rate.
func load(ctx context.Context, pool *pgxpool.Pool, table string, services []catalogue.Service) error {
	cols := []string{"slug text PRIMARY KEY", "topic text NOT NULL", "audience text[] NOT NULL", "online bool NOT NULL", "free bool NOT NULL", "title text NOT NULL"}
	for _, l := range catalogue.Languages {
		cols = append(cols, "title_"+l+" text", "kw_"+l+" text", "summary_"+l+" text", "desc_"+l+" text")
	}
	if _, err := pool.Exec(ctx, fmt.Sprintf("CREATE TABLE %s (%s)", table, strings.Join(cols, ", "))); err != nil {
		return err
	}
	start := time.Now()
	rows := make([][]any, len(services))
	names := []string{"slug", "topic", "audience", "online", "free", "title"}
	for _, l := range catalogue.Languages {
		names = append(names, "title_"+l, "kw_"+l, "summary_"+l, "desc_"+l)
	}
	for i := range services {
		s := &services[i]
		r := []any{s.Slug, s.Topic, s.Audience, s.Online(), s.Free(), s.Title["en"]}
		for _, l := range catalogue.Languages {
			r = append(r, nullable(s.Title[l]), nullable(strings.Join(s.Keywords[l], ", ")), nullable(s.Summary[l]), nullable(s.Description[l]))
		}
		rows[i] = r
	}
	if _, err := pool.CopyFrom(ctx, pgx.Identifier{table}, names, pgx.CopyFromRows(rows)); err != nil {
		return err
	}
	copied := time.Since(start)
	// One stored, weighted tsvector per language, and a GIN index on each:
	// what a council's own PostgreSQL search would have.
	var adds, idx []string
	for _, l := range catalogue.Languages {
		cfg := "cfg_" + l
		adds = append(adds, fmt.Sprintf(`ADD COLUMN tsv_%[1]s tsvector GENERATED ALWAYS AS (
			setweight(to_tsvector('%[2]s', coalesce(title_%[1]s, '')), 'A') ||
			setweight(to_tsvector('%[2]s', coalesce(kw_%[1]s, '')), 'A') ||
			setweight(to_tsvector('%[2]s', coalesce(summary_%[1]s, '')), 'B') ||
			setweight(to_tsvector('%[2]s', coalesce(desc_%[1]s, '')), 'D')) STORED`, l, cfg))
		idx = append(idx, fmt.Sprintf("CREATE INDEX %[1]s_tsv_%[2]s ON %[1]s USING gin (tsv_%[2]s)", table, l))
	}
	if _, err := pool.Exec(ctx, fmt.Sprintf("ALTER TABLE %s %s", table, strings.Join(adds, ", "))); err != nil {
		return err
	}
	for _, s := range append(idx, "ANALYZE "+table) {
		if _, err := pool.Exec(ctx, s); err != nil {
			return err
		}
	}
	took := time.Since(start)
	var size int64
	if err := pool.QueryRow(ctx, "SELECT pg_total_relation_size($1)", table).Scan(&size); err != nil {
		return err
	}
	fmt.Printf("%s: %d services loaded and indexed in %.1f s (copy %.1f s): %.0f docs/s; table and indexes %.0f MB\n",
		table, len(services), took.Seconds(), copied.Seconds(), float64(len(services))/took.Seconds(), float64(size)/(1<<20))
	return nil
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// search is one of the load run's searches.
type search struct {
	q, lang, topic, audience string
	online                   bool
}

func readPaths(file string) ([]search, error) {
	raw, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var out []search
	for _, line := range strings.Split(strings.TrimSpace(string(raw)), "\n") {
		u, err := url.Parse(line)
		if err != nil {
			return nil, err
		}
		v := u.Query()
		out = append(out, search{q: v.Get("q"), lang: v.Get("lang"), topic: v.Get("topic"), audience: v.Get("audience"), online: v.Get("online") == "1"})
	}
	return out, nil
}

// makeSearches makes 2,000 searches of the kind docs/perf/loadrun.sh
// makes (synthetic.Searches).
func makeSearches(c *catalogue.Catalogue) []search {
	var out []search
	for _, s := range synthetic.Searches(c, 2000, 2) {
		out = append(out, search{q: s.Query, lang: s.Lang, topic: s.Topic, audience: s.Audience, online: s.Online})
	}
	return out
}

// match is the WHERE clause and rank of a search in lang on table: its own
// language's tsvector and, at half the rank, English's. $1 is the text;
// anyWord ORs its words instead of ANDing them.
func match(lang string, anyWord bool) (where, rank string) {
	tsq := func(l string) string {
		q := fmt.Sprintf("websearch_to_tsquery('cfg_%s', $1)", l)
		if anyWord {
			q = "replace(" + q + "::text, '&', '|')::tsquery"
		}
		return q
	}
	q := tsq(lang)
	if lang == "en" {
		return "tsv_en @@ " + q, "ts_rank(tsv_en, " + q + ")"
	}
	qen := tsq("en")
	return fmt.Sprintf("(tsv_%s @@ %s OR tsv_en @@ %s)", lang, q, qen),
		fmt.Sprintf("greatest(ts_rank(tsv_%s, %s), 0.5 * ts_rank(tsv_en, %s))", lang, q, qen)
}

// runSearch does one search as Sportello's API does: the first ten hits by
// rank and the facet counts of all hits; with all words, then, when that
// finds nothing, with any.
func runSearch(ctx context.Context, pool *pgxpool.Pool, table string, s search) ([]string, error) {
	slugs, err := searchOnce(ctx, pool, table, s, false)
	if err == nil && len(slugs) == 0 && len(strings.Fields(s.q)) > 1 {
		slugs, err = searchOnce(ctx, pool, table, s, true)
	}
	return slugs, err
}

func searchOnce(ctx context.Context, pool *pgxpool.Pool, table string, s search, anyWord bool) ([]string, error) {
	where, rank := match(s.lang, anyWord)
	args := []any{s.q}
	if s.topic != "" {
		args = append(args, s.topic)
		where += fmt.Sprintf(" AND topic = $%d", len(args))
	}
	if s.audience != "" {
		args = append(args, s.audience)
		where += fmt.Sprintf(" AND $%d = ANY(audience)", len(args))
	}
	if s.online {
		where += " AND online"
	}
	hits, err := pool.Query(ctx, fmt.Sprintf("SELECT slug FROM %s WHERE %s ORDER BY %s DESC, slug LIMIT 10", table, where, rank), args...)
	if err != nil {
		return nil, err
	}
	slugs, err := pgx.CollectRows(hits, pgx.RowTo[string])
	if err != nil {
		return nil, err
	}
	facets := fmt.Sprintf(`WITH h AS MATERIALIZED (SELECT topic, audience, online, free FROM %s WHERE %s)
		SELECT 't', topic, count(*) FROM h GROUP BY topic
		UNION ALL SELECT 'a', a, count(*) FROM h, unnest(audience) a GROUP BY a
		UNION ALL SELECT 'o', '', count(*) FROM h WHERE online
		UNION ALL SELECT 'f', '', count(*) FROM h WHERE free`, table, where)
	rows, err := pool.Query(ctx, facets, args...)
	if err != nil {
		return nil, err
	}
	rows.Close()
	return slugs, rows.Err()
}

// replay runs the searches in a cycle from conns goroutines for duration.
func replay(ctx context.Context, pool *pgxpool.Pool, table string, searches []search, conns int, duration time.Duration) error {
	var (
		mu      sync.Mutex
		lat     []time.Duration
		firstEr error
		wg      sync.WaitGroup
	)
	deadline := time.Now().Add(duration)
	start := time.Now()
	for g := range conns {
		wg.Go(func() {
			var mine []time.Duration
			for i := g; time.Now().Before(deadline); i += conns {
				t := time.Now()
				if _, err := runSearch(ctx, pool, table, searches[i%len(searches)]); err != nil {
					mu.Lock()
					firstEr = cmpOr(firstEr, err)
					mu.Unlock()
					return
				}
				mine = append(mine, time.Since(t))
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		})
	}
	wg.Wait()
	if firstEr != nil {
		return firstEr
	}
	elapsed := time.Since(start)
	slices.Sort(lat)
	pct := func(p float64) float64 {
		return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))].Microseconds()) / 1000
	}
	fmt.Printf("searches: %d in %.1f s from %d connections: %.0f req/s; p50 %.1f ms, p90 %.1f ms, p99 %.1f ms\n",
		len(lat), elapsed.Seconds(), conns, float64(len(lat))/elapsed.Seconds(), pct(0.5), pct(0.9), pct(0.99))
	return nil
}

func cmpOr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

// quality runs a judged set on the demo table.
func quality(ctx context.Context, pool *pgxpool.Pool, file string) error {
	raw, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	var set []struct{ Lang, Query, Want string }
	if err := json.Unmarshal(raw, &set); err != nil {
		return err
	}
	var at1, at3 int
	var rr float64
	for _, j := range set {
		slugs, err := runSearch(ctx, pool, "demo", search{q: j.Query, lang: j.Lang})
		if err != nil {
			return fmt.Errorf("%q: %w", j.Query, err)
		}
		if r := slices.Index(slugs, j.Want) + 1; r > 0 {
			rr += 1 / float64(r)
			if r == 1 {
				at1++
			}
			if r <= 3 {
				at3++
			}
		}
	}
	n := float64(len(set))
	fmt.Printf("%s (%d queries): success@1 %.3f, success@3 %.3f, MRR %.3f\n", file, len(set),
		float64(at1)/n, float64(at3)/n, math.Round(rr/n*1000)/1000)
	return nil
}
