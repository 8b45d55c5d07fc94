package portal

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"sportello/acting"
	"sportello/applications"
)

// A representative who withdraws the person's application is recorded in
// its history as who did it, not the person, and named on the person's
// page.
func TestRepresentativeWithdrawIsRecordedAsTheRepresentative(t *testing.T) {
	site, st, apps := actingSite(t)
	ctx := context.Background()
	owner, ownerID := site.browserAs(t, "owner")
	rep, repID := site.browserAs(t, "rosa.rep")
	_, tok, err := st.Grant(ctx, acting.Grant{Principal: ownerID, PrincipalName: "owner", RepresentativeEmail: "rep@example.org",
		Until: time.Now().AddDate(1, 0, 0).Format(time.DateOnly)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Accept(ctx, tok, repID, "rep"); err != nil {
		t.Fatal(err)
	}
	svc, err := site.store.Service(ctx, "tax-certificate-request")
	if err != nil {
		t.Fatal(err)
	}
	token, err := applications.NewToken()
	if err != nil {
		t.Fatal(err)
	}
	app, err := apps.Submit(ctx, applications.SubmitInput{Token: token, Service: svc, PersonID: ownerID})
	if err != nil {
		t.Fatal(err)
	}
	path := "/account/applications/" + app.Reference.String()
	page := rep.get(path)
	must(t, page, http.StatusOK, `id="acting-banner"`)
	r := rep.post(path+"/withdraw", url.Values{"_csrf": {csrfOf(t, page.body)}, "reason": {"The business closed"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("withdraw: %d\n%s", r.status, excerptMain(r.body))
	}
	got, err := apps.ForApplicant(ctx, ownerID, app.Reference)
	if err != nil {
		t.Fatal(err)
	}
	last := got.Events[len(got.Events)-1]
	if got.Status != applications.StatusWithdrawn || last.To != applications.StatusWithdrawn || last.ActorPersonID != repID || last.Note != "The business closed" {
		t.Errorf("status %s, last event %+v, want withdrawn by the representative %d", got.Status, last, repID)
	}
	// The applicant's page names the representative in its history.
	must(t, owner.get(path), http.StatusOK, "rosa.rep")
}
