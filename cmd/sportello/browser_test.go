package main

// Sportello in a real browser: what residents, caseworkers and editors do,
// step by step, with a screenshot of each step; an axe-core audit against
// WCAG 2.1 A and AA; keyboard use; and search without JavaScript. The
// harness is in browser_helpers_test.go.
//
//	go test ./cmd/sportello/ -run Browser -v

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// referencePattern is an application reference as the council prints it:
// the prefix, then eight Crockford base-32 symbols in two groups.
var referencePattern = regexp.MustCompile(`^PN-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$`)

func TestBrowser(t *testing.T) {
	execPath := chromiumPath(t)
	art := newArtefacts(t)
	base := startSportello(t, art)
	b := startBrowser(t, execPath, base, art)
	files := t.TempDir()

	t.Run("Accessibility", func(t *testing.T) { accessibilityJourney(t, b, files) })
	t.Run("SearchOnAPhone", func(t *testing.T) { searchOnAPhoneJourney(t, b) })
	t.Run("Keyboard", func(t *testing.T) { keyboardJourney(t, b) })
	t.Run("NoJavaScript", func(t *testing.T) { noJavaScriptJourney(t, b) })

	// The resident's tab and reference carry over from the application to
	// the caseworker's request for more information.
	resident := b.newTab(t, "resident")
	var ref string
	t.Run("ResidentApplies", func(t *testing.T) { ref = residentAppliesJourney(t, resident, files) })
	t.Run("CaseworkerAsksForMore", func(t *testing.T) {
		if ref == "" {
			t.Fatal("the resident's application (ResidentApplies) failed, so there is nothing to review")
		}
		caseworkerJourney(t, b, resident, ref)
	})
	t.Run("PaidService", func(t *testing.T) { paidJourney(t, b, files) })
	t.Run("SupportFinder", func(t *testing.T) { supportFinderJourney(t, b) })
	t.Run("Editor", func(t *testing.T) { editorJourney(t, b) })
	t.Run("ServiceAlert", func(t *testing.T) { serviceAlertJourney(t, b) })
	// Last: the journeys before made the applications, payments and
	// revisions its pages list.
	t.Run("BackOfficeAccessibility", func(t *testing.T) { backOfficeAccessibility(t, b) })
}

