package search

import (
	"context"
	"encoding/json"
	"os"
	"slices"
	"testing"

	"sportello/catalogue"
)

// judged is one query of a judged set: what a resident or business typed,
// in which language, the service that should be in the first three results
// and what kind of query it is (everyday, typo, question, paraphrase,
// regional, cross).
type judged struct {
	Lang  string `json:"lang"`
	Query string `json:"query"`
	Want  string `json:"want"`
	Type  string `json:"type"`
}

// The judged sets. judged.json is what search is tuned against; the
// held-out set, paraphrased questions written before any tuning, is only
// measured, so that its figures say how search does on what it was not
// tuned for.
const (
	judgedFile  = "testdata/judged.json"
	heldOutFile = "testdata/judged_heldout.json"
)

// quality accumulates success@1, success@3 and the reciprocal ranks.
type quality struct {
	n, at1, at3 int
	rr          float64
}

func (q *quality) add(rank int) {
	q.n++
	if rank == 1 {
		q.at1++
	}
	if rank >= 1 && rank <= 3 {
		q.at3++
	}
	if rank >= 1 {
		q.rr += 1 / float64(rank)
	}
}

func (q quality) success1() float64 { return float64(q.at1) / float64(q.n) }
func (q quality) success3() float64 { return float64(q.at3) / float64(q.n) }
func (q quality) mrr() float64      { return q.rr / float64(q.n) }

// floor is the least a judged set must score; a little below what search
// reaches, so that a real regression fails the test and noise does not.
type floor struct{ s1, s3, mrr float64 }

func (q quality) check(t *testing.T, name string, f floor) {
	t.Helper()
	t.Logf("%-22s n=%3d success@1=%.3f success@3=%.3f MRR=%.3f", name, q.n, q.success1(), q.success3(), q.mrr())
	if q.success1() < f.s1 || q.success3() < f.s3 || q.mrr() < f.mrr {
		t.Errorf("%s: success@1 %.3f, success@3 %.3f, MRR %.3f; want at least %.2f, %.2f, %.3f",
			name, q.success1(), q.success3(), q.mrr(), f.s1, f.s3, f.mrr)
	}
}

func loadJudged(t testing.TB, path string) []judged {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var set []judged
	if err := json.Unmarshal(raw, &set); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return set
}

// measured is a judged set's quality overall, per language and per type.
type measured struct {
	all     quality
	perLang map[string]*quality
	perType map[string]*quality // by type, and by language and type ("it everyday")
}

func measure(t testing.TB, x *Index, exists map[string]bool, set []judged) measured {
	t.Helper()
	m := measured{perLang: map[string]*quality{}, perType: map[string]*quality{}}
	for _, j := range set {
		if !exists[j.Want] {
			t.Fatalf("judged query %q wants unknown service %q", j.Query, j.Want)
		}
		if !slices.Contains(catalogue.Languages, j.Lang) || j.Type == "" {
			t.Fatalf("judged query %q: language %q or type %q missing", j.Query, j.Lang, j.Type)
		}
		r, err := x.Search(context.Background(), Request{Query: j.Query, Lang: j.Lang, PerPage: 10})
		if err != nil {
			t.Fatalf("Search(%q): %v", j.Query, err)
		}
		rank := slices.Index(slugs(r), j.Want) + 1
		if rank != 1 {
			t.Logf("miss [%s %s] %q: want %s, rank %d, got %v", j.Lang, j.Type, j.Query, j.Want, rank, first(slugs(r), 3))
		}
		m.all.add(rank)
		for _, k := range []struct {
			m   map[string]*quality
			key string
		}{{m.perLang, j.Lang}, {m.perType, j.Type}, {m.perType, j.Lang + " " + j.Type}} {
			if k.m[k.key] == nil {
				k.m[k.key] = &quality{}
			}
			k.m[k.key].add(rank)
		}
	}
	return m
}

