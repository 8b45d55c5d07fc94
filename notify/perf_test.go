package notify_test

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"sportello/jobs"
	"sportello/notify"
	"sportello/notify/smtptest"
	"sportello/store"
	"sportello/store/storetest"
)

// The outbox's speed, reported, never asserted (docs/performance.md,
// "Notifications"):
//
//	SPORTELLO_TEST_POSTGRES=... go test ./notify -run '^$' -bench Outbox -benchtime 1x

// BenchmarkOutboxSend measures how many mails a second one worker hands to
// a local SMTP server over TCP: 2,000 notifications due, one pass.
func BenchmarkOutboxSend(b *testing.B) {
	for _, dialect := range storetest.Dialects {
		b.Run(dialect, func(b *testing.B) {
			const n = 2000
			for range b.N {
				b.StopTimer()
				db := storetest.Open(b, dialect)
				srv := smtptest.Start(b, smtptest.Options{})
				w := benchWorker(b, db, srv)
				marta := person(b, db, 1, "Marta Vidal", "marta@example.org")
				for i := range n {
					addTo(b, db, time.Now(), received(i, marta))
				}
				b.StartTimer()
				start := time.Now()
				p, err := w.RunPass(context.Background())
				took := time.Since(start)
				if err != nil || p.Sent != n || len(srv.Messages()) != n {
					b.Fatalf("pass: %+v, %v, %d messages", p, err, len(srv.Messages()))
				}
				b.ReportMetric(float64(n)/took.Seconds(), "mails/s")
			}
		})
	}
}

// BenchmarkOutboxBurstDelay measures the delay from a notification being
// added to its mail being accepted by the SMTP server, when 1,000
// applications are sent at once (1,000 transactions from 8 goroutines,
// each adding an application_received), with the worker run as the binary
// runs it: a job every 2 s.
func BenchmarkOutboxBurstDelay(b *testing.B) {
	for _, dialect := range storetest.Dialects {
		b.Run(dialect, func(b *testing.B) {
			const n, writers = 1000, 8
			for range b.N {
				db := storetest.Open(b, dialect)
				srv := smtptest.Start(b, smtptest.Options{})
				w := benchWorker(b, db, srv)
				marta := person(b, db, 1, "Marta Vidal", "marta@example.org")
				r := jobs.New(db, jobs.Options{})
				r.Add(jobs.Job{Name: "notifications_send", Every: 2 * time.Second, Run: w.Run})
				ctx, stop := context.WithCancel(context.Background())
				var running sync.WaitGroup
				running.Go(func() { r.Run(ctx) })
				time.Sleep(500 * time.Millisecond) // the job's first (empty) run

				start := time.Now()
				var wg sync.WaitGroup
				for g := range writers {
					wg.Go(func() {
						for i := g; i < n; i += writers {
							addTo(b, db, time.Now(), received(i, marta))
						}
					})
				}
				wg.Wait()
				added := time.Since(start)
				wctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
				msgs, err := srv.Wait(wctx, n)
				cancel()
				stop()
				running.Wait()
				if err != nil {
					b.Fatal(err)
				}
				delays := burstDelays(b, db, msgs)
				var sum time.Duration
				for _, d := range delays {
					sum += d
				}
				b.ReportMetric(added.Seconds(), "s-to-add")
				b.ReportMetric(float64(sum.Milliseconds())/float64(len(delays)), "ms-mean")
				b.ReportMetric(float64(delays[len(delays)*95/100].Milliseconds()), "ms-p95")
				b.ReportMetric(float64(delays[len(delays)-1].Milliseconds()), "ms-worst")
			}
		})
	}
}

func benchWorker(b *testing.B, db *store.DB, srv *smtptest.Server) *notify.Worker {
	w, err := notify.NewWorker(notify.WorkerOptions{Store: notify.New(db, nil), Renderer: renderer, Channel: channelTo(b, srv), MessageHost: "portanova.example"})
	if err != nil {
		b.Fatal(err)
	}
	return w
}

func received(i int, personID int64) notify.Event {
	return notify.Event{Kind: notify.ApplicationReceived, Key: fmt.Sprint("received:", i), PersonID: personID, Lang: "ca",
		Data: map[string]string{"ref": fmt.Sprintf("PN-%04d", i), "service": "resident-parking-permit", "due": "2026-04-01"}}
}

// burstDelays are, sorted, the times from each notification's creation to
// its mail's arrival.
func burstDelays(b *testing.B, db *store.DB, msgs []smtptest.Message) []time.Duration {
	created := map[int64]time.Time{}
	rows, err := db.SQL().Query(`SELECT id, created_at FROM notifications`)
	if err != nil {
		b.Fatal(err)
	}
	for rows.Next() {
		var id, at int64
		if err := rows.Scan(&id, &at); err != nil {
			b.Fatal(err)
		}
		created[id] = time.UnixMilli(at)
	}
	rows.Close()
	var out []time.Duration
	for _, m := range msgs {
		id, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimPrefix(m.Header.Get("Message-ID"), "<n."), "@portanova.example>"), 10, 64)
		out = append(out, m.Received.Sub(created[id]))
	}
	slices.Sort(out)
	return out
}
