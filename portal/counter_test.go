package portal

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"sportello/notify"
	"sportello/notify/notifytest"
)

const counterReason = "No computer at home; asked for help at the counter"

var visitPath = regexp.MustCompile(`^/staff/assist/visits/[0-9]+`)

// Only counter staff, caseworkers and administrators reach the counter;
// residents get the 403 page, anonymous visitors are sent to sign in, and
// every form needs its CSRF token.
func TestCounterAccess(t *testing.T) {
	site := startLiveSite(t)
	anon := site.browser(t, stopAtRedirects)
	if r := anon.get("/staff/assist"); r.status != http.StatusSeeOther || !strings.HasPrefix(r.location, "/auth/login?return_to=%2Fstaff%2Fassist") {
		t.Errorf("anonymous /staff/assist: %d to %q", r.status, r.location)
	}
	resident := site.browser(t, stopAtRedirects)
	r := resident.signIn("resident", "/")
	mustNot(t, r, `id="assist-nav"`)
	csrf := csrfOf(t, r.body)
	for _, path := range []string{"/staff/assist", "/staff/assist/residents/new", "/staff/assist/visits/1", "/staff/assist/visits/1/services/" + vanPermit + "/apply"} {
		must(t, resident.get(path), http.StatusForbidden, "Only counter staff, caseworkers and administrators")
	}
	must(t, resident.post("/staff/assist/find", url.Values{"_csrf": {csrf}, "reason": {counterReason}, "email": {"marta.vidal@example.org"}}), http.StatusForbidden)
	must(t, resident.post("/staff/assist/residents", url.Values{"_csrf": {csrf}, "reason": {counterReason}, "name": {"X"}, "email": {"x@example.org"}}), http.StatusForbidden)

	desk := site.browser(t, stopAtRedirects)
	r = desk.signIn("counter", "/staff/assist")
	must(t, r, http.StatusOK, `id="assist-nav"`, `id="assist-find"`, `name="reason"`)
	// Counter staff see the counter only, not the caseworkers' queue.
	mustNot(t, r, `<a href="/staff">`)
	must(t, desk.get("/staff"), http.StatusForbidden)
	// Without the CSRF token nothing is searched.
	must(t, desk.post("/staff/assist/find", url.Values{"reason": {counterReason}, "email": {"marta.vidal@example.org"}}), http.StatusForbidden)

	cw := site.browser(t, stopAtRedirects)
	must(t, cw.signIn("caseworker", "/staff/assist"), http.StatusOK, `id="assist-find"`)
}

// Bad input is refused with 422, an error summary saying what to fix, and
// what was typed kept.
func TestCounterValidation(t *testing.T) {
	site := startLiveSite(t)
	desk := site.browser(t, stopAtRedirects)
	page := desk.signIn("counter", "/staff/assist")
	for _, tc := range []struct {
		name, path string
		form       url.Values
		want       []string
	}{
		{"no reason", "/staff/assist/find", url.Values{"email": {"someone@example.org"}},
			[]string{`class="error-summary"`, `href="#reason"`, `value="someone@example.org"`}},
		{"no identifier", "/staff/assist/find", url.Values{"reason": {counterReason}},
			[]string{"Enter a national ID number, an email address, or a name with a date of birth", counterReason}},
		{"a name alone", "/staff/assist/find", url.Values{"reason": {counterReason}, "name": {"Marta Vidal"}},
			[]string{"Enter the date of birth to search by name", `value="Marta Vidal"`}},
		{"record without a name", "/staff/assist/residents", url.Values{"reason": {counterReason}, "email": {"new@example.org"}, "lang": {"en"}},
			[]string{`href="#name"`, `value="new@example.org"`}},
		{"record with a bad email", "/staff/assist/residents", url.Values{"reason": {counterReason}, "name": {"Pau Serra"}, "email": {"pau@"}, "lang": {"ca"}},
			[]string{`href="#email"`, `value="Pau Serra"`}},
		{"record with nothing to find them by", "/staff/assist/residents", url.Values{"reason": {counterReason}, "name": {"Pau Serra"}, "lang": {"ca"}},
			[]string{"so that the resident can be found again"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			must(t, desk.postForm(page, tc.path, tc.form), http.StatusUnprocessableEntity, tc.want...)
		})
	}
}

