package metrics

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// The outbox's metrics (package notify): what this process's worker did,
// counted as it happens, and the state of the outbox in the database, read
// at each scrape.

// notifyMetrics are the counters of notifications.
type notifyMetrics struct {
	sent    *prometheus.CounterVec
	retries *prometheus.CounterVec
	failed  *prometheus.CounterVec
	skipped *prometheus.CounterVec
}

func newNotifyMetrics() notifyMetrics {
	return notifyMetrics{
		sent: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "sportello_notifications_sent_total",
			Help: "Notifications sent, by kind and channel.",
		}, []string{"kind", "channel"}),
		retries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "sportello_notification_retries_total",
			Help: "Tries of notifications that failed and will be tried again, by kind.",
		}, []string{"kind"}),
		failed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "sportello_notifications_failed_total",
			Help: "Notifications failed after their last try, or refused for good by the receiver, by kind.",
		}, []string{"kind"}),
		skipped: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "sportello_notifications_skipped_total",
			Help: "Notifications not sent, by kind and reason: turned_off, no_address, obsolete.",
		}, []string{"kind", "reason"}),
	}
}

func (n notifyMetrics) collectors() []prometheus.Collector {
	return []prometheus.Collector{n.sent, n.retries, n.failed, n.skipped}
}

// NotificationSent records a notification of kind sent on channel.
func (m *Metrics) NotificationSent(kind, channel string) {
	if m != nil {
		m.notify.sent.WithLabelValues(kind, channel).Inc()
	}
}

// NotificationRetried records a failed try of a notification of kind that
// will be tried again.
func (m *Metrics) NotificationRetried(kind string) {
	if m != nil {
		m.notify.retries.WithLabelValues(kind).Inc()
	}
}

// NotificationFailed records a notification of kind failed for good.
func (m *Metrics) NotificationFailed(kind string) {
	if m != nil {
		m.notify.failed.WithLabelValues(kind).Inc()
	}
}

// NotificationSkipped records a notification of kind not sent, for reason.
func (m *Metrics) NotificationSkipped(kind, reason string) {
	if m != nil {
		m.notify.skipped.WithLabelValues(kind, reason).Inc()
	}
}

// Outbox is the state of the outbox in the database.
type Outbox struct {
	Pending int64
	Oldest  time.Time // the oldest pending notification's; zero when none
	Failed  int64
}

// WatchOutbox publishes the outbox's pending and failed notifications and
// the age of the oldest pending one, read with read at every scrape.
func (m *Metrics) WatchOutbox(read func(context.Context) (Outbox, error)) {
	if m != nil {
		m.reg.MustRegister(outboxCollector{read: read, now: time.Now})
	}
}

var (
	outboxPendingDesc = prometheus.NewDesc("sportello_outbox_pending",
		"Notifications waiting to be sent, or to be tried again (the whole database: every instance reports the same).", nil, nil)
	outboxOldestDesc = prometheus.NewDesc("sportello_outbox_oldest_pending_age_seconds",
		"How long ago the oldest pending notification was added; 0 when none is pending.", nil, nil)
	outboxFailedDesc = prometheus.NewDesc("sportello_outbox_failed",
		"Notifications failed after their last try, waiting for staff to try them again.", nil, nil)
)

type outboxCollector struct {
	read func(context.Context) (Outbox, error)
	now  func() time.Time
}

func (c outboxCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- outboxPendingDesc
	ch <- outboxOldestDesc
	ch <- outboxFailedDesc
}

func (c outboxCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	o, err := c.read(ctx)
	if err != nil {
		// Left out of this scrape; promhttp_metric_handler_errors_total
		// counts it.
		ch <- prometheus.NewInvalidMetric(outboxPendingDesc, err)
		return
	}
	age := 0.0
	if !o.Oldest.IsZero() {
		age = max(c.now().Sub(o.Oldest).Seconds(), 0)
	}
	ch <- prometheus.MustNewConstMetric(outboxPendingDesc, prometheus.GaugeValue, float64(o.Pending))
	ch <- prometheus.MustNewConstMetric(outboxOldestDesc, prometheus.GaugeValue, age)
	ch <- prometheus.MustNewConstMetric(outboxFailedDesc, prometheus.GaugeValue, float64(o.Failed))
}
