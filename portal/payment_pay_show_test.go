package portal

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"sportello/applications"
	"sportello/applications/forms"
	"sportello/notify"
	"sportello/notify/notifytest"
	"sportello/payments"
	"sportello/portal/pay"
)

const (
	parkingPermit = "resident-parking-permit" // 40 EUR on application, assurance low
	allotment     = "allotment-application"   // 40 EUR on approval, assurance low
)

// paySubmit records an application for slug as persona straight in the
// store, for the tests about paying rather than applying.
func paySubmit(t *testing.T, site *liveSite, persona, slug string) *applications.Application {
	t.Helper()
	ctx := context.Background()
	svc, err := fixture.store.Service(ctx, slug)
	if err != nil {
		t.Fatal(err)
	}
	token, err := applications.NewToken()
	if err != nil {
		t.Fatal(err)
	}
	v, err := fixture.store.Version(ctx)
	if err != nil {
		t.Fatal(err)
	}
	app, err := fixture.deps.Applications.Submit(ctx, applications.SubmitInput{
		Token: token, Service: svc, CatalogueVersion: v, PersonID: site.personID(t, persona),
		Answers: forms.Answers{},
	})
	if err != nil {
		t.Fatalf("Submit %s: %v", slug, err)
	}
	return app
}

// payStatus is an application's status now.
func payStatus(t *testing.T, site *liveSite, persona string, ref applications.Reference) applications.Status {
	t.Helper()
	app, err := fixture.deps.Applications.ForApplicant(context.Background(), site.personID(t, persona), ref)
	if err != nil {
		t.Fatal(err)
	}
	return app.Status
}

var payReceiptLink = regexp.MustCompile(`href="(/account/payments/[0-9]+/receipt)"`)

// payNow presses Pay now on the pay page and returns the checkout the
// browser was sent to.
func (b *browser) payNow(ref string) response {
	b.t.Helper()
	page := b.get(pay.PayURL(ref))
	must(b.t, page, http.StatusOK, `id="pay-now"`)
	return b.postForm(page, pay.PayURL(ref), nil)
}

// choose answers the simulated checkout the browser is on.
func (b *browser) choose(checkout response, choice string) response {
	b.t.Helper()
	must(b.t, checkout, http.StatusOK, `id="simulated-pay"`)
	return b.postForm(checkout, checkout.url.Path, url.Values{"choice": {choice}})
}

