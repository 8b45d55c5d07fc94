package portal

import (
	"io"
	"log/slog"
	"testing"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"sportello/metrics"
)

// What the metrics cost a request: the observe middleware alone, in front
// of a handler that does nothing, and the service page with and without
// metrics. Figures are in docs/performance.md.
func BenchmarkObserve(b *testing.B) {
	for _, observed := range []bool{false, true} {
		name := "off"
		if observed {
			name = "on"
		}
		b.Run(name, func(b *testing.B) {
			s := &Server{}
			app := fiber.New(fiber.Config{DisableStartupMessage: true})
			if observed {
				s.metrics = metrics.New()
				app.Use(s.observe)
			}
			app.Get("/services/:slug", func(c *fiber.Ctx) error { return c.SendString("ok") })
			s.routed = routedHandlers(app)
			benchmarkHandler(b, app.Handler(), "/services/resident-parking-permit", "")
		})
	}
}

func BenchmarkServiceShowMetrics(b *testing.B) {
	for _, observed := range []bool{false, true} {
		name := "off"
		deps := fixture.deps
		if observed {
			name, deps.Metrics = "on", metrics.New()
		}
		b.Run(name, func(b *testing.B) {
			// Both servers as the fixture's, logging to io.Discard.
			srv, err := New(Config{BaseURL: "https://portanova.example", Env: "test", DemoSignIn: true,
				Log: slog.New(slog.NewTextHandler(io.Discard, nil))}, deps)
			if err != nil {
				b.Fatal(err)
			}
			benchmarkHandler(b, srv.App().Handler(), "/services/resident-parking-permit", "")
		})
	}
}

// benchmarkHandler calls h directly, without a network, from as many
// goroutines as GOMAXPROCS, with Accept-Language set when not "".
func benchmarkHandler(b *testing.B, h fasthttp.RequestHandler, path, acceptLanguage string) {
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
