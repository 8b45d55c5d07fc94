package portal

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"sportello/applications"
	"sportello/applications/forms"
	"sportello/notify"
	"sportello/notify/notifytest"
	"sportello/payments"
	"sportello/portal/apply"
	"sportello/portal/auth"
	"sportello/portal/pay"
)

const vanPermit = "recycling-centre-van-permit" // assurance low, free, 5 days, a required file

// vanPermitAnswers are valid answers to the van permit's form.
func vanPermitAnswers(csrf, token string) url.Values {
	return url.Values{
		"_csrf": {csrf}, "_token": {token}, "_action": {"continue"},
		"name": {"Marta Vidal"}, "address-line1": {"Carrer Nou 12"}, "address-postcode": {"08800"},
		"vehicle_registration": {"1234 bcd"}, "vehicle_type": {"van"}, "permit_type": {"annual"},
		"email": {"marta.vidal@example.org"},
	}
}

func docUpload(name string) upload {
	return upload{field: "vehicle_document", name: name, content: []byte("%PDF-1.4\n% vehicle document\n" + strings.Repeat("x", 2000))}
}

// applyAs fills in and sends the van permit form as the signed-in visitor,
// and returns the reference.
func applyAs(t *testing.T, v *browser) string {
	t.Helper()
	conf := applyIn(t, v, "")
	must(t, conf, http.StatusOK, "Application sent", "See your application")
	return referenceOf(t, conf.body)
}

