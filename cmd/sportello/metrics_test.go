package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// freeAddr returns a loopback address with a port nobody listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// With SPORTELLO_METRICS_ADDR the binary serves /metrics and /readyz on a
// listener of their own: readiness on both listeners, the site's requests
// by route, the index caught up, and the catalogue sync among the jobs.
// The site itself has no /metrics.
func TestServeMetrics(t *testing.T) {
	addr, metricsAddr := freeAddr(t), freeAddr(t)
	vars := map[string]string{"SPORTELLO_DATA_DIR": t.TempDir(), "SPORTELLO_ADDR": addr, "SPORTELLO_METRICS_ADDR": metricsAddr}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	var logs bytes.Buffer
	go func() { done <- run(ctx, nil, env(vars), io.Discard, &syncWriter{w: &logs}) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve returned %v", err)
		}
	}()
	site, metricsURL := "http://"+addr, "http://"+metricsAddr
	if err := waitFor(site+"/healthz", done); err != nil {
		t.Fatal(err)
	}
	get := func(url string) (int, string) {
		t.Helper()
		res, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	for _, base := range []string{site, metricsURL} {
		if status, body := get(base + "/readyz"); status != http.StatusOK || !strings.Contains(body, `"status":"ready"`) {
			t.Errorf("GET %s/readyz: %d %s", base, status, body)
		}
	}
	if status, _ := get(site + "/metrics"); status != http.StatusNotFound {
		t.Errorf("the site answers /metrics with %d, want 404: metrics are on their own listener", status)
	}
	get(site + "/services/report-missed-bin-collection")

	// The catalogue sync runs every few seconds; its first run shows up.
	var body string
	for range 150 {
		_, body = get(metricsURL + "/metrics")
		if strings.Contains(body, `sportello_job_runs_total{job="catalogue_sync"}`) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	for _, want := range []string{
		`http_requests_total{method="GET",route="/services/:slug",status="200"} 1`,
		`http_requests_total{method="GET",route="/readyz",status="200"} 1`,
		`sportello_search_index_lag_versions 0`,
		`sportello_job_runs_total{job="catalogue_sync"}`,
		`sportello_job_failures_total{job="catalogue_sync"} 0`,
		`go_goroutines `,
		`process_resident_memory_bytes `,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the scrape lacks %s", want)
		}
	}
}
