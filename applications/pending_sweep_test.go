package applications

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"sportello/store"
	"sportello/store/storetest"
)

// SweepExpired, the background job's sweep, removes the forms in progress
// untouched for a day and keeps the others.
func TestSweepExpired(t *testing.T) {
	e := newEnv(t, storetest.Open(t, store.DialectSQLite))
	ctx := t.Context()
	owner := PendingOwner{PersonID: 7}
	var tokens []string
	for range 2 {
		tok, err := NewToken()
		if err != nil {
			t.Fatal(err)
		}
		if err := e.s.Pending().Save(ctx, NewPendingForm(tok, owner, "permit")); err != nil {
			t.Fatal(err)
		}
		tokens = append(tokens, tok)
	}
	old, fresh := tokens[0], tokens[1]
	// Forms on disk expire by their record's modification time.
	record := filepath.Join(filepath.Dir(e.s.UploadsDir()), "pending", pendingKey(old), pendingRecordFile)
	past := time.Now().Add(-PendingTTL - time.Hour)
	if err := os.Chtimes(record, past, past); err != nil {
		t.Fatal(err)
	}
	for i, want := range []int{1, 0} {
		if n, err := e.s.SweepExpired(ctx); err != nil || n != want {
			t.Errorf("sweep %d: %d removed (%v), want %d", i+1, n, err, want)
		}
	}
	if _, err := os.Stat(record); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the expired form is still there: %v", err)
	}
	if _, err := e.s.Pending().Load(ctx, fresh, owner, "permit"); err != nil {
		t.Errorf("the fresh form was swept: %v", err)
	}
}
