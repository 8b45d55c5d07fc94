package portal

import (
	"testing"

	"github.com/valyala/fasthttp"
)

// The service page is the page most visitors land on from search engines;
// the target is 5,000 requests a second on 2 cores. These benchmarks call
// the Fiber handler directly, without a network, so they measure what the
// portal itself costs per request (store read, rendering, headers, log).
func benchmarkPath(b *testing.B, path, acceptLanguage string) {
	h := fixture.srv.App().Handler()
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		var ctx fasthttp.RequestCtx
		for pb.Next() {
			ctx.Request.Reset()
			ctx.Response.Reset()
			ctx.Request.SetRequestURI(path)
			if acceptLanguage != "" {
				ctx.Request.Header.Set("Accept-Language", acceptLanguage)
			}
			h(&ctx)
			if ctx.Response.StatusCode() != fasthttp.StatusOK {
				b.Fatalf("GET %s: %d", path, ctx.Response.StatusCode())
			}
		}
	})
}

func BenchmarkServiceShow(b *testing.B) {
	benchmarkPath(b, "/services/resident-parking-permit", "")
}

func BenchmarkServiceShowSpanish(b *testing.B) {
	benchmarkPath(b, "/services/resident-parking-permit", "es-ES,es;q=0.9")
}

func BenchmarkHomeShow(b *testing.B) { benchmarkPath(b, "/", "") }

func BenchmarkSearchShow(b *testing.B) { benchmarkPath(b, "/search?q=parking+permit", "") }
