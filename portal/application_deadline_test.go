package portal

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"sportello/calendar"
)

// testClock is a clock a test moves on.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) set(date string) {
	d, err := time.Parse(time.DateOnly, date)
	if err != nil {
		panic(err)
	}
	c.mu.Lock()
	c.t = d.Add(9 * time.Hour)
	c.mu.Unlock()
}

// Applicant and caseworker see the working days left in the council's
// calendar, in their language: counting down over Easter, stopped while
// the council waits for the applicant's answer, moved on by the days it
// waited, and overdue.
func TestDeadlinePages(t *testing.T) {
	clock := &testClock{}
	clock.set("2026-04-02") // the Thursday before Easter
	site := startLiveSite(t, clockedApplications(clock.now))
	demo, err := calendar.Demo()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := calendar.New(site.db, nil).Seed(context.Background(), demo); err != nil {
		t.Fatal(err)
	}
	res := site.browser(t, stopAtRedirects)
	res.signIn("resident", "/")
	ref := applyAs(t, res) // 5 working days, past Good Friday and Easter Monday: 13 April
	detail := "/account/applications/" + ref
	must(t, res.get("/account/applications?lang=en"), http.StatusOK, "5 working days left (13 April 2026)")
	must(t, res.get("/account/applications?lang=es"), http.StatusOK, "Quedan 5 días hábiles (13 de abril de 2026)")
	res.get("/?lang=en")

	cw := site.browser(t, stopAtRedirects)
	cw.signIn("caseworker", "/")
	staffPage := "/staff/applications/" + ref
	clock.set("2026-04-07")
	csrf := csrfOf(t, cw.get(staffPage).body)
	status := func(from, to, note string) {
		t.Helper()
		if r := cw.post(staffPage+"/status", url.Values{"_csrf": {csrf}, "from": {from}, "to": {to}, "note": {note}}); r.status != http.StatusSeeOther {
			t.Fatalf("%s to %s: %d\n%s", from, to, r.status, excerptMain(r.body))
		}
	}
	status("submitted", "in_review", "")
	must(t, cw.get("/staff"), http.StatusOK, ref, "4 working days left (13 April 2026)")
	status("in_review", "more_info_needed", "Please send the back page of the logbook.")

	// Paused: 8, 9, 10 and 13 April will be left when they answer.
	r := res.get(detail)
	must(t, r, http.StatusOK, "Paused: waiting for your answer (4 working days left once you answer)")
	must(t, res.get("/account/applications?lang=es"), http.StatusOK, "Plazo suspendido: esperamos su respuesta (quedarán 4 días hábiles cuando responda)")
	res.get("/?lang=en")
	must(t, cw.get("/staff?status=more_info_needed"), http.StatusOK, ref,
		"Paused: waiting for the applicant&#39;s answer (4 working days left once they answer)")
	must(t, cw.get(staffPage+"?lang=fr"), http.StatusOK,
		"Délai suspendu\u00a0: en attente de la réponse du demandeur (il restera 4 jours ouvrés après sa réponse)")
	cw.get("/staff?lang=en")
	// A week later nothing has run out.
	clock.set("2026-04-14")
	r = res.get(detail)
	must(t, r, http.StatusOK, "Paused: waiting for your answer (4 working days left once you answer)")

	// Answered on the 14th after waiting 8, 9, 10, 13 and 14 April: due
	// five working days after the 13th.
	if r := res.postMultipart(detail+"/respond", url.Values{"_csrf": {csrfOf(t, r.body)}, "message": {"Here it is."}}); r.status != http.StatusSeeOther {
		t.Fatalf("respond: %d\n%s", r.status, excerptMain(r.body))
	}
	must(t, res.get(detail), http.StatusOK, `<dd id="application-due">4 working days left (20 April 2026)</dd>`)
	must(t, cw.get("/staff"), http.StatusOK, ref, "4 working days left (20 April 2026)")
	clock.set("2026-04-20")
	must(t, res.get(detail), http.StatusOK, `<dd id="application-due">Due today</dd>`)

	// Two working days late.
	clock.set("2026-04-22")
	must(t, res.get("/account/applications"), http.StatusOK, `<td class="overdue">2 working days overdue (was due 20 April 2026)</td>`)
	must(t, res.get("/account/applications?lang=es"), http.StatusOK, "2 días hábiles fuera de plazo (vencía el 20 de abril de 2026)")
	r = cw.get("/staff?overdue=1")
	must(t, r, http.StatusOK, ref, `<td class="overdue">2 working days overdue (was due 20 April 2026)</td>`)
	if strings.Count(r.body, `class="overdue"`) != 1 {
		t.Errorf("the overdue queue lists more than the one application")
	}
}
