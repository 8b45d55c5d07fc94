package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"sportello/store"
	"sportello/store/storetest"
)

// TestHit counts requests in windows, the same on two instances of one
// database, requests at once each counted once.
func TestHit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, a *store.DB) {
		b := storetest.Reopen(t, a)
		ctx := context.Background()
		t0 := time.UnixMilli(1_800_000_000_000)
		hit := func(db *store.DB, key string, at time.Time) (int, time.Time) {
			t.Helper()
			n, end, err := db.Hit(ctx, key, time.Minute, at)
			if err != nil {
				t.Fatal(err)
			}
			return n, end
		}
		if n, end := hit(a, "sign-in:192.0.2.1", t0); n != 1 || !end.Equal(t0.Add(time.Minute)) {
			t.Fatalf("first hit: %d, window to %v; want 1, to %v", n, end, t0.Add(time.Minute))
		}
		if n, end := hit(b, "sign-in:192.0.2.1", t0.Add(30*time.Second)); n != 2 || !end.Equal(t0.Add(time.Minute)) {
			t.Errorf("second hit, on the other instance: %d, window to %v; want 2 in the same window", n, end)
		}
		if n, _ := hit(b, "sign-in:192.0.2.2", t0.Add(30*time.Second)); n != 1 {
			t.Errorf("another client's first hit: %d, want 1", n)
		}
		if n, end := hit(a, "sign-in:192.0.2.1", t0.Add(time.Minute)); n != 1 || !end.Equal(t0.Add(2*time.Minute)) {
			t.Errorf("a hit once the window ended: %d, window to %v; want 1 in a new window", n, end)
		}

		// Twenty requests at once, ten on each instance, are twenty.
		var wg sync.WaitGroup
		at := t0.Add(10 * time.Minute)
		counts := make(chan int, 20)
		for i := range 20 {
			db := a
			if i%2 == 1 {
				db = b
			}
			wg.Go(func() {
				n, _, err := db.Hit(ctx, "feedback:192.0.2.9", time.Minute, at)
				if err != nil {
					t.Error(err)
				}
				counts <- n
			})
		}
		wg.Wait()
		close(counts)
		seen := map[int]bool{}
		for n := range counts {
			seen[n] = true
		}
		for n := 1; n <= 20; n++ {
			if !seen[n] {
				t.Errorf("twenty requests at once: no request was counted as the %dth (%v)", n, seen)
				break
			}
		}

		// Windows over for a minute are deleted by a later hit.
		hit(a, "sign-in:192.0.2.3", at.Add(5*time.Minute))
		var left int
		if err := a.SQL().QueryRowContext(ctx, a.Rebind(`SELECT COUNT(*) FROM rate_limits WHERE key <> ?`), "sign-in:192.0.2.3").Scan(&left); err != nil {
			t.Fatal(err)
		}
		if left != 0 {
			t.Errorf("%d ended windows left after a later hit, want 0", left)
		}
	})
}
