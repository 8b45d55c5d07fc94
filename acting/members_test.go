package acting_test

import (
	"context"
	"errors"
	"testing"

	"sportello/acting"
	"sportello/notify/notifytest"
	"sportello/store"
	"sportello/store/storetest"
)

// A member leaves or is removed; the last owner cannot go, a second owner
// can; someone not in it is not found.
func TestRemoveMember(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		notifytest.AddPeople(t, db, owner, member, stranger)
		s := acting.New(db, nil, nil)
		org, err := s.Register(ctx, acting.Organisation{Name: "Forno Ferri SL", TaxID: "B12345678"}, owner)
		if err != nil {
			t.Fatal(err)
		}
		join := func(person int64, email, role string) {
			t.Helper()
			tok, err := s.Invite(ctx, acting.Invite{OrganisationID: org.ID, Email: email, Role: role, By: owner})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.Join(ctx, tok, person); err != nil {
				t.Fatal(err)
			}
		}
		join(member, "member@example.org", acting.RoleMember)

		if err := s.RemoveMember(ctx, org.ID, owner); !errors.Is(err, acting.ErrLastOwner) {
			t.Errorf("the last owner leaving: %v, want ErrLastOwner", err)
		}
		if err := s.RemoveMember(ctx, org.ID, stranger); !errors.Is(err, acting.ErrNotFound) {
			t.Errorf("removing a stranger: %v, want ErrNotFound", err)
		}
		if err := s.RemoveMember(ctx, org.ID+1, member); !errors.Is(err, acting.ErrNotFound) {
			t.Errorf("another organisation: %v, want ErrNotFound", err)
		}
		if err := s.RemoveMember(ctx, org.ID, member); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Role(ctx, org.ID, member); !errors.Is(err, acting.ErrNotFound) {
			t.Errorf("the removed member's role: %v, want ErrNotFound", err)
		}
		// With a second owner, the first may leave; then the second is the last.
		join(stranger, "stranger@example.org", acting.RoleOwner)
		if err := s.RemoveMember(ctx, org.ID, owner); err != nil {
			t.Fatalf("an owner leaving with another owner: %v", err)
		}
		if err := s.RemoveMember(ctx, org.ID, stranger); !errors.Is(err, acting.ErrLastOwner) {
			t.Errorf("the new last owner: %v, want ErrLastOwner", err)
		}
		if m, err := s.Members(ctx, org.ID); err != nil || len(m) != 1 || m[0].PersonID != stranger {
			t.Errorf("members %+v, %v, want the second owner alone", m, err)
		}
	})
}
