package main

import (
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserAppointment books a time at the Citizen Desk without signing
// in, in Chromium: office, day and time without JavaScript's help, the
// errors of each step, the confirmation; the mail in the development
// mailbox and the link in it; moving and cancelling from that link; a
// resident's booking in the account; the caseworker's day, marking the
// resident arrived and a blocked time's errors. Every new page is audited
// with axe-core.
func TestBrowserAppointment(t *testing.T) {
	execPath := chromiumPath(t)
	art := newArtefacts(t)
	base := startSportello(t, art)
	b := startBrowser(t, execPath, base, art)

	anon := b.newTab(t, "appointment")
	anon.open(t, "/services/book-an-appointment-citizen-desk")
	anon.follow(t, "a.button--start")
	anon.expectPath(t, "/services/book-an-appointment-citizen-desk/book/citizen-services")
	anon.expectHeading(t, "Choose a day")
	anon.shot(t, "days")
	anon.audit(t, "appointment days")
	anon.follow(t, "#days a")
	day := strings.TrimPrefix(anon.path(t), "/services/book-an-appointment-citizen-desk/book/citizen-services/")
	anon.expectHeading(t, "Choose a time on")
	anon.audit(t, "appointment times")
	anon.submitExpecting(t, "#times-submit", 422)
	anon.expectText(t, ".error-summary", "Choose a time from the list")
	anon.audit(t, "appointment times with an error")
	anon.run(t, "choose the first time", chromedp.Click(`#times input[type="radio"]`, chromedp.ByQuery))
	anon.follow(t, "#times-submit")
	anon.expectHeading(t, "Check the time and give your details")
	anon.audit(t, "appointment details")
	anon.run(t, "type a wrong address", chromedp.SendKeys("#email", "ana@", chromedp.ByQuery))
	anon.submitExpecting(t, "#details-submit", 422)
	anon.expectText(t, ".error-summary", "Enter your full name", "Enter an email address in the correct format")
	anon.shot(t, "details-errors")
	anon.audit(t, "appointment details with errors")
	anon.run(t, "give name and address",
		chromedp.SendKeys("#name", "Ana Puig", chromedp.ByQuery),
		chromedp.Clear("#email", chromedp.ByQuery),
		chromedp.SendKeys("#email", "ana@example.org", chromedp.ByQuery))
	anon.follow(t, "#details-submit")
	anon.expectPath(t, "/appointments/manage/")
	anon.expectHeading(t, "Appointment booked")
	anon.shot(t, "booked")
	anon.audit(t, "appointment booked")

	// The confirmation reaches the mailbox, with the link to manage it.
	eventually(t, "the confirmation in the development mailbox", 200*time.Millisecond, func() bool {
		res, err := http.Get(base + "/dev-mail")
		if err != nil {
			return false
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		return strings.Contains(string(body), "Appointment booked")
	})
	anon.open(t, "/dev-mail")
	anon.follow(t, `#dev-mail a`)
	mail := anon.expectText(t, "#mail-text", "Your appointment is booked", "Plaça Major 1", "ID card, NIE or passport")
	link := regexp.MustCompile(`https?://\S+/appointments/manage/[A-Za-z0-9_-]+\?lang=en`).FindString(mail)
	if link == "" || !strings.Contains(mail, "/calendar.ics") {
		t.Fatalf("no link to manage the appointment, or to its calendar file, in the mail:\n%s", mail)
	}
	anon.load(t, "open the mail's link", 0, chromedp.Navigate(link))
	anon.expectHeading(t, "Your appointment")
	anon.audit(t, "appointment from the mail's link")

	anon.follow(t, "#appointment-move")
	anon.expectHeading(t, "Choose a new day")
	anon.follow(t, "#days li:nth-child(2) a")
	anon.run(t, "choose a new time", chromedp.Click(`#times .choice:last-child input`, chromedp.ByQuery))
	anon.follow(t, "#times-submit")
	anon.expectText(t, "#appointment-done", "Your appointment has been moved")
	anon.audit(t, "appointment moved")
	anon.follow(t, "#appointment-cancel")
	anon.expectText(t, "#appointment-done", "Your appointment has been cancelled")
	anon.expectText(t, "#appointment-status", "Cancelled")
	if anon.has(t, "#appointment-cancel") {
		t.Error("a cancelled appointment still offers to cancel it")
	}

	// A resident books the same day's first time, signed in.
	res := b.newTab(t, "appointment-resident")
	res.open(t, "/account")
	res.signIn(t, "resident")
	res.open(t, "/services/book-an-appointment-citizen-desk/book/citizen-services/"+day)
	res.run(t, "choose the first time", chromedp.Click(`#times input[type="radio"]`, chromedp.ByQuery))
	res.follow(t, "#times-submit")
	if res.has(t, "#email") {
		t.Error("a signed-in resident is asked for an address")
	}
	res.follow(t, "#details-submit")
	res.expectPath(t, "/account/appointments/")
	res.expectHeading(t, "Appointment booked")
	res.open(t, "/account/appointments")
	res.expectHeading(t, "Your appointments")
	res.audit(t, "account appointments")

	// The caseworker's day: the resident at a counter, marked arrived.
	cw := b.newTab(t, "appointment-staff")
	cw.open(t, "/staff/appointments?office=citizen-services&day="+day)
	cw.signIn(t, "caseworker")
	cw.expectText(t, "main h1", "Appointments at Citizen Services and Transparency")
	cw.expectText(t, "main", "Counter 1", "Counter 3")
	cw.audit(t, "staff appointments")
	cw.follow(t, `button[name="status"][value="arrived"]`)
	cw.expectText(t, "#staff-done", "The appointment has been marked")
	cw.expectText(t, "main table", "Attended")
	cw.submitExpecting(t, "#block-submit", 422)
	cw.expectText(t, ".error-summary", "Enter the start time")
	cw.shot(t, "staff-block-errors")
	cw.audit(t, "staff appointments with errors")
}