// demoTopTasks are the home page's top tasks of the demo catalogue
// (portal.DefaultTopTasks), which the server gives the index as its prior.
var demoTopTasks = []string{
	"report-missed-bin-collection", "resident-parking-permit", "pay-a-parking-fine",
	"register-on-the-municipal-register", "report-a-pothole", "school-admission-application",
	"book-an-appointment-citizen-desk", "certificate-of-residence",
}

// The floors of TestJudgedQueries, a little below what search reaches
// (docs/performance.md has the figures). Kinds of query with few judged
// queries (typos, regional words, cross-language) count in their
// language's figures only: a single query moves theirs by several points.
var (
	langFloors = map[string]floor{
		"en": {0.92, 0.97, 0.95},
		"es": {0.90, 0.96, 0.94},
		"ca": {0.88, 0.97, 0.93},
		"it": {0.88, 0.96, 0.92},
		"fr": {0.91, 0.97, 0.95},
	}
	typeFloors = map[string]floor{
		"everyday": {0.95, 0.99, 0.975}, // success@3 and MRR: the targets for independent sets
		"question": {0.85, 0.95, 0.90},
	}
	allFloor = floor{0.94, 0.99, 0.97}
	// The held-out paraphrases were never tuned against: their floor
	// guards against a regression, not a target reached by tuning.
	heldOutFloor = floor{0.78, 0.88, 0.84}
)

// TestJudgedQueries measures ranking quality on the judged query sets, per
// language and per kind of query, and fails when any falls below its floor.
// docs/performance.md reports the figures.
func TestJudgedQueries(t *testing.T) {
	x, c := openDemo(t)
	x.SetPrior(NewPrior(demoTopTasks, nil))
	exists := map[string]bool{}
	for _, s := range c.Services {
		exists[s.Slug] = true
	}

	set := loadJudged(t, judgedFile)
	if len(set) < 300 {
		t.Errorf("%s has %d queries, want at least 300", judgedFile, len(set))
	}
	m := measure(t, x, exists, set)
	for _, lang := range catalogue.Languages {
		q := m.perLang[lang]
		if q == nil || q.n < 60 {
			t.Errorf("language %s has fewer than 60 judged queries", lang)
			continue
		}
		q.check(t, "judged "+lang, langFloors[lang])
		if e := m.perType[lang+" everyday"]; e != nil {
			e.check(t, "judged "+lang+" everyday", floor{})
		}
	}
	for _, typ := range []string{"everyday", "typo", "question", "paraphrase", "regional", "cross"} {
		if q := m.perType[typ]; q != nil {
			q.check(t, "judged "+typ, typeFloors[typ])
		}
	}
	m.all.check(t, "judged all", allFloor)

	held := measure(t, x, exists, loadJudged(t, heldOutFile))
	for _, lang := range catalogue.Languages {
		if q := held.perLang[lang]; q != nil {
			q.check(t, "held-out "+lang, floor{})
		}
	}
	held.all.check(t, "held-out all", heldOutFloor)
}

func first(s []string, n int) []string { return s[:min(n, len(s))] }

// BenchmarkJudged reports the judged sets' quality beside the time a judged
// query takes on the demo catalogue, so that a change made for speed shows
// at once what it costs in ranking:
//
//	go test ./search -run '^$' -bench Judged -benchtime 3x
func BenchmarkJudged(b *testing.B) {
	x, c := openDemo(b)
	x.SetPrior(NewPrior(demoTopTasks, nil))
	exists := map[string]bool{}
	for _, s := range c.Services {
		exists[s.Slug] = true
	}
	set, held := loadJudged(b, judgedFile), loadJudged(b, heldOutFile)
	var m, h measured
	for b.Loop() {
		m = measure(b, x, exists, set)
		h = measure(b, x, exists, held)
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*(len(set)+len(held))), "µs/query")
	b.ReportMetric(m.all.success1(), "s@1")
	b.ReportMetric(m.all.success3(), "s@3")
	b.ReportMetric(m.all.mrr(), "MRR")
	b.ReportMetric(h.all.success3(), "heldout-s@3")
	b.ReportMetric(h.all.mrr(), "heldout-MRR")
}
