package portal

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"sportello/applications"
	"sportello/applications/forms"
	"sportello/catalogue"
	"sportello/jobs"
	"sportello/metrics"
	"sportello/payments"
)

// scraped is one scrape of /metrics: the raw text and its parsed families.
type scraped struct {
	text     string
	families map[string]*dto.MetricFamily
}

// scrape fetches /metrics from the metrics listener at base over HTTP, as
// Prometheus does.
func scrape(t *testing.T, base string) scraped {
	t.Helper()
	res, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET /metrics: %d\n%s", res.StatusCode, b)
	}
	parser := expfmt.NewTextParser(model.LegacyValidation)
	fams, err := parser.TextToMetricFamilies(strings.NewReader(string(b)))
	if err != nil {
		t.Fatalf("the scrape does not parse: %v", err)
	}
	return scraped{text: string(b), families: fams}
}

// value is the value of the series of family name whose labels include
// labels (a counter's or gauge's value, a histogram's count), and whether
// there is one. More than one matching series fails the test.
func (s scraped) value(t *testing.T, name string, labels map[string]string) (float64, bool) {
	t.Helper()
	fam, ok := s.families[name]
	if !ok {
		return 0, false
	}
	var found []*dto.Metric
	for _, m := range fam.Metric {
		have := map[string]string{}
		for _, lp := range m.Label {
			have[lp.GetName()] = lp.GetValue()
		}
		match := true
		for k, v := range labels {
			match = match && have[k] == v
		}
		if match {
			found = append(found, m)
		}
	}
	switch {
	case len(found) == 0:
		return 0, false
	case len(found) > 1:
		t.Fatalf("%s%v matches %d series", name, labels, len(found))
	}
	m := found[0]
	switch {
	case m.Counter != nil:
		return m.Counter.GetValue(), true
	case m.Gauge != nil:
		return m.Gauge.GetValue(), true
	case m.Histogram != nil:
		return float64(m.Histogram.GetSampleCount()), true
	}
	return m.GetUntyped().GetValue(), true
}

// want fails the test unless the series has the value.
func (s scraped) want(t *testing.T, name string, labels map[string]string, want float64) {
	t.Helper()
	got, ok := s.value(t, name, labels)
	if !ok {
		t.Errorf("no series %s%v in the scrape", name, labels)
		return
	}
	if got != want {
		t.Errorf("%s%v = %v, want %v", name, labels, got, want)
	}
}

// submitAtOnce fills in slug's online form with any valid answers and
// sends it three times at the same moment (a triple click): one
// application.
func submitAtOnce(t *testing.T, site *liveSite, v *browser, slug string) {
	t.Helper()
	form := v.get("/services/" + slug + "/apply")
	must(t, form, http.StatusOK)
	csrf, token := formTokens(t, form.body)
	values := url.Values{"_csrf": {csrf}, "_token": {token}, "_action": {"continue"}}
	svc, err := site.store.Service(context.Background(), slug)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range svc.OnlineForm.Fields {
		switch f.Type {
		case "address":
			values.Set(f.Name+"-line1", "Avinguda del Mar 3")
			values.Set(f.Name+"-postcode", "08800")
		case "location":
			values.Set(f.Name+"-line1", "Avinguda del Mar")
		case "select", "radio":
			values.Set(f.Name, f.Options[0].Value)
		case "email":
			values.Set(f.Name, "someone@example.org")
		case "text", "textarea":
			values.Set(f.Name, "Column 12")
			if f.Pattern != nil {
				values.Set(f.Name, forms.Example(*f.Pattern))
			}
		}
	}
	if r := v.postMultipart("/services/"+slug+"/apply", values); r.status != http.StatusSeeOther {
		t.Fatalf("answers: %d\n%s", r.status, excerptMain(r.body))
	}
	var wg sync.WaitGroup
	for range 3 {
		wg.Go(func() {
			res, err := v.client.PostForm(v.abs("/services/"+slug+"/apply/submit"), url.Values{"_csrf": {csrf}, "_token": {token}})
			if err != nil {
				t.Error(err)
				return
			}
			res.Body.Close()
			if res.StatusCode != http.StatusSeeOther {
				t.Errorf("submit: %d", res.StatusCode)
			}
		})
	}
	wg.Wait()
}

