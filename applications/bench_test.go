package applications

import (
	"context"
	"sportello/store"
	"sportello/store/storetest"
	"testing"
)

// BenchmarkSubmit measures a whole submission on SQLite: one transaction
// with the application and two files, content and records.
func BenchmarkSubmit(b *testing.B) {
	e := newEnv(b, storetest.Open(b, store.DialectSQLite))
	in := e.permitInput(b, 41)
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		b.StopTimer()
		token, err := NewToken()
		if err != nil {
			b.Fatal(err)
		}
		in.Token = token
		b.StartTimer()
		if _, err := e.s.Submit(ctx, in); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkForApplicant measures reading one application with its history
// and files.
func BenchmarkForApplicant(b *testing.B) {
	e := newEnv(b, storetest.Open(b, store.DialectSQLite))
	app := e.submit(b, e.permitInput(b, 41))
	ctx := context.Background()
	for b.Loop() {
		if _, err := e.s.ForApplicant(ctx, 41, app.Reference); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkQueue measures a page of the staff queue (25 applications, five
// of them waiting for their applicant's answer) with its deadlines, without
// holidays and with the demo's two years of them.
func BenchmarkQueue(b *testing.B) {
	for _, holidays := range []bool{false, true} {
		name := "weekends"
		if holidays {
			name = "holidays"
		}
		b.Run(name, func(b *testing.B) {
			e := newEnv(b, storetest.Open(b, store.DialectSQLite))
			if holidays {
				e.withHolidays(b)
			}
			ctx := context.Background()
			for i := range 25 {
				app := e.submit(b, e.permitInput(b, 41))
				if i%5 != 0 {
					continue
				}
				if err := e.s.ChangeStatus(ctx, app.Reference, caseworker, StatusSubmitted, StatusInReview, ""); err != nil {
					b.Fatal(err)
				}
				if err := e.s.RequestMoreInfo(ctx, app.Reference, caseworker, "Which street?"); err != nil {
					b.Fatal(err)
				}
			}
			b.ResetTimer()
			for b.Loop() {
				p, err := e.s.Queue(ctx, Filter{PageSize: 25})
				if err != nil || len(p.Items) != 25 {
					b.Fatal(len(p.Items), err)
				}
			}
		})
	}
}
