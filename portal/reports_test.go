package portal

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"sportello/applications"
	"sportello/notify"
	"sportello/notify/notifytest"
	"sportello/reports"
)

// Reports at a place: the pothole form takes a pin (or its coordinates
// typed, without JavaScript), refuses a place outside the council, shows
// the reports already made nearby before sending and lets the person add
// theirs to one; staff list them, set their status, and the reporter and
// supporters are told.

const pothole = "report-a-pothole"

// potholeAnswers are valid answers to the pothole form with the pin at
// lat, lng ("" leaves the coordinates out).
func potholeAnswers(t *testing.T, csrf, token, lat, lng string) url.Values {
	t.Helper()
	v := answersFor(t, pothole, csrf, token)
	if lat != "" || lng != "" {
		v.Set("location-lat", lat)
		v.Set("location-lng", lng)
	}
	return v
}

// startReport fills in the pothole form and returns its check page.
func startReport(t *testing.T, b *browser, answers func(csrf, token string) url.Values) (response, string) {
	t.Helper()
	form := b.get("/services/" + pothole + "/apply")
	must(t, form, http.StatusOK)
	csrf, token := formTokens(t, form.body)
	r := b.postMultipart("/services/"+pothole+"/apply", answers(csrf, token))
	if r.status != http.StatusSeeOther {
		t.Fatalf("pothole form: %d\n%s", r.status, excerptMain(r.body))
	}
	return b.get(r.location), token
}

func TestReportFormHasAMapAndCoordinates(t *testing.T) {
	site := startLiveSite(t)
	v := site.browser(t, stopAtRedirects)
	r := v.get("/services/" + pothole + "/apply")
	must(t, r, http.StatusOK,
		`id="location-map"`, `data-lat-input="location-lat"`, `data-tiles="https://tile.openstreetmap.org/{z}/{x}/{y}.png"`,
		`id="location-map-block" hidden`, "/assets/map.", "/assets/leaflet/leaflet.",
		`<label class="label label--small" for="location-lat">Latitude</label>`, `id="location-lng"`, `inputmode="decimal"`,
		"Put the pin here")
	// The tile server may send images, and nothing else is let in.
	if csp := r.header.Get("Content-Security-Policy"); !strings.Contains(csp, "img-src 'self' data: https://tile.openstreetmap.org;") || !strings.Contains(csp, "script-src 'self';") {
		t.Errorf("CSP %q", csp)
	}
	mustNot(t, r, "<script>", ` style="`)
}

func TestReportValidation(t *testing.T) {
	site := startLiveSite(t)
	v := site.browser(t, stopAtRedirects)
	for _, c := range []struct {
		name, lat, lng, line1  string
		lang, want, href, kept string
	}{
		{"outside the council", "40.4168", "-3.7038", "Gran Vía", "en", "That place is outside the area the council looks after", "#location-lat", `value="40.4168"`},
		{"latitude alone", "41.2190", "", "", "en", "Enter both the latitude and the longitude, or leave both empty", "#location-lng", `value="41.2190"`},
		{"words", "north", "1.7260", "", "es", "Escriba la latitud y la longitud en grados, como 41,2190 y 1,7260", "#location-lat", `value="north"`},
		{"nowhere", "", "", "", "fr", "", "#location-line1", ""},
	} {
		form := v.get("/services/" + pothole + "/apply?lang=" + c.lang)
		csrf, token := formTokens(t, form.body)
		answers := potholeAnswers(t, csrf, token, c.lat, c.lng)
		answers.Set("location-line1", c.line1)
		answers.Del("location-line2")
		r := v.postMultipart("/services/"+pothole+"/apply", answers)
		must(t, r, http.StatusUnprocessableEntity, `class="error-summary"`, `<a href="`+c.href+`">`, c.want, c.kept)
		if c.lang == "fr" && !strings.Contains(r.body, "Il y a un problème") {
			t.Errorf("%s: the error summary is not in French", c.name)
		}
	}
}

