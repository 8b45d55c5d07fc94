package main

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserCounter walks assisted digital in a real browser: counter
// staff find nobody, record the resident (no email: letters on paper), fill
// in the parking permit with her through the residents' own form, read the
// answers out, print the confirmation and take the fee on the card
// terminal; later the resident signs in (her national ID claim matches)
// and finds the application in her account, its history naming who sent
// it, and "Who acted for you" in her data. Every new page is audited with
// axe-core, and the form with its errors too.
func TestBrowserCounter(t *testing.T) {
	execPath := chromiumPath(t)
	art := newArtefacts(t)
	base := startSportello(t, art)
	b := startBrowser(t, execPath, base, art)
	files := t.TempDir()
	const reason = "No computer at home; asked for help with the permit"

	desk := b.newTab(t, "counter")
	desk.open(t, "/staff/assist")
	desk.signIn(t, "counter")
	desk.expectPath(t, "/staff/assist")
	desk.expectHeading(t, "Help a resident at the counter")
	desk.shot(t, "find")
	desk.audit(t, "counter: find a resident")

	desk.submitExpecting(t, "#assist-find-submit", 422)
	desk.expectText(t, ".error-summary", "There is a problem", "Why you are acting for the resident")
	desk.shot(t, "find-errors")
	desk.audit(t, "counter: find with errors")

	desk.run(t, "search by national ID",
		chromedp.SendKeys("#reason", reason, chromedp.ByQuery),
		chromedp.SendKeys("#national_id", "12345678-Z", chromedp.ByQuery))
	desk.follow(t, "#assist-find-submit")
	desk.expectText(t, "#assist-none", "No resident was found")
	desk.audit(t, "counter: nobody found")

	desk.follow(t, "#assist-record-link")
	desk.expectPath(t, "/staff/assist/residents/new")
	desk.expectHeading(t, "Record a new resident")
	desk.audit(t, "counter: record a resident")
	desk.run(t, "fill in the resident",
		chromedp.SendKeys("#reason", reason, chromedp.ByQuery),
		chromedp.SendKeys("#name", "Marta Vidal", chromedp.ByQuery),
		chromedp.SendKeys("#birth_date-day", "9", chromedp.ByQuery),
		chromedp.SendKeys("#birth_date-month", "4", chromedp.ByQuery),
		chromedp.SendKeys("#birth_date-year", "1961", chromedp.ByQuery),
		chromedp.SendKeys("#national_id", "12345678Z", chromedp.ByQuery),
		chromedp.Click(`input[name="lang"][value="ca"]`, chromedp.ByQuery))
	desk.follow(t, "#assist-record-submit")
	visit, _, _ := strings.Cut(desk.expectPath(t, "/staff/assist/visits/"), "?")
	desk.expectText(t, "#assist-notice", "The resident is recorded.")
	desk.expectText(t, "#assist-resident", "Marta Vidal", "12345678Z", "None: letters go on paper", reason)
	desk.shot(t, "visit")
	desk.audit(t, "counter: a visit")

	desk.run(t, "choose the parking permit", chromedp.SetValue("#assist-service", "resident-parking-permit", chromedp.ByQuery))
	desk.follow(t, "#assist-start-submit")
	form := desk.expectPath(t, "/staff/assist/visits/")
	if !strings.HasSuffix(form, "/services/resident-parking-permit/apply") {
		t.Fatalf("the counter's form is at %s", form)
	}
	desk.expectText(t, "#counter-resident", "Marta Vidal")
	if desk.has(t, "#apply-save") {
		t.Error("the counter's form offers to save a draft, which would be the member of staff's")
	}
	desk.submitExpecting(t, "#apply-continue", 422)
	desk.expectText(t, ".error-summary", "There is a problem")
	desk.audit(t, "counter: the service's form with errors")

	fillParkingPermit(t, desk, writePDF(t, files, "vehicle-registration.pdf"))
	desk.follow(t, "#apply-continue")
	desk.expectText(t, "#counter-read-out", "Read these answers out with Marta Vidal")
	desk.expectText(t, "#check-answers", "1234BCD", "vehicle-registration.pdf")
	desk.shot(t, "check-your-answers")
	desk.audit(t, "counter: check your answers")
	desk.follow(t, "#apply-submit")
	desk.expectText(t, "#counter-resident", "Marta Vidal")
	ref := desk.text(t, "#reference")
	if !referencePattern.MatchString(ref) {
		t.Fatalf("the reference shown is %q", ref)
	}
	desk.expectText(t, "main", "We will write to the resident by post", "Print this page")
	desk.shot(t, "confirmation")
	desk.audit(t, "counter: printable confirmation")

	desk.follow(t, "#counter-pay")
	desk.expectHeading(t, "Take a payment at the counter")
	desk.expectText(t, "#assist-payment-due", "€40.00")
	desk.audit(t, "counter: take a payment")
	desk.submitExpecting(t, "#assist-payment-submit", 422)
	desk.expectText(t, ".error-summary", "How the resident paid")
	desk.audit(t, "counter: take a payment with errors")
	desk.run(t, "record the card payment",
		chromedp.Click(`input[name="method"][value="card_terminal"]`, chromedp.ByQuery),
		chromedp.SendKeys("#receipt", "TPV-0042", chromedp.ByQuery))
	desk.follow(t, "#assist-payment-submit")
	desk.expectPath(t, visit)
	desk.expectText(t, "#assist-notice", "The payment is recorded")
	desk.expectText(t, "#assist-applications", ref, "Nothing to pay")
	desk.expectText(t, "#acted-for-list", "Aina Puig", "Sent an application", "Recorded a payment at the counter")
	desk.shot(t, "visit-paid")
	desk.audit(t, "counter: a visit with its application paid")

	// Later, at home: her sign-in's national ID links the record.
	home := b.newTab(t, "counter-resident")
	home.open(t, "/account/applications")
	home.signIn(t, "resident")
	home.expectPath(t, "/account/applications")
	home.expectText(t, "#applications tbody", ref)
	home.open(t, "/account/applications/"+ref)
	home.expectText(t, "main", "submitted at the counter by Aina Puig", "vehicle-registration.pdf")
	home.shot(t, "resident-application")
	home.open(t, "/account/data")
	home.expectText(t, "#acted-for-list", "Aina Puig", reason, "Sent an application", "The national ID number matched")
	home.shot(t, "resident-data")
	home.audit(t, "your data with who acted for you")
}
