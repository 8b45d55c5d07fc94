package acting_test

import (
	"context"
	"database/sql"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"sportello/acting"
	"sportello/notify"
	"sportello/notify/notifytest"
	"sportello/store"
	"sportello/store/storetest"
)

const (
	owner    = int64(101)
	member   = int64(102)
	stranger = int64(103)
	carer    = int64(104)
)

func TestOrganisations(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		notifytest.AddPeople(t, db, owner, member, stranger)
		s := acting.New(db, nil, nil)

		org, err := s.Register(ctx, acting.Organisation{Name: " Forno Ferri SL ", TaxID: "b-12.345 678"}, owner)
		if err != nil {
			t.Fatal(err)
		}
		if org.Name != "Forno Ferri SL" || org.TaxID != "B12345678" || org.Confirmed() {
			t.Errorf("registered %+v, want the name trimmed, the tax ID normalised, not confirmed", org)
		}
		if _, err := s.Register(ctx, acting.Organisation{Name: "Other", TaxID: "B12345678"}, stranger); !errors.Is(err, acting.ErrConflict) {
			t.Errorf("a tax ID registered twice: %v, want ErrConflict", err)
		}
		if role, err := s.Role(ctx, org.ID, owner); err != nil || role != acting.RoleOwner {
			t.Errorf("owner's role %q, %v", role, err)
		}
		if _, err := s.Role(ctx, org.ID, stranger); !errors.Is(err, acting.ErrNotFound) {
			t.Errorf("a stranger's role: %v, want ErrNotFound", err)
		}
		unconfirmed, err := s.Unconfirmed(ctx)
		if err != nil || len(unconfirmed) != 1 || unconfirmed[0].ID != org.ID {
			t.Errorf("unconfirmed = %+v, %v", unconfirmed, err)
		}
		if err := s.Confirm(ctx, org.ID, 9); err != nil {
			t.Fatal(err)
		}
		if err := s.Confirm(ctx, org.ID, 9); !errors.Is(err, acting.ErrNotFound) {
			t.Errorf("confirming twice: %v, want ErrNotFound", err)
		}
		if o, _ := s.Organisation(ctx, org.ID); o.ConfirmedBy != acting.ConfirmedByStaff {
			t.Errorf("confirmed by %q", o.ConfirmedBy)
		}

		// An invitation is mailed with its link and used once.
		before := notifytest.Outbox(t, db)
		token, err := s.Invite(ctx, acting.Invite{OrganisationID: org.ID, Email: "102@example.com", Role: acting.RoleMember, By: owner, Lang: "it"})
		if err != nil {
			t.Fatal(err)
		}
		mails := notifytest.OfKind(notifytest.Added(before, notifytest.Outbox(t, db)), notify.OrganisationInvite)
		if len(mails) != 1 {
			t.Fatalf("invitation mails: %+v", mails)
		}
		for _, n := range mails {
			if n.Address != "102@example.com" || n.Lang != "it" || n.Data["token"] != token || n.Data["organisation"] != "Forno Ferri SL" {
				t.Errorf("invitation mail %+v", n)
			}
		}
		if inv, err := s.Invitations(ctx, org.ID); err != nil || len(inv) != 1 || inv[0].Email != "102@example.com" {
			t.Errorf("open invitations %+v, %v", inv, err)
		}
		if _, err := s.Invite(ctx, acting.Invite{OrganisationID: org.ID, Email: "not an address", Role: acting.RoleMember, By: owner}); !errors.Is(err, acting.ErrInvalid) {
			t.Errorf("inviting a bad address: %v", err)
		}
		if _, err := s.Join(ctx, token, member); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Join(ctx, token, stranger); !errors.Is(err, acting.ErrNotFound) {
			t.Errorf("a used invitation: %v, want ErrNotFound", err)
		}
		members, err := s.Members(ctx, org.ID)
		if err != nil || len(members) != 2 || members[0].PersonID != owner || members[1].PersonID != member || members[1].Name != "Person 102" {
			t.Errorf("members %+v, %v", members, err)
		}
		if ms, err := s.Memberships(ctx, member); err != nil || len(ms) != 1 || ms[0].Role != acting.RoleMember {
			t.Errorf("memberships %+v, %v", ms, err)
		}

		if err := s.SavePlan(ctx, org.ID, acting.Plan{BusinessType: "bakery", Query: "type=bakery&staff=3", SavedBy: member}); err != nil {
			t.Fatal(err)
		}
		if plans, err := s.Plans(ctx, org.ID); err != nil || len(plans) != 1 || plans[0].Query != "type=bakery&staff=3" {
			t.Errorf("plans %+v, %v", plans, err)
		}
	})
}