// Without JavaScript the place is the street, or the coordinates typed
// (with a decimal comma, as a Spanish phone shows them).
func TestReportWithoutJavaScript(t *testing.T) {
	site := startLiveSite(t, ownCatalogue)
	v := site.browser(t, stopAtRedirects)
	check, token := startReport(t, v, func(csrf, token string) url.Values {
		a := potholeAnswers(t, csrf, token, "41,2195", "1,7262")
		a.Set("location-line1", "")
		return a
	})
	must(t, check, http.StatusOK, "Pin on the map: 41.21950, 1.72620", "outside number 3")
	mustNot(t, check, "Already reported")
	csrf, _ := formTokens(t, check.body)
	r := v.post("/services/"+pothole+"/apply/submit", url.Values{"_csrf": {csrf}, "_token": {token}})
	ref := referenceOf(t, v.get(r.location).body)
	rep, err := site.srv.apply.Reports.ByReference(context.Background(), applications.Reference(ref))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Point == nil || rep.Point.Lat != 41.2195 || rep.Point.Lng != 1.7262 || rep.Status != reports.StatusOpen || rep.Address != "outside number 3" {
		t.Errorf("report = %+v, point %v", rep, rep.Point)
	}

	// By the street alone: a report without a pin, never "nearby".
	check, token = startReport(t, v, func(csrf, token string) url.Values { return potholeAnswers(t, csrf, token, "", "") })
	csrf, _ = formTokens(t, check.body)
	r = v.post("/services/"+pothole+"/apply/submit", url.Values{"_csrf": {csrf}, "_token": {token}})
	ref = referenceOf(t, v.get(r.location).body)
	if rep, err := site.srv.apply.Reports.ByReference(context.Background(), applications.Reference(ref)); err != nil || rep.Point != nil || rep.Address != "Avinguda del Mar, outside number 3" {
		t.Errorf("report by its street = %+v, %v", rep, err)
	}
}

func TestReportNearbyAndAddToIt(t *testing.T) {
	site := startLiveSite(t, ownCatalogue)
	ctx := context.Background()
	first := site.browser(t, stopAtRedirects)
	check, token := startReport(t, first, func(csrf, token string) url.Values {
		a := potholeAnswers(t, csrf, token, "41.2190", "1.7260")
		a.Set("email", "primera@example.org")
		a.Set("_contact-name", "Núria Primera")
		return a
	})
	csrf, _ := formTokens(t, check.body)
	r := first.post("/services/"+pothole+"/apply/submit", url.Values{"_csrf": {csrf}, "_token": {token}})
	ref := referenceOf(t, first.get(r.location).body)

	// 11 m north, the same service: offered, with nothing personal.
	second := site.browser(t, stopAtRedirects)
	check, token = startReport(t, second, func(csrf, token string) url.Values {
		a := potholeAnswers(t, csrf, token, "41.2191", "1.7260")
		a.Set("email", "segona@example.org")
		return a
	})
	must(t, check, http.StatusOK, "Already reported: 1 report within 30 m", "Report "+ref, "11 m from your pin", "Open",
		"Add my report to this one", "If it is a different problem, send your report below.")
	mustNot(t, check, "primera@example.org", "Núria")
	rep, err := site.srv.apply.Reports.ByReference(ctx, applications.Reference(ref))
	if err != nil {
		t.Fatal(err)
	}
	csrf, _ = formTokens(t, check.body)
	// Only a report the page offered.
	r = second.post("/services/"+pothole+"/apply/support", url.Values{"_csrf": {csrf}, "_token": {token}, "report": {strconv.FormatInt(rep.ID+2, 10)}})
	must(t, r, http.StatusConflict)
	r = second.post("/services/"+pothole+"/apply/support", url.Values{"_csrf": {csrf}, "_token": {token}, "report": {strconv.FormatInt(rep.ID, 10)}})
	if r.status != http.StatusSeeOther || !strings.Contains(r.location, "/apply/added?") {
		t.Fatalf("add to it: %d to %q\n%s", r.status, r.location, excerptMain(r.body))
	}
	must(t, second.get(r.location), http.StatusOK, "Your report has been added", ref, "We will email you when it moves on and when it is fixed.")
	if rep, _ = site.srv.apply.Reports.ByReference(ctx, applications.Reference(ref)); rep.Supporters != 1 {
		t.Errorf("supporters = %d, want 1", rep.Supporters)
	}
	// Nothing was sent: the form is empty, and its token makes no report.
	if r := second.post("/services/"+pothole+"/apply/submit", url.Values{"_csrf": {csrf}, "_token": {token}}); r.status != http.StatusSeeOther || strings.Contains(r.location, "confirmation") {
		t.Errorf("sending the form after adding to another: %d to %q, want back to the form", r.status, r.location)
	}
	if list, _, _ := site.srv.apply.Reports.List(ctx, reports.Filter{}); len(list) != 1 {
		t.Errorf("%d reports, want the first only", len(list))
	}

	// 400 m away: nothing offered.
	third := site.browser(t, stopAtRedirects)
	check, _ = startReport(t, third, func(csrf, token string) url.Values { return potholeAnswers(t, csrf, token, "41.2226", "1.7260") })
	mustNot(t, check, "Already reported")
}

