package portal

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// Residents get a 403 page that says who the back office is for; anonymous
// visitors are sent to sign in; caseworkers see the queue, filtered.
func TestStaffAccess(t *testing.T) {
	site := startLiveSite(t)
	anon := site.browser(t, stopAtRedirects)
	if r := anon.get("/staff"); r.status != http.StatusSeeOther || !strings.HasPrefix(r.location, "/auth/login?return_to=%2Fstaff") {
		t.Errorf("anonymous /staff: %d to %q", r.status, r.location)
	}
	resident := site.browser(t, stopAtRedirects)
	r := resident.signIn("resident", "/")
	mustNot(t, r, `href="/staff"`, `href="/editor"`)
	csrf, _ := formTokens(t, r.body)
	for _, path := range []string{"/staff", "/staff/applications/PN-0000-0000", "/staff/files/abc"} {
		must(t, resident.get(path), http.StatusForbidden, "These pages are for council caseworkers", "Your applications")
	}
	must(t, resident.post("/staff/applications/PN-0000-0000/status", url.Values{"_csrf": {csrf}, "to": {"approved"}}), http.StatusForbidden)
	editorUser := site.browser(t, stopAtRedirects)
	// Editors find the editor from the header of every page.
	must(t, editorUser.signIn("editor", "/"), http.StatusOK, `<a href="/editor">Content editor</a>`)
	must(t, editorUser.get("/staff"), http.StatusForbidden)

	ref := applyAs(t, resident)
	cw := site.browser(t, stopAtRedirects)
	r = cw.signIn("caseworker", "/staff")
	must(t, r, http.StatusOK, "Applications to review", `href="/staff"`, `id="queue-filters"`, `<select class="select" id="filter-department" name="department">`)
	for _, tc := range []struct {
		query string
		has   bool
	}{
		{"?service=" + vanPermit, true},
		{"?service=" + vanPermit + "&status=submitted", true},
		{"?department=waste-services", true},
		{"?service=" + vanPermit + "&status=approved", false},
		{"?department=planning", false},
		{"?service=report-a-pothole", false},
		{"?overdue=1", false},
	} {
		r := cw.get("/staff" + tc.query)
		must(t, r, http.StatusOK)
		if strings.Contains(r.body, ref) != tc.has {
			t.Errorf("/staff%s: lists %s = %v, want %v", tc.query, ref, !tc.has, tc.has)
		}
	}
}

