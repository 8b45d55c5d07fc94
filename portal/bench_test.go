package portal

import (
	"testing"
)

// The service page is the page most visitors land on from search engines;
// the target is 5,000 requests a second on 2 cores. These benchmarks call
// the Fiber handler directly, without a network, so they measure what the
// portal itself costs per request (store read, rendering, headers, log).
func benchmarkPath(b *testing.B, path, acceptLanguage string) {
	benchmarkHandler(b, fixture.srv.App().Handler(), path, acceptLanguage)
}

func BenchmarkServiceShow(b *testing.B) {
	benchmarkPath(b, "/services/resident-parking-permit", "")
}

func BenchmarkServiceShowSpanish(b *testing.B) {
	benchmarkPath(b, "/services/resident-parking-permit", "es-ES,es;q=0.9")
}

func BenchmarkHomeShow(b *testing.B) { benchmarkPath(b, "/", "") }

func BenchmarkSearchShow(b *testing.B) { benchmarkPath(b, "/search?q=parking+permit", "") }
