package main

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

var acceptLink = regexp.MustCompile(`https?://[^\s]+/account/acting/accept/[A-Za-z0-9_-]+`)

// TestBrowserRepresentative walks acting for someone else in Chromium: a
// resident authorises a relative by email, after a first try with its
// errors; the relative follows the link from the mail, signs in and
// accepts; applies for the resident, labelled "Acting for Marta Vidal" on
// every page; the resident sees the application as hers and ends the
// authorisation; the relative no longer sees it. On the way, a business
// registers itself (its tax ID confirmed by the identity provider's
// claim) and a caseworker opens the page of powers of attorney. Every new
// page is audited with axe-core.
//
//	CI=true go test ./cmd/sportello -run TestBrowserRepresentative -v
func TestBrowserRepresentative(t *testing.T) {
	execPath := chromiumPath(t)
	art := newArtefacts(t)
	base := startSportello(t, art)
	b := startBrowser(t, execPath, base, art)
	files := t.TempDir()

	// Grant: Marta authorises Luca.
	marta := b.newTab(t, "rep-principal")
	marta.open(t, "/account")
	marta.signIn(t, "resident")
	marta.follow(t, "#account-acting")
	marta.expectPath(t, "/account/acting")
	marta.expectHeading(t, "Acting for someone else")
	marta.shot(t, "acting-hub-empty")
	marta.audit(t, "acting for someone else, nothing yet")
	marta.submitExpecting(t, "#grant-submit", 422)
	marta.expectText(t, ".error-summary", "There is a problem", "Enter their full name", "Enter an email address", "Enter the last day")
	marta.shot(t, "grant-errors")
	marta.audit(t, "authorising someone, with errors")
	until := time.Now().AddDate(1, 0, 0).Format(time.DateOnly)
	marta.run(t, "fill in the authorisation",
		chromedp.SendKeys("#grant-name", "Luca Ferri", chromedp.ByQuery),
		chromedp.SendKeys("#grant-email", "luca.ferri@forno-ferri.example", chromedp.ByQuery),
		chromedp.Click("#grant-scope-all", chromedp.ByQuery),
		chromedp.SetValue("#grant-until", until, chromedp.ByQuery))
	marta.follow(t, "#grant-submit")
	marta.expectText(t, "#acting-done", "We have emailed them a link to accept")
	marta.expectText(t, "#actforme", "Luca Ferri", "Waiting for them to accept", "All services")
	marta.shot(t, "acting-hub-granted")
	marta.audit(t, "acting for someone else, waiting for acceptance")

	// The mail's link, as the development mailbox shows it.
	luca := b.newTab(t, "rep-representative")
	var link string
	eventually(t, "the authorisation's mail", 500*time.Millisecond, func() bool {
		luca.open(t, "/dev-mail")
		var href string
		luca.run(t, "find the mail", chromedp.Evaluate(`(() => {
			const a = [...document.querySelectorAll('#dev-mail a')].find(a => a.textContent.includes('authorised you to act'));
			return a ? a.getAttribute('href') : '';
		})()`, &href))
		if href == "" {
			return false
		}
		luca.open(t, href)
		link = acceptLink.FindString(luca.text(t, "#mail-text"))
		return link != ""
	})

	// Act: Luca accepts and applies for Marta.
	luca.open(t, strings.TrimPrefix(link, base))
	luca.signIn(t, "business")
	luca.expectPath(t, "/account/acting/accept/")
	luca.expectHeading(t, "Act for Marta Vidal")
	luca.shot(t, "accept")
	luca.audit(t, "accepting an authorisation")
	luca.follow(t, "#accept-submit")
	luca.expectText(t, "#acting-done", "You can now act for them")
	luca.expectText(t, "#iactfor", "Marta Vidal")
	luca.audit(t, "acting for someone else, as the representative")

	const slug = "report-missed-bin-collection"
	luca.open(t, "/services/"+slug+"/apply")
	luca.expectHeading(t, "Who are you applying for?")
	luca.shot(t, "apply-for-whom")
	luca.audit(t, "choosing whom to apply for")
	luca.run(t, "choose Marta", chromedp.Click(`#apply-for-form input[value^="person-"]`, chromedp.ByQuery))
	luca.follow(t, "#apply-for-continue")
	luca.expectText(t, "#acting-banner", "Acting for Marta Vidal")
	luca.audit(t, "the form, acting for someone")
	fillMissedBin(t, luca, writePNG(t, files, "bin-tag.png"))
	luca.follow(t, "#apply-continue")
	luca.expectPath(t, "/services/"+slug+"/apply/check")
	luca.expectText(t, "#acting-banner", "Acting for Marta Vidal")
	luca.follow(t, "#apply-submit")
	luca.expectPath(t, "/services/"+slug+"/apply/confirmation")
	luca.expectText(t, "#acting-banner", "Acting for Marta Vidal")
	ref := luca.text(t, "#reference")
	if !referencePattern.MatchString(ref) {
		t.Fatalf("the reference shown is %q", ref)
	}
	luca.shot(t, "confirmation-acting")
	luca.open(t, "/account/applications")
	luca.expectText(t, "#applications tbody", ref, "Acting for Marta Vidal")
	luca.audit(t, "the representative's applications")
	luca.follow(t, `#applications a[href="/account/applications/`+ref+`"]`)
	luca.expectText(t, "#acting-banner", "Acting for Marta Vidal")
	luca.expectText(t, "#application-facts", ref)
	luca.shot(t, "application-acting")
	luca.audit(t, "an application, acting for someone")

	// Marta sees it as hers.
	marta.open(t, "/account/applications/"+ref)
	marta.expectText(t, "#application-facts", ref)
	if marta.has(t, "#acting-banner") {
		t.Error("Marta's own application says she acts for someone")
	}

	// A business registers itself: the demo business person's sign-in
	// carries its tax ID, so it is confirmed at once.
	luca.open(t, "/account/organisations/new")
	luca.expectText(t, "#org-claim", "B66554433")
	luca.audit(t, "registering a business")
	luca.submitExpecting(t, "#org-submit", 422)
	luca.expectText(t, ".error-summary", "Enter the name of the business")
	luca.audit(t, "registering a business, with errors")
	luca.run(t, "name the business", chromedp.SendKeys("#org-name", "Forno Ferri SL", chromedp.ByQuery))
	luca.follow(t, "#org-submit")
	luca.expectHeading(t, "Forno Ferri SL")
	luca.expectText(t, "#org-status", "Confirmed")
	if !luca.has(t, "#invite-form") {
		t.Error("the owner of a business is not offered to invite people")
	}
	luca.shot(t, "organisation")
	luca.audit(t, "an organisation's page")
	// Its only owner cannot leave it: the page says why and what to do.
	luca.submitExpecting(t, "#leave-submit", 422)
	luca.expectText(t, ".error-summary", "You are the organisation’s only owner")
	luca.audit(t, "an organisation's page, its last owner refused leaving")

	// The caseworkers' page, from the queue; the business needs no check.
	cw := b.newTab(t, "rep-caseworker")
	cw.open(t, "/staff")
	cw.signIn(t, "caseworker")
	cw.follow(t, "#acting-link")
	if got := cw.text(t, "#unconfirmed-none"); !strings.Contains(got, "no tax IDs to check") {
		t.Errorf("tax IDs to check: %q, want none (the provider confirmed it)", got)
	}
	cw.shot(t, "staff-acting")
	cw.audit(t, "organisations and powers of attorney")

	// Revoke: Marta ends it; Luca sees nothing of hers any more.
	marta.open(t, "/account/acting")
	marta.follow(t, "#actforme button[type=submit]")
	marta.expectText(t, "#acting-done", "The authorisation has ended")
	marta.expectText(t, "#actforme-none", "You have not authorised anyone")
	marta.shot(t, "acting-hub-ended")
	luca.load(t, "open the application after the end", 404, chromedp.Navigate(base+"/account/applications/"+ref))
	luca.shot(t, "application-gone")
	luca.open(t, "/account/applications")
	if strings.Contains(luca.text(t, "main"), ref) {
		t.Errorf("the representative's list still shows %s once the authorisation ended", ref)
	}
}
