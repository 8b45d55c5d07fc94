package reports

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"sportello/applications"
)

func TestAPIKeysIssueCheckRevoke(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		keys := NewAPIKeys(e.db, e.now)
		if _, _, err := keys.Issue(ctx, "  ", 900); !errors.Is(err, ErrInvalid) {
			t.Fatalf("Issue without a name: %v, want ErrInvalid", err)
		}
		crm, secret, err := keys.Issue(ctx, " Council CRM ", 900)
		if err != nil {
			t.Fatal(err)
		}
		if crm.Name != "Council CRM" || !strings.HasPrefix(secret, APIKeyPrefix) || len(secret) < 40 || !strings.HasPrefix(secret, crm.Prefix) {
			t.Fatalf("issued %+v with secret of %d characters", crm, len(secret))
		}
		e.advance(time.Minute)
		app, other, err := keys.Issue(ctx, "Reporting app", 900)
		if err != nil {
			t.Fatal(err)
		}
		if other == secret {
			t.Fatal("two keys have the same secret")
		}
		// The secret itself is nowhere in the table.
		var n int
		if err := e.db.SQL().QueryRowContext(ctx, e.db.Rebind(`SELECT COUNT(*) FROM open311_keys WHERE hash = ? OR prefix = ? OR name = ?`), secret, secret, secret).Scan(&n); err != nil || n != 0 {
			t.Fatalf("the secret is stored: %d rows (%v)", n, err)
		}
		e.advance(time.Minute)
		got, err := keys.Check(ctx, secret)
		if err != nil || got.ID != crm.ID || !got.LastUsedAt.Equal(e.now().Truncate(time.Millisecond)) {
			t.Fatalf("Check = %+v, %v", got, err)
		}
		for _, bad := range []string{"", "o311_nope", secret + "x", strings.TrimPrefix(secret, APIKeyPrefix)} {
			if _, err := keys.Check(ctx, bad); !errors.Is(err, ErrNotFound) {
				t.Errorf("Check(%q) = %v, want ErrNotFound", bad, err)
			}
		}
		if err := keys.Revoke(ctx, crm.ID, 900); err != nil {
			t.Fatal(err)
		}
		if _, err := keys.Check(ctx, secret); !errors.Is(err, ErrNotFound) {
			t.Errorf("Check of a revoked key = %v, want ErrNotFound", err)
		}
		if _, err := keys.Check(ctx, other); err != nil {
			t.Errorf("the other key stopped working: %v", err)
		}
		if err := keys.Revoke(ctx, 12345, 900); !errors.Is(err, ErrNotFound) {
			t.Errorf("Revoke of no key = %v, want ErrNotFound", err)
		}
		list, err := keys.List(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 2 || list[0].ID != app.ID || list[1].ID != crm.ID || !list[1].Revoked() || list[0].Revoked() {
			t.Errorf("List = %+v, want the key in use first, then the revoked one", list)
		}
	})
}

func TestByTokenFindsTheReportMadeWithIt(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		token, _ := applications.NewToken()
		made, err := e.s.Create(ctx, NewReport{Token: token, Service: service("pothole"), CatalogueVersion: 1, Lang: "en",
			Point: ptr(offset(centre, 5, 5)), Description: "A hole"})
		if err != nil {
			t.Fatal(err)
		}
		got, err := e.s.ByToken(ctx, token)
		if err != nil || got.ID != made.ID || got.Reference != made.Reference {
			t.Fatalf("ByToken = %+v, %v; want report %d", got, err, made.ID)
		}
		other, _ := applications.NewToken()
		if _, err := e.s.ByToken(ctx, other); !errors.Is(err, ErrNotFound) {
			t.Errorf("ByToken of an unused token = %v, want ErrNotFound", err)
		}
	})
}
