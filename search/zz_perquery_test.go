package search

import (
	"context"
	"os"
	"testing"
	"time"
	"fmt"

	"sportello/catalogue/synthetic"
)

func TestZZPerQuery(t *testing.T) {
	if os.Getenv("ZZ") == "" {
		t.Skip()
	}
	n := 100000
	ctx := context.Background()
	src := FromCatalogue(synthetic.Generate(n, 1), 1)
	x, err := Open(ctx, os.Getenv("ZZ"), src, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	for _, q := range benchQueries {
		var best time.Duration = time.Hour
		var total int
		for range 5 {
			x.invalidate()
			c0 := cpuTime()
			r, _ := x.Search(ctx, q)
			best = min(best, cpuTime()-c0)
			total = r.Total
		}
		fmt.Printf("%-40s %-3s %6d hits  %6.1f ms\n", fmt.Sprintf("%q %+v", q.Query, q.Topic+q.Audience), q.Lang, total, float64(best.Microseconds())/1000)
	}
}