// After pages, searches, a form sent three times at once, payments and the
// background jobs, a scrape of the metrics listener over HTTP has each
// series with the right labels and counts: requests by route pattern and
// status (never by path: no slug, query, token or address leaks into a
// label), residents' searches and the one that found nothing, one
// application, payments by result, jobs, the index's versions, and the Go
// runtime's and the process's own.
func TestMetricsScrape(t *testing.T) {
	site := startLiveSite(t, observed)
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	v := site.browser(t, stopAtRedirects)

	const (
		slug    = "report-missed-bin-collection"
		nothing = "zqxjvwplk"
		token   = "a-secret-preview-token-4f9a2c"
		street  = "report-street-light-fault"
	)
	must(t, v.get("/services/"+slug), http.StatusOK)
	must(t, v.get("/services/"+slug+"?lang=es"), http.StatusOK)
	must(t, v.get("/services/no-such-service"), http.StatusNotFound)
	must(t, v.get("/no/such/page/ana.puig@example.org"), http.StatusNotFound)
	if r := v.get("/preview/" + token); r.status < 400 {
		t.Fatalf("a forged preview token answered %d", r.status)
	}
	must(t, v.get("/search?q=bin+collection"), http.StatusOK, `class="result__title"`)
	must(t, v.get("/api/v1/search?q="+nothing), http.StatusOK, `"total":0`)
	submitAtOnce(t, site, v, street)

	// A resident's fee: declined once, then paid, then refunded in full.
	resident := site.browser(t, followRedirects)
	resident.signIn("resident", "/account")
	resident.get("/?lang=en")
	svc, err := site.store.Service(ctx, parkingPermit)
	if err != nil {
		t.Fatal(err)
	}
	version, err := site.store.Version(ctx)
	if err != nil {
		t.Fatal(err)
	}
	submission, err := applications.NewToken()
	if err != nil {
		t.Fatal(err)
	}
	app, err := site.srv.apps.Submit(ctx, applications.SubmitInput{Token: submission, Service: svc, CatalogueVersion: version,
		PersonID: site.personID(t, "resident"), Answers: forms.Answers{}})
	if err != nil {
		t.Fatal(err)
	}
	must(t, resident.choose(resident.payNow(app.Reference.String()), payments.SimulatedDecline), http.StatusOK, "The payment was declined")
	must(t, resident.choose(resident.payNow(app.Reference.String()), payments.SimulatedPay), http.StatusOK, `data-state="received"`)
	paid, err := site.srv.payments.Status(ctx, app.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := site.srv.payments.Refund(ctx, payments.RefundInput{PaymentID: paid.ID, Amount: paid.AmountReceived,
		Reason: "permit withdrawn", StaffPersonID: 1, RequestToken: payments.NewRefundToken()}); err != nil {
		t.Fatal(err)
	}

	// The background jobs as serve runs them, through the job runner
	// that reports each run.
	runner := jobs.New(site.db, jobs.Options{OnRun: site.metrics.JobRun})
	runner.Add(jobs.Job{Name: "payments_reconcile", Every: time.Hour, Run: func(ctx context.Context) error {
		_, err := site.srv.payments.Reconcile(ctx)
		return err
	}})
	runner.Add(jobs.Job{Name: "sessions_purge", Every: time.Hour, Run: func(ctx context.Context) error {
		_, err := site.srv.auth.PurgeExpired(ctx)
		return err
	}})
	go runner.Run(ctx)
	var s scraped
	for range 200 {
		s = scrape(t, site.metricsBase)
		_, reconciled := s.value(t, "sportello_job_runs_total", map[string]string{"job": "payments_reconcile"})
		_, purged := s.value(t, "sportello_job_runs_total", map[string]string{"job": "sessions_purge"})
		if reconciled && purged {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}

	get := func(route, status string) map[string]string {
		return map[string]string{"method": "GET", "route": route, "status": status}
	}
	s.want(t, "http_requests_total", get("/services/:slug", "200"), 2)
	s.want(t, "http_requests_total", get("/services/:slug", "404"), 1)
	s.want(t, "http_requests_total", get("unmatched", "404"), 1)
	s.want(t, "http_requests_total", get("/", "200"), 1)
	if _, ok := s.value(t, "http_requests_total", get("/", "404")); ok {
		t.Error("a request no route answered is counted under the home page's route")
	}
	s.want(t, "http_requests_total", map[string]string{"method": "POST", "route": "/services/:slug/apply/submit", "status": "303"}, 3)
	s.want(t, "http_request_duration_seconds", map[string]string{"method": "GET", "route": "/services/:slug"}, 3)
	if _, ok := s.value(t, "http_requests_total", map[string]string{"route": "/preview/:token"}); !ok {
		t.Error("the preview request is not counted under its route pattern")
	}
	for _, leak := range []string{"/services/" + slug, "no-such-service", nothing, token, "ana.puig", "bin+collection"} {
		if strings.Contains(s.text, leak) {
			t.Errorf("the scrape holds %q from a request", leak)
		}
	}

	s.want(t, "sportello_search_duration_seconds", nil, 2)
	s.want(t, "sportello_search_zero_results_total", nil, 1)
	s.want(t, "sportello_applications_submitted_total", map[string]string{"service": street}, 1)
	s.want(t, "sportello_applications_submitted_total", map[string]string{"service": parkingPermit}, 1)
	for _, result := range []string{"failed", "paid", "refunded"} {
		s.want(t, "sportello_payments_total", map[string]string{"result": result}, 1)
	}
	if _, ok := s.value(t, "sportello_payments_total", map[string]string{"result": "flagged"}); ok {
		t.Error("a payment was counted as flagged")
	}
	s.want(t, "sportello_job_runs_total", map[string]string{"job": "payments_reconcile"}, 1)
	s.want(t, "sportello_job_failures_total", map[string]string{"job": "payments_reconcile"}, 0)
	if _, ok := s.value(t, "sportello_job_last_success_timestamp_seconds", map[string]string{"job": "sessions_purge"}); !ok {
		t.Error("the purge's last success is not recorded")
	}

	s.want(t, "sportello_catalogue_version", nil, float64(version))
	s.want(t, "sportello_search_index_catalogue_version", nil, float64(version))
	s.want(t, "sportello_search_index_lag_versions", nil, 0)
	for _, name := range []string{"go_goroutines", "go_memstats_heap_alloc_bytes", "process_resident_memory_bytes", "process_open_fds"} {
		if _, ok := s.families[name]; !ok {
			t.Errorf("no %s in the scrape", name)
		}
	}
	if _, ok := s.value(t, "go_sql_open_connections", map[string]string{"db_name": "sportello"}); !ok {
		t.Error("no database pool statistics in the scrape")
	}
}

// readyz asks url for readiness and decodes the answer.
func readyz(t *testing.T, url string) (int, metrics.Readiness) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var r metrics.Readiness
	if err := json.NewDecoder(res.Body).Decode(&r); err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	if cc := res.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("GET %s: Cache-Control %q, want no-store", url, cc)
	}
	return res.StatusCode, r
}

