package accounts

import (
	"bytes"
	"context"
	"errors"
	"maps"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"sportello/store"
	"sportello/store/storetest"
)

// The sessions' lifetimes in these tests.
const (
	idle     = 30 * time.Minute
	absolute = 12 * time.Hour
)

// clock is a settable time for the session timeouts.
type clock struct{ offset atomic.Int64 }

func (c *clock) Now() time.Time          { return time.Now().Add(time.Duration(c.offset.Load())) }
func (c *clock) Advance(d time.Duration) { c.offset.Add(int64(d)) }

// newTestStore is the store on dialect with a settable clock.
func newTestStore(t *testing.T, dialect string) (*SQL, *clock) {
	t.Helper()
	clk := &clock{}
	return New(storetest.Open(t, dialect), clk.Now), clk
}

// count runs a COUNT(*) query.
func count(t *testing.T, db *store.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := db.SQL().QueryRowContext(context.Background(), db.Rebind(query), args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// signedInSession creates a session as Fiber and the callback do.
func signedInSession(t *testing.T, s *SQL, id, subject, sid string) int64 {
	t.Helper()
	ctx := context.Background()
	if err := s.SaveSessionData(ctx, id, []byte("fiber data"), idle, absolute); err != nil {
		t.Fatal(err)
	}
	pid, err := s.SignIn(ctx, id, Person{Issuer: "https://id.example", Subject: subject, Name: "N " + subject, Roles: []string{"editor"}}, sid, "substantial", "id-token-"+id)
	if err != nil {
		t.Fatal(err)
	}
	return pid
}

func TestSessionStorage(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			s, clk := newTestStore(t, dialect)
			ctx := context.Background()

			// Fiber's storage contract: unknown is nil, nil.
			if got, err := s.SessionData(ctx, "unknown"); got != nil || err != nil {
				t.Fatalf("Get(unknown) = %q, %v", got, err)
			}
			if err := s.SaveSessionData(ctx, "id-1", []byte{0, 1, 2, 255}, idle, absolute); err != nil {
				t.Fatal(err)
			}
			if got, err := s.SessionData(ctx, "id-1"); err != nil || !bytes.Equal(got, []byte{0, 1, 2, 255}) {
				t.Fatalf("Get after Set = %v, %v", got, err)
			}
			if err := s.SaveSessionData(ctx, "id-1", []byte("v2"), idle, absolute); err != nil {
				t.Fatal(err)
			}
			if got, _ := s.SessionData(ctx, "id-1"); string(got) != "v2" {
				t.Fatalf("Set did not replace: %q", got)
			}
			if n := count(t, s.db, "SELECT COUNT(*) FROM auth_sessions WHERE id_hash = ?", "id-1"); n != 0 {
				t.Fatal("the session id is stored in clear")
			}
			if err := s.DeleteSession(ctx, "id-1"); err != nil {
				t.Fatal(err)
			}
			if got, _ := s.SessionData(ctx, "id-1"); got != nil {
				t.Fatal("Delete left the session")
			}

			// An idle session expires and stays expired: a late Save does not
			// bring it back.
			if err := s.SaveSessionData(ctx, "id-2", []byte("x"), idle, absolute); err != nil {
				t.Fatal(err)
			}
			clk.Advance(31 * time.Minute)
			if got, _ := s.SessionData(ctx, "id-2"); got != nil {
				t.Fatal("an idle session outlived the idle timeout")
			}
			if err := s.SaveSessionData(ctx, "id-2", []byte("y"), idle, absolute); err != nil {
				t.Fatal(err)
			}
			if got, _ := s.SessionData(ctx, "id-2"); got != nil {
				t.Fatal("saving an expired session revived it")
			}
			if _, err := s.PurgeExpired(ctx); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestSessionTimeouts(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			s, clk := newTestStore(t, dialect)
			ctx := context.Background()
			pid := signedInSession(t, s, "active", "ada", "sid-a")
			signedInSession(t, s, "idle", "bob", "sid-b")

			v, err := s.SignedIn(ctx, "active", idle)
			if err != nil || v == nil || v.ID != pid || v.Subject != "ada" || v.Name != "N ada" || v.ACR != "substantial" || strings.Join(v.Roles, " ") != "editor" {
				t.Fatalf("viewer = %+v, %v", v, err)
			}
			// Activity every 20 minutes keeps a session alive past the idle
			// timeout, but not past the absolute one.
			for elapsed := 20 * time.Minute; elapsed < 12*time.Hour; elapsed += 20 * time.Minute {
				clk.Advance(20 * time.Minute)
				if v, err := s.SignedIn(ctx, "active", idle); err != nil || v == nil {
					t.Fatalf("an active session ended after %s: %v", elapsed, err)
				}
			}
			if v, _ := s.SignedIn(ctx, "idle", idle); v != nil {
				t.Fatal("an idle session is still signed in")
			}
			clk.Advance(20 * time.Minute)
			if v, _ := s.SignedIn(ctx, "active", idle); v != nil {
				t.Fatal("a session outlived the absolute timeout")
			}
			if got, _ := s.SessionData(ctx, "active"); got != nil {
				t.Fatal("Fiber still reads a session past the absolute timeout")
			}

			n, err := s.PurgeExpired(ctx)
			if err != nil || n != 2 {
				t.Fatalf("purge = %d, %v; want both sessions", n, err)
			}
			if c := count(t, s.db, "SELECT COUNT(*) FROM auth_sessions"); c != 0 {
				t.Fatalf("%d sessions left after purge", c)
			}
			if c := count(t, s.db, "SELECT COUNT(*) FROM people"); c != 2 {
				t.Fatalf("purge removed people: %d left", c)
			}
		})
	}
}