// accessibilityJourney audits the pages of the portal a resident or a
// caseworker meets, in the states that matter (a form showing its errors).
func accessibilityJourney(t *testing.T, b *browser, files string) {
	tb := b.newTab(t, "a11y")
	pages := []struct{ name, path, heading string }{
		{"home", "/", "City of Porta Nova: council services"},
		{"search-results", "/search?q=parking+permit", "Search results for “parking permit”"},
		{"service", "/services/report-missed-bin-collection", "Report a missed bin collection"},
		{"topic", "/topics/waste-recycling", "Waste and recycling"},
		{"journey", "/journeys/open-a-restaurant", "Open a restaurant or café"},
		{"dev-mail", "/dev-mail", "Development mailbox"},
		// The statutory pages every footer links to.
		{"accessibility-statement", "/accessibility", "Accessibility statement"},
		{"privacy-notice", "/privacy", "Privacy notice"},
		{"privacy-notice-service", "/privacy/resident-parking-permit", "Apply for a resident parking permit: your personal information"},
		{"privacy-notice-service-es", "/privacy/report-missed-bin-collection?lang=es", "Avisar de que no se ha recogido la basura: sus datos personales"},
		{"cookies", "/cookies?lang=en", "Cookies"}, // and back to English for what follows
		// Last: the support finder's first question follows from it.
		{"support-finder-start", "/support-finder", "support"},
	}
	for _, p := range pages {
		tb.open(t, p.path)
		tb.expectHeading(t, p.heading)
		tb.shot(t, p.name)
		tb.audit(t, p.name)
	}

	// The support finder's first question, reached as a person would.
	tb.follow(t, "main a.button--start")
	tb.expectPath(t, "/support-finder/questions/")
	tb.shot(t, "support-finder-question")
	tb.audit(t, "support finder question")

	// The online form, sent empty: the error summary and the fields' errors.
	tb.open(t, "/services/report-missed-bin-collection/apply")
	signInFromHeader(t, tb, "resident")
	tb.expectPath(t, "/services/report-missed-bin-collection/apply")
	tb.submitExpecting(t, "#apply-continue", 422)
	tb.expectText(t, ".error-summary", "There is a problem", "Enter")
	tb.shot(t, "apply-form-errors")
	tb.audit(t, "apply form with errors")

	fillMissedBin(t, tb, writePNG(t, files, "a11y-bin.png"))
	tb.follow(t, "#apply-continue")
	tb.expectPath(t, "/services/report-missed-bin-collection/apply/check")
	tb.expectHeading(t, "Check your answers")
	tb.shot(t, "check-your-answers")
	tb.audit(t, "check your answers")

	tb.open(t, "/account")
	tb.shot(t, "account")
	tb.audit(t, "account")
	tb.open(t, "/account/applications")
	tb.expectHeading(t, "Your applications")
	tb.shot(t, "account-applications")
	tb.audit(t, "account applications")
	tb.open(t, "/account/notifications")
	tb.expectHeading(t, "Emails from the council")
	tb.shot(t, "account-notifications")
	tb.audit(t, "emails from the council")
	tb.run(t, "type an address that is not one", chromedp.SendKeys("#email", "marta@", chromedp.ByQuery))
	tb.submitExpecting(t, "#email-submit", 422)
	tb.expectText(t, ".error-summary", "Enter an email address in the right format")
	tb.shot(t, "account-notifications-error")
	tb.audit(t, "emails from the council with an error")
	tb.open(t, "/account/data")
	tb.expectHeading(t, "Your data")
	tb.shot(t, "your-data")
	tb.audit(t, "your data")
	tb.follow(t, "#delete-link")
	tb.expectHeading(t, "Delete your account")
	tb.submitExpecting(t, "#delete-submit", 422)
	tb.expectText(t, ".error-summary", "Tick the box")
	tb.shot(t, "delete-account-error")
	tb.audit(t, "deleting the account, with an error")

	staff := b.newTab(t, "a11y-staff")
	staff.open(t, "/staff")
	staff.signIn(t, "caseworker")
	staff.expectPath(t, "/staff")
	staff.expectHeading(t, "Applications to review")
	staff.shot(t, "staff-queue")
	staff.audit(t, "staff queue")
	staff.follow(t, "#outbox-link")
	staff.expectHeading(t, "Notifications not sent")
	staff.shot(t, "staff-notifications")
	staff.audit(t, "staff notifications")

	admin := b.newTab(t, "a11y-admin")
	admin.open(t, "/staff")
	admin.signIn(t, "admin")
	admin.follow(t, "#holidays-link")
	admin.expectHeading(t, "Public holidays in")
	admin.shot(t, "staff-holidays")
	admin.audit(t, "public holidays")
	admin.submitExpecting(t, "#holiday-submit", 422)
	admin.expectText(t, ".error-summary", "There is a problem", "Enter the date of the holiday")
	admin.shot(t, "staff-holidays-errors")
	admin.audit(t, "public holidays with errors")
	admin.open(t, "/staff")
	admin.follow(t, "#open311-keys-link")
	admin.expectHeading(t, "Open311 API keys")
	admin.shot(t, "staff-open311-keys")
	admin.audit(t, "Open311 API keys")
	admin.submitExpecting(t, "#key-submit", 422)
	admin.expectText(t, ".error-summary", "There is a problem", "Enter who the key is for")
	admin.shot(t, "staff-open311-keys-errors")
	admin.audit(t, "Open311 API keys with errors")
}

// backOfficeAccessibility audits every page type of the back office, as an
// administrator (who is also caseworker and publisher) meets them: the
// audit covered none, so white-on-white buttons went unseen (issue 15).
func backOfficeAccessibility(t *testing.T, b *browser) {
	tb := b.newTab(t, "a11y-back-office")
	tb.open(t, "/editor")
	tb.signIn(t, "admin")
	tb.expectPath(t, "/editor")
	const entry = "/editor/entries/service/report-a-pothole"
	pages := []struct{ name, path, heading string }{
		{"editor-index", "/editor", ""},
		{"editor-entry", entry, "Report a pothole"},
		{"editor-entry-in-spanish", entry + "?compare=es", "Report a pothole"},
		{"editor-revisions", entry + "/revisions", ""},
		{"editor-preview", entry + "/preview", "Report a pothole"},
		{"editor-create", "/editor/create/service", ""},
		{"editor-reviews", "/editor/reviews", ""},
		{"editor-search-quality", "/editor/search", ""},
		{"editor-import", "/editor/import", ""},
		{"editor-feedback", "/editor/feedback", ""},
		{"editor-duplicates", "/editor/duplicates", ""},
		{"editor-audit", "/editor/audit", ""},
		{"staff-queue", "/staff", "Applications to review"},
		{"staff-queue-all", "/staff?status=all", "Applications to review"},
		{"staff-payments", "/staff/payments", ""},
		{"staff-notifications", "/staff/notifications", "Notifications not sent"},
		{"account-notifications", "/account/notifications", "Emails from the council"},
		{"dev-mail", "/dev-mail", "Development mailbox"},
	}
	for _, p := range pages {
		tb.open(t, p.path)
		tb.expectPath(t, strings.SplitN(p.path, "?", 2)[0])
		if p.heading != "" {
			tb.expectHeading(t, p.heading)
		}
		tb.shot(t, p.name)
		tb.audit(t, p.name)
	}
	// A staff application page, whichever the queue lists first.
	tb.open(t, "/staff?status=all")
	if tb.has(t, `main a[href^="/staff/applications/"]`) {
		tb.follow(t, `main a[href^="/staff/applications/"]`)
		tb.expectPath(t, "/staff/applications/")
		tb.shot(t, "staff-application")
		tb.audit(t, "staff application")
	} else {
		t.Error("the staff queue lists no application to audit")
	}
}

