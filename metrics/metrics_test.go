package metrics

import (
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// A nil *Metrics is what a component built without metrics holds: every
// method does nothing.
func TestNilMetricsRecordNothing(t *testing.T) {
	var m *Metrics
	m.HTTPRequest("GET", "/", 200, time.Millisecond)
	m.Search(time.Millisecond, 0)
	m.ApplicationSubmitted("report-a-pothole")
	m.Payment("paid")
	m.JobRun("payments_reconcile", errors.New("down"))
	m.WatchIndex(&Probe{})
	m.WatchDB(nil)
}

func TestStatusText(t *testing.T) {
	for code := 100; code < 600; code++ {
		if got := statusText(code); got != strconv.Itoa(code) {
			t.Fatalf("statusText(%d) = %q", code, got)
		}
	}
}

// The listener serves the text format at /metrics over HTTP and nothing
// else; a job's failures series exists from its first run, at 0.
func TestServer(t *testing.T) {
	m := New()
	m.HTTPRequest("POST", "/services/:slug/apply/submit", 303, 3*time.Millisecond)
	m.JobRun("catalogue_sync", nil)
	m.JobRun("payments_reconcile", nil)
	m.JobRun("payments_reconcile", errors.New("provider down"))
	m.Search(40*time.Millisecond, 0)
	m.Search(2*time.Millisecond, 7)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := Server("", m, nil, false)
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()
	base := "http://" + ln.Addr().String()

	res, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/plain") {
		t.Fatalf("GET /metrics: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	for _, want := range []string{
		`http_requests_total{method="POST",route="/services/:slug/apply/submit",status="303"} 1`,
		`http_request_duration_seconds_bucket{method="POST",route="/services/:slug/apply/submit",le="0.005"} 1`,
		`http_request_duration_seconds_bucket{method="POST",route="/services/:slug/apply/submit",le="0.0025"} 0`,
		`sportello_job_runs_total{job="payments_reconcile"} 2`,
		`sportello_job_failures_total{job="payments_reconcile"} 1`,
		`sportello_job_failures_total{job="catalogue_sync"} 0`,
		`sportello_job_last_success_timestamp_seconds{job="catalogue_sync"}`,
		`sportello_search_duration_seconds_count 2`,
		`sportello_search_zero_results_total 1`,
		"go_goroutines ", "process_cpu_seconds_total ",
	} {
		if !strings.Contains(string(b), want) {
			t.Errorf("the scrape lacks %s", want)
		}
	}
	for _, path := range []string{"/", "/readyz", "/debug/pprof/"} {
		res, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", path, res.StatusCode)
		}
	}
}

func TestServerProfiling(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := Server("", New(), nil, true)
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()
	res, err := http.Get("http://" + ln.Addr().String() + "/debug/pprof/heap?debug=1")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.Contains(string(b), "heap profile") {
		t.Fatalf("GET /debug/pprof/heap: %d %.80q", res.StatusCode, b)
	}
}
