package portal

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"sportello/notify"
	"sportello/notify/notifytest"
)

var (
	firstDayLink  = regexp.MustCompile(`<li><a href="(/services/[a-z-]+/book/[a-z-]+/(\d{4}-\d\d-\d\d))">`)
	firstTimeID   = regexp.MustCompile(`name="time" value="(\d+)"`)
	manageLink    = regexp.MustCompile(`^/appointments/manage/([A-Za-z0-9_-]+)\?done=booked$`)
	accountAppt   = regexp.MustCompile(`^/account/appointments/(\d+)\?done=booked$`)
	staffApptRow  = regexp.MustCompile(`<tr id="appointment-(\d+)">`)
	citizenDesk   = "/services/book-an-appointment-citizen-desk"
	citizenOffice = citizenDesk + "/book/citizen-services"
)

// firstFree walks a browser from the office's days to the first free time
// and returns the details page's path (with ?time=) and the day.
func firstFree(t *testing.T, b *browser, office string) (string, string, string) {
	t.Helper()
	days := b.get(office)
	must(t, days, http.StatusOK, `id="days"`)
	m := firstDayLink.FindStringSubmatch(days.body)
	if m == nil {
		t.Fatalf("no day with free times:\n%s", excerptMain(days.body))
	}
	times := b.get(m[1])
	must(t, times, http.StatusOK, `id="times-form"`, `method="get"`)
	tm := firstTimeID.FindStringSubmatch(times.body)
	if tm == nil {
		t.Fatalf("no free time:\n%s", excerptMain(times.body))
	}
	return m[1] + "/details?time=" + tm[1], m[2], tm[1]
}

