package applications

import (
	"context"
	"errors"
	"testing"
)

// Someone acting for the applicant answers and withdraws: the history
// records them, not the applicant, as who did it; the application must
// still be the applicant's.
func TestRespondAndWithdrawForTheApplicant(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		const rep = 42
		app := e.submit(t, e.permitInput(t, applicant.PersonID))
		if err := e.s.ChangeStatus(ctx, app.Reference, caseworker, StatusSubmitted, StatusInReview, ""); err != nil {
			t.Fatal(err)
		}
		if err := e.s.RequestMoreInfo(ctx, app.Reference, caseworker, "Send a clearer photo"); err != nil {
			t.Fatal(err)
		}
		// Not the applicant's: not found.
		if err := e.s.RespondFor(ctx, rep, rep, app.Reference, "Here it is", nil); !errors.Is(err, ErrNotFound) {
			t.Errorf("answering as if it were the representative's: %v, want ErrNotFound", err)
		}
		if err := e.s.RespondFor(ctx, applicant.PersonID, rep, app.Reference, "Here it is", nil); err != nil {
			t.Fatal(err)
		}
		if err := e.s.WithdrawFor(ctx, applicant.PersonID, rep, app.Reference, "moved away"); err != nil {
			t.Fatal(err)
		}
		got, err := e.s.ForApplicant(ctx, applicant.PersonID, app.Reference)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != StatusWithdrawn || got.PersonID != applicant.PersonID {
			t.Errorf("status %s, person %d", got.Status, got.PersonID)
		}
		var by []int64
		for _, ev := range got.Events {
			if ev.To == StatusInReview && ev.Note == "Here it is" || ev.To == StatusWithdrawn {
				by = append(by, ev.ActorPersonID)
				if ev.ActorRole != RoleApplicant {
					t.Errorf("event to %s by role %s", ev.To, ev.ActorRole)
				}
			}
		}
		if len(by) != 2 || by[0] != rep || by[1] != rep {
			t.Errorf("the answer and the withdrawal were recorded as by %v, want the representative %d twice", by, rep)
		}
	})
}