func TestRepresentations(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		notifytest.AddPeople(t, db, owner, carer, stranger)
		s := acting.New(db, nil, nil)

		rep, token, err := s.Grant(ctx, acting.Grant{
			Principal: owner, PrincipalName: "Person 101", RepresentativeName: "Carer", RepresentativeEmail: "104@example.com",
			Services: []string{"resident-parking-permit"}, Until: "2030-12-31", Lang: "es",
		})
		if err != nil {
			t.Fatal(err)
		}
		mails := notifytest.OfKind(notifytest.Outbox(t, db), notify.RepresentationInvite)
		if len(mails) != 1 {
			t.Fatalf("authorisation mails %+v", mails)
		}
		if cur, _ := s.Current(ctx, carer, owner, "2030-01-01"); len(cur) != 0 {
			t.Errorf("current before acceptance: %+v", cur)
		}
		if _, err := s.Accept(ctx, token, owner, "Person 101"); !errors.Is(err, acting.ErrInvalid) {
			t.Errorf("the principal accepting their own: %v, want ErrInvalid", err)
		}
		if got, err := s.Offer(ctx, token); err != nil || got.ID != rep.ID {
			t.Fatalf("offer %+v, %v", got, err)
		}
		if _, err := s.Accept(ctx, token, carer, "Carer Name"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Accept(ctx, token, stranger, "x"); !errors.Is(err, acting.ErrNotFound) {
			t.Errorf("accepting twice: %v", err)
		}
		cur, err := s.Current(ctx, carer, owner, "2030-12-31")
		if err != nil || len(cur) != 1 || !cur[0].Covers("resident-parking-permit") || cur[0].Covers("bulky-waste-collection") {
			t.Fatalf("current on its last day: %+v, %v", cur, err)
		}
		if !cur[0].CurrentOn("2030-12-31") || cur[0].CurrentOn("2031-01-01") {
			t.Errorf("CurrentOn around its date")
		}
		if cur, _ := s.Current(ctx, carer, owner, "2031-01-01"); len(cur) != 0 {
			t.Errorf("current after its date: %+v", cur)
		}
		if cur, _ := s.Current(ctx, stranger, owner, "2030-01-01"); len(cur) != 0 {
			t.Errorf("a stranger is current: %+v", cur)
		}
		if err := s.End(ctx, rep.ID, stranger, false); !errors.Is(err, acting.ErrNotFound) {
			t.Errorf("a stranger ending it: %v", err)
		}
		if err := s.End(ctx, rep.ID, carer, false); err != nil {
			t.Fatal(err)
		}
		if cur, _ := s.Current(ctx, carer, owner, "2030-01-01"); len(cur) != 0 {
			t.Errorf("current once ended: %+v", cur)
		}
		if of, _ := s.Of(ctx, owner); len(of) != 0 {
			t.Errorf("ended representations listed: %+v", of)
		}

		// On paper, with its document.
		p, err := s.PersonByEmail(ctx, "104@EXAMPLE.com")
		if err != nil || p.ID != carer {
			t.Fatalf("person by email %+v, %v", p, err)
		}
		principal, _ := s.PersonByEmail(ctx, "101@example.com")
		paper, err := s.RecordPaper(ctx, acting.Paper{Principal: principal, Representative: p, Until: "2030-06-30", StaffID: 9,
			DocumentName: "poder.pdf", DocumentType: "application/pdf", Document: strings.NewReader("%PDF-1.4 power of attorney")})
		if err != nil {
			t.Fatal(err)
		}
		if cur, _ := s.Current(ctx, carer, owner, time.Now().Format(time.DateOnly)); len(cur) != 1 || cur[0].ID != paper.ID || !cur[0].Covers("anything") {
			t.Errorf("paper representation current: %+v", cur)
		}
		d, rc, err := s.Document(ctx, paper.ID)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(rc)
		rc.Close()
		if d.Name != "poder.pdf" || d.ContentType != "application/pdf" || string(body) != "%PDF-1.4 power of attorney" {
			t.Errorf("document %+v %q", d, body)
		}
		if _, err := s.RecordPaper(ctx, acting.Paper{Principal: principal, Representative: principal, Until: "2030-06-30",
			DocumentName: "x.pdf", Document: strings.NewReader("x")}); !errors.Is(err, acting.ErrInvalid) {
			t.Errorf("acting for oneself on paper: %v", err)
		}
		if papers, err := s.Papers(ctx); err != nil || len(papers) != 1 || papers[0].ID != paper.ID || !papers[0].HasDocument {
			t.Errorf("papers %+v, %v", papers, err)
		}
		if err := s.End(ctx, paper.ID, 9, true); err != nil {
			t.Errorf("staff ending a paper representation: %v", err)
		}
		if papers, _ := s.Papers(ctx); len(papers) != 0 {
			t.Errorf("ended papers listed: %+v", papers)
		}

		// Deleting the carer's account ends what they were part of.
		again, tok, err := s.Grant(ctx, acting.Grant{Principal: owner, PrincipalName: "Person 101", RepresentativeEmail: "104@example.com", Until: "2030-12-31"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Accept(ctx, tok, carer, "Carer Name"); err != nil {
			t.Fatal(err)
		}
		if err := db.Tx(ctx, func(tx *sql.Tx) error { return s.ErasePerson(ctx, tx, carer) }); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.Representation(ctx, again.ID); got.EndedAt.IsZero() || got.RepresentativeName != "" || got.RepresentativeEmail != "" {
			t.Errorf("after erasing the representative: %+v", got)
		}
	})
}
