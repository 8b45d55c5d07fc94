package portal

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"testing"

	"sportello/applications"
	"sportello/store"
)

// countRows counts a table's rows in db.
func countRows(t *testing.T, db *store.DB, table string) int {
	t.Helper()
	var n int
	if err := db.SQL().QueryRowContext(context.Background(), "SELECT COUNT(*) FROM "+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// Only the token the form page was given starts a form in progress: one the
// browser made up, or another session's, is refused and keeps nothing.
func TestApplyTokenIsTheServers(t *testing.T) {
	const slug = "report-missed-bin-collection"
	site := startLiveSite(t)
	v, other := site.browser(t, stopAtRedirects), site.browser(t, stopAtRedirects)
	csrf, issued := formTokens(t, v.get("/services/"+slug+"/apply").body)
	otherCSRF, _ := formTokens(t, other.get("/services/"+slug+"/apply").body)
	chosen, err := applications.NewToken()
	if err != nil {
		t.Fatal(err)
	}
	forms, blobs := countRows(t, site.db, "pending_forms"), countRows(t, site.db, "blobs")
	for _, tc := range []struct {
		name  string
		b     *browser
		csrf  string
		token string
	}{
		{"a token the browser chose", v, csrf, chosen},
		{"another session's token", other, otherCSRF, issued},
	} {
		r := tc.b.postMultipart("/services/"+slug+"/apply",
			url.Values{"_csrf": {tc.csrf}, "_token": {tc.token}, "_action": {"continue"}}, pngFile("bin.png"))
		must(t, r, http.StatusBadRequest, "This form could not be accepted")
		if n, m := countRows(t, site.db, "pending_forms"), countRows(t, site.db, "blobs"); n != forms || m != blobs {
			t.Errorf("%s: %d forms and %d contents kept, want %d and %d", tc.name, n, m, forms, blobs)
		}
	}
	r := v.postMultipart("/services/"+slug+"/apply", url.Values{"_csrf": {csrf}, "_token": {issued}, "_action": {"continue"}}, pngFile("bin.png"))
	must(t, r, http.StatusUnprocessableEntity, "We have kept the file you uploaded:")
}

// Uploads kept in forms in progress are limited per session and per
// address: over the quota the form is refused with a message that says
// why, in the reader's language, and nothing of the post is kept.
func TestApplyPendingQuota(t *testing.T) {
	const slug = "report-missed-bin-collection"
	site := startLiveSite(t, pendingQuota(1<<20))
	photo := func(name string, kb int) upload {
		p := pngFile(name)
		p.content = append(p.content, bytes.Repeat([]byte{3}, kb<<10)...)
		return p
	}
	v := site.browser(t, stopAtRedirects)
	csrf, token := formTokens(t, v.get("/services/"+slug+"/apply").body)
	post := url.Values{"_csrf": {csrf}, "_token": {token}, "_action": {"continue"}, "notes": {"the rest is missing"}}

	r := v.postMultipart("/services/"+slug+"/apply", post, photo("one.png", 600), photo("two.png", 600))
	must(t, r, http.StatusRequestEntityTooLarge, "You have too many files waiting in forms you have not sent yet")
	if n, m := countRows(t, site.db, "pending_forms"), countRows(t, site.db, "blobs"); n != 0 || m != 0 {
		t.Errorf("a refused post kept %d forms and %d contents", n, m)
	}

	r = v.postMultipart("/services/"+slug+"/apply", post, photo("one.png", 600))
	must(t, r, http.StatusUnprocessableEntity, "We have kept the file you uploaded:", "one.png")

	// A new session from the same address counts against the address.
	fresh := site.browser(t, stopAtRedirects)
	freshCSRF, freshToken := formTokens(t, fresh.get("/services/"+slug+"/apply?lang=ca").body)
	r = fresh.postMultipart("/services/"+slug+"/apply?lang=ca",
		url.Values{"_csrf": {freshCSRF}, "_token": {freshToken}, "_action": {"continue"}}, photo("three.png", 600))
	must(t, r, http.StatusRequestEntityTooLarge, "Teniu massa fitxers pendents")
	if n, m := countRows(t, site.db, "pending_forms"), countRows(t, site.db, "blobs"); n != 1 || m != 1 {
		t.Errorf("after a second refusal: %d forms and %d contents, want the first form's 1 and 1", n, m)
	}
}