// Applying for a service whose fee is due on application: sending goes
// straight to the (simulated) checkout while the application waits for its
// payment; leaving the checkout, the application page leads to Pay now;
// paying sends it to the council, and the receipt shows what was paid.
// Nobody else sees the receipt or can pay for it.
func TestPaymentOnApplicationJourney(t *testing.T) {
	site := startLiveSite(t)
	b := site.browser(t, followRedirects)
	b.signIn("resident", "/account")

	form := b.get("/services/" + parkingPermit + "/apply?lang=en")
	must(t, form, http.StatusOK)
	csrf, token := formTokens(t, form.body)
	if token == "" {
		t.Fatalf("no submission token on the form\n%s", excerptMain(form.body))
	}
	next := time.Now().AddDate(0, 1, 0)
	check := b.postMultipart("/services/"+parkingPermit+"/apply", url.Values{
		"_csrf": {csrf}, "_token": {token}, "_action": {"continue"},
		"address-line1": {"Carrer Nou 12"}, "address-town": {"Porta Nova"}, "address-postcode": {"08800"},
		"zone": {"zone_a"}, "vehicle_registration": {"1234 bcd"}, "ownership": {"own"},
		"start_date-day": {strconv.Itoa(next.Day())}, "start_date-month": {strconv.Itoa(int(next.Month()))}, "start_date-year": {strconv.Itoa(next.Year())},
		"email": {"marta.vidal@example.org"},
	}, upload{field: "vehicle_document", name: "logbook.pdf", content: []byte("%PDF-1.4\n% vehicle document\n" + strings.Repeat("x", 500))})
	must(t, check, http.StatusOK, "1234BCD")
	sent := b.postForm(check, "/services/"+parkingPermit+"/apply/submit", url.Values{"_token": {token}})
	if !strings.HasPrefix(sent.url.Path, payments.DefaultSimulatedPath) {
		t.Fatalf("sending went to %s, want the simulated checkout", sent.url)
	}
	conf := b.get("/services/" + parkingPermit + "/apply/confirmation?token=" + token)
	ref := applications.Reference(referenceOf(t, conf.body))
	if st := payStatus(t, site, "resident", ref); st != applications.StatusAwaitingPayment {
		t.Fatalf("after sending: %s, want awaiting_payment", st)
	}
	// Left unpaid, the confirmation and the application page lead to Pay now.
	must(t, conf, http.StatusOK, `href="`+pay.PayURL(ref.String())+`"`)
	must(t, b.get("/account/applications/"+ref.String()), http.StatusOK, `id="pay-now-link"`, "€40.00")

	payPage := b.get(pay.PayURL(ref.String()))
	must(t, payPage, http.StatusOK, "€40.00", "Apply for a resident parking permit", "Payments are simulated", `id="pay-now"`)
	checkout := b.postForm(payPage, pay.PayURL(ref.String()), nil)
	if !strings.HasPrefix(checkout.url.Path, payments.DefaultSimulatedPath) {
		t.Fatalf("Pay now went to %s, want the simulated checkout", checkout.url)
	}
	must(t, checkout, http.StatusOK, "€40.00", "Apply for a resident parking permit", ref.String(), "Payments are simulated")
	back := b.choose(checkout, payments.SimulatedPay)
	must(t, back, http.StatusOK, `data-state="received"`, "Application sent", "€40.00")
	if back.url.Path != "/payments/return" {
		t.Errorf("after paying the browser is at %s, want the return page", back.url)
	}
	if st := payStatus(t, site, "resident", ref); st != applications.StatusSubmitted {
		t.Errorf("after paying: %s, want submitted", st)
	}
	// Only now has it reached the council: told received, and paid.
	var told []notify.Kind
	for key, n := range notifytest.Outbox(t, site.db) {
		if n.Data["ref"] == ref.String() && n.PersonID == site.personID(t, "resident") && n.Lang == "en" {
			told = append(told, n.Kind)
		} else if n.Data["ref"] == ref.String() {
			t.Errorf("notification %s: %+v; want it for the resident, in English", key, n)
		}
	}
	slices.Sort(told)
	if want := []notify.Kind{notify.ApplicationReceived, notify.PaymentReceived}; !slices.Equal(told, want) {
		t.Errorf("told %v, want %v", told, want)
	}
	link := payReceiptLink.FindStringSubmatch(back.body)
	if link == nil {
		t.Fatalf("no receipt link on the return page\n%s", excerptMain(back.body))
	}
	receipt := b.get(link[1])
	must(t, receipt, http.StatusOK, "Payment receipt", ref.String(), "€40.00", "Visa card ending 4242", "Apply for a resident parking permit")
	history := b.get("/account/payments")
	must(t, history, http.StatusOK, ref.String(), link[1])
	must(t, b.get("/account"), http.StatusOK, `href="/account/payments"`)
	detail := b.get("/account/applications/" + ref.String())
	must(t, detail, http.StatusOK, `id="payment-received"`, link[1])
	if strings.Contains(detail.body, `id="pay-now-link"`) {
		t.Error("the application page still offers Pay now once paid")
	}
	// Staff see the payment and can refund it from the application page.
	staff := site.browser(t, followRedirects)
	staff.signIn("caseworker", "/account")
	staff.get("/?lang=en")
	must(t, staff.get("/staff/applications/"+ref.String()), http.StatusOK, `id="payments"`, `action="/staff/payments/`, "Visa card ending 4242")
	// Paid: nothing more to pay, and Pay now cannot start another.
	must(t, b.get(pay.PayURL(ref.String())), http.StatusOK, `id="paid"`)
	if r := b.postForm(payPage, pay.PayURL(ref.String()), nil); r.url.Path != pay.PayURL(ref.String()) {
		t.Errorf("Pay now on a paid application went to %s", r.url)
	}

	// Another person: not found, whatever they try.
	other := site.browser(t, followRedirects)
	page := other.signIn("business", "/account")
	for _, path := range []string{link[1], pay.PayURL(ref.String()), back.url.RequestURI(),
		"/payments/cancelled?ref=" + ref.String() + "&attempt=1"} {
		if r := other.get(path); r.status != http.StatusNotFound {
			t.Errorf("another person GET %s: %d, want 404", path, r.status)
		}
	}
	if r := other.postForm(page, pay.PayURL(ref.String()), nil); r.status != http.StatusNotFound {
		t.Errorf("another person pressing Pay now: %d, want 404", r.status)
	}
	if r := other.get("/account/payments"); strings.Contains(r.body, ref.String()) {
		t.Error("another person's payment history lists the payment")
	}
	// Nobody signed in is sent to sign in.
	anon := site.browser(t, followRedirects)
	if r := anon.get(link[1]); r.url.Path != "/dev-idp/login" {
		t.Errorf("anonymous receipt: ended at %s, want the sign-in page", r.url)
	}
}