// applyIn sends the van permit's form with the query query (such as
// "?lang=ca") on every request, and returns the confirmation.
func applyIn(t *testing.T, v *browser, query string) response {
	t.Helper()
	form := v.get("/services/" + vanPermit + "/apply" + query)
	must(t, form, http.StatusOK)
	csrf, token := formTokens(t, form.body)
	r := v.postMultipart("/services/"+vanPermit+"/apply"+query, vanPermitAnswers(csrf, token), docUpload("logbook.pdf"))
	if r.status != http.StatusSeeOther {
		t.Fatalf("van permit answers: %d\n%s", r.status, excerptMain(r.body))
	}
	must(t, v.get(r.location), http.StatusOK, "logbook.pdf", "1234BCD")
	r = v.post("/services/"+vanPermit+"/apply/submit"+query, url.Values{"_csrf": {csrf}, "_token": {token}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("submit: %d\n%s", r.status, excerptMain(r.body))
	}
	return v.get(r.location)
}

var fileLink = regexp.MustCompile(`href="(/(?:account|staff)/files/[a-z2-7]+)"`)

// Signing in is asked for by a form that needs it, and brings the person
// back to the form, with their name and email filled in; "Save and come
// back later" keeps a draft the account lists and the form comes back to.
func TestApplySignInAndDraft(t *testing.T) {
	site := startLiveSite(t)
	v := site.browser(t, stopAtRedirects)
	r := v.get("/services/" + vanPermit + "/apply")
	if r.status != http.StatusSeeOther || !strings.HasPrefix(r.location, "/auth/login?return_to=") {
		t.Fatalf("anonymous visit: %d to %q, want sign-in", r.status, r.location)
	}
	r = v.signIn("resident", "/services/"+vanPermit+"/apply")
	if r.url.Path != "/services/"+vanPermit+"/apply" {
		t.Fatalf("after sign-in the browser is at %s, want the form", r.url)
	}
	must(t, r, http.StatusOK, `id="name" name="name" type="text" autocomplete="name" value="Marta Vidal"`,
		`value="marta.vidal@example.org"`, `id="apply-save"`, "A saved draft keeps your answers but not the files",
		"We keep a saved draft for 30 days after you last save it, and email you 7 days before we delete it.")
	mustNot(t, r, `id="contact-email"`)
	csrf, token := formTokens(t, r.body)

	// Step-up: a substantial service asks a low sign-in to sign in again.
	low := site.browser(t, stopAtRedirects)
	low.signInAtLevel("business", "/", "low")
	if r := low.get("/services/certificate-of-residence/apply"); r.status != http.StatusSeeOther || !strings.Contains(r.location, "level=substantial") {
		t.Errorf("low sign-in on a substantial form: %d to %q, want sign-in at substantial", r.status, r.location)
	}

	draft := url.Values{"_csrf": {csrf}, "_token": {token}, "_action": {"save"},
		"name": {"Marta Vidal"}, "vehicle_registration": {"9999 XYZ"}, "permit_type": {"single"}, "visit_date-day": {"12"}}
	r = v.postMultipart("/services/"+vanPermit+"/apply", draft)
	if r.status != http.StatusSeeOther || r.location != "/account/applications?saved="+vanPermit {
		t.Fatalf("save draft: %d to %q", r.status, r.location)
	}
	r = v.get(r.location)
	must(t, r, http.StatusOK, "We have saved your answers", "Saved drafts",
		`href="/services/`+vanPermit+`/apply"`, "Apply for a recycling centre van permit", ". Kept until ")
	r = v.get("/services/" + vanPermit + "/apply")
	must(t, r, http.StatusOK, "We filled in the answers you saved on", `value="9999 XYZ"`,
		`value="single" checked`, `id="visit_date-day" name="visit_date-day" type="text" inputmode="numeric" value="12"`)

	// Sending the application deletes the draft.
	applyAs(t, v)
	r = v.get("/account/applications")
	must(t, r, http.StatusOK, "You have no saved drafts.")
}

// A signed-in person's applications: the list with status and the
// countdown, the detail with answers, files and history, the file served
// as a download, and withdrawing.
func TestAccountApplications(t *testing.T) {
	site := startLiveSite(t)
	v := site.browser(t, stopAtRedirects)
	v.signIn("resident", "/")
	ref := applyAs(t, v)

	must(t, v.get("/account"), http.StatusOK, `<a href="/account/applications">Your applications</a>`)
	r := v.get("/account/applications")
	must(t, r, http.StatusOK, ref, "Received", "5 working days left", `href="/account/applications/`+ref+`"`)
	r = v.get("/account/applications/" + ref)
	must(t, r, http.StatusOK, "Application "+ref, "Carrer Nou 12", "1234BCD", "Van", "logbook.pdf",
		"History", "Received", "Withdraw your application", `id="withdraw-submit"`)
	mustNot(t, r, "We need more information from you")
	// A reference typed in lower case without dashes is the same reference.
	if r := v.get("/account/applications/" + strings.ToLower(strings.ReplaceAll(ref, "-", ""))); r.status != http.StatusOK {
		t.Errorf("reference as typed: %d", r.status)
	}

	m := fileLink.FindStringSubmatch(r.body)
	if m == nil {
		t.Fatalf("no file link on the application page")
	}
	f := v.get(m[1])
	if f.status != http.StatusOK || !strings.HasPrefix(f.body, "%PDF-1.4") {
		t.Fatalf("file download: %d %.50q", f.status, f.body)
	}
	for h, want := range map[string]string{
		"Content-Type":           "application/pdf",
		"Content-Disposition":    `attachment; filename=logbook.pdf`,
		"X-Content-Type-Options": "nosniff",
		"Cache-Control":          "private, no-store",
	} {
		if got := f.header.Get(h); got != want {
			t.Errorf("file download %s: %q, want %q", h, got, want)
		}
	}

	csrf, _ := formTokens(t, r.body)
	long := strings.Repeat("a", apply.MaxWithdrawReason+1)
	r = v.post("/account/applications/"+ref+"/withdraw", url.Values{"_csrf": {csrf}, "reason": {long}})
	must(t, r, http.StatusUnprocessableEntity, `<a href="#withdraw-reason">Use 1000 characters or fewer; you used 1001</a>`)
	r = v.post("/account/applications/"+ref+"/withdraw", url.Values{"_csrf": {csrf}, "reason": {"I sold the van"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("withdraw: %d\n%s", r.status, excerptMain(r.body))
	}
	r = v.get(r.location)
	must(t, r, http.StatusOK, "You have withdrawn your application.", "Withdrawn", "I sold the van")
	mustNot(t, r, `id="withdraw-submit"`, "working days left")
	// Withdrawing again is refused: it is final.
	r = v.post("/account/applications/"+ref+"/withdraw", url.Values{"_csrf": {csrf}})
	must(t, r, http.StatusConflict, "at another stage")
}

// A resident never sees another person's application or file: guessed or
// borrowed references and file ids answer exactly as ones that do not
// exist.
func TestApplicationsAuthorisation(t *testing.T) {
	site := startLiveSite(t)
	marta := site.browser(t, stopAtRedirects)
	marta.signIn("resident", "/")
	ref := applyAs(t, marta)
	detail := marta.get("/account/applications/" + ref)
	must(t, detail, http.StatusOK)
	file := fileLink.FindStringSubmatch(detail.body)[1]

	luca := site.browser(t, stopAtRedirects)
	luca.signIn("business", "/")
	csrf, _ := formTokens(t, luca.get("/account/applications").body)
	unknown, err := applications.NewReference("PN")
	if err != nil {
		t.Fatal(err)
	}
	requestID := regexp.MustCompile(`quote reference [^<]*`)
	mainOf := func(r response) string { return requestID.ReplaceAllString(excerptMain(r.body), "") }
	missing := luca.get("/account/applications/" + unknown.String())
	must(t, missing, http.StatusNotFound)
	for _, tc := range []struct {
		name string
		r    response
	}{
		{"another's application", luca.get("/account/applications/" + ref)},
		{"another's file", luca.get(file)},
		{"a guessed file", luca.get("/account/files/aaaaaaaaaaaaaaaaaaaaaaaaaa")},
		{"withdraw another's", luca.post("/account/applications/"+ref+"/withdraw", url.Values{"_csrf": {csrf}})},
		{"answer for another", luca.postMultipart("/account/applications/"+ref+"/respond", url.Values{"_csrf": {csrf}, "message": {"hi"}})},
		{"a mistyped reference", luca.get("/account/applications/PN-0000-0000")},
	} {
		if tc.r.status != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", tc.name, tc.r.status)
			continue
		}
		if mainOf(tc.r) != mainOf(missing) {
			t.Errorf("%s: the 404 page differs from a missing reference's:\n%s\n---\n%s", tc.name, mainOf(tc.r), mainOf(missing))
		}
	}
	mustNot(t, luca.get("/account/applications"), ref)
	// Marta's application is untouched.
	must(t, marta.get("/account/applications/"+ref), http.StatusOK, "Received")
	// Anonymous visitors are sent to sign in.
	anon := site.browser(t, stopAtRedirects)
	if r := anon.get("/account/applications/" + ref); r.status != http.StatusSeeOther || !strings.HasPrefix(r.location, "/auth/login") {
		t.Errorf("anonymous: %d to %q", r.status, r.location)
	}
	if r := anon.get(file); r.status != http.StatusSeeOther {
		t.Errorf("anonymous file: %d", r.status)
	}
}

// A service whose fee is paid on application, as GOV.UK Pay services do it:
// the check page says "Continue to payment" and goes straight to the
// provider; until it is paid nothing says the application was sent, and
// the account says it waits for payment; once paid, the page back from the
// provider is the confirmation, with the reference and the decision date.
func TestApplyWithFee(t *testing.T) {
	const slug = "visitor-parking-permit"
	site := startLiveSite(t)
	v := site.browser(t, stopAtRedirects)
	r := v.signIn("resident", "/services/"+slug+"/apply")
	must(t, r, http.StatusOK, "Cost", "€")
	csrf, token := formTokens(t, r.body)
	r = v.post("/services/"+slug+"/apply", url.Values{
		"_csrf": {csrf}, "_token": {token}, "_action": {"continue"},
		"address-line1": {"Carrer Nou 12"}, "address-postcode": {"08800"}, "zone": {"zone_a"},
		"books": {"2"}, "format": {"digital"}, "email": {"marta.vidal@example.org"}, "phone": {"+34 600 000 000"},
	})
	if r.status != http.StatusSeeOther {
		t.Fatalf("answers: %d\n%s", r.status, excerptMain(r.body))
	}
	must(t, v.get(r.location), http.StatusOK, "You pay it online once you have sent your request.",
		`id="apply-submit">Continue to payment</button>`)
	r = v.post("/services/"+slug+"/apply/submit", url.Values{"_csrf": {csrf}, "_token": {token}})
	if r.status != http.StatusSeeOther || !strings.HasPrefix(r.location, "/payments/simulated/") {
		t.Fatalf("submit: %d to %q, want the provider's checkout", r.status, r.location)
	}
	checkout := v.get(r.location)

	// Before paying (the browser's back button, a second tab).
	conf := v.get("/services/" + slug + "/apply/confirmation?token=" + token)
	must(t, conf, http.StatusOK, `<h1 id="unpaid">Pay to finish</h1>`)
	mustNot(t, conf, "panel--confirmation", "You should get a decision")
	ref := referenceOf(t, conf.body)
	must(t, conf, http.StatusOK, `id="apply-pay" href="/applications/`+ref+`/pay"`)
	must(t, v.get("/account/applications"), http.StatusOK, ref, "Waiting for payment")

	back := v.follow(v.postForm(checkout, checkout.url.Path, url.Values{"choice": {payments.SimulatedPay}}))
	must(t, back, http.StatusOK, `<h1 class="panel__title">Request sent</h1>`, `id="reference">`+ref+"<", `id="decision-due"`, "View and print your receipt")
	must(t, v.get("/account/applications/"+ref), http.StatusOK, `id="payment"`)
}

// An application to a service that asks for a substantial sign-in is read
// and changed only after one: a lower sign-in is sent to step up, coming
// back to the page (or, after a form, to the application).
func TestApplicationsNeedTheirServiceLevel(t *testing.T) {
	const taxCertificate = "tax-certificate-request" // substantial, 5 EUR on application, an optional file
	site := startLiveSite(t)
	low := site.browser(t, stopAtRedirects)
	low.signInAtLevel("resident", "/", "low")

	ctx := context.Background()
	svc, err := fixture.store.Service(ctx, taxCertificate)
	if err != nil {
		t.Fatal(err)
	}
	token, err := applications.NewToken()
	if err != nil {
		t.Fatal(err)
	}
	const pdf = "%PDF-1.4\n% authorisation\n"
	app, err := fixture.deps.Applications.Submit(ctx, applications.SubmitInput{
		Token: token, Service: svc, PersonID: site.personID(t, "resident"),
		Answers: forms.Answers{{Field: "authorisation", Type: forms.TypeFile, Files: []forms.FileRef{{Name: "authorisation.pdf", ContentType: "application/pdf"}}}},
		Files: []forms.AcceptedFile{{Field: "authorisation", Filename: "authorisation.pdf", ContentType: "application/pdf", Size: int64(len(pdf)),
			Open: func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(pdf)), nil }}},
	})
	if err != nil {
		t.Fatal(err)
	}
	ref := app.Reference.String()
	page := "/account/applications/" + ref
	if len(app.Files) != 1 {
		t.Fatalf("the application has %d files, want 1", len(app.Files))
	}
	file := apply.FileURL(app.Files[0].ID)

	csrf := csrfOf(t, low.get("/").body)
	for _, tc := range []struct {
		name     string
		r        response
		returnTo string
	}{
		{"the application", low.get(page), page},
		{"its file", low.get(file), file},
		{"its payment", low.get(pay.PayURL(ref)), pay.PayURL(ref)},
		{"withdrawing it", low.post(page+"/withdraw", url.Values{"_csrf": {csrf}, "reason": {"changed my mind"}}), page},
		{"answering for it", low.postMultipart(page+"/respond", url.Values{"_csrf": {csrf}, "message": {"hi"}}), page},
		{"paying for it", low.post(pay.PayURL(ref), url.Values{"_csrf": {csrf}}), page},
	} {
		if want := auth.LoginURL(tc.returnTo, "substantial"); tc.r.status != http.StatusSeeOther || tc.r.location != want {
			t.Errorf("%s at a low sign-in: %d to %q, want a step-up to %q", tc.name, tc.r.status, tc.r.location, want)
		}
	}
	if st := payStatus(t, site, "resident", app.Reference); st != applications.StatusAwaitingPayment {
		t.Errorf("after the refused changes the application is %s", st)
	}

	// Stepping up opens it.
	must(t, low.signInAtLevel("resident", page, "substantial"), http.StatusOK, ref, "authorisation.pdf")
	must(t, low.get(file), http.StatusOK, "% authorisation")
	must(t, low.get(pay.PayURL(ref)), http.StatusOK, `id="pay-now"`)
}

// An application sent in Catalan is told received in Catalan: the portal
// gives the store the language of the form.
func TestApplicationReceivedInTheFormsLanguage(t *testing.T) {
	site := startLiveSite(t)
	v := site.browser(t, stopAtRedirects)
	v.signIn("resident", "/")
	ref := referenceOf(t, applyIn(t, v, "?lang=ca").body)
	n, ok := notifytest.Outbox(t, site.db)["received:"+ref]
	if !ok || n.Kind != notify.ApplicationReceived || n.Lang != "ca" || n.PersonID != site.personID(t, "resident") || n.Data["service"] != vanPermit {
		t.Errorf("the notification of %s: %+v (found %v); want application_received for the resident, in ca", ref, n, ok)
	}
}