// searchOnAPhoneJourney searches on a phone's screen: the first result
// comes right under the search box, and the filters wait, closed, behind
// their disclosure after the results, which opens without JavaScript
// (issue 15: the filters pushed the first result 1,440 px down).
func searchOnAPhoneJourney(t *testing.T, b *browser) {
	tb := b.newTab(t, "phone")
	tb.run(t, "use a phone's screen", emulation.SetDeviceMetricsOverride(375, 740, 2, true))
	tb.run(t, "switch JavaScript off", emulation.SetScriptExecutionDisabled(true))
	tb.open(t, "/search?q=bin")
	tb.expectHeading(t, "Search results for “bin”")
	tb.shot(t, "results")
	tb.run(t, "switch JavaScript on to measure", emulation.SetScriptExecutionDisabled(false))
	var layout struct {
		SearchBox   float64 `json:"searchBox"`
		FirstResult float64 `json:"firstResult"`
		Filters     float64 `json:"filters"`
		FormShown   bool    `json:"formShown"`
	}
	measure := `(() => ({
		searchBox: document.querySelector('main form[role=search]').getBoundingClientRect().bottom,
		firstResult: document.querySelector('ol.results li').getBoundingClientRect().top,
		filters: document.querySelector('.filters-disclosure').getBoundingClientRect().top,
		formShown: document.querySelector('form.filters').checkVisibility(),
	}))()`
	tb.run(t, "measure the page", chromedp.Evaluate(measure, &layout))
	// Only the count of results is between the search box and the first.
	if gap := layout.FirstResult - layout.SearchBox; gap > 120 {
		t.Errorf("the first result is %.0f px below the search box", gap)
	}
	if layout.Filters < layout.FirstResult {
		t.Errorf("the filters (at %.0f px) come before the first result (ending at %.0f px)", layout.Filters, layout.FirstResult)
	}
	if layout.FormShown {
		t.Error("the filters are open before anyone asked for them")
	}
	tb.run(t, "open the filters", chromedp.Click(".filters-disclosure summary", chromedp.ByQuery, chromedp.NodeVisible))
	tb.run(t, "measure again", chromedp.Evaluate(measure, &layout))
	if !layout.FormShown {
		t.Error("the filters did not open")
	}
	tb.shot(t, "filters-open")
	tb.audit(t, "search on a phone, filters open")
	tb.run(t, "tick online only", chromedp.Click("#filter-online", chromedp.ByQuery, chromedp.NodeVisible))
	tb.follow(t, "form.filters button[type=submit]")
	tb.expectPath(t, "/search?")
	tb.expectText(t, ".filters-disclosure summary", "1 set")
}

