package portal

import (
	"context"
	"database/sql"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"sportello/notify"
)

// Caseworkers see the notifications that failed, the address masked, and
// put one back for another try with a form; residents cannot.
func TestFailedNotifications(t *testing.T) {
	site := startLiveSite(t)
	db := site.db
	ctx := context.Background()
	key := "decision:PN-FAIL-0001:" + strconv.FormatInt(time.Now().UnixNano(), 10)
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		return notify.Add(ctx, db, tx, time.Now(), notify.Event{Kind: notify.Decision, Key: key, Address: "marta.vidal@example.org",
			Data: map[string]string{"ref": "PN-FAIL-0001", "service": "resident-parking-permit", "status": "approved"}})
	})
	if err != nil {
		t.Fatal(err)
	}
	var id int64
	if err := db.SQL().QueryRow(db.Rebind(`UPDATE notifications SET status = 'failed', attempts = 8, sent_to = 'marta.vidal@example.org',
		last_error = 'connecting to mail.example.org:587: connection refused' WHERE event_key = ? RETURNING id`), key).Scan(&id); err != nil {
		t.Fatal(err)
	}
	retry := "/staff/notifications/" + strconv.FormatInt(id, 10) + "/retry"

	resident := site.browser(t, stopAtRedirects)
	r := resident.signIn("resident", "/")
	csrf := csrfOf(t, r.body)
	must(t, resident.get("/staff/notifications"), http.StatusForbidden)
	must(t, resident.post(retry, url.Values{"_csrf": {csrf}}), http.StatusForbidden)

	cw := site.browser(t, stopAtRedirects)
	cw.signIn("caseworker", "/")
	must(t, cw.get("/staff"), http.StatusOK, `<a href="/staff/notifications" id="outbox-link">Notifications not sent</a>`)
	r = cw.get("/staff/notifications")
	must(t, r, http.StatusOK, "<h1>Notifications not sent</h1>", "Decision", `href="/staff/applications/PN-FAIL-0001"`,
		"m***@example.org", "connecting to mail.example.org:587: connection refused", `action="`+retry+`"`,
		`aria-label="Try again: Decision PN-FAIL-0001"`)
	mustNot(t, r, "marta.vidal@example.org")
	// Without the form's token nothing changes.
	must(t, cw.post(retry, url.Values{}), http.StatusForbidden)
	r = cw.postForm(r, retry, url.Values{})
	if r.status != http.StatusSeeOther || r.location != "/staff/notifications?done=retried" {
		t.Fatalf("try again: %d to %q", r.status, r.location)
	}
	var status string
	if err := db.SQL().QueryRow(db.Rebind(`SELECT status FROM notifications WHERE id = ?`), id).Scan(&status); err != nil || status != "pending" {
		t.Fatalf("after try again: %q, %v", status, err)
	}
	r = cw.follow(r)
	must(t, r, http.StatusOK, "The notification will be tried again in a few seconds.")
	mustNot(t, r, "PN-FAIL-0001")
	// A second click (another tab) finds it no longer failed.
	r = cw.postForm(r, retry, url.Values{})
	if r.location != "/staff/notifications?done=gone" {
		t.Errorf("trying again twice: %d to %q", r.status, r.location)
	}
	for _, lang := range []string{"es", "ca", "it", "fr"} {
		r := cw.get("/staff/notifications?lang=" + lang)
		if r.status != http.StatusOK || strings.Contains(r.body, "outbox.") || strings.Count(r.body, "<h1") != 1 {
			t.Errorf("/staff/notifications in %s: %d or an untranslated key", lang, r.status)
		}
	}
}