// Booking a time at the Citizen Desk without signing in (its assurance is
// none): office → day → time → details, every problem said at once with
// the input kept, CSRF, the manage link, the calendar file and the mail in
// the outbox; the last counter's time going twice; someone else's
// appointment not found; moving and cancelling; the caseworkers' day.
func TestAppointmentsBooking(t *testing.T) {
	site := startLiveSite(t, ownCatalogue)
	anon := site.browser(t, stopAtRedirects)
	must(t, anon.get(citizenDesk), http.StatusOK, `href="`+citizenDesk+`/book"`)
	if r := anon.get(citizenDesk + "/book"); r.status != http.StatusSeeOther || r.location != citizenOffice {
		t.Fatalf("one office: %d to %q", r.status, r.location)
	}
	must(t, anon.get("/services/report-a-pothole/book"), http.StatusNotFound)
	must(t, anon.get(citizenDesk+"/book/waste-services"), http.StatusNotFound)
	details, day, start := firstFree(t, anon, citizenOffice)
	form := anon.get(details)
	must(t, form, http.StatusOK, `id="details-form"`, `name="email"`, "ID card, NIE or passport", "Plaça Major 1")
	post := strings.SplitN(details, "?", 2)[0]
	csrf := csrfOf(t, form.body)

	must(t, anon.post(post, url.Values{"time": {start}, "name": {"Ana"}, "email": {"ana@example.org"}}), http.StatusForbidden)
	r := anon.post(post, url.Values{"_csrf": {csrf}, "time": {start}, "name": {""}, "email": {"ana@example"}})
	must(t, r, http.StatusUnprocessableEntity, "<title>Error:", `<a href="#name">Enter your full name</a>`,
		`<a href="#email">Enter an email address in the correct format, like name@example.com</a>`, `value="ana@example"`)
	must(t, anon.post(post, url.Values{"_csrf": {csrf}, "time": {"12"}, "name": {"Ana"}, "email": {"ana@example.org"}}),
		http.StatusUnprocessableEntity, `<a href="#times">Choose a time from the list</a>`)

	r = anon.post(post, url.Values{"_csrf": {csrf}, "time": {start}, "name": {"Ana Puig"}, "email": {"ana@example.org"}})
	m := manageLink.FindStringSubmatch(r.location)
	if r.status != http.StatusSeeOther || m == nil {
		t.Fatalf("book: %d to %q\n%s", r.status, r.location, excerptMain(r.body))
	}
	page := "/appointments/manage/" + m[1]
	must(t, anon.get(r.location), http.StatusOK, "Appointment booked", "Book an appointment at the Citizen Desk", `id="appointment-ics"`, `href="`+page+`/move"`)
	ics := anon.get(page + "/calendar.ics")
	must(t, ics, http.StatusOK, "BEGIN:VEVENT", "UID:appointment-", "LOCATION:Citizen Services and Transparency\\, Plaça Major 1")
	if ct := ics.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/calendar") {
		t.Errorf("calendar file's type %q", ct)
	}
	booked := notifytest.OfKind(notifytest.Outbox(t, site.db), notify.AppointmentBooked)
	found := false
	for _, n := range booked {
		found = found || (n.Address == "ana@example.org" && n.PersonID == 0 && n.Lang == "en")
	}
	if !found {
		t.Errorf("no confirmation to ana@example.org in %v", booked)
	}

	// The desk has three counters: two more people get the same time, the
	// fourth is told it has just gone, with the times still free.
	// They all opened the form while the time was free.
	var others []*browser
	var tokens []string
	for range 3 {
		other := site.browser(t, stopAtRedirects)
		others, tokens = append(others, other), append(tokens, csrfOf(t, other.get(details).body))
	}
	for i, want := range []int{http.StatusSeeOther, http.StatusSeeOther, http.StatusConflict} {
		r := others[i].post(post, url.Values{"_csrf": {tokens[i]}, "time": {start}, "name": {"P"}, "email": {"p@example.org"}})
		if r.status != want {
			t.Fatalf("booking %d of the same time: %d, want %d\n%s", i+2, r.status, want, excerptMain(r.body))
		}
		if want == http.StatusConflict {
			must(t, r, want, "Someone has just booked that time", `id="times-form"`)
			mustNot(t, r, `value="`+start+`"`)
		}
	}

	// A link this site did not make, and someone else's appointment.
	must(t, anon.get("/appointments/manage/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), http.StatusNotFound)
	resident := site.browser(t, stopAtRedirects)
	resident.signIn("resident", "/")
	must(t, resident.get("/account/appointments"), http.StatusOK, `id="appointments-none"`)
	details2, _, start2 := firstFree(t, resident, citizenOffice)
	f := resident.get(details2)
	must(t, f, http.StatusOK, `id="details-form"`)
	mustNot(t, f, `name="email"`)
	r = resident.post(strings.SplitN(details2, "?", 2)[0], url.Values{"_csrf": {csrfOf(t, f.body)}, "time": {start2}, "name": {"Rosa Resident"}})
	am := accountAppt.FindStringSubmatch(r.location)
	if r.status != http.StatusSeeOther || am == nil {
		t.Fatalf("signed-in booking: %d to %q\n%s", r.status, r.location, excerptMain(r.body))
	}
	mine := "/account/appointments/" + am[1]
	must(t, resident.get("/account/appointments"), http.StatusOK, `href="`+mine+`"`)
	business := site.browser(t, stopAtRedirects)
	business.signIn("business", "/")
	must(t, business.get(mine), http.StatusNotFound)
	must(t, business.get(mine+"/calendar.ics"), http.StatusNotFound)
	bcsrf := csrfOf(t, business.get("/account").body)
	must(t, business.post(mine+"/cancel", url.Values{"_csrf": {bcsrf}}), http.StatusNotFound)
	if r := site.browser(t, stopAtRedirects).get(mine); r.status != http.StatusSeeOther || !strings.HasPrefix(r.location, "/auth/login") {
		t.Errorf("anonymous on an account appointment: %d to %q", r.status, r.location)
	}

	// Moving: a day, a time, the move; then cancelling, once.
	moveDays := resident.get(mine + "/move")
	must(t, moveDays, http.StatusOK, "Choose a new day")
	dm := regexp.MustCompile(`href="(`+regexp.QuoteMeta(mine)+`/move/(\d{4}-\d\d-\d\d))"`).FindAllStringSubmatch(moveDays.body, -1)
	if len(dm) < 2 {
		t.Fatalf("days to move to: %v", dm)
	}
	moveTimes := resident.get(dm[1][1])
	must(t, moveTimes, http.StatusOK, `method="post"`, `name="day" value="`+dm[1][2]+`"`)
	tm := firstTimeID.FindStringSubmatch(moveTimes.body)
	r = resident.post(mine+"/move", url.Values{"_csrf": {csrfOf(t, moveTimes.body)}, "day": {dm[1][2]}, "time": {tm[1]}})
	if r.status != http.StatusSeeOther || r.location != mine+"?done=moved" {
		t.Fatalf("move: %d to %q\n%s", r.status, r.location, excerptMain(r.body))
	}
	must(t, resident.post(mine+"/move", url.Values{"_csrf": {csrfOf(t, moveTimes.body)}, "day": {dm[1][2]}, "time": {"nope"}}),
		http.StatusUnprocessableEntity, "Choose a time from the list")
	shown := resident.get(mine + "?done=moved")
	must(t, shown, http.StatusOK, "Your appointment has been moved")
	r = resident.post(mine+"/cancel", url.Values{"_csrf": {csrfOf(t, shown.body)}})
	if r.status != http.StatusSeeOther || r.location != mine+"?done=cancelled" {
		t.Fatalf("cancel: %d to %q", r.status, r.location)
	}
	must(t, resident.post(mine+"/cancel", url.Values{"_csrf": {csrfOf(t, shown.body)}}), http.StatusConflict, "can no longer be changed")
	must(t, resident.get(mine), http.StatusOK, `id="appointment-status">Cancelled<`)
	out := notifytest.Outbox(t, site.db)
	if len(notifytest.OfKind(out, notify.AppointmentMoved)) != 1 || len(notifytest.OfKind(out, notify.AppointmentCancelled)) != 1 {
		t.Errorf("moved and cancelled mails: %v", out)
	}

	// Legal advice needs a substantial sign-in.
	if r := site.browser(t, stopAtRedirects).get("/services/free-legal-advice/book"); r.status != http.StatusSeeOther || !strings.HasPrefix(r.location, "/auth/login") {
		t.Errorf("legal advice unsigned: %d to %q", r.status, r.location)
	}

	// The caseworkers' day: residents are turned away; the caseworker sees
	// the time's three people at three counters, marks one, blocks a time.
	must(t, resident.get("/staff/appointments"), http.StatusForbidden)
	cw := site.browser(t, stopAtRedirects)
	cw.signIn("caseworker", "/")
	staffDay := "/staff/appointments?office=citizen-services&day=" + day
	sd := cw.get(staffDay)
	must(t, sd, http.StatusOK, "Counter 1", "Counter 3", "Ana Puig", "ana@example.org", ">Arrived<")
	rows := staffApptRow.FindAllStringSubmatch(sd.body, -1)
	if len(rows) < 3 {
		t.Fatalf("staff rows: %v", rows)
	}
	scsrf := csrfOf(t, sd.body)
	r = cw.post("/staff/appointments/"+rows[0][1]+"/mark", url.Values{"_csrf": {scsrf}, "status": {"arrived"}, "office": {"citizen-services"}, "day": {day}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("mark: %d\n%s", r.status, excerptMain(r.body))
	}
	must(t, cw.get(staffDay), http.StatusOK, "Attended")
	must(t, cw.post("/staff/appointments/"+rows[0][1]+"/mark", url.Values{"_csrf": {scsrf}, "status": {"cancelled"}, "office": {"citizen-services"}, "day": {day}}), http.StatusUnprocessableEntity)
	must(t, cw.post("/staff/appointments/"+rows[0][1]+"/mark", url.Values{"_csrf": {scsrf}, "status": {"arrived"}, "office": {"waste-services"}, "day": {day}}), http.StatusNotFound)

	// Cancelling for a resident who phoned: not at another office, not by a
	// resident, then once, with the same mail as when residents cancel.
	cancel := "/staff/appointments/" + rows[1][1] + "/cancel"
	must(t, cw.get(staffDay), http.StatusOK, `action="`+cancel+`"`)
	mustNot(t, cw.get(staffDay), `action="/staff/appointments/`+rows[0][1]+`/cancel"`) // arrived: no longer open
	must(t, cw.post(cancel, url.Values{"_csrf": {scsrf}, "office": {"waste-services"}, "day": {day}}), http.StatusNotFound)
	must(t, resident.post(cancel, url.Values{"_csrf": {csrfOf(t, resident.get("/account").body)}, "office": {"citizen-services"}, "day": {day}}), http.StatusForbidden)
	r = cw.post(cancel, url.Values{"_csrf": {scsrf}, "office": {"citizen-services"}, "day": {day}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("staff cancel: %d\n%s", r.status, excerptMain(r.body))
	}
	cancelled := cw.get(r.location)
	must(t, cancelled, http.StatusOK, `id="staff-done"`, "The appointment has been cancelled and the person has been told by email")
	mustNot(t, cancelled, `id="appointment-`+rows[1][1]+`"`)
	must(t, cw.post(cancel, url.Values{"_csrf": {scsrf}, "office": {"citizen-services"}, "day": {day}}), http.StatusUnprocessableEntity, "can no longer be changed")
	if n := len(notifytest.OfKind(notifytest.Outbox(t, site.db), notify.AppointmentCancelled)); n != 2 {
		t.Errorf("%d cancelled mails, want the resident's own and the one cancelled by staff", n)
	}
	must(t, cw.post("/staff/appointments/blocks", url.Values{"_csrf": {scsrf}, "office": {"citizen-services"}, "day": {day}, "counter": {"9"}, "from": {"13:02"}, "to": {"12:00"}}),
		http.StatusUnprocessableEntity, `<a href="#block-counter">Choose a counter from the list</a>`, `<a href="#block-from">Enter a time on a multiple of 5 minutes`, `value="13:02"`)
	must(t, cw.post("/staff/appointments/blocks", url.Values{"_csrf": {scsrf}, "office": {"citizen-services"}, "day": {day}, "counter": {"2"}, "from": {"13:00"}, "to": {"12:00"}}),
		http.StatusUnprocessableEntity, `<a href="#block-to">Enter an end time later than the start time</a>`)
	r = cw.post("/staff/appointments/blocks", url.Values{"_csrf": {scsrf}, "office": {"citizen-services"}, "day": {day}, "counter": {"2"}, "from": {"13:00"}, "to": {"14:00"}, "note": {"Team meeting"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("block: %d\n%s", r.status, excerptMain(r.body))
	}
	must(t, cw.get(r.location), http.StatusOK, "Team meeting", "The time has been blocked")
}