// keyboardJourney uses the home page with the keyboard alone: the skip link
// comes first and moves focus to the main content, every element Tab stops
// on shows where the focus is, and the search box can be reached and used.
func keyboardJourney(t *testing.T, b *browser) {
	tb := b.newTab(t, "keyboard")
	tb.open(t, "/")

	tb.run(t, "press Tab", chromedp.KeyEvent(kb.Tab))
	f := tb.focused(t)
	if !strings.Contains(f.Class, "skip-link") || f.Href != "#main" || f.Text != "Skip to main content" {
		t.Fatalf("the first Tab stop is %s, want the skip link to #main", f)
	}
	if !f.OnScreen {
		t.Errorf("the focused skip link is off screen: %s", f)
	}
	checkFocusVisible(t, f)
	tb.shot(t, "skip-link-focused")

	tb.run(t, "press Enter on the skip link", chromedp.KeyEvent(kb.Enter))
	f = tb.focused(t)
	if f.ID != "main" {
		t.Errorf("after following the skip link the focus is on %s, want <main id=main>", f)
	}
	if p := tb.path(t); !strings.HasSuffix(p, "#main") {
		t.Errorf("after following the skip link the address is %s, want …#main", p)
	}

	// From the top of the page again, Tab until the search box.
	tb.open(t, "/")
	var stops []string
	for range 40 {
		tb.run(t, "press Tab", chromedp.KeyEvent(kb.Tab))
		f = tb.focused(t)
		stops = append(stops, f.String())
		checkFocusVisible(t, f)
		if f.ID == "home-search" {
			break
		}
	}
	if f.ID != "home-search" {
		t.Fatalf("40 presses of Tab did not reach the search box; the stops were:\n%s", strings.Join(stops, "\n"))
	}
	t.Logf("Tab reaches the search box in %d stops", len(stops))
	// The script enhances the box into a combobox; the no-JavaScript
	// journey checks the box is left plain without it.
	var role string
	var ok bool
	tb.run(t, "read the search box's role", chromedp.AttributeValue("#home-search", "role", &role, &ok, chromedp.ByQuery))
	if role != "combobox" {
		t.Errorf("with JavaScript the search box has role %q, want combobox (app.js did not run)", role)
	}
	tb.shot(t, "search-box-focused")
	tb.load(t, "type a search and press Enter", 0, chromedp.KeyEvent("bulky waste"), chromedp.KeyEvent(kb.Enter))
	tb.expectPath(t, "/search?q=bulky+waste")
	tb.expectText(t, "ol.results", "Book a bulky waste collection")
	tb.shot(t, "search-results")
}

// noJavaScriptJourney searches and filters with scripts switched off: the
// forms are plain HTML and must work alone.
func noJavaScriptJourney(t *testing.T, b *browser) {
	tb := b.newTab(t, "nojs")
	tb.run(t, "switch JavaScript off", emulation.SetScriptExecutionDisabled(true))
	tb.open(t, "/")
	var role string
	var ok bool
	tb.run(t, "read the search box's role", chromedp.AttributeValue("#home-search", "role", &role, &ok, chromedp.ByQuery))
	if ok {
		t.Errorf("with JavaScript off the search box has role %q: the script ran", role)
	}
	tb.run(t, "type in the search box", chromedp.SendKeys("#home-search", "parking permit", chromedp.ByQuery))
	tb.shot(t, "home-typed")
	tb.follow(t, "form[role=search] button[type=submit]")
	tb.expectPath(t, "/search?q=parking+permit")
	tb.expectHeading(t, "Search results for “parking permit”")
	tb.expectText(t, "ol.results", "Apply for a resident parking permit", "Buy visitor parking permits")
	all := tb.text(t, ".result-count")
	tb.shot(t, "results")

	// The filters wait behind their disclosure, which opens without
	// JavaScript.
	tb.run(t, "open the filters", chromedp.Click(".filters-disclosure summary", chromedp.ByQuery, chromedp.NodeVisible))
	tb.run(t, "tick Free only", chromedp.Click("#filter-free", chromedp.ByQuery, chromedp.NodeVisible))
	tb.follow(t, "form.filters button[type=submit]")
	p := tb.expectPath(t, "/search?")
	if !strings.Contains(p, "free=1") || !strings.Contains(p, "q=parking+permit") {
		t.Errorf("filtering led to %s, want the query and free=1", p)
	}
	free := tb.text(t, ".result-count")
	if free == all {
		t.Errorf("the free-only filter left the count at %q", all)
	}
	if strings.Contains(tb.text(t, "ol.results"), "Apply for a resident parking permit") {
		t.Error("the free-only results list the resident parking permit, which costs €40")
	}
	tb.shot(t, "results-free-only")

	tb.follow(t, "ol.results a.result__title")
	tb.expectPath(t, "/services/")
	tb.shot(t, "service")
}

