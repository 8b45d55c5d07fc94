package portal

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"sportello/notify"
)

const notificationsPath = "/account/notifications"

// alertsResident is olderResident with an income of its own: the support
// finder's tests look for that one's answers in the database.
var alertsResident = func() map[string]string {
	m := maps.Clone(olderResident)
	m["monthly_income"] = "617"
	return m
}()

// confirmationMail returns the newest address-confirmation mail of person
// in the outbox: where it goes and the token its link carries.
func confirmationMail(t *testing.T, site *liveSite, person int64) (address, token string) {
	t.Helper()
	var data string
	err := site.db.SQL().QueryRow(site.db.Rebind(`SELECT address, data FROM notifications
		WHERE person_id = ? AND kind = ? ORDER BY created_at DESC, id LIMIT 1`), person, string(notify.EmailConfirm)).Scan(&address, &data)
	if err != nil {
		t.Fatalf("no confirmation mail in the outbox: %v", err)
	}
	var d map[string]string
	if err := json.Unmarshal([]byte(data), &d); err != nil {
		t.Fatal(err)
	}
	return address, d["token"]
}

// settingsOf reads person's notification settings as the worker will.
func settingsOf(t *testing.T, site *liveSite, person int64) notify.Settings {
	t.Helper()
	st, err := notify.New(site.db, nil).Settings(context.Background(), person)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// The page shows the address in use and where it comes from, the kinds a
// person may turn off (and those always sent, with why), the language,
// and saves changes to both; the server refuses what the form never sends.
func TestNotificationsChoices(t *testing.T) {
	site := startLiveSite(t)
	anon := site.browser(t, stopAtRedirects)
	if r := anon.get(notificationsPath); r.status != http.StatusSeeOther || !strings.HasPrefix(r.location, "/auth/login?return_to=%2Faccount%2Fnotifications") {
		t.Errorf("anonymous: %d to %q, want sign-in", r.status, r.location)
	}
	b := site.browser(t, followRedirects)
	b.signIn("resident", "/")
	must(t, b.get("/account"), http.StatusOK, `<a href="/account/notifications">Emails from the council</a>`)
	page := b.get(notificationsPath)
	must(t, page, http.StatusOK, "<h1>Emails from the council</h1>", `<dd id="address-current">marta.vidal@example.org</dd>`,
		"Verified by the demo sign-in when you signed in.",
		`<input type="checkbox" id="receive-status_changed" name="receive" value="status_changed" checked>`,
		`<input type="checkbox" id="receive-renewal_due" name="receive" value="renewal_due" checked>`,
		"Emails we always send", "Decision: when we have decided on your application",
		"Payment received: when we receive a payment from you", `id="lang-auto" name="lang" value="" checked`,
		`<label for="lang-ca" lang="ca">Català</label>`, "We have not emailed you yet.")
	mustNot(t, page, `id="receive-decision"`, `id="receive-support_alert"`, `id="receive-email_confirm"`)
	if n := strings.Count(page.body, "<h1"); n != 1 {
		t.Errorf("%d h1 elements", n)
	}

	r := b.postForm(page, notificationsPath+"/settings", url.Values{"receive": {"status_changed", "form_expiring", "report_status"}, "lang": {"ca"}})
	must(t, r, http.StatusOK, "Your choices have been saved.",
		`id="receive-renewal_due" name="receive" value="renewal_due">`, `id="lang-ca" name="lang" value="ca" checked`)
	marta := site.personID(t, "resident")
	st := settingsOf(t, site, marta)
	if st.Lang != "ca" || len(st.Off) != 1 || st.Off[0] != notify.RenewalDue {
		t.Errorf("saved settings: %+v", st)
	}
	// What the mail's unsubscribe link turned off stays off.
	st.Off = append(st.Off, notify.SupportAlert)
	if err := notify.New(site.db, nil).SaveSettings(context.Background(), marta, st); err != nil {
		t.Fatal(err)
	}
	b.postForm(page, notificationsPath+"/settings", url.Values{"receive": {"status_changed", "form_expiring", "renewal_due", "report_status"}, "lang": {""}})
	if st := settingsOf(t, site, marta); st.Lang != "" || len(st.Off) != 1 || st.Off[0] != notify.SupportAlert {
		t.Errorf("settings after turning renewals back on: %+v", st)
	}

	must(t, b.postForm(page, notificationsPath+"/settings", url.Values{"lang": {"de"}}), http.StatusUnprocessableEntity,
		`<li><a href="#lang-auto">Choose one of the languages listed</a></li>`)
	if r := b.postForm(page, notificationsPath+"/settings", url.Values{"receive": {"decision"}}); r.status != http.StatusBadRequest {
		t.Errorf("turning off a service message: %d, want 400", r.status)
	}
	if r := b.post(notificationsPath+"/settings", url.Values{"lang": {"es"}}); r.status != http.StatusForbidden {
		t.Errorf("without the CSRF token: %d, want 403", r.status)
	}
	if st := settingsOf(t, site, marta); st.Lang != "" {
		t.Errorf("a refused form changed the language to %q", st.Lang)
	}

	// The page in every language: one h1, no raw key.
	rawKey := regexp.MustCompile(`>[^<]*notifications\.[a-z_.]+`)
	for _, lang := range []string{"en", "es", "ca", "it", "fr"} {
		r := b.get(notificationsPath + "?lang=" + lang)
		must(t, r, http.StatusOK, `<html lang="`+lang+`">`)
		if m := rawKey.FindString(r.body); m != "" {
			t.Errorf("%s: untranslated key %s", lang, m)
		}
		if strings.Count(r.body, "<h1") != 1 {
			t.Errorf("%s: not one h1", lang)
		}
	}
}

// Another address is used once the link mailed to it is followed: the
// outbox holds the mail to the new address with the token, the link shows
// a button (following it changes nothing), the button confirms; a link
// that is expired, unknown or another person's is refused with a clear
// page and changes nothing.
func TestNotificationsEmailConfirmation(t *testing.T) {
	site := startLiveSite(t)
	b := site.browser(t, followRedirects)
	b.signIn("resident", "/")
	marta := site.personID(t, "resident")
	page := b.get(notificationsPath)

	for _, tc := range []struct{ typed, want string }{
		{"", "Enter an email address"},
		{"marta@", "Enter an email address in the right format, like name@example.com"},
		{"Marta <marta@example.org>", "Enter an email address in the right format"},
		{"MARTA.VIDAL@example.org", "We already write to this email address"},
	} {
		r := b.postForm(page, notificationsPath+"/email", url.Values{"email": {tc.typed}})
		must(t, r, http.StatusUnprocessableEntity, `<li><a href="#email">`+tc.want, `aria-describedby="email-hint email-error"`, "<title>Error:")
	}

	r := b.postForm(page, notificationsPath+"/email", url.Values{"email": {" marta.home@example.org "}})
	must(t, r, http.StatusOK, "We have sent you a confirmation link.", "We have sent a link to marta.home@example.org.",
		`<dd id="address-current">marta.vidal@example.org</dd>`, "Address confirmation", "Waiting to be sent")
	to, token := confirmationMail(t, site, marta)
	if to != "marta.home@example.org" || len(token) < 40 {
		t.Fatalf("confirmation mail to %q with token %q", to, token)
	}

	// Another person cannot use Marta's link.
	luca := site.browser(t, followRedirects)
	luca.signIn("business", "/")
	other := luca.get(notificationsPath + "/confirm/" + token)
	must(t, other, http.StatusForbidden, "This link is for another account", "nothing has changed")
	mustNot(t, other, "marta.home@example.org", `id="confirm-submit"`)
	if r := luca.postForm(luca.get(notificationsPath), notificationsPath+"/confirm/"+token, nil); r.status != http.StatusForbidden {
		t.Errorf("another person posting the link: %d, want 403", r.status)
	}

	show := b.get(notificationsPath + "/confirm/" + token)
	must(t, show, http.StatusOK, "Confirm your email address", "Do you want us to email you at marta.home@example.org from now on?", `id="confirm-submit"`)
	if st := settingsOf(t, site, marta); st.Email != "" {
		t.Fatalf("following the link changed the address to %q", st.Email)
	}
	if r := b.post(notificationsPath+"/confirm/"+token, url.Values{}); r.status != http.StatusForbidden {
		t.Errorf("confirming without the CSRF token: %d, want 403", r.status)
	}
	done := b.postForm(show, notificationsPath+"/confirm/"+token, nil)
	must(t, done, http.StatusOK, "Your new email address is confirmed.", `<dd id="address-current">marta.home@example.org</dd>`,
		"You confirmed it on", "Use marta.vidal@example.org, from my sign-in service, instead")
	if st := settingsOf(t, site, marta); st.Email != "marta.home@example.org" || st.EmailConfirmedAt.IsZero() {
		t.Errorf("settings after confirming: %+v", st)
	}
	must(t, b.get(notificationsPath+"/confirm/"+token), http.StatusNotFound, "This link does not work", "You can ask for a new link.")
	must(t, b.get(notificationsPath+"/confirm/not-a-token"), http.StatusNotFound, "This link does not work")

	// A link a day old is refused.
	b.postForm(done, notificationsPath+"/email", url.Values{"email": {"marta.work@example.org"}})
	_, late := confirmationMail(t, site, marta)
	if _, err := site.db.SQL().Exec(site.db.Rebind(`UPDATE email_confirmations SET expires_at = ? WHERE person_id = ?`), time.Now().Add(-time.Minute).UnixMilli(), marta); err != nil {
		t.Fatal(err)
	}
	must(t, b.get(notificationsPath+"/confirm/"+late), http.StatusGone, "This link has expired", "Confirmation links work for 24 hours.")
	must(t, b.postForm(done, notificationsPath+"/confirm/"+late, nil), http.StatusGone, "This link has expired")
	if st := settingsOf(t, site, marta); st.Email != "marta.home@example.org" {
		t.Errorf("an expired link changed the address to %q", st.Email)
	}

	// Back to the provider's address.
	must(t, b.postForm(done, notificationsPath+"/email/forget", nil), http.StatusOK,
		"We will write to the email address from your sign-in service again.", `<dd id="address-current">marta.vidal@example.org</dd>`)
}

// The log lists what was sent, newest first, in words, with the address
// and the status (and why one was not sent), a page at a time; it shows
// the person's own notifications only.
func TestNotificationsLog(t *testing.T) {
	site := startLiveSite(t)
	b := site.browser(t, followRedirects)
	b.signIn("resident", "/")
	luca := site.browser(t, followRedirects)
	luca.signIn("business", "/")
	marta := site.personID(t, "resident")
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	add := func(person int64, key string, kind notify.Kind, at time.Time) {
		t.Helper()
		if err := site.db.Tx(context.Background(), func(tx *sql.Tx) error {
			return notify.Add(context.Background(), site.db, tx, at, notify.Event{Kind: kind, Key: key, PersonID: person})
		}); err != nil {
			t.Fatal(err)
		}
	}
	add(marta, "log:received", notify.ApplicationReceived, start)
	add(marta, "log:renewal", notify.RenewalDue, start.Add(time.Hour))
	add(site.personID(t, "business"), "log:luca", notify.Decision, start.Add(2*time.Hour))
	for i := range 22 {
		add(marta, fmt.Sprintf("log:status:%d", i), notify.StatusChanged, start.Add(-time.Duration(i+1)*time.Hour))
	}
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := site.db.SQL().Exec(site.db.Rebind(q), args...); err != nil {
			t.Fatal(err)
		}
	}
	exec(`UPDATE notifications SET status = 'sent', channel = 'email', sent_to = 'marta.vidal@example.org', subject = 'We have your application PN-TEST-LOG1', sent_at = ? WHERE event_key = 'log:received'`, start.Add(time.Minute).UnixMilli())
	exec(`UPDATE notifications SET status = 'skipped', skip_reason = 'turned_off' WHERE event_key = 'log:renewal'`)
	exec(`UPDATE notifications SET status = 'failed', last_error = 'smtp: 550 secret detail' WHERE event_key = 'log:status:0'`)

	r := b.get(notificationsPath)
	must(t, r, http.StatusOK, "24 emails, newest first.", `id="log-table"`, "Renewal reminder", "You had turned these emails off.",
		"Application received", "We have your application PN-TEST-LOG1", "marta.vidal@example.org", "Sent", "Could not be delivered",
		`<time datetime="2026-03-02T09:01:00Z">`, `rel="next"`, "Page 1 of 2")
	mustNot(t, r, "secret detail", "Decision<br>")
	if strings.Index(r.body, "Renewal reminder") > strings.Index(r.body, "We have your application") {
		t.Error("the log is not newest first")
	}
	r = b.get(notificationsPath + "?page=2")
	must(t, r, http.StatusOK, "Page 2 of 2", `rel="prev"`)
	mustNot(t, r, "We have your application PN-TEST-LOG1")
	must(t, luca.get(notificationsPath), http.StatusOK, "1 email, newest first.", "Decision")
}

