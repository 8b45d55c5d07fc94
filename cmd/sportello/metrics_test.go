package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// freeAddr returns a loopback address with a port nobody listens on, for a
// listener the server opens itself (the metrics').
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// reserved are the listeners tests opened for a server to come, by address.
var reserved sync.Map

func init() {
	listen = func(network, addr string) (net.Listener, error) {
		if ln, ok := reserved.LoadAndDelete(addr); ok {
			return ln.(net.Listener), nil
		}
		return net.Listen(network, addr)
	}
}

// reserveAddr opens a listener on a free loopback port and keeps it for the
// server the test starts on the address it returns: the port cannot be
// taken meanwhile by another test's server, which would then answer for it.
func reserveAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	reserved.Store(addr, ln)
	t.Cleanup(func() {
		if ln, ok := reserved.LoadAndDelete(addr); ok {
			ln.(net.Listener).Close()
		}
	})
	return addr
}

// With SPORTELLO_METRICS_ADDR the binary serves /metrics and /readyz on a
// listener of their own: readiness on both listeners, the site's requests
// by route, the index caught up, and the catalogue sync among the jobs.
// The site itself has no /metrics.
func TestServeMetrics(t *testing.T) {
	addr, metricsAddr := reserveAddr(t), freeAddr(t)
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

	// A fresh database has every background job due at once: the first
	// reconciliation shows up.
	var body string
	for range 150 {
		_, body = get(metricsURL + "/metrics")
		if strings.Contains(body, `sportello_job_runs_total{job="payments_reconcile"}`) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	for _, want := range []string{
		`http_requests_total{method="GET",route="/services/:slug",status="200"} 1`,
		`http_requests_total{method="GET",route="/readyz",status="200"} 1`,
		`sportello_search_index_lag_versions 0`,
		`sportello_job_runs_total{job="payments_reconcile"}`,
		`sportello_job_failures_total{job="payments_reconcile"} 0`,
		`go_goroutines `,
		`process_resident_memory_bytes `,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the scrape lacks %s", want)
		}
	}
}
