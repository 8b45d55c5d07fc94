package accounts

import (
	"context"
	"database/sql"
	"errors"
	"testing"
	"time"

	"sportello/store/storetest"
)

// Every sign-in is remembered with its level and when its session was last
// used, says whether that session is still open, and is forgotten
// SignInHistory after it was last used.
func TestSignInHistory(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			s, clk := newTestStore(t, dialect)
			ctx := context.Background()
			ana := signedInSession(t, s, "first", "ana", "sid-1")
			clk.Advance(time.Hour)
			if again := signedInSession(t, s, "second", "ana", "sid-2"); again != ana {
				t.Fatalf("the same subject became person %d, then %d", ana, again)
			}
			other := signedInSession(t, s, "other", "bo", "sid-3")

			clk.Advance(10 * time.Minute)
			if _, err := s.SignedIn(ctx, "second", idle); err != nil {
				t.Fatal(err)
			}
			if err := s.DeleteSession(ctx, "first"); err != nil {
				t.Fatal(err)
			}
			got, err := s.SignIns(ctx, ana)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 2 {
				t.Fatalf("%d sign-ins, want 2: %+v", len(got), got)
			}
			newest, oldest := got[0], got[1]
			if !newest.Active || oldest.Active {
				t.Errorf("active: newest %v, oldest (signed out) %v", newest.Active, oldest.Active)
			}
			if newest.ACR != "substantial" || !newest.LastActiveAt.After(newest.SignedInAt) {
				t.Errorf("newest sign-in: %+v, want its level and a later last activity", newest)
			}
			if !oldest.SignedInAt.Before(newest.SignedInAt) {
				t.Errorf("not newest first: %+v", got)
			}
			if bo, _ := s.SignIns(ctx, other); len(bo) != 1 {
				t.Errorf("the other person has %d sign-ins, want 1", len(bo))
			}

			p, err := s.Profile(ctx, ana)
			if err != nil || p.Subject != "ana" || p.Name != "N ana" || p.CreatedAt.After(p.SignedInAt) || p.Roles[0] != "editor" {
				t.Errorf("profile: %+v, %v", p, err)
			}
			if _, err := s.Profile(ctx, 42); !errors.Is(err, ErrNotFound) {
				t.Errorf("profile of nobody: %v", err)
			}

			clk.Advance(SignInHistory)
			if _, err := s.PurgeExpired(ctx); err != nil {
				t.Fatal(err)
			}
			if n := count(t, s.db, `SELECT COUNT(*) FROM sign_ins`); n != 0 {
				t.Errorf("%d sign-ins kept after %v", n, SignInHistory)
			}
		})
	}
}

// Deleting a person runs the other areas' erasers and deletes the person's
// sessions, sign-ins, saved answers and record in one transaction: an
// eraser that fails leaves everything as it was. Another person is not
// touched, and signing in again makes a new person.
func TestDeletePerson(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			s, _ := newTestStore(t, dialect)
			ctx := context.Background()
			ana := signedInSession(t, s, "ana-1", "ana", "sid-1")
			signedInSession(t, s, "ana-2", "ana", "sid-2")
			bo := signedInSession(t, s, "bo-1", "bo", "sid-3")
			for _, id := range []int64{ana, bo} {
				if err := s.SaveAnswers(ctx, id, `{"age":70}`, time.Now()); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := s.db.SQL().Exec(`CREATE TABLE other_area (person_id BIGINT)`); err != nil {
				t.Fatal(err)
			}
			if _, err := s.db.SQL().Exec(s.db.Rebind(`INSERT INTO other_area (person_id) VALUES (?), (?)`), ana, bo); err != nil {
				t.Fatal(err)
			}
			other := func(ctx context.Context, tx *sql.Tx, id int64) error {
				_, err := tx.ExecContext(ctx, s.db.Rebind(`DELETE FROM other_area WHERE person_id = ?`), id)
				return err
			}
			failing := errors.New("the other area failed")
			err := s.DeletePerson(ctx, ana, other, func(context.Context, *sql.Tx, int64) error { return failing })
			if !errors.Is(err, failing) {
				t.Fatalf("a failing eraser: %v", err)
			}
			if n := count(t, s.db, `SELECT COUNT(*) FROM other_area`); n != 2 {
				t.Fatalf("a failed deletion changed the other area: %d rows", n)
			}
			if who, _ := s.SignedIn(ctx, "ana-1", idle); who == nil {
				t.Fatal("a failed deletion signed the person out")
			}

			if err := s.DeletePerson(ctx, ana, other); err != nil {
				t.Fatal(err)
			}
			for _, q := range []string{
				`SELECT COUNT(*) FROM people WHERE id = ?`, `SELECT COUNT(*) FROM auth_sessions WHERE person_id = ?`,
				`SELECT COUNT(*) FROM sign_ins WHERE person_id = ?`, `SELECT COUNT(*) FROM support_saved_answers WHERE person_id = ?`,
				`SELECT COUNT(*) FROM other_area WHERE person_id = ?`,
			} {
				if n := count(t, s.db, q, ana); n != 0 {
					t.Errorf("%s: %d left", q, n)
				}
				if n := count(t, s.db, q, bo); n != 1 {
					t.Errorf("%s: the other person has %d, want 1", q, n)
				}
			}
			for _, id := range []string{"ana-1", "ana-2"} {
				if who, _ := s.SignedIn(ctx, id, idle); who != nil {
					t.Errorf("session %s still signed in", id)
				}
			}
			if err := s.DeletePerson(ctx, ana); !errors.Is(err, ErrNotFound) {
				t.Errorf("deleting again: %v, want ErrNotFound", err)
			}
			if again := signedInSession(t, s, "ana-3", "ana", "sid-4"); again == ana {
				t.Error("signing in again brought back the deleted person's id")
			}
			if _, err := s.SavedAnswers(ctx, bo); err != nil {
				t.Errorf("the other person's answers: %v", err)
			}
		})
	}
}