// A resident who saved answers turns support alerts on and off on the
// page, which says what is kept; deleting (here or on the saved-answers
// page) deletes the answers and the matches and turns the alerts off.
func TestNotificationsSupportAlerts(t *testing.T) {
	site := startLiveSite(t)
	b := site.browser(t, followRedirects)
	b.signIn("resident", "/")
	marta := site.personID(t, "resident")
	page := b.get(notificationsPath)
	must(t, page, http.StatusOK, "Support alerts", "To get support alerts, first answer the support finder")
	mustNot(t, page, `id="alerts"`)
	must(t, b.postForm(page, notificationsPath+"/support-alerts", url.Values{"alerts": {"on"}}), http.StatusUnprocessableEntity,
		`<li><a href="#support-alerts">To get support alerts, first save your answers in the support finder</a></li>`)

	save := func() {
		t.Helper()
		answerAll(t, b, alertsResident)
		results := b.get("/support-finder/results")
		account := b.postForm(results, "/support-finder/save", url.Values{"consent": {"yes"}})
		must(t, account, http.StatusOK, `<a href="/account/notifications#support-alerts">Get an email when you may be able to get more support</a>`,
			"If you asked for support alerts, deleting your answers stops them too.")
	}
	save()
	page = b.get(notificationsPath)
	must(t, page, http.StatusOK, `<input type="checkbox" id="alerts" name="alerts" value="on" aria-describedby="alerts-hint">`,
		"Tell me by email when I may be able to get more support", "What we keep and how we use it",
		"Your answers to the support finder, saved on", "Delete my answers and stop alerts")
	mustNot(t, page, `id="alerts-on"`)

	on := b.postForm(page, notificationsPath+"/support-alerts", url.Values{"alerts": {"on"}})
	must(t, on, http.StatusOK, "Support alerts are on.", `id="alerts-on"`, `value="on" aria-describedby="alerts-hint" checked>`,
		"The date you asked for alerts:", "services we have told you about, or that already matched your answers when you asked",
		"Apply for an older person&#39;s bus pass")
	if st := settingsOf(t, site, marta); !st.AlertsOn() {
		t.Errorf("settings after opting in: %+v", st)
	}
	kept := func() int {
		t.Helper()
		var n int
		if err := site.db.SQL().QueryRow(site.db.Rebind(`SELECT (SELECT COUNT(*) FROM support_alert_matches WHERE person_id = ?)
			+ (SELECT COUNT(*) FROM support_alert_subscriptions WHERE person_id = ?)`), marta, marta).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if kept() < 2 {
		t.Fatalf("opting in kept %d rows", kept())
	}

	off := b.postForm(on, notificationsPath+"/support-alerts", nil)
	must(t, off, http.StatusOK, "Support alerts are off.")
	if st := settingsOf(t, site, marta); st.SupportAlerts || kept() != 0 {
		t.Errorf("after opting out: %+v, %d rows kept", st, kept())
	}

	// Deleting the answers on the saved-answers page stops the alerts.
	b.postForm(off, notificationsPath+"/support-alerts", url.Values{"alerts": {"on"}})
	support := b.get("/account/support")
	must(t, b.postForm(support, "/account/support/delete", nil), http.StatusOK, "Your saved answers have been deleted.")
	if st := settingsOf(t, site, marta); st.SupportAlerts || kept() != 0 {
		t.Errorf("after deleting the answers: %+v, %d rows kept", st, kept())
	}

	// And so does deleting them here.
	save()
	page = b.get(notificationsPath)
	b.postForm(page, notificationsPath+"/support-alerts", url.Values{"alerts": {"on"}})
	deleted := b.postForm(page, notificationsPath+"/support-alerts/delete", nil)
	must(t, deleted, http.StatusOK, "We have deleted your saved answers and turned support alerts off.", "To get support alerts, first answer")
	if st := settingsOf(t, site, marta); st.SupportAlerts || kept() != 0 || savedRows(t, site) != 0 {
		t.Errorf("after deleting here: %+v, %d rows kept, %d answers", st, kept(), savedRows(t, site))
	}
}
