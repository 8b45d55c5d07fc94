package supportalerts

import (
	"testing"
	"time"

	"sportello/store"
	"sportello/store/storetest"
)

// benchPeople is how many residents asked for alerts in the benchmarks.
const benchPeople = 1000

// BenchmarkRun measures one run of the job over benchPeople residents who
// asked for alerts against the demo catalogue (36 rules): when nothing is
// new (the hourly run, almost always), and when one newly published
// service matches them all (an alert each). docs/performance.md has the
// figures.
func BenchmarkRun(b *testing.B) {
	for _, dialect := range storetest.Dialects {
		b.Run(dialect, func(b *testing.B) {
			f := newFixture(b, storetest.Open(b, dialect))
			for i := range int64(benchPeople) {
				f.person(i+1, answers72)
				if err := f.alerts.OptIn(f.ctx, i+1, "en"); err != nil {
					b.Fatal(err)
				}
			}
			f.publishNewService()
			if rep := f.run(); rep.Alerts != benchPeople {
				b.Fatalf("first run: %+v", rep)
			}
			b.Run("nothing new", func(b *testing.B) {
				for b.Loop() {
					if rep := f.run(); rep.Alerts != 0 {
						b.Fatalf("%+v", rep)
					}
				}
			})
			b.Run("an alert each", func(b *testing.B) {
				for b.Loop() {
					b.StopTimer()
					f.now = f.now.Add(24 * time.Hour)
					forgetNewService(b, f.db)
					b.StartTimer()
					if rep := f.run(); rep.Alerts != benchPeople {
						b.Fatalf("%+v", rep)
					}
				}
			})
		})
	}
}

// forgetNewService makes newService news again for everyone.
func forgetNewService(b *testing.B, db *store.DB) {
	b.Helper()
	if _, err := db.SQL().Exec(db.Rebind(`DELETE FROM support_alert_matches WHERE service_slug = ?`), newService); err != nil {
		b.Fatal(err)
	}
}