func TestBackChannelStore(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			s, clk := newTestStore(t, dialect)
			ctx := context.Background()
			const iss = "https://id.example"
			signedInSession(t, s, "ada-phone", "ada", "sid-1")
			signedInSession(t, s, "ada-laptop", "ada", "sid-2")
			signedInSession(t, s, "bob", "bob", "sid-3")
			alive := func(id string) bool {
				v, err := s.SignedIn(ctx, id, idle)
				if err != nil {
					t.Fatal(err)
				}
				return v != nil
			}
			exp := clk.Now().Add(2 * time.Minute)

			if n, err := s.BackChannelLogout(ctx, iss, "jti-1", exp, "sid-1", "ada"); err != nil || n != 1 {
				t.Fatalf("logout by sid ended %d: %v", n, err)
			}
			if alive("ada-phone") || !alive("ada-laptop") || !alive("bob") {
				t.Fatal("logout by sid ended the wrong sessions")
			}
			if _, err := s.BackChannelLogout(ctx, iss, "jti-1", exp, "", "bob"); !errors.Is(err, ErrReplayed) {
				t.Fatalf("a replayed jti: %v", err)
			}
			if !alive("bob") {
				t.Fatal("a replayed jti ended a session")
			}
			if n, err := s.BackChannelLogout(ctx, "https://other.example", "jti-2", exp, "", "ada"); err != nil || n != 0 {
				t.Fatalf("another issuer's token ended %d: %v", n, err)
			}
			if n, err := s.BackChannelLogout(ctx, iss, "jti-3", exp, "", "ada"); err != nil || n != 1 || alive("ada-laptop") {
				t.Fatalf("logout by sub ended %d: %v", n, err)
			}
			// The same jti from another issuer is another token.
			if _, err := s.BackChannelLogout(ctx, "https://other.example", "jti-1", exp, "", "x"); err != nil {
				t.Fatalf("jti of another issuer: %v", err)
			}
			// Used jtis are kept until they expire, then purged.
			clk.Advance(3 * time.Minute)
			if _, err := s.PurgeExpired(ctx); err != nil {
				t.Fatal(err)
			}
			if c := count(t, s.db, "SELECT COUNT(*) FROM auth_logout_tokens"); c != 0 {
				t.Fatalf("%d expired logout tokens left", c)
			}
		})
	}
}

func TestSignInUpsertsPerson(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			s, _ := newTestStore(t, dialect)
			ctx := context.Background()
			first := signedInSession(t, s, "one", "ada", "sid-1")
			if err := s.SaveSessionData(ctx, "two", []byte("x"), idle, absolute); err != nil {
				t.Fatal(err)
			}
			second, err := s.SignIn(ctx, "two", Person{Issuer: "https://id.example", Subject: "ada", Name: "Ada L", Email: "ada@example.org", EmailVerified: true}, "sid-2", "high", "tok")
			if err != nil {
				t.Fatal(err)
			}
			if first != second || first <= 0 || first >= 1<<53+1 {
				t.Fatalf("person ids %d and %d: the same person must keep one positive id below 2^53", first, second)
			}
			v, _ := s.SignedIn(ctx, "one", idle)
			if v == nil || v.Name != "Ada L" || len(v.Roles) != 0 || !v.EmailVerified || v.ACR != "substantial" {
				t.Fatalf("the first session does not see the refreshed person: %+v", v)
			}
			// Another issuer with the same subject is another person.
			if err := s.SaveSessionData(ctx, "three", []byte("x"), idle, absolute); err != nil {
				t.Fatal(err)
			}
			third, err := s.SignIn(ctx, "three", Person{Issuer: "https://other.example", Subject: "ada"}, "", "", "tok")
			if err != nil || third == first {
				t.Fatalf("another issuer's ada got id %d (%v)", third, err)
			}
			// Binding a session that does not exist fails rather than
			// signing nobody in silently.
			if _, err := s.SignIn(ctx, "missing", Person{Issuer: "https://id.example", Subject: "ada"}, "", "", "tok"); err == nil || !strings.Contains(err.Error(), "was not saved") {
				t.Fatalf("signIn on a missing session: %v", err)
			}
		})
	}
}

// Names gives the names of the people asked for who are known, and nothing
// for the rest.
func TestNames(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			s, _ := newTestStore(t, dialect)
			ada := signedInSession(t, s, "one", "ada", "sid-1")
			bob := signedInSession(t, s, "two", "bob", "sid-2")
			got, err := s.Names(context.Background(), []int64{ada, bob, 12345})
			if err != nil {
				t.Fatal(err)
			}
			want := map[int64]string{ada: "N ada", bob: "N bob"}
			if !maps.Equal(got, want) {
				t.Errorf("names %v, want %v", got, want)
			}
		})
	}
}