func TestStaffReports(t *testing.T) {
	site := startLiveSite(t, ownCatalogue)
	ctx := context.Background()
	reporter := site.browser(t, stopAtRedirects)
	reporter.signIn("resident", "/")
	check, token := startReport(t, reporter, func(csrf, token string) url.Values { return potholeAnswers(t, csrf, token, "41.2200", "1.7250") })
	csrf, _ := formTokens(t, check.body)
	r := reporter.post("/services/"+pothole+"/apply/submit", url.Values{"_csrf": {csrf}, "_token": {token}})
	ref := referenceOf(t, reporter.get(r.location).body)
	rep, err := site.srv.apply.Reports.ByReference(ctx, applications.Reference(ref))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := site.srv.apply.Reports.AddSupporter(ctx, rep.ID, reports.Supporter{Email: "vei@example.org", Lang: "ca"}); err != nil {
		t.Fatal(err)
	}

	// Residents may not see the staff's pages.
	must(t, reporter.get("/staff/reports"), http.StatusForbidden, "These pages are for council caseworkers")
	must(t, reporter.get("/staff/reports/"+strconv.FormatInt(rep.ID, 10)), http.StatusForbidden)

	cw := site.browser(t, stopAtRedirects)
	cw.signIn("caseworker", "/")
	list := cw.get("/staff/reports?service=" + pothole + "&status=open")
	must(t, list, http.StatusOK, "Reports at a place", ref, `data-lat="41.220000" data-lng="1.725000"`, `id="reports-map"`, "1 report.")
	must(t, cw.get("/staff/reports?status=fixed"), http.StatusOK, "No report matches these filters.")
	must(t, cw.get("/staff"), http.StatusOK, `href="/staff/reports"`)
	must(t, cw.get("/staff/reports/999"), http.StatusNotFound)

	page := "/staff/reports/" + strconv.FormatInt(rep.ID, 10)
	show := cw.get(page)
	must(t, show, http.StatusOK, "Report "+ref, "41.22000, 1.72500", `id="report-supporters">1<`, "Open", `value="in_progress"`, `value="fixed"`)
	csrf = csrfOf(t, show.body)
	// No status chosen: 422, the note kept.
	r = cw.post(page+"/status", url.Values{"_csrf": {csrf}, "note": {"Crew booked"}})
	must(t, r, http.StatusUnprocessableEntity, `class="error-summary"`, "Choose the report&#39;s new status", ">Crew booked</textarea>")

	before := notifytest.Outbox(t, site.db)
	r = cw.post(page+"/status", url.Values{"_csrf": {csrf}, "status": {"fixed"}, "note": {"Filled and sealed"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("set fixed: %d\n%s", r.status, excerptMain(r.body))
	}
	must(t, cw.get(r.location), http.StatusOK, "Status saved", "Fixed", "Open → Fixed", "Filled and sealed")
	told := notifytest.OfKind(notifytest.Added(before, notifytest.Outbox(t, site.db)), notify.ReportStatus)
	var toReporter, toSupporter bool
	for _, n := range told {
		toReporter = toReporter || (n.PersonID == site.personID(t, "resident") && n.Data["role"] == "reporter")
		toSupporter = toSupporter || (n.Address == "vei@example.org" && n.Lang == "ca" && n.Data["role"] == "supporter")
		if n.Data["status"] != "fixed" || n.Data["note"] != "Filled and sealed" {
			t.Errorf("notice %+v", n)
		}
	}
	if len(told) != 2 || !toReporter || !toSupporter {
		t.Errorf("told %+v, want the reporter and the supporter", told)
	}
	// The reporter reads it in their account, note and all.
	must(t, reporter.get("/account/applications/"+ref), http.StatusOK, "Progress of the repair", "Fixed", "Filled and sealed", "1 person has added theirs.")
	// Fixed cannot go straight back to in progress.
	r = cw.post(page+"/status", url.Values{"_csrf": {csrf}, "status": {"in_progress"}})
	must(t, r, http.StatusUnprocessableEntity, "a fixed report is reopened as open")
}