// residentAppliesJourney is a resident reporting a missed bin collection:
// from the home page through search to the service, signing in on the way,
// a form with a photo, check your answers, the reference, and the
// application in the account. The tab stays signed in for the next
// journey; it returns the reference.
func residentAppliesJourney(t *testing.T, tb *tab, files string) string {
	tb.open(t, "/")
	tb.expectHeading(t, "City of Porta Nova")
	tb.shot(t, "home")

	tb.run(t, "type in the search box", chromedp.SendKeys("#home-search", "missed bin", chromedp.ByQuery))
	tb.follow(t, "form[role=search] button[type=submit]")
	tb.expectPath(t, "/search?q=missed+bin")
	tb.expectHeading(t, "Search results for “missed bin”")
	tb.expectText(t, "ol.results li:first-child", "Report a missed bin collection")
	tb.shot(t, "search-results")

	tb.follow(t, `ol.results a.result__title[href="/services/report-missed-bin-collection"]`)
	tb.expectHeading(t, "Report a missed bin collection")
	tb.expectText(t, ".facts", "Free", "2 working days")
	tb.shot(t, "service")

	tb.follow(t, "main a.button--start")
	tb.expectPath(t, "/services/report-missed-bin-collection/apply")
	tb.expectHeading(t, "Report a missed bin collection")
	if !tb.has(t, "#contact-name") {
		t.Error("the form shown before signing in does not offer the optional contact details")
	}
	tb.shot(t, "form-signed-out")

	signInFromHeader(t, tb, "resident")
	tb.expectPath(t, "/services/report-missed-bin-collection/apply")
	tb.expectText(t, ".header__account", "Marta Vidal")
	if tb.has(t, "#contact-name") {
		t.Error("the form still asks a signed-in resident for contact details")
	}
	tb.shot(t, "form-signed-in")

	fillMissedBin(t, tb, writePNG(t, files, "bin-tag.png"))
	tb.shot(t, "form-filled")
	tb.follow(t, "#apply-continue")
	tb.expectPath(t, "/services/report-missed-bin-collection/apply/check")
	tb.expectHeading(t, "Check your answers before sending your report")
	tb.expectText(t, "#check-answers", "Carrer Major 12", "08001", "Packaging (yellow bin)", "On the day, before 07:00", "bin-tag.png", "The lid was open")
	tb.shot(t, "check-your-answers")

	tb.follow(t, "#apply-submit")
	tb.expectPath(t, "/services/report-missed-bin-collection/apply/confirmation")
	tb.expectHeading(t, "Report sent")
	ref := tb.text(t, "#reference")
	if !referencePattern.MatchString(ref) {
		t.Fatalf("the reference shown is %q, want PN-XXXX-XXXX", ref)
		return ""
	}
	tb.expectText(t, "#decision-due", "We aim to fix it by")
	tb.shot(t, "confirmation")

	tb.open(t, "/account/applications")
	tb.expectHeading(t, "Your applications")
	row := tb.expectText(t, "#applications tbody", ref, "Report a missed bin collection", "Received")
	t.Logf("the account lists: %s", row)
	tb.shot(t, "account-applications")
	tb.audit(t, "account applications with one")

	tb.follow(t, `#applications a[href="/account/applications/`+ref+`"]`)
	tb.expectText(t, "#application-facts", ref, "Received")
	tb.expectText(t, "#answers", "bin-tag.png")
	tb.shot(t, "application")
	tb.audit(t, "the resident's application")

	tb.open(t, "/account/data")
	tb.expectText(t, "#application-"+ref, ref, "Report a missed bin collection")
	tb.run(t, "open the application's answers", chromedp.Click("#application-"+ref+" summary", chromedp.ByQuery))
	tb.shot(t, "your-data-with-an-application")
	tb.audit(t, "your data with an application")
	return ref
}

// caseworkerJourney is a caseworker, in another browser, finding the
// resident's application in the queue, starting the review and asking for
// more information; the resident answering from the account; and the
// caseworker reading the answer.
func caseworkerJourney(t *testing.T, b *browser, resident *tab, ref string) {
	const (
		question = "Which street is the bin on? The address you gave has two entrances."
		answer   = "It is on the Carrer Major side, next to the pharmacy."
	)
	cw := b.newTab(t, "caseworker")
	cw.open(t, "/staff")
	cw.signIn(t, "caseworker")
	cw.expectPath(t, "/staff")
	cw.expectHeading(t, "Applications to review")
	cw.expectText(t, "#queue", ref, "Report a missed bin collection", "Marta Vidal")
	cw.shot(t, "queue")

	cw.follow(t, `#queue a.reference[href="/staff/applications/`+ref+`"]`)
	cw.expectText(t, "#application-facts", ref, "Received")
	cw.expectText(t, "#answers", "Carrer Major 12", "bin-tag.png")
	cw.shot(t, "application")
	cw.audit(t, "the caseworker's application page")

	cw.run(t, "choose Start the review", chromedp.Click(`input[name="to"][value="in_review"]`, chromedp.ByQuery))
	cw.follow(t, "#status-submit")
	cw.expectText(t, "main .notice--success", "The status has been changed")
	cw.expectText(t, "#application-status", "Being reviewed")

	cw.run(t, "ask for more information",
		chromedp.Click(`input[name="to"][value="more_info_needed"]`, chromedp.ByQuery),
		chromedp.SendKeys("#note", question, chromedp.ByQuery))
	cw.shot(t, "asking")
	cw.follow(t, "#status-submit")
	cw.expectText(t, "#application-status", "More information needed")
	cw.expectText(t, "#open-question", question)
	cw.shot(t, "asked")

	resident.open(t, "/account/applications")
	resident.expectText(t, "#applications tbody", ref, "More information needed")
	resident.follow(t, `#applications a[href="/account/applications/`+ref+`"]`)
	resident.expectText(t, "#respond-heading", "We need more information from you")
	resident.expectText(t, "#question", question)
	resident.shot(t, "asked-for-more")
	resident.audit(t, "the request for more information")
	resident.run(t, "write the answer", chromedp.SendKeys("#respond-message", answer, chromedp.ByQuery))
	resident.follow(t, "#respond-submit")
	resident.expectText(t, "main .notice--success", "We have received your answer")
	resident.expectText(t, "#application-status", "Being reviewed")
	resident.expectText(t, "#history", answer)
	resident.shot(t, "answered")

	cw.open(t, "/staff/applications/"+ref)
	cw.expectText(t, "#application-status", "Being reviewed")
	cw.expectText(t, "#history", answer)
	cw.shot(t, "answer-received")
}

