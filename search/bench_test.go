package search

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"syscall"
	"testing"
	"time"

	"sportello/catalogue"
	"sportello/catalogue/synthetic"
)

// Benchmarks run on generated catalogues. SPORTELLO_BENCH_SERVICES sets the
// size (default 1000, so that `go test -bench .` stays quick); with
// SPORTELLO_BENCH_DIR set, BenchmarkIndexBuild leaves its index there and
// BenchmarkSearch opens it instead of building its own, which also measures
// opening an up-to-date index.
//
//	SPORTELLO_BENCH_SERVICES=100000 go test ./search -run '^$' -bench . -benchtime 1x -timeout 60m

func benchServices(b *testing.B) int {
	n := 1000
	if v := os.Getenv("SPORTELLO_BENCH_SERVICES"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n <= 0 {
			b.Fatalf("SPORTELLO_BENCH_SERVICES=%q: want a positive number of services", v)
		}
	}
	return n
}

func dirSize(b *testing.B, dir string) int64 {
	var total int64
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			info, err := d.Info()
			if err != nil {
				return err
			}
			total += info.Size()
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return total
}

// cpuTime is the CPU time this process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func BenchmarkIndexBuild(b *testing.B) {
	n := benchServices(b)
	src := FromCatalogue(synthetic.Generate(n, 1), 1)
	ctx := context.Background()
	var elapsed, cpu time.Duration
	var size int64
	for b.Loop() {
		dir := b.TempDir()
		if d := os.Getenv("SPORTELLO_BENCH_DIR"); d != "" {
			// Leave the built index for BenchmarkSearch to open.
			dir = filepath.Join(d, fmt.Sprintf("n%d", n))
			if err := os.RemoveAll(dir); err != nil {
				b.Fatal(err)
			}
		}
		cpu0 := cpuTime()
		start := time.Now()
		x, err := Open(ctx, dir, src, nil)
		if err != nil {
			b.Fatal(err)
		}
		elapsed += time.Since(start)
		cpu += cpuTime() - cpu0
		if err := x.Close(); err != nil {
			b.Fatal(err)
		}
		size = dirSize(b, dir)
	}
	b.ReportMetric(float64(n)*float64(b.N)/elapsed.Seconds(), "docs/s")
	// The machine is shared: docs per CPU-second does not depend on what
	// else runs, and times the core count bounds what an idle machine does.
	b.ReportMetric(float64(n)*float64(b.N)/cpu.Seconds(), "docs/cpu-s")
	b.ReportMetric(float64(size)/(1<<20), "MiB")
	b.ReportMetric(float64(size)/float64(n), "B/doc")
}

// benchQueries mix languages, filters, typos, phrases and listings, the
// way the portal's traffic would.
var benchQueries = []Request{
	{Query: "parking permit", Lang: "en"},
	{Query: "bin collection", Lang: "en"},
	{Query: "rubish", Lang: "en"},
	{Query: "temporary building permit", Lang: "en"},
	{Query: "tax discount", Lang: "en", Audience: "business"},
	{Query: "licence", Lang: "en", Online: true},
	{Query: "library card", Lang: "en", Free: true},
	{Query: "noise complaint neighbours", Lang: "en"},
	{Query: "renew", Lang: "en", Page: 3},
	{Query: "emergency hardship payment", Lang: "en", Topic: "benefits-support"},
	{Query: "", Lang: "en", Topic: "housing"},
	{Query: "", Lang: "en", Online: true, Free: true},
	{Query: "recogida de basura", Lang: "es"},
	{Query: "licencia de obras", Lang: "es"},
	{Query: "permiso aparcamiento", Lang: "es", Online: true},
	{Query: "recollida d'escombraries", Lang: "ca"},
	{Query: "llicència d'obertura", Lang: "ca"},
	{Query: "raccolta dei rifiuti", Lang: "it"},
	{Query: "permesso di sosta", Lang: "it"},
	{Query: "permis de construire", Lang: "fr"},
	{Query: "collecte des ordures", Lang: "fr", Free: true},
	{Query: "pothole repair street light", Lang: "en"},
	{Query: "plannning permision", Lang: "en"},
	{Query: "dog", Lang: "en"},
}

// BenchmarkSearch cycles through benchQueries, so after the first round
// each page comes from the index's cache, as it does for a popular search
// or a resident going back.
func BenchmarkSearch(b *testing.B) { benchSearch(b, benchQueries, nil) }

