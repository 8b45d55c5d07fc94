package main

import (
	"context"
	"log/slog"
	"regexp"
	"slices"
	"sync"
	"testing"
	"time"

	"sportello/applications"
	"sportello/applications/forms"
	"sportello/catalogue/sqlstore"
	"sportello/notify/smtptest"
	"sportello/store/storetest"
)

// BenchmarkNotificationsBurst measures the outbox's delay when 1,000
// applications are submitted at once (8 at a time, through
// applications.Store.Submit, which writes each one's application_received
// in its own transaction) to a `sportello serve` running as production
// does (its notifications_send job every 2 s, mail written by portal/mail,
// sent to notify/smtptest over TCP): from each submission's commit (Submit
// returning) to the SMTP server accepting its mail. Reported, never
// asserted (docs/performance.md, "Notifications"):
//
//	SPORTELLO_TEST_POSTGRES=... go test ./cmd/sportello -run '^$' -bench NotificationsBurst -benchtime 1x
func BenchmarkNotificationsBurst(b *testing.B) {
	for _, dialect := range storetest.Dialects {
		b.Run(dialect, func(b *testing.B) {
			const n, writers = 1000, 8
			for range b.N {
				srv := smtptest.Start(b, smtptest.Options{})
				dsn := storetest.URL(b, dialect)
				in := startInstance(b, "burst", dsn, time.Second, map[string]string{"SPORTELLO_SMTP_URL": srv.URL(), "SPORTELLO_MAIL_FROM": mailFrom})
				marta := newPerson(b)
				marta.signIn(in, "resident", "/account")
				ctx := context.Background()
				db := storetest.OpenURL(b, dsn)
				po := &postOffice{srv: srv, db: db}
				apps, err := applications.New(db, applications.Options{Logger: slog.New(slog.DiscardHandler)})
				if err != nil {
					b.Fatal(err)
				}
				cat, err := sqlstore.New(ctx, db)
				if err != nil {
					b.Fatal(err)
				}
				svc, err := cat.Service(ctx, "report-missed-bin-collection")
				if err != nil {
					b.Fatal(err)
				}
				version, err := cat.Version(ctx)
				if err != nil {
					b.Fatal(err)
				}
				cat.Close()
				// The answers a resident sends, checked as the portal checks them.
				values := binForm("", "")
				for k := range values {
					if k[0] == '_' {
						delete(values, k)
					}
				}
				res, err := forms.NewValidator(forms.Options{}).Validate(ctx, svc.OnlineForm, forms.Values(values), nil)
				if err != nil || !res.OK() {
					b.Fatalf("the answers do not pass the form: %v %+v", err, res.Errors)
				}
				input := applications.SubmitInput{Service: svc, CatalogueVersion: version,
					PersonID: po.personID(b, "marta.vidal@example.org"), Answers: res.Answers, Lang: "es"}

				var mu sync.Mutex
				committed := map[string]time.Time{}
				start := time.Now()
				var wg sync.WaitGroup
				for g := range writers {
					wg.Go(func() {
						for i := g; i < n; i += writers {
							token, err := applications.NewToken()
							if err != nil {
								b.Error(err)
								return
							}
							in := input
							in.Token = token
							app, err := apps.Submit(ctx, in)
							if err != nil {
								b.Error(err)
								return
							}
							mu.Lock()
							committed[app.Reference.String()] = time.Now()
							mu.Unlock()
						}
					})
				}
				wg.Wait()
				submitted := time.Since(start)
				if b.Failed() {
					return
				}
				wctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
				msgs, err := srv.Wait(wctx, n)
				cancel()
				if err != nil {
					b.Fatal(err)
				}
				var delays []time.Duration
				for _, m := range msgs {
					ref := referenceInSubject.FindString(decodeHeader(b, m.Header.Get("Subject")))
					at, ok := committed[ref]
					if !ok {
						b.Fatalf("a mail about %q, which was not submitted", ref)
					}
					delays = append(delays, m.Received.Sub(at))
				}
				slices.Sort(delays)
				var sum time.Duration
				for _, d := range delays {
					sum += d
				}
				b.ReportMetric(submitted.Seconds(), "s-to-submit")
				first, last := msgs[0].Received, msgs[len(msgs)-1].Received
				b.ReportMetric(float64(n-1)/last.Sub(first).Seconds(), "mails/s")
				b.ReportMetric(float64(sum.Milliseconds())/float64(len(delays)), "ms-mean")
				b.ReportMetric(float64(delays[len(delays)*95/100].Milliseconds()), "ms-p95")
				b.ReportMetric(float64(delays[len(delays)-1].Milliseconds()), "ms-worst")
				in.stop(b)
			}
		})
	}
}

var referenceInSubject = regexp.MustCompile(`[A-Z]{2}-[0-9A-Z]{4}-[0-9A-Z]{4}`)