// The more-information round trip: the caseworker reviews and asks, the
// resident sees the question and answers with a message and a file, the
// caseworker sees the answer and the file, approves, and the resident sees
// the decision. Every staff view and change is in the audit log.
func TestMoreInfoRoundTrip(t *testing.T) {
	site := startLiveSite(t)
	res := site.browser(t, stopAtRedirects)
	res.signIn("resident", "/")
	ref := applyAs(t, res)

	cw := site.browser(t, stopAtRedirects)
	cw.signIn("caseworker", "/")
	page := "/staff/applications/" + ref
	r := cw.get(page)
	must(t, r, http.StatusOK, "Application "+ref, "Marta Vidal", "logbook.pdf", "Audit log", "Opened the application",
		`value="in_review"`, "Start the review")
	mustNot(t, r, `value="approved"`) // not before the review starts
	csrf, _ := formTokens(t, r.body)
	status := func(from, to, note string) response {
		return cw.post(page+"/status", url.Values{"_csrf": {csrf}, "from": {from}, "to": {to}, "note": {note}})
	}
	if r := status("submitted", "in_review", ""); r.status != http.StatusSeeOther {
		t.Fatalf("start review: %d\n%s", r.status, excerptMain(r.body))
	}
	// A request for more information needs the question.
	r = status("in_review", "more_info_needed", "")
	must(t, r, http.StatusUnprocessableEntity, `<a href="#note">Write a note for the applicant`)
	// A change the status machine does not allow from here is refused.
	r = status("in_review", "withdrawn", "")
	must(t, r, http.StatusUnprocessableEntity, "Choose what you want to do with the application")
	if r := status("in_review", "more_info_needed", "Please send the back page of the logbook."); r.status != http.StatusSeeOther {
		t.Fatalf("request more info: %d\n%s", r.status, excerptMain(r.body))
	}
	must(t, cw.get(page+"?done=changed"), http.StatusOK, "The status has been changed", "More information needed",
		"Please send the back page of the logbook.", "Changed the status")
	// A stale form (status seen before the request) is refused.
	must(t, status("in_review", "approved", ""), http.StatusConflict)

	r = res.get("/account/applications")
	must(t, r, http.StatusOK, "More information needed")
	detail := "/account/applications/" + ref
	r = res.get(detail)
	must(t, r, http.StatusOK, "We need more information from you", "Please send the back page of the logbook.",
		`enctype="multipart/form-data" id="respond-form"`)
	rcsrf, _ := formTokens(t, r.body)
	r = res.postMultipart(detail+"/respond", url.Values{"_csrf": {rcsrf}, "message": {""}})
	must(t, r, http.StatusUnprocessableEntity, "Write your answer or choose a file to send")
	r = res.postMultipart(detail+"/respond", url.Values{"_csrf": {rcsrf}, "message": {"Here it is."}},
		upload{field: "files", name: "script.sh", content: []byte("#!/bin/sh\n\x00\x01\x02rm -rf /\x00")})
	must(t, r, http.StatusUnprocessableEntity, "The file script.sh must be one of these types")
	r = res.postMultipart(detail+"/respond", url.Values{"_csrf": {rcsrf}, "message": {"Here it is."}},
		upload{field: "files", name: "back-page.pdf", content: []byte("%PDF-1.4\n% back page\n")})
	if r.status != http.StatusSeeOther {
		t.Fatalf("respond: %d\n%s", r.status, excerptMain(r.body))
	}
	must(t, res.get(r.location), http.StatusOK, "We have received your answer", "Being reviewed", "Here it is.", "back-page.pdf")

	r = cw.get(page)
	must(t, r, http.StatusOK, "Being reviewed", "Here it is.", "back-page.pdf", `value="approved"`, `value="rejected"`)
	var staffFile string
	for _, m := range fileLink.FindAllStringSubmatch(r.body, -1) {
		staffFile = m[1] // the last file is the answer's
	}
	f := cw.get(staffFile)
	if f.status != http.StatusOK || f.header.Get("Content-Disposition") != "attachment; filename=back-page.pdf" || f.header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("staff file: %d %v", f.status, f.header)
	}
	// A rejection needs a reason; an approval does not.
	must(t, status("in_review", "rejected", ""), http.StatusUnprocessableEntity)
	if r := status("in_review", "approved", "All in order."); r.status != http.StatusSeeOther {
		t.Fatalf("approve: %d\n%s", r.status, excerptMain(r.body))
	}
	r = cw.get(page)
	// The history and the audit log say who, by name, and what, in words.
	must(t, r, http.StatusOK, "Approved", "Downloaded a file", "Changed the status", "Received → Being reviewed", "Being reviewed → Approved",
		"Javier Ortega (caseworker)", "Marta Vidal (applicant)")
	mustNot(t, r, "(person ", "in_review")
	mustNot(t, r, `id="status-form"`)
	// The queue starts with what needs a caseworker: a decided application
	// is found by asking for it.
	mustNot(t, cw.get("/staff"), ref)
	// (Filtered by the service: the site's other tests fill the queue.)
	must(t, cw.get("/staff?status=all&service="+vanPermit), http.StatusOK, ref)
	must(t, cw.get("/staff?status=approved&service="+vanPermit), http.StatusOK, ref, `<option value="approved" selected>`)

	r = res.get(detail)
	must(t, r, http.StatusOK, "Approved", "All in order.")
	mustNot(t, r, "Withdraw your application", "We need more information")
}