// paidJourney applies for a resident parking permit, whose €40 fee is due on
// application, and pays it on the simulated checkout.
func paidJourney(t *testing.T, b *browser, files string) {
	tb := b.newTab(t, "paid")
	tb.open(t, "/services/resident-parking-permit")
	tb.expectHeading(t, "Apply for a resident parking permit")
	tb.expectText(t, ".facts", "€40.00")
	tb.shot(t, "service")

	// The form needs a sign-in: Apply now goes to the identity provider.
	tb.follow(t, "main a.button--start")
	tb.signIn(t, "resident")
	tb.expectPath(t, "/services/resident-parking-permit/apply")
	tb.expectHeading(t, "Apply for a resident parking permit")

	fillParkingPermit(t, tb, writePDF(t, files, "registration-certificate.pdf"))
	tb.shot(t, "form-filled")
	tb.follow(t, "#apply-continue")
	tb.expectPath(t, "/services/resident-parking-permit/apply/check")
	tb.expectText(t, "#check-answers", "1234BCD", "Zone B: Port", "registration-certificate.pdf")
	tb.expectText(t, "main", "The fee for this service is €40.00")
	tb.shot(t, "check-your-answers")

	// The fee is due on application: "Continue to payment" goes straight
	// to the provider.
	tb.expectText(t, "#apply-submit", "Continue to payment")
	tb.follow(t, "#apply-submit")
	tb.expectPath(t, "/payments/simulated/")
	ref := tb.text(t, ".simulated-checkout .reference")
	if !referencePattern.MatchString(ref) {
		t.Fatalf("the reference shown is %q, want PN-XXXX-XXXX", ref)
	}

	// Coming back unpaid, the application page leads to paying.
	tb.open(t, "/applications/"+ref+"/pay")
	tb.expectHeading(t, "Pay")
	tb.expectText(t, "#amount-due", "€40.00")
	tb.shot(t, "pay")
	tb.audit(t, "pay page")

	tb.follow(t, "#pay-now")
	tb.expectPath(t, "/payments/simulated/")
	tb.expectHeading(t, "Simulated payment")
	tb.expectText(t, "#amount", "€40.00")
	tb.shot(t, "simulated-checkout")
	tb.audit(t, "simulated checkout")

	tb.follow(t, "#simulated-pay")
	tb.expectPath(t, "/payments/return")
	tb.expectHeading(t, "Application sent")
	tb.expectText(t, "#reference", ref)
	tb.expectText(t, "#payment-state", "€40.00")
	tb.shot(t, "confirmation")

	tb.follow(t, `main a.button[href*="/receipt"]`)
	tb.expectHeading(t, "Payment receipt")
	tb.expectText(t, "#receipt-reference", ref)
	tb.expectText(t, "#receipt-amount", "€40.00")
	tb.shot(t, "receipt")
	tb.audit(t, "receipt")

	tb.open(t, "/account/applications")
	tb.expectText(t, "#applications tbody", ref, "Apply for a resident parking permit", "Received")
	tb.shot(t, "account-applications")
}

