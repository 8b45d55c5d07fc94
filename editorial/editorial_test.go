package editorial

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"sportello/catalogue"
)

// A refused save reads as a conflict to the portal's error table, and tells
// the editor who saved first and where their own version went.
func TestConflictError(t *testing.T) {
	err := fmt.Errorf("saving: %w", &ConflictError{
		Current: Revision{Kind: catalogue.KindService, Slug: "dog-licence", Number: 4, Author: "Sam", At: time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)},
		Kept:    Revision{Number: 5},
	})
	if !errors.Is(err, catalogue.ErrConflict) {
		t.Errorf("errors.Is(%v, catalogue.ErrConflict) = false", err)
	}
	var ce *ConflictError
	if !errors.As(err, &ce) || ce.Kept.Number != 5 {
		t.Fatalf("errors.As: %v", err)
	}
	for _, want := range []string{`"dog-licence"`, "Sam", "2025-03-01T09:00:00Z", "revision 4", "revision 5"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q does not say %s", err.Error(), want)
		}
	}
}