// /readyz, on the site and on the metrics listener, answers 200 while the
// index has caught up with the catalogue in the database, 503 with the
// reason when a catalogue is imported behind the server's back until the
// index catches up, and 503 when the database is gone. /healthz, the
// liveness check, stays 200 while the index is behind: a process that is
// catching up is alive.
func TestReadyz(t *testing.T) {
	site := startLiveSite(t, observed)
	ctx := context.Background()
	urls := []string{site.base + "/readyz", site.metricsBase + "/readyz"}
	expect := func(status int, want metrics.Readiness) {
		t.Helper()
		for _, u := range urls {
			got, r := readyz(t, u)
			if got != status || r != want {
				t.Errorf("GET %s: %d %+v, want %d %+v", u, got, r, status, want)
			}
		}
	}
	v, err := site.store.Version(ctx)
	if err != nil {
		t.Fatal(err)
	}
	expect(http.StatusOK, metrics.Readiness{Status: metrics.StatusReady, CatalogueVersion: v, IndexVersion: v})

	// Another instance, or `sportello import`, publishes a new version.
	cat, err := catalogue.Load(catalogue.DemoJSON())
	if err != nil {
		t.Fatal(err)
	}
	cat.Services[0].Title["en"] += " (renamed)"
	if _, err := site.store.Import(ctx, cat); err != nil {
		t.Fatal(err)
	}
	expect(http.StatusServiceUnavailable, metrics.Readiness{Status: metrics.StatusUnavailable,
		Reason: "search index is behind the catalogue: version 1 of 2", CatalogueVersion: v + 1, IndexVersion: v})
	if res, err := http.Get(site.base + "/healthz"); err != nil || res.StatusCode != http.StatusOK {
		t.Errorf("/healthz while the index is behind: %v %v, want 200", res, err)
	} else {
		res.Body.Close()
	}
	scrape(t, site.metricsBase).want(t, "sportello_search_index_lag_versions", nil, 1)

	if err := site.index.CatchUp(ctx, site.store); err != nil {
		t.Fatal(err)
	}
	expect(http.StatusOK, metrics.Readiness{Status: metrics.StatusReady, CatalogueVersion: v + 1, IndexVersion: v + 1})
	scrape(t, site.metricsBase).want(t, "sportello_search_index_lag_versions", nil, 0)

	// The database goes away.
	if err := site.db.Close(); err != nil {
		t.Fatal(err)
	}
	expect(http.StatusServiceUnavailable, metrics.Readiness{Status: metrics.StatusUnavailable, Reason: "database does not answer"})
	// The scrape goes on without the database's figures.
	s := scrape(t, site.metricsBase)
	if _, ok := s.families["sportello_search_index_lag_versions"]; ok {
		t.Error("a lag is published without the database's version")
	}
	s.want(t, "sportello_search_index_catalogue_version", nil, float64(v+1))
}