// supportFinderJourney answers the support finder as a 70-year-old who lives
// alone in Porta Nova on €600 a month, and goes from the results to the
// online form of a service found.
func supportFinderJourney(t *testing.T, b *browser) {
	tb := b.newTab(t, "support")
	tb.open(t, "/support-finder")
	tb.shot(t, "start")
	tb.follow(t, "main a.button--start")
	asked := answerSupportFinder(t, tb, supportAnswers, func(name string) { tb.shot(t, "question-"+name) })
	t.Logf("questions asked: %s", strings.Join(asked, ", "))
	if tb.path(t) == "/support-finder/answers" {
		tb.expectText(t, "main dl", "70", "600")
		tb.shot(t, "answers")
		tb.follow(t, `main a.button[href="/support-finder/results"]`)
	}
	tb.expectPath(t, "/support-finder/results")
	tb.expectText(t, "main", "Apply for meals on wheels", "Apply for a personal alarm", "you are 70")
	tb.shot(t, "results")
	tb.audit(t, "support finder results")

	tb.follow(t, `main a[href="/services/personal-alarm-telecare/apply"]`)
	tb.signIn(t, "resident")
	tb.expectPath(t, "/services/personal-alarm-telecare/apply")
	tb.expectHeading(t, "alarm")
	tb.expectText(t, "#apply-form", "Does the person live alone?")
	tb.shot(t, "form")
}

// editorJourney renames a service: an editor changes its title and sends
// it for review, an administrator publishes it, and search finds the new
// title.
func editorJourney(t *testing.T, b *browser) {
	const (
		slug     = "report-graffiti"
		newTitle = "Report graffiti or wall scribbles"
	)
	ed := b.newTab(t, "editor")
	ed.open(t, "/editor/entries/service/"+slug)
	ed.signIn(t, "editor")
	ed.expectPath(t, "/editor/entries/service/"+slug)
	ed.shot(t, "entry")
	ed.run(t, "change the title",
		chromedp.Clear(`input[name="title.en"]`, chromedp.ByQuery),
		chromedp.SendKeys(`input[name="title.en"]`, newTitle, chromedp.ByQuery))
	ed.follow(t, "#action-save")
	ed.expectText(t, "#editor-flash", "Saved as draft revision")
	ed.expectText(t, "#entry-state", "Published", "Draft")
	ed.follow(t, "#action-submit")
	ed.expectText(t, "#editor-flash", "sent for review")
	ed.expectText(t, "#entry-state", "In review")
	// An editor cannot publish: a publisher will.
	if ed.has(t, "#action-publish") {
		t.Error("the editor is offered Publish, which only publishers may do")
	}
	ed.expectText(t, "#publish-hint", "A publisher will review and publish this draft")
	ed.shot(t, "sent-for-review")
	ed.audit(t, "editor entry")

	admin := b.newTab(t, "publisher")
	admin.open(t, "/editor/entries/service/"+slug)
	admin.signIn(t, "admin")
	admin.expectPath(t, "/editor/entries/service/"+slug)
	admin.expectText(t, "#entry-state", "In review")
	admin.expectHeading(t, newTitle)
	admin.follow(t, "#action-publish")
	admin.expectText(t, "#editor-flash", "Published.")
	admin.expectText(t, "#entry-state", "Published", "None: the published version is shown below")
	admin.shot(t, "published")

	// Anyone searching finds the service by a word only the new title has.
	pub := b.newTab(t, "public")
	pub.open(t, "/")
	pub.run(t, "type in the search box", chromedp.SendKeys("#home-search", "scribbles", chromedp.ByQuery))
	pub.follow(t, "form[role=search] button[type=submit]")
	pub.expectPath(t, "/search?q=scribbles")
	pub.expectText(t, "ol.results li:first-child", newTitle)
	pub.shot(t, "search-finds-new-title")
	pub.follow(t, `ol.results a.result__title[href="/services/`+slug+`"]`)
	pub.expectHeading(t, newTitle)
	pub.shot(t, "service")
}

// signInFromHeader follows the header's Sign in link and chooses persona;
// the portal brings the browser back to the page it was on.
func signInFromHeader(t *testing.T, tb *tab, persona string) {
	t.Helper()
	tb.follow(t, `.header__account a[href^="/auth/login"]`)
	tb.signIn(t, persona)
}

// fillMissedBin answers the missed bin collection form, with photo.
func fillMissedBin(t *testing.T, tb *tab, photo string) {
	t.Helper()
	day := time.Now().AddDate(0, 0, -1)
	tb.run(t, "fill in the form",
		chromedp.SendKeys("#address-line1", "Carrer Major 12", chromedp.ByQuery),
		chromedp.SendKeys("#address-town", "Porta Nova", chromedp.ByQuery),
		chromedp.SendKeys("#address-postcode", "08001", chromedp.ByQuery),
		chromedp.SetValue("#bin_type", "packaging", chromedp.ByQuery),
		chromedp.SendKeys("#collection_date-day", strconv.Itoa(day.Day()), chromedp.ByQuery),
		chromedp.SendKeys("#collection_date-month", strconv.Itoa(int(day.Month())), chromedp.ByQuery),
		chromedp.SendKeys("#collection_date-year", strconv.Itoa(day.Year()), chromedp.ByQuery),
		chromedp.Click(`input[name="put_out_time"][value="before_7"]`, chromedp.ByQuery),
		chromedp.SetUploadFiles("#photo", []string{photo}, chromedp.ByQuery),
		chromedp.SendKeys("#notes", "The lid was open because the bin was full.", chromedp.ByQuery),
	)
	fillIfEmpty(t, tb, "#email", "marta.vidal@example.org")
}