// A declined card and a checkout left half-way both let the applicant try
// again; an open checkout is resumed rather than doubled.
func TestPaymentDeclineCancelRetry(t *testing.T) {
	site := startLiveSite(t)
	b := site.browser(t, followRedirects)
	b.signIn("resident", "/account")
	b.get("/?lang=en")
	app := paySubmit(t, site, "resident", parkingPermit)
	ref := app.Reference.String()

	first := b.payNow(ref)
	again := b.payNow(ref)
	if first.url.Path != again.url.Path {
		t.Errorf("Pay now twice gave two checkouts: %s and %s", first.url.Path, again.url.Path)
	}
	declined := b.choose(first, payments.SimulatedDecline)
	must(t, declined, http.StatusOK, "The payment was declined", `id="pay-now"`)

	second := b.payNow(ref)
	if second.url.Path == first.url.Path {
		t.Fatal("after a decline, Pay now reused the declined checkout")
	}
	cancelled := b.choose(second, payments.SimulatedCancel)
	must(t, cancelled, http.StatusOK, "You left the payment page", `id="pay-now"`)
	// The answered checkout cannot be answered again.
	if r := b.postForm(second, second.url.Path, url.Values{"choice": {payments.SimulatedPay}}); r.status != http.StatusConflict || !strings.Contains(r.body, "already been answered") {
		t.Errorf("paying a cancelled checkout: %d", r.status)
	}
	if st := payStatus(t, site, "resident", app.Reference); st != applications.StatusAwaitingPayment {
		t.Errorf("after a decline and a cancel: %s, want awaiting_payment", st)
	}

	third := b.payNow(ref)
	must(t, b.choose(third, payments.SimulatedPay), http.StatusOK, `data-state="received"`)
	attempts, err := fixture.deps.Payments.Attempts(context.Background(), app.ID)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range attempts {
		got = append(got, p.Status)
	}
	if strings.Join(got, " ") != "failed cancelled paid" {
		t.Errorf("attempts %v, want failed, cancelled, paid", got)
	}
	if st := payStatus(t, site, "resident", app.Reference); st != applications.StatusSubmitted {
		t.Errorf("after paying: %s, want submitted", st)
	}
	// The pay page lists the three attempts, the last with its receipt.
	must(t, b.get(pay.PayURL(ref)), http.StatusOK, "Declined", "Cancelled", "Paid", "/receipt")
}

// A fee due on approval: nothing to pay while the council decides; once a
// caseworker approves, the application waits for the applicant's payment,
// and paying it moves it to paid.
func TestPaymentOnApprovalJourney(t *testing.T) {
	site := startLiveSite(t)
	b := site.browser(t, followRedirects)
	b.signIn("resident", "/account")
	b.get("/?lang=en")
	app := paySubmit(t, site, "resident", allotment)
	ref := app.Reference.String()
	if app.Status != applications.StatusSubmitted {
		t.Fatalf("an application paid on approval starts %s, want submitted", app.Status)
	}
	payPage := b.get(pay.PayURL(ref))
	must(t, payPage, http.StatusOK, `id="nothing-due"`)
	if r := b.postForm(payPage, pay.PayURL(ref), nil); r.url.Path != pay.PayURL(ref) || strings.Contains(r.body, `id="pay-now"`) {
		t.Errorf("Pay now before approval went to %s", r.url)
	}

	staff := site.browser(t, followRedirects)
	staff.signIn("caseworker", "/account")
	staff.get("/?lang=en")
	for _, step := range [][2]string{{"submitted", "in_review"}, {"in_review", "approved"}} {
		page := staff.get("/staff/applications/" + ref)
		must(t, page, http.StatusOK)
		r := staff.postForm(page, "/staff/applications/"+ref+"/status", url.Values{"from": {step[0]}, "to": {step[1]}, "note": {"ok"}})
		must(t, r, http.StatusOK)
	}
	if st := payStatus(t, site, "resident", app.Reference); st != applications.StatusApproved {
		t.Fatalf("after approval: %s", st)
	}
	payPage = b.get(pay.PayURL(ref))
	must(t, payPage, http.StatusOK, "€40.00", "due once your application is approved", `id="pay-now"`)
	must(t, b.get("/account/applications/"+ref), http.StatusOK, `id="pay-now-link"`)
	must(t, staff.get("/staff/applications/"+ref), http.StatusOK, "Waiting for the applicant to pay €40.00")
	must(t, b.choose(b.payNow(ref), payments.SimulatedPay), http.StatusOK, `data-state="received"`)
	if st := payStatus(t, site, "resident", app.Reference); st != applications.StatusPaid {
		t.Errorf("after paying: %s, want paid", st)
	}
}

// The simulated checkout is not there when Stripe takes the payments, and
// an unknown session is a 404.
func TestPaymentSimulatedCheckoutPages(t *testing.T) {
	runScenarios(t, []scenario{
		{name: "unknown session", path: "/payments/simulated/cs_sim_nope", status: http.StatusNotFound},
		{name: "banner everywhere", path: "/", status: http.StatusOK, contains: []string{"Payments are simulated"}},
		{name: "return without session", path: "/payments/return", status: http.StatusSeeOther},
	})
}
