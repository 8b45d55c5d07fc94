package metrics

import (
	"context"
	"errors"
	"testing"
	"time"
)

// The worker's counters, and the outbox's state read at the scrape.
func TestOutboxMetrics(t *testing.T) {
	var nilM *Metrics
	nilM.NotificationSent("decision", "email")
	nilM.WatchOutbox(nil)

	m := New()
	m.NotificationSent("decision", "email")
	m.NotificationSent("decision", "email")
	m.NotificationRetried("decision")
	m.NotificationFailed("payment_failed")
	m.NotificationSkipped("support_alert", "turned_off")
	state := Outbox{Pending: 3, Oldest: time.Now().Add(-90 * time.Second), Failed: 1}
	var fail error
	m.WatchOutbox(func(context.Context) (Outbox, error) { return state, fail })

	got := map[string]float64{}
	families, err := m.reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		for _, x := range f.GetMetric() {
			name := f.GetName()
			for _, l := range x.GetLabel() {
				name += " " + l.GetName() + "=" + l.GetValue()
			}
			got[name] = x.GetCounter().GetValue() + x.GetGauge().GetValue()
		}
	}
	for name, want := range map[string]float64{
		"sportello_notifications_sent_total channel=email kind=decision":             2,
		"sportello_notification_retries_total kind=decision":                         1,
		"sportello_notifications_failed_total kind=payment_failed":                   1,
		"sportello_notifications_skipped_total kind=support_alert reason=turned_off": 1,
		"sportello_outbox_pending":                                                   3,
		"sportello_outbox_failed":                                                    1,
	} {
		if got[name] != want {
			t.Errorf("%s = %v, want %v", name, got[name], want)
		}
	}
	if age := got["sportello_outbox_oldest_pending_age_seconds"]; age < 90 || age > 120 {
		t.Errorf("oldest pending age %v s, want about 90", age)
	}
	fail = errors.New("database down")
	if _, err := m.reg.Gather(); err == nil {
		t.Error("a failed read of the outbox went unreported")
	}
}