// fillParkingPermit answers the resident parking permit's form for a car
// the resident owns, from a week from now, with its registration document.
func fillParkingPermit(t *testing.T, tb *tab, document string) {
	t.Helper()
	start := time.Now().AddDate(0, 0, 7)
	// The address an earlier application gave is offered again: keep it.
	fillIfEmpty(t, tb, "#address-line1", "Carrer del Port 3")
	fillIfEmpty(t, tb, "#address-town", "Porta Nova")
	fillIfEmpty(t, tb, "#address-postcode", "08002")
	tb.run(t, "fill in the form",
		chromedp.SetValue("#zone", "zone_b", chromedp.ByQuery),
		chromedp.SendKeys("#vehicle_registration", "1234 bcd", chromedp.ByQuery),
		chromedp.Click(`input[name="ownership"][value="own"]`, chromedp.ByQuery),
		chromedp.SetUploadFiles("#vehicle_document", []string{document}, chromedp.ByQuery),
		chromedp.SendKeys("#start_date-day", strconv.Itoa(start.Day()), chromedp.ByQuery),
		chromedp.SendKeys("#start_date-month", strconv.Itoa(int(start.Month())), chromedp.ByQuery),
		chromedp.SendKeys("#start_date-year", strconv.Itoa(start.Year()), chromedp.ByQuery),
	)
	fillIfEmpty(t, tb, "#email", "marta.vidal@example.org")
}

// fillIfEmpty types value into an input the portal has not filled in from
// the account or an earlier application.
func fillIfEmpty(t *testing.T, tb *tab, sel, value string) {
	t.Helper()
	var v string
	tb.run(t, "read "+sel, chromedp.Value(sel, &v, chromedp.ByQuery))
	if v == "" {
		tb.run(t, "fill "+sel, chromedp.SendKeys(sel, value, chromedp.ByQuery))
	}
}

// focus is what the browser reports of the focused element.
type focus struct {
	Tag, ID, Class, Text, Href            string
	OutlineStyle, OutlineColor, BoxShadow string
	OutlineWidth                          float64
	OnScreen                              bool
}

func (f focus) String() string {
	s := "<" + f.Tag
	if f.ID != "" {
		s += " id=" + f.ID
	}
	if f.Href != "" {
		s += " href=" + f.Href
	}
	return fmt.Sprintf("%s> %q", s, f.Text)
}

const focusedJS = `(() => {
  const e = document.activeElement;
  if (!e || e === document.body) return {Tag: 'body'};
  const s = getComputedStyle(e), r = e.getBoundingClientRect();
  return {
    Tag: e.tagName.toLowerCase(), ID: e.id, Class: String(e.className),
    Text: (e.innerText || e.value || '').trim().replace(/\s+/g, ' ').slice(0, 60),
    Href: e.getAttribute('href') || '',
    OutlineStyle: s.outlineStyle, OutlineColor: s.outlineColor, BoxShadow: s.boxShadow,
    OutlineWidth: parseFloat(s.outlineWidth) || 0,
    OnScreen: r.width > 0 && r.height > 0 && r.right > 0 && r.bottom > 0 && r.left < innerWidth,
  };
})()`

// focused returns the element that has the focus.
func (tb *tab) focused(t *testing.T) focus {
	t.Helper()
	var f focus
	tb.run(t, "read the focused element", chromedp.Evaluate(focusedJS, &f))
	return f
}

// checkFocusVisible fails when the focused element shows no focus
// indicator: an outline that can be seen, or the box-shadow underline of the
// GOV.UK focus style (whose outline is transparent on purpose, so that it
// shows only in forced-colours mode).
func checkFocusVisible(t *testing.T, f focus) {
	t.Helper()
	transparent := strings.HasPrefix(f.OutlineColor, "rgba(") && strings.HasSuffix(f.OutlineColor, ", 0)")
	outline := f.OutlineStyle != "none" && f.OutlineWidth >= 2 && !transparent
	shadow := f.BoxShadow != "" && f.BoxShadow != "none"
	if !outline && !shadow {
		t.Errorf("focus is not visible on %s: outline %s %.0fpx %s, box-shadow %s", f, f.OutlineStyle, f.OutlineWidth, f.OutlineColor, f.BoxShadow)
	}
}
