// Package metrics is what an operator watches: the Prometheus metrics of
// one Sportello process, on a registry of their own (nothing is registered
// with client_golang's global one), and the readiness probe (Probe).
//
// It knows no area and no HTTP framework: the areas and the portal record
// through the plain methods of *Metrics, and every method does nothing on a
// nil *Metrics, so a component built without metrics (a test, a command
// other than serve) needs no set-up. Label values come from bounded sets
// only: route patterns, never paths; service slugs, which the catalogue
// bounds; fixed result and job names. A URL, a query or a person's data is
// never a label.
package metrics

import (
	"database/sql"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics are one process's metrics. Build them once with New; they are
// safe for concurrent use.
type Metrics struct {
	reg *prometheus.Registry

	httpRequests *prometheus.CounterVec
	httpDuration *prometheus.HistogramVec

	searchDuration prometheus.Histogram
	searchNothing  prometheus.Counter

	submitted *prometheus.CounterVec
	payments  *prometheus.CounterVec

	jobRuns        *prometheus.CounterVec
	jobFailures    *prometheus.CounterVec
	jobLastSuccess *prometheus.GaugeVec

	notify notifyMetrics
}

// latencyBuckets suit a portal whose pages take a millisecond or two and
// whose searches take up to a few hundred: fine below 10 ms, where most
// answers are, and up to the 10 s after which a person has given up.
var latencyBuckets = []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}

// New returns the metrics of a process, with the Go runtime's and the
// process's own (memory, CPU, open files) registered beside Sportello's.
func New() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		httpRequests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "http_requests_total",
			Help: "HTTP requests answered, by method, route pattern and status code.",
		}, []string{"method", "route", "status"}),
		httpDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "http_request_duration_seconds",
			Help:    "Time from a request's arrival to its answer, by method and route pattern.",
			Buckets: latencyBuckets,
		}, []string{"method", "route"}),
		searchDuration: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "sportello_search_duration_seconds",
			Help:    "Time the search index took to answer a resident's search (site and API).",
			Buckets: latencyBuckets,
		}),
		searchNothing: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "sportello_search_zero_results_total",
			Help: "Residents' searches (site and API) that found no service.",
		}),
		submitted: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "sportello_applications_submitted_total",
			Help: "Applications submitted through the online forms, by service slug.",
		}, []string{"service"}),
		payments: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "sportello_payments_total",
			Help: "Changes of payments recorded, by result: paid, failed, expired, cancelled, flagged, refunded.",
		}, []string{"result"}),
		jobRuns: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "sportello_job_runs_total",
			Help: "Runs of background jobs, failed or not, by job.",
		}, []string{"job"}),
		jobFailures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "sportello_job_failures_total",
			Help: "Runs of background jobs that failed, by job.",
		}, []string{"job"}),
		jobLastSuccess: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "sportello_job_last_success_timestamp_seconds",
			Help: "When each background job last ran without error, in Unix seconds.",
		}, []string{"job"}),
		notify: newNotifyMetrics(),
	}
	m.reg.MustRegister(m.notify.collectors()...)
	m.reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.httpRequests, m.httpDuration, m.searchDuration, m.searchNothing,
		m.submitted, m.payments, m.jobRuns, m.jobFailures, m.jobLastSuccess,
	)
	return m
}

// Handler serves the metrics in Prometheus's text format. A collector that
// fails (the database did not answer for the catalogue version) leaves its
// series out of the scrape rather than failing the whole scrape.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{
		Registry:      m.reg,
		ErrorHandling: promhttp.ContinueOnError,
		// A scrape costs little, but nothing unbounded runs on this port.
		MaxRequestsInFlight: 4,
	})
}

// WatchIndex publishes the catalogue version the search index reflects,
// the database's, and how many versions the index is behind, read from p at
// every scrape.
func (m *Metrics) WatchIndex(p *Probe) {
	if m != nil {
		m.reg.MustRegister(indexCollector{p})
	}
}

// WatchDB publishes the connection pool's statistics (go_sql_*) of the
// database, labelled db_name="sportello".
func (m *Metrics) WatchDB(db *sql.DB) {
	if m != nil {
		m.reg.MustRegister(collectors.NewDBStatsCollector(db, "sportello"))
	}
}

// HTTPRequest records one answered request. route must be the pattern the
// router matched ("/services/:slug"), never the request's path.
func (m *Metrics) HTTPRequest(method, route string, status int, took time.Duration) {
	if m == nil {
		return
	}
	m.httpRequests.WithLabelValues(method, route, statusText(status)).Inc()
	m.httpDuration.WithLabelValues(method, route).Observe(took.Seconds())
}

// Search records one resident's search and how many services it found.
func (m *Metrics) Search(took time.Duration, total int) {
	if m == nil {
		return
	}
	m.searchDuration.Observe(took.Seconds())
	if total == 0 {
		m.searchNothing.Inc()
	}
}

// ApplicationSubmitted records a new application to the service slug.
func (m *Metrics) ApplicationSubmitted(service string) {
	if m != nil {
		m.submitted.WithLabelValues(service).Inc()
	}
}

// Payment records a change of a payment, by result: "paid", "failed",
// "expired", "cancelled", "flagged" or "refunded".
func (m *Metrics) Payment(result string) {
	if m != nil {
		m.payments.WithLabelValues(result).Inc()
	}
}

// JobRun records one run of the background job name ("payments_reconcile",
// "sessions_purge", "catalogue_sync"…) and whether it failed. A job runner
// calls it once per run, whatever the job.
func (m *Metrics) JobRun(name string, err error) {
	if m == nil {
		return
	}
	// The failures series exists from the first run, at 0, so that an
	// alert on its increase sees the first failure. The run is counted
	// last, so that a scrape which sees it sees its outcome too.
	failures := m.jobFailures.WithLabelValues(name)
	if err != nil {
		failures.Inc()
	} else {
		m.jobLastSuccess.WithLabelValues(name).SetToCurrentTime()
	}
	m.jobRuns.WithLabelValues(name).Inc()
}

// statusText is strconv.Itoa without an allocation for the usual codes.
func statusText(code int) string {
	switch code {
	case http.StatusOK:
		return "200"
	case http.StatusSeeOther:
		return "303"
	case http.StatusNotModified:
		return "304"
	case http.StatusNotFound:
		return "404"
	}
	return strconv.Itoa(code)
}
