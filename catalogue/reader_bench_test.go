package catalogue_test

import (
	"os"
	"path/filepath"
	"runtime/metrics"
	"strconv"
	"testing"

	"sportello/catalogue"
	"sportello/catalogue/synthetic"
)

// BenchmarkReadCatalogue reads a synthetic catalogue file as `sportello
// import` did (held whole: Load) and as it does (twice, one service at a
// time: Reader), and reports the most heap in use it saw (peak-heap-MB,
// sampled every 100 services and at the end) and the heap per service.
// SPORTELLO_BENCH_SERVICES sets the size (2,000 by default):
//
//	SPORTELLO_BENCH_SERVICES=100000 go test ./catalogue -run '^$' -bench ReadCatalogue -benchtime 1x
func BenchmarkReadCatalogue(b *testing.B) {
	n := 2000
	if s := os.Getenv("SPORTELLO_BENCH_SERVICES"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil {
			b.Fatal(err)
		}
	}
	data, err := catalogue.Encode(synthetic.Generate(n, 1))
	if err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(b.TempDir(), "catalogue.json")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		b.Fatal(err)
	}
	data = nil

	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	heap := func() uint64 {
		metrics.Read(sample)
		return sample[0].Value.Uint64()
	}
	report := func(b *testing.B, peak uint64) {
		b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
		b.ReportMetric(float64(peak)/float64(n), "heap-B/service")
	}

	b.Run("whole", func(b *testing.B) {
		var peak uint64
		for b.Loop() {
			data, err := os.ReadFile(path)
			if err != nil {
				b.Fatal(err)
			}
			c, err := catalogue.Load(data)
			if err != nil {
				b.Fatal(err)
			}
			peak = max(peak, heap())
			if len(c.Services) != n {
				b.Fatalf("%d services read", len(c.Services))
			}
		}
		report(b, peak)
	})
	b.Run("twice", func(b *testing.B) {
		var peak uint64
		for b.Loop() {
			rd, err := catalogue.ReadFile(path)
			if err != nil {
				b.Fatal(err)
			}
			seen := 0
			err = rd.Services(func(*catalogue.Service) error {
				if seen++; seen%100 == 0 {
					peak = max(peak, heap())
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
			peak = max(peak, heap())
			if seen != n {
				b.Fatalf("%d services read", seen)
			}
		}
		report(b, peak)
	})
}
