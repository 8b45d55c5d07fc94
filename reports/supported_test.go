package reports

import (
	"context"
	"testing"
)

// Supported lists the reports a person supports, newest first, and no
// one else's nor the ones they made.
func TestSupportedListsAPersonsSupport(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		older := e.report(t, "pothole", centre, 7)
		newer := e.report(t, "pothole", offset(centre, 500, 0), 7)
		other := e.report(t, "pothole", offset(centre, 1000, 0), 8)
		for _, c := range []struct {
			id     int64
			person int64
		}{{older.ID, 8}, {newer.ID, 8}, {other.ID, 9}, {newer.ID, 9}} {
			if _, err := e.s.AddSupporter(ctx, c.id, Supporter{PersonID: c.person}); err != nil {
				t.Fatal(err)
			}
		}
		got, err := e.s.Supported(ctx, 8)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0].ID != newer.ID || got[1].ID != older.ID || got[0].Reference != newer.Reference || got[0].Status != StatusOpen {
			t.Errorf("person 8 supports %+v, want the newer then the older", got)
		}
		if got, err := e.s.Supported(ctx, 7); err != nil || len(got) != 0 {
			t.Errorf("the reporter supports %+v (%v), want none", got, err)
		}
		if got, err := e.s.Supported(ctx, 9); err != nil || len(got) != 2 || got[0].ID != other.ID || got[1].ID != newer.ID {
			t.Errorf("person 9 supports %+v (%v)", got, err)
		}
	})
}
