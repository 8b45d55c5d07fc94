package portal

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"sportello/acting"
	"sportello/notify"
	"sportello/notify/notifytest"
	"sportello/portal/web"
)

// The pages of acting for someone else refuse bad input with a 422 that
// says what to fix and keeps what was typed; registering a business with
// a tax ID its owner's provider did not vouch for leaves it for a
// caseworker, who confirms it; an owner invites by email and the link
// makes a member, once; a member who is not an owner cannot invite, and a
// stranger does not see the organisation; a plan is saved to it; a
// caseworker records a power of attorney with its document, which only
// staff download; nobody but its two people ends a representation.
func TestActingPages(t *testing.T) {
	site := startLiveSite(t)
	ctx := context.Background()
	owner, ownerID := site.browserAs(t, "pages-owner")
	invitee, _ := site.browserAs(t, "pages-invitee")
	stranger, strangerID := site.browserAs(t, "pages-stranger")
	staff, _ := site.browserAs(t, "pages-caseworker", web.RoleCaseworker)

	// Authorising someone: every problem at once, the input kept.
	hub := owner.get("/account/acting")
	must(t, hub, http.StatusOK, "Authorise someone to act for you")
	r := owner.postForm(hub, "/account/acting/representatives", url.Values{
		"name": {""}, "email": {"pages-owner@example.org"}, "scope": {"chosen"}, "until": {"2001-01-01"},
	})
	must(t, r, http.StatusUnprocessableEntity, "There is a problem", "Enter their full name",
		"Enter the email address of the person you want to authorise, not your own",
		"Choose at least one service", "The date must be today or in the future", `value="2001-01-01"`)
	r = owner.postForm(hub, "/account/acting/representatives", url.Values{
		"name": {"A"}, "email": {"x@example.org"}, "scope": {"all"}, "until": {time.Now().AddDate(20, 0, 0).Format(time.DateOnly)},
	})
	must(t, r, http.StatusUnprocessableEntity, "The date must be within 10 years")

	// Registering a business: no claim, so a caseworker confirms it.
	form := owner.get("/account/organisations/new")
	must(t, form, http.StatusOK, "Register a business", "A member of council staff will check the tax ID")
	must(t, owner.postForm(form, "/account/organisations", url.Values{"name": {""}, "tax_id": {"12"}}),
		http.StatusUnprocessableEntity, "Enter the name of the business", "Enter the tax ID as 8 to 12 letters and numbers", `value="12"`)
	r = owner.postForm(form, "/account/organisations", url.Values{"name": {"Ferramenta Puig SL"}, "tax_id": {"b-3333 3333"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("registering: %d\n%s", r.status, excerptMain(r.body))
	}
	orgURL := strings.TrimSuffix(r.location, "?done=registered")
	page := owner.get(r.location)
	must(t, page, http.StatusOK, "Your business is registered.", "B33333333", "Waiting for council staff to check it", `id="invite-form"`)
	must(t, owner.postForm(form, "/account/organisations", url.Values{"name": {"Copy"}, "tax_id": {"B33333333"}}),
		http.StatusUnprocessableEntity, "A business with this tax ID is already registered")
	// Not confirmed: nobody applies for it yet.
	orgID, _ := strconv.ParseInt(strings.TrimPrefix(orgURL, "/account/organisations/"), 10, 64)
	must(t, owner.get("/services/"+vanPermit+"/apply?for=org-"+strconv.FormatInt(orgID, 10)), http.StatusNotFound)

	q := staff.get("/staff/acting")
	must(t, q, http.StatusOK, "Ferramenta Puig SL", "B33333333")
	r = staff.postForm(q, "/staff/acting/organisations/"+strconv.FormatInt(orgID, 10)+"/confirm", url.Values{})
	if r.status != http.StatusSeeOther {
		t.Fatalf("confirming: %d", r.status)
	}
	must(t, owner.get(orgURL), http.StatusOK, "Confirmed")
	must(t, owner.get("/services/"+vanPermit+"/apply?for=org-"+strconv.FormatInt(orgID, 10)), http.StatusOK, "For Ferramenta Puig SL", `name="_for"`)
	must(t, owner.get("/services/"+vanPermit+"/apply"), http.StatusOK, "Who are you applying for?", "For Ferramenta Puig SL")

	// Inviting: a bad address is refused; a good one is mailed; its link
	// makes a member once.
	page = owner.get(orgURL)
	must(t, owner.postForm(page, orgURL+"/invitations", url.Values{"email": {"nope"}, "role": {"member"}}),
		http.StatusUnprocessableEntity, "Enter an email address in the correct format", `value="nope"`)
	before := notifytest.Outbox(t, site.db)
	r = owner.postForm(page, orgURL+"/invitations", url.Values{"email": {"pages-invitee@example.org"}, "role": {"member"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("inviting: %d\n%s", r.status, excerptMain(r.body))
	}
	mails := notifytest.OfKind(notifytest.Added(before, notifytest.Outbox(t, site.db)), notify.OrganisationInvite)
	if len(mails) != 1 {
		t.Fatalf("invitation mails %+v", mails)
	}
	var token string
	for _, n := range mails {
		token = n.Data["token"]
	}
	must(t, stranger.get(orgURL), http.StatusNotFound)
	join := invitee.get("/account/organisations/join/" + token)
	must(t, join, http.StatusOK, "Join Ferramenta Puig SL")
	r = invitee.postForm(join, "/account/organisations/join/"+token, url.Values{})
	if r.status != http.StatusSeeOther || !strings.HasPrefix(r.location, orgURL) {
		t.Fatalf("joining: %d to %q", r.status, r.location)
	}
	memberPage := invitee.get(orgURL)
	must(t, memberPage, http.StatusOK, "pages-owner", "pages-invitee")
	mustNot(t, memberPage, `id="invite-form"`)
	must(t, invitee.postForm(memberPage, orgURL+"/invitations", url.Values{"email": {"a@example.org"}, "role": {"member"}}), http.StatusForbidden)
	must(t, stranger.postForm(stranger.get("/account"), orgURL+"/invitations", url.Values{"email": {"a@example.org"}, "role": {"member"}}), http.StatusNotFound)
	must(t, stranger.get("/account/organisations/join/"+token), http.StatusNotFound, "This link does not work")

	// A business permit plan saved to it, from the finder's plan page.
	plan := invitee.get("/business/start/plan?what=open-a-restaurant&sells_food=yes&sells_alcohol=no&outdoor_seating=unsure&sign=no")
	if plan.status == http.StatusOK && strings.Contains(plan.body, `action="`+orgURL+`/plans"`) {
		r = invitee.postForm(plan, orgURL+"/plans", url.Values{"query": {"what=open-a-restaurant&sells_food=yes&lang=es"}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("saving the plan: %d", r.status)
		}
		must(t, invitee.get(r.location), http.StatusOK, "The plan is saved to this organisation.", "/business/start/plan?sells_food=yes&amp;what=open-a-restaurant", "Open a restaurant")
	} else {
		t.Errorf("the plan page offers no saving to the organisation: %d\n%s", plan.status, excerptMain(plan.body))
	}
	must(t, stranger.postForm(stranger.get("/account"), orgURL+"/plans", url.Values{"query": {"what=open-a-restaurant"}}), http.StatusNotFound)

	// A power of attorney on paper, with its document.
	q = staff.get("/staff/acting")
	csrf, _ := formTokens(t, q.body)
	r = staff.postMultipart("/staff/acting/representations", url.Values{"_csrf": {csrf}, "principal": {"nobody@example.org"}, "scope": {"all"}})
	must(t, r, http.StatusUnprocessableEntity, "Nobody has signed in with the verified email address nobody@example.org",
		"Enter an email address", "Enter the last day", "Select the signed document")
	until := time.Now().AddDate(1, 0, 0).Format(time.DateOnly)
	r = staff.postMultipart("/staff/acting/representations", url.Values{
		"_csrf": {csrf}, "principal": {"pages-owner@example.org"}, "representative": {"pages-stranger@example.org"}, "scope": {"all"}, "until": {until},
	}, upload{field: "document", name: "poder.txt", content: []byte("not a scan")})
	must(t, r, http.StatusUnprocessableEntity, "The file must be a PDF, JPEG or PNG")
	r = staff.postMultipart("/staff/acting/representations", url.Values{
		"_csrf": {csrf}, "principal": {"pages-owner@example.org"}, "representative": {"pages-stranger@example.org"}, "scope": {"all"}, "until": {until},
	}, upload{field: "document", name: "poder.pdf", content: []byte("%PDF-1.4\n% power of attorney\n")})
	if r.status != http.StatusSeeOther {
		t.Fatalf("recording the power of attorney: %d\n%s", r.status, excerptMain(r.body))
	}
	st := acting.New(site.db, nil, nil)
	reps, err := st.For(ctx, strangerID)
	if err != nil || len(reps) != 1 || reps[0].Principal != ownerID || reps[0].Source != acting.SourcePaper {
		t.Fatalf("the stranger's representations %+v, %v", reps, err)
	}
	doc := "/staff/acting/representations/" + strconv.FormatInt(reps[0].ID, 10) + "/document"
	d := staff.get(doc)
	must(t, d, http.StatusOK, "% power of attorney")
	if d.header.Get("Content-Disposition") != `attachment; filename=poder.pdf` || d.header.Get("Content-Type") != "application/pdf" {
		t.Errorf("document headers %v", d.header)
	}
	must(t, owner.get(doc), http.StatusForbidden)
	must(t, staff.get("/staff/acting"), http.StatusOK, `href="`+doc+`"`, "pages-stranger")
	// The representative sees it on their page; only its two people end it.
	must(t, stranger.get("/account/acting"), http.StatusOK, "pages-owner", "Power of attorney on paper")
	end := "/account/acting/representations/" + strconv.FormatInt(reps[0].ID, 10) + "/end"
	must(t, invitee.postForm(invitee.get("/account/acting"), end, url.Values{}), http.StatusNotFound)
	r = owner.postForm(owner.get("/account/acting"), end, url.Values{})
	if r.status != http.StatusSeeOther {
		t.Fatalf("ending: %d", r.status)
	}
	if reps, _ := st.For(ctx, strangerID); len(reps) != 0 {
		t.Errorf("ended, still listed: %+v", reps)
	}
}
