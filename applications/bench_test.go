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
