package portal

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"sportello/acting"
	"sportello/applications"
	"sportello/reports"
)

// "Your data" lists the person's appointments, the organisations they
// belong to with their role, the representations they gave and received,
// and the reported problems they added theirs to; the page and the file,
// theirs only, never another person's.
func TestYourDataAppointmentsActingReports(t *testing.T) {
	site := startLiveSite(t, ownCatalogue)
	ctx := context.Background()
	st := acting.New(site.db, nil, nil)
	marta, martaID := site.browserAs(t, "marta")
	other, otherID := site.browserAs(t, "jordi")

	// An appointment each at the Citizen Desk.
	book := func(b *browser, name string) {
		t.Helper()
		details, _, start := firstFree(t, b, citizenOffice)
		form := b.get(details)
		must(t, form, http.StatusOK)
		r := b.post(strings.SplitN(details, "?", 2)[0], url.Values{"_csrf": {csrfOf(t, form.body)}, "time": {start},
			"name": {name}, "email": {name + "@example.org"}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("booking for %s: %d\n%s", name, r.status, excerptMain(r.body))
		}
	}
	book(marta, "marta")
	book(other, "jordi")

	// An organisation each; Marta authorises someone, and Jordi authorises Marta.
	if _, err := st.Register(ctx, acting.Organisation{Name: "Forn Vidal SL", TaxID: "B33333333"}, martaID); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Register(ctx, acting.Organisation{Name: "Ferreteria Puig SL", TaxID: "B44444444"}, otherID); err != nil {
		t.Fatal(err)
	}
	future := time.Now().AddDate(1, 0, 0).Format(time.DateOnly)
	if _, _, err := st.Grant(ctx, acting.Grant{Principal: martaID, PrincipalName: "marta", RepresentativeName: "Gestoria Mas",
		RepresentativeEmail: "gestoria.mas@example.org", Until: future}); err != nil {
		t.Fatal(err)
	}
	_, tok, err := st.Grant(ctx, acting.Grant{Principal: otherID, PrincipalName: "jordi", RepresentativeEmail: "marta@example.org", Until: future})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Accept(ctx, tok, martaID, "marta"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := st.Grant(ctx, acting.Grant{Principal: otherID, PrincipalName: "jordi", RepresentativeName: "Assessoria Roig",
		RepresentativeEmail: "roig@example.org", Until: future}); err != nil {
		t.Fatal(err)
	}

	// Two reports made without signing in; Marta supports one, Jordi the other.
	report := func(lat string) *reports.Report {
		t.Helper()
		b := site.browser(t, stopAtRedirects)
		check, token := startReport(t, b, func(csrf, token string) url.Values { return potholeAnswers(t, csrf, token, lat, "1.7260") })
		csrf, _ := formTokens(t, check.body)
		r := b.post("/services/"+pothole+"/apply/submit", url.Values{"_csrf": {csrf}, "_token": {token}})
		rep, err := site.srv.apply.Reports.ByReference(ctx, applications.Reference(referenceOf(t, b.get(r.location).body)))
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}
	mine, theirs := report("41.2190"), report("41.2226")
	if _, err := site.srv.apply.Reports.AddSupporter(ctx, mine.ID, reports.Supporter{PersonID: martaID, Email: "marta@example.org", Lang: "en"}); err != nil {
		t.Fatal(err)
	}
	if _, err := site.srv.apply.Reports.AddSupporter(ctx, theirs.ID, reports.Supporter{PersonID: otherID, Email: "jordi@example.org", Lang: "en"}); err != nil {
		t.Fatal(err)
	}

	page := marta.get("/account/data")
	must(t, page, http.StatusOK, `href="#appointments"`, "Appointments you booked", `id="appointments-table"`, "Citizen Services",
		"Organisations you belong to", "Forn Vidal SL", "B33333333", "Owner",
		"People you authorised to act for you", `id="given-table"`, "Gestoria Mas", "Waiting to be accepted", "Every service",
		"People who authorised you to act for them", `id="received-table"`, "jordi", "In force",
		"Reported problems you added yours to", mine.Reference.String())
	mustNot(t, page, "Ferreteria Puig", "B44444444", "Assessoria Roig", theirs.Reference.String())
	if n := strings.Count(section(page.body, `id="appointments-table"`), "<tr>"); n != 2 {
		t.Errorf("%d rows in the appointments table, want a heading and Marta's", n)
	}

	var d struct {
		Appointments []struct {
			Service, Office, Status string
		} `json:"appointments"`
		Organisations []struct {
			Organisation, Role string
		} `json:"organisations"`
		Given    []struct{ Representative, Status string } `json:"representations_given"`
		Received []struct{ Principal, Status string }      `json:"representations_received"`
		Reports  []struct{ Reference, Status string }      `json:"reports_supported"`
	}
	decode(t, marta.get("/account/data.json"), &d)
	if len(d.Appointments) != 1 || d.Appointments[0].Status != "booked" || d.Appointments[0].Office != "citizen-services" {
		t.Errorf("appointments: %+v", d.Appointments)
	}
	if len(d.Organisations) != 1 || d.Organisations[0].Organisation != "Forn Vidal SL" || d.Organisations[0].Role != "owner" {
		t.Errorf("organisations: %+v", d.Organisations)
	}
	if len(d.Given) != 1 || d.Given[0].Representative != "Gestoria Mas" || d.Given[0].Status != "waiting" {
		t.Errorf("representations given: %+v", d.Given)
	}
	if len(d.Received) != 1 || d.Received[0].Principal != "jordi" || d.Received[0].Status != "active" {
		t.Errorf("representations received: %+v", d.Received)
	}
	if len(d.Reports) != 1 || d.Reports[0].Reference != mine.Reference.String() || d.Reports[0].Status != "open" {
		t.Errorf("reports supported: %+v", d.Reports)
	}

	// Jordi's file has his, not Marta's.
	decode(t, other.get("/account/data.json"), &d)
	if len(d.Appointments) != 1 || len(d.Organisations) != 1 || d.Organisations[0].Organisation != "Ferreteria Puig SL" ||
		len(d.Given) != 2 || len(d.Received) != 0 || len(d.Reports) != 1 || d.Reports[0].Reference != theirs.Reference.String() {
		t.Errorf("Jordi's data: %+v", d)
	}
	for _, lang := range []string{"es", "ca", "it", "fr"} {
		r := marta.get("/account/data?lang=" + lang)
		must(t, r, http.StatusOK, `<html lang="`+lang+`">`)
		mustNot(t, r, "yourdata.appointments", "yourdata.organisations", "yourdata.represent", "yourdata.supported", "appointments.status.", "reports.status.")
	}
}

func decode(t *testing.T, r response, v any) {
	t.Helper()
	if r.status != http.StatusOK {
		t.Fatalf("data.json: %d", r.status)
	}
	if err := json.Unmarshal([]byte(r.body), v); err != nil {
		t.Fatalf("data.json: %v", err)
	}
}

// section is body from the first at on to the end of its table.
func section(body, at string) string {
	i := strings.Index(body, at)
	if i < 0 {
		return ""
	}
	body = body[i:]
	if j := strings.Index(body, "</table>"); j >= 0 {
		return body[:j]
	}
	return body
}
