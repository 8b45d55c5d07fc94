package portal

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"sportello/acting"
)

// An owner removes a member; a member leaves; the last owner is refused
// with the page and what to do (422); a member who is not an owner may not
// remove (403); a stranger finds nothing (404); each form needs its CSRF.
func TestOrganisationRemoveAndLeave(t *testing.T) {
	site := startLiveSite(t, ownCatalogue)
	ctx := context.Background()
	st := acting.New(site.db, nil, nil)
	owner, ownerID := site.browserAs(t, "owner")
	member, memberID := site.browserAs(t, "member")
	leaver, leaverID := site.browserAs(t, "leaver")
	stranger, _ := site.browserAs(t, "stranger")
	org, err := st.Register(ctx, acting.Organisation{Name: "Forn Vidal SL", TaxID: "B55555555"}, ownerID)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []struct {
		id    int64
		email string
	}{{memberID, "member@example.org"}, {leaverID, "leaver@example.org"}} {
		tok, err := st.Invite(ctx, acting.Invite{OrganisationID: org.ID, Email: p.email, Role: acting.RoleMember, By: ownerID})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.Join(ctx, tok, p.id); err != nil {
			t.Fatal(err)
		}
	}
	path := organisationPath(org.ID)
	removeMember := path + "/members/" + strconv.FormatInt(memberID, 10) + "/remove"

	page := owner.get(path)
	must(t, page, http.StatusOK, `action="`+removeMember+`"`, `action="`+path+`/leave"`, "Leave this organisation")
	mustNot(t, page, `/members/`+strconv.FormatInt(ownerID, 10)+`/remove"`)
	csrf := csrfOf(t, page.body)
	mpage := member.get(path)
	must(t, mpage, http.StatusOK, `action="`+path+`/leave"`)
	mustNot(t, mpage, "/remove")

	// The last owner: refused, with the reason, and still a member.
	r := owner.post(path+"/leave", url.Values{"_csrf": {csrf}})
	must(t, r, http.StatusUnprocessableEntity, "<title>Error:", `<a href="#leave-submit">You are the organisation’s only owner, so you cannot leave it.`)
	r = owner.post(path+"/members/"+strconv.FormatInt(ownerID, 10)+"/remove", url.Values{"_csrf": {csrf}})
	must(t, r, http.StatusUnprocessableEntity, "This is the organisation’s only owner and cannot be removed.")
	if role, err := st.Role(ctx, org.ID, ownerID); err != nil || role != acting.RoleOwner {
		t.Errorf("the owner's role after being refused: %q, %v", role, err)
	}

	// Without the CSRF token, nothing; a stranger, nothing; a plain member
	// may not remove another.
	must(t, owner.post(removeMember, url.Values{}), http.StatusForbidden)
	must(t, stranger.post(removeMember, url.Values{"_csrf": {csrfOf(t, stranger.get("/account/acting").body)}}), http.StatusNotFound)
	must(t, stranger.post(path+"/leave", url.Values{"_csrf": {csrfOf(t, stranger.get("/account/acting").body)}}), http.StatusNotFound)
	must(t, member.post(path+"/members/"+strconv.FormatInt(leaverID, 10)+"/remove", url.Values{"_csrf": {csrfOf(t, mpage.body)}}), http.StatusForbidden)
	// Nobody who is not a member is removed.
	must(t, owner.post(path+"/members/999/remove", url.Values{"_csrf": {csrf}}), http.StatusNotFound)

	// The owner removes the member, who then finds nothing.
	r = owner.post(removeMember, url.Values{"_csrf": {csrf}})
	if r.status != http.StatusSeeOther || r.location != path+"?done=removed" {
		t.Fatalf("remove: %d to %q\n%s", r.status, r.location, excerptMain(r.body))
	}
	must(t, owner.get(r.location), http.StatusOK, "The member has been removed from the organisation.")
	if _, err := st.Role(ctx, org.ID, memberID); !errors.Is(err, acting.ErrNotFound) {
		t.Errorf("the removed member's role: %v", err)
	}
	must(t, member.get(path), http.StatusNotFound)

	// A member leaves, and then finds nothing.
	lpage := leaver.get(path)
	must(t, lpage, http.StatusOK)
	r = leaver.post(path+"/leave", url.Values{"_csrf": {csrfOf(t, lpage.body)}})
	if r.status != http.StatusSeeOther || r.location != "/account/acting?done=left" {
		t.Fatalf("leave: %d to %q\n%s", r.status, r.location, excerptMain(r.body))
	}
	must(t, leaver.get(r.location), http.StatusOK, "You have left the organisation.")
	mustNot(t, leaver.get("/account/acting"), "Forn Vidal SL")
	must(t, leaver.get(path), http.StatusNotFound)
	if m, err := st.Members(ctx, org.ID); err != nil || len(m) != 1 || m[0].PersonID != ownerID {
		t.Errorf("members %+v, %v, want the owner alone", m, err)
	}

	// The page and its error in every language, no key left raw.
	for _, lang := range []string{"es", "ca", "it", "fr"} {
		p := owner.get(path + "?lang=" + lang)
		mustNot(t, p, "acting.members.")
		r := owner.post(path+"/leave?lang="+lang, url.Values{"_csrf": {csrfOf(t, p.body)}})
		must(t, r, http.StatusUnprocessableEntity)
		mustNot(t, r, "acting.members.")
	}
}
