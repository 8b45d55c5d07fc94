package metrics

import (
	"net/http"
	"net/http/pprof"
	"time"
)

// Server is the metrics listener at addr: GET /metrics for Prometheus and
// GET /readyz (ready, when not nil) for an orchestrator that probes there
// rather than on the site. It is plain net/http, apart from the site, so
// that a scrape never queues behind residents' requests and the port can
// stay private (127.0.0.1, or a network only Prometheus reaches). With
// profiling, Go's profiles are served under /debug/pprof/ too, for an
// operator asking where the time or the memory goes.
func Server(addr string, m *Metrics, ready http.Handler, profiling bool) *http.Server {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", m.Handler())
	if ready != nil {
		mux.Handle("GET /readyz", ready)
	}
	if profiling {
		mux.HandleFunc("GET /debug/pprof/", pprof.Index)
		mux.HandleFunc("GET /debug/pprof/profile", pprof.Profile)
		mux.HandleFunc("GET /debug/pprof/symbol", pprof.Symbol)
		mux.HandleFunc("GET /debug/pprof/trace", pprof.Trace)
	}
	return &http.Server{
		Addr:              addr,
		Handler:           mux,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    16 << 10,
	}
}