// The counter journey over HTTP: counter staff record a resident, send a
// form with them (the same form, checks and uploads), take the fee of
// another at the counter and email a link for a third; another member of
// staff cannot open the visit; the resident signs in with the verified
// email recorded and finds the applications, their history naming who sent
// them, and "Who acted for you"; another resident sees none of it. It has
// a database of its own: the applications it sends would crowd the shared
// one's staff queue.
func TestCounterJourney(t *testing.T) {
	site := startLiveSite(t, ownCatalogue)
	desk := site.browser(t, stopAtRedirects)
	page := desk.signIn("counter", "/staff/assist/residents/new")
	must(t, page, http.StatusOK, `id="assist-record"`)
	r := desk.postForm(page, "/staff/assist/residents", url.Values{
		"reason": {counterReason}, "name": {"Marta Vidal"}, "birth_date-day": {"9"}, "birth_date-month": {"4"}, "birth_date-year": {"1961"},
		"email": {"Marta.Vidal@example.org"}, "lang": {"ca"},
	})
	if r.status != http.StatusSeeOther || !visitPath.MatchString(r.location) {
		t.Fatalf("record: %d to %q\n%s", r.status, r.location, excerptMain(r.body))
	}
	visit := visitPath.FindString(r.location)
	must(t, desk.get(r.location), http.StatusOK, "Helping Marta Vidal", "marta.vidal@example.org", counterReason, "The resident is recorded.")
	// The same email cannot be recorded twice.
	must(t, desk.postForm(page, "/staff/assist/residents", url.Values{"reason": {counterReason}, "name": {"M. Vidal"}, "email": {"marta.vidal@example.org"}, "lang": {"ca"}}),
		http.StatusUnprocessableEntity, "already recorded")
	// Another member of staff finds her, but her visit is not theirs.
	cw := site.browser(t, stopAtRedirects)
	find := cw.signIn("caseworker", "/staff/assist")
	must(t, cw.postForm(find, "/staff/assist/find", url.Values{"reason": {"Phoned about her permit"}, "name": {"marta  VIDAL"},
		"birth_date-day": {"9"}, "birth_date-month": {"4"}, "birth_date-year": {"1961"}}), http.StatusOK, "1 resident found", "Marta Vidal", "Help this resident")
	must(t, cw.get(visit), http.StatusNotFound)
	must(t, cw.get(visit+"/services/"+vanPermit+"/apply"), http.StatusNotFound)

	// Choosing no service says so.
	must(t, desk.get(visit+"/start?service="), http.StatusUnprocessableEntity, "Choose the service to apply for")
	r = desk.get(visit + "/start?service=" + vanPermit)
	if r.status != http.StatusSeeOther || r.location != visit+"/services/"+vanPermit+"/apply" {
		t.Fatalf("start: %d to %q", r.status, r.location)
	}
	// The resident's form, filled in with what the counter knows of her.
	form := desk.get(r.location)
	must(t, form, http.StatusOK, "You are filling in this form with Marta Vidal", `value="marta.vidal@example.org"`)
	mustNot(t, form, `id="apply-save"`, `value="Aina Puig"`)
	csrf, token := formTokens(t, form.body)
	answers := vanPermitAnswers(csrf, token)
	answers.Del("vehicle_registration")
	r = desk.postMultipart(visit+"/services/"+vanPermit+"/apply", answers, docUpload("logbook.pdf"))
	must(t, r, http.StatusUnprocessableEntity, `class="error-summary"`, `value="Carrer Nou 12"`)
	r = desk.postMultipart(visit+"/services/"+vanPermit+"/apply", vanPermitAnswers(csrf, token), docUpload("logbook.pdf"))
	if r.status != http.StatusSeeOther || r.location != visit+"/services/"+vanPermit+"/apply/check?token="+url.QueryEscape(token) {
		t.Fatalf("answers: %d to %q\n%s", r.status, r.location, excerptMain(r.body))
	}
	must(t, desk.get(r.location), http.StatusOK, "Read these answers out with Marta Vidal", "logbook.pdf", "1234BCD")
	r = desk.post(visit+"/services/"+vanPermit+"/apply/submit", url.Values{"_csrf": {csrf}, "_token": {token}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("submit: %d\n%s", r.status, excerptMain(r.body))
	}
	conf := desk.get(r.location)
	must(t, conf, http.StatusOK, "Sent for Marta Vidal at the counter", "Print this page", `href="`+visit+`"`)
	van := referenceOf(t, conf.body)

	// A fee due on application is taken at the counter.
	parking := counterParkingPermit(t, desk, visit)
	pay := desk.get(visit + "/applications/" + parking + "/payment")
	must(t, pay, http.StatusOK, "Take a payment at the counter", "€40.00")
	must(t, desk.postForm(pay, visit+"/applications/"+parking+"/payment", url.Values{"receipt": {"TPV-0042"}, "amount": {"40.00"}}),
		http.StatusUnprocessableEntity, `href="#method"`, `value="TPV-0042"`)
	r = desk.postForm(pay, visit+"/applications/"+parking+"/payment", url.Values{"method": {"card_terminal"}, "receipt": {"TPV-0042"}, "amount": {"40.00"}})
	if r.status != http.StatusSeeOther || r.location != visit+"?done=paid" {
		t.Fatalf("payment: %d to %q\n%s", r.status, r.location, excerptMain(r.body))
	}
	must(t, desk.get(r.location), http.StatusOK, "The payment is recorded")
	must(t, desk.get(visit+"/applications/"+parking+"/payment"), http.StatusNotFound)

	// Another fee: a link to pay goes to her by email, through the outbox.
	second := counterParkingPermit(t, desk, visit)
	before := notifytest.Outbox(t, site.db)
	page = desk.get(visit)
	must(t, page, http.StatusOK, `id="assist-link-`+second+`"`)
	r = desk.postForm(page, visit+"/applications/"+second+"/payment-link", nil)
	if r.status != http.StatusSeeOther || r.location != visit+"?done=link_sent" {
		t.Fatalf("payment link: %d to %q", r.status, r.location)
	}
	links := notifytest.OfKind(notifytest.Added(before, notifytest.Outbox(t, site.db)), notify.PaymentLink)
	if len(links) != 1 {
		t.Fatalf("payment link notifications: %+v", links)
	}

	// Someone else signs in: nothing of hers.
	luca := site.browser(t, stopAtRedirects)
	luca.signIn("business", "/account/applications")
	must(t, luca.get("/account/applications/"+van), http.StatusNotFound)
	mustNot(t, luca.get("/account/applications"), van, parking)
	mustNot(t, luca.get("/account/data"), counterReason)

	// She signs in with the verified email recorded: they are hers.
	marta := site.browser(t, stopAtRedirects)
	must(t, marta.signIn("resident", "/account/applications"), http.StatusOK, van, parking, second)
	must(t, marta.get("/account/applications/"+van), http.StatusOK, "submitted at the counter by Aina Puig", "logbook.pdf")
	paid := marta.get("/account/payments")
	must(t, paid, http.StatusOK, parking)
	receipt := payReceiptLink.FindStringSubmatch(paid.body)
	if receipt == nil {
		t.Fatalf("no receipt link in the account's payments: %s", excerptMain(paid.body))
	}
	must(t, marta.get(receipt[1]), http.StatusOK, "Card at the counter (terminal slip TPV-0042)", parking)
	data := marta.get("/account/data")
	must(t, data, http.StatusOK, "Who acted for you", "Aina Puig", counterReason, "Sent an application", "Recorded a payment at the counter",
		"Emailed a payment link", "The verified email address matched")
	mustNot(t, data, "Phoned about her permit") // a search names nobody
	must(t, desk.get(visit), http.StatusOK, "Signed in: applications appear in their account")
}

// counterParkingPermit sends the resident parking permit (40 EUR on
// application) at the counter of visit, and returns its reference.
func counterParkingPermit(t *testing.T, desk *browser, visit string) string {
	t.Helper()
	path := visit + "/services/" + parkingPermit + "/apply"
	form := desk.get(path)
	must(t, form, http.StatusOK)
	csrf, token := formTokens(t, form.body)
	start := time.Now().AddDate(0, 0, 14)
	r := desk.postMultipart(path, url.Values{
		"_csrf": {csrf}, "_token": {token}, "_action": {"continue"},
		"address-line1": {"Carrer Nou 12"}, "address-town": {"Porta Nova"}, "address-postcode": {"08800"}, "zone": {"zone_a"},
		"vehicle_registration": {"1234 bcd"}, "ownership": {"own"}, "email": {"marta.vidal@example.org"},
		"start_date-day": {start.Format("2")}, "start_date-month": {start.Format("1")}, "start_date-year": {start.Format("2006")},
	}, docUpload("logbook.pdf"))
	if r.status != http.StatusSeeOther {
		t.Fatalf("parking permit answers: %d\n%s", r.status, excerptMain(r.body))
	}
	r = desk.post(path+"/submit", url.Values{"_csrf": {csrf}, "_token": {token}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("parking permit submit: %d\n%s", r.status, excerptMain(r.body))
	}
	conf := desk.get(r.location)
	must(t, conf, http.StatusOK, `id="counter-pay"`)
	return referenceOf(t, conf.body)
}
