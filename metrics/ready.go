package metrics

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Probe decides whether this instance should get traffic (/readyz): the
// database answers, and the search index has caught up with the catalogue
// in the database. An instance whose index is behind (just started after an
// import, or missing another instance's publish) would show pages of one
// catalogue version and search results of an older one. Liveness
// (/healthz) asks less: a process that is merely catching up is alive.
type Probe struct {
	// Ping reaches the database (sql.DB.PingContext).
	Ping func(context.Context) error
	// CatalogueVersion reads the catalogue's version in the database.
	CatalogueVersion func(context.Context) (int64, error)
	// IndexVersion is the catalogue version the search index reflects.
	IndexVersion func() int64
	// Timeout bounds the database's answer; 2 s when zero, well inside
	// the usual probe timeouts.
	Timeout time.Duration
	// Log receives the cause of a failed check, which the answer does not
	// show; nothing is logged when nil.
	Log *slog.Logger
}

// Readiness is a probe's answer, and the JSON body of /readyz.
type Readiness struct {
	Status           string `json:"status"`           // StatusReady or StatusUnavailable
	Reason           string `json:"reason,omitempty"` // why not ready: short, safe to show
	CatalogueVersion int64  `json:"catalogue_version,omitempty"`
	IndexVersion     int64  `json:"index_version,omitempty"`
}

// The values of Readiness.Status.
const (
	StatusReady       = "ready"
	StatusUnavailable = "unavailable"
)

// Check asks the database and the index. The returned error is the cause
// of an unavailable answer, for the log; Reason says it without driver
// messages.
func (p *Probe) Check(ctx context.Context) (Readiness, error) {
	ctx, cancel := context.WithTimeout(ctx, p.timeout())
	defer cancel()
	down := func(reason string, err error) (Readiness, error) {
		return Readiness{Status: StatusUnavailable, Reason: reason}, err
	}
	if err := p.Ping(ctx); err != nil {
		return down("database does not answer", err)
	}
	cv, err := p.CatalogueVersion(ctx)
	if err != nil {
		return down("catalogue version cannot be read from the database", err)
	}
	// Read after the database's: a publish in between can only make the
	// index look ahead, which is caught up.
	iv := p.IndexVersion()
	r := Readiness{Status: StatusReady, CatalogueVersion: cv, IndexVersion: iv}
	if iv < cv {
		r.Status = StatusUnavailable
		r.Reason = fmt.Sprintf("search index is behind the catalogue: version %d of %d", iv, cv)
	}
	return r, nil
}

func (p *Probe) timeout() time.Duration {
	if p.Timeout <= 0 {
		return 2 * time.Second
	}
	return p.Timeout
}

// ServeHTTP answers 200 with the versions when ready, 503 with the reason
// otherwise, as JSON.
func (p *Probe) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	res, err := p.Check(r.Context())
	if res.Status != StatusReady && p.Log != nil {
		p.Log.Warn("not ready", "reason", res.Reason, "err", err)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	if res.Status != StatusReady {
		w.WriteHeader(http.StatusServiceUnavailable)
	}
	_ = json.NewEncoder(w).Encode(res)
}

// indexCollector reads the versions at scrape time, so the figures are
// never older than the scrape.
type indexCollector struct{ p *Probe }

var (
	indexVersionDesc = prometheus.NewDesc("sportello_search_index_catalogue_version",
		"The catalogue version the search index reflects.", nil, nil)
	catalogueVersionDesc = prometheus.NewDesc("sportello_catalogue_version",
		"The catalogue's version in the database (each import or publish adds one).", nil, nil)
	indexLagDesc = prometheus.NewDesc("sportello_search_index_lag_versions",
		"How many catalogue versions the search index is behind the database; 0 when caught up.", nil, nil)
)

func (c indexCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- indexVersionDesc
	ch <- catalogueVersionDesc
	ch <- indexLagDesc
}

func (c indexCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), c.p.timeout())
	defer cancel()
	cv, err := c.p.CatalogueVersion(ctx)
	iv := c.p.IndexVersion()
	ch <- prometheus.MustNewConstMetric(indexVersionDesc, prometheus.GaugeValue, float64(iv))
	if err != nil {
		// Without the database's version there is no lag to tell; the
		// scrape goes on with the rest, and the error shows in
		// promhttp_metric_handler_errors_total.
		ch <- prometheus.NewInvalidMetric(catalogueVersionDesc, err)
		return
	}
	ch <- prometheus.MustNewConstMetric(catalogueVersionDesc, prometheus.GaugeValue, float64(cv))
	ch <- prometheus.MustNewConstMetric(indexLagDesc, prometheus.GaugeValue, float64(max(cv-iv, 0)))
}