// BenchmarkSearchUncached starts a new index generation before every
// search, so that each one runs in full: the cost of a query seen for the
// first time, on an index that has just changed.
func BenchmarkSearchUncached(b *testing.B) { benchSearch(b, benchQueries, (*Index).invalidate) }

// BenchmarkSearchNewQuery forgets the result sets and pages before every
// search but keeps the fuzzy expansions of words already met: the cost of
// a search nobody asked before, made of words others used (the everyday
// case, which the load runs' first pass measures).
func BenchmarkSearchNewQuery(b *testing.B) { benchSearch(b, benchQueries, forgetResults) }

// BenchmarkSearchLoadRun is BenchmarkSearchNewQuery with 2,000 searches of
// the kind docs/perf/loadrun.sh makes, one at a time: the cost of the first
// pass that decides the load run's p99. With -benchtime 2000x each search runs once,
// with 4000x twice (the second time with its fuzzy expansions known).
func BenchmarkSearchLoadRun(b *testing.B) {
	n := benchServices(b)
	benchSearch(b, loadRunQueries(synthetic.Generate(n, 1), 2000), forgetResults)
}

// forgetResults forgets the result sets and pages but keeps the fuzzy
// expansions of words already met.
func forgetResults(x *Index) {
	x.sets.clear()
	x.pages.clear()
}

// loadRunQueries makes n searches of the kind docs/perf/loadrun.sh
// makes (synthetic.Searches).
func loadRunQueries(c *catalogue.Catalogue, n int) []Request {
	var out []Request
	for _, s := range synthetic.Searches(c, n, 1) {
		out = append(out, Request{Query: s.Query, Lang: s.Lang, Topic: s.Topic, Audience: s.Audience, Online: s.Online})
	}
	return out
}

// benchSearch runs queries in turn, calling forget, if any, before each.
func benchSearch(b *testing.B, queries []Request, forget func(*Index)) {
	n := benchServices(b)
	ctx := context.Background()
	dir := b.TempDir()
	if d := os.Getenv("SPORTELLO_BENCH_DIR"); d != "" {
		dir = filepath.Join(d, fmt.Sprintf("n%d", n))
	}
	src := FromCatalogue(synthetic.Generate(n, 1), 1)
	x, err := Open(ctx, dir, src, nil)
	if err != nil {
		b.Fatal(err)
	}
	// Open again now that the index is up to date: what a restart costs.
	if err := x.Close(); err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	x, err = Open(ctx, dir, src, nil)
	if err != nil {
		b.Fatal(err)
	}
	openTime := time.Since(start)
	defer func() { _ = x.Close() }()
	// What a server searches once it has merged its segments (compact).
	x.merging.Wait()

	var lat []time.Duration
	hits := 0
	i := 0
	b.ResetTimer()
	cpu0 := cpuTime()
	for b.Loop() {
		q := queries[i%len(queries)]
		i++
		if forget != nil {
			forget(x)
		}
		t := time.Now()
		r, err := x.Search(ctx, q)
		lat = append(lat, time.Since(t))
		if err != nil {
			b.Fatal(err)
		}
		hits += len(r.Hits)
	}
	cpu := cpuTime() - cpu0
	if hits == 0 {
		b.Fatal("no query found anything")
	}
	// On a shared machine the CPU time a search takes says more than its
	// latency, which includes waiting for a core.
	b.ReportMetric(float64(cpu.Microseconds())/1000/float64(len(lat)), "cpu-ms/op")
	slices.Sort(lat)
	pct := func(p float64) float64 {
		return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))].Microseconds()) / 1000
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(float64(openTime.Microseconds())/1000, "open-ms")
}

func BenchmarkSuggest(b *testing.B) {
	n := benchServices(b)
	ctx := context.Background()
	x, err := Open(ctx, b.TempDir(), FromCatalogue(synthetic.Generate(n, 1), 1), nil)
	if err != nil {
		b.Fatal(err)
	}
	defer func() { _ = x.Close() }()
	prefixes := []string{"par", "bin col", "licen", "perm", "recog", "escomb", "rifiu", "collec"}
	i := 0
	for b.Loop() {
		if _, err := x.Suggest(ctx, []string{"en", "es", "ca", "it", "fr"}[i%5], prefixes[i%len(prefixes)], 8); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
