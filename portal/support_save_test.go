package portal

import (
	"context"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// sessionRowsWith returns the decoded data of the session rows holding
// marker: what the auth_sessions table keeps for a browser is the Fiber
// session (gob), base64-encoded.
func sessionRowsWith(t *testing.T, marker string) []string {
	t.Helper()
	rows, err := fixture.db.SQL().QueryContext(context.Background(), `SELECT data FROM auth_sessions`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var data string
		if err := rows.Scan(&data); err != nil {
			t.Fatal(err)
		}
		raw, err := base64.StdEncoding.DecodeString(data)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(raw), marker) {
			out = append(out, string(raw))
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// savedRows counts the saved answers of the people signed in through site's
// provider (each test site has its own issuer, so its own people).
func savedRows(t *testing.T, site *liveSite) int {
	t.Helper()
	var n int
	err := fixture.db.SQL().QueryRowContext(context.Background(), fixture.db.Rebind(
		`SELECT COUNT(*) FROM support_saved_answers s JOIN people p ON p.id = s.person_id WHERE p.issuer = ?`),
		site.issuer).Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// olderResident is the profile of the example, with a monthly
// income (613) that no other test uses, to find its answers in the
// database.
var olderResident = map[string]string{
	"age": "70", "resident": "yes", "years_resident": "40", "household_size": "1",
	"children_under_18": "0", "monthly_income": "613", "disability": "no",
	"carer": "no", "student": "no", "homeowner": "no", "renting": "yes",
}

const olderResidentMarker = `"monthly_income":613`

// Without consent nothing reaches durable storage. While the visit lasts
// the answers are in the browser's session row (auth_sessions.data, next to
// the CSRF token), which is what "kept for this visit" means; signing out
// deletes that row, and no table holds the answers afterwards. Ticking
// nothing and pressing save writes nothing either.
func TestSupportFinderNoConsentNoWrite(t *testing.T) {
	site := startLiveSite(t)
	b := site.browser(t, followRedirects)
	b.signIn("resident", "/support-finder")
	answerAll(t, b, olderResident)
	results := b.get("/support-finder/results")
	must(t, results, http.StatusOK,
		`<input id="consent" name="consent" type="checkbox" value="yes">`,
		"Save my answers so that I can see in my account the support I may be able to get",
		"They are deleted when you sign out, or after 30 minutes without activity.")

	// The session holds the answers, as documented, and only it.
	if rows := sessionRowsWith(t, olderResidentMarker); len(rows) != 1 || !strings.Contains(rows[0], "support.answers") {
		t.Fatalf("while the visit lasts, exactly one session row should hold the answers under support.answers; found %d", len(rows))
	}
	if n := savedRows(t, site); n != 0 {
		t.Fatalf("%d saved-answer rows before any consent", n)
	}

	refused := b.postForm(results, "/support-finder/save", url.Values{}) // the box not ticked
	if refused.status != http.StatusUnprocessableEntity {
		t.Errorf("saving without consent: status %d, want 422", refused.status)
	}
	must(t, refused, http.StatusUnprocessableEntity, `<li><a href="#consent">Tick the box to confirm you want us to save your answers</a></li>`)
	if n := savedRows(t, site); n != 0 {
		t.Errorf("saving without consent wrote %d rows", n)
	}
	b.postForm(results, "/support-finder/save", url.Values{"consent": {"on"}}) // not the box's value
	if n := savedRows(t, site); n != 0 {
		t.Errorf("a consent value other than the box's wrote %d rows", n)
	}

	b.postForm(results, "/auth/logout", nil)
	if rows := sessionRowsWith(t, olderResidentMarker); len(rows) != 0 {
		t.Errorf("after sign-out %d session rows still hold the answers", len(rows))
	}
	var n int
	if err := fixture.db.SQL().QueryRow(`SELECT COUNT(*) FROM support_saved_answers WHERE answers LIKE '%613%'`).Scan(&n); err != nil || n != 0 {
		t.Errorf("saved answers with the marker: %d (%v), want none", n, err)
	}
}

// A resident answers without signing in, signs in from the results (the
// answers survive the new session id), ticks the consent box and sees the
// support in their account; deleting removes the answers at once.
func TestSupportFinderSaveAccountDelete(t *testing.T) {
	site := startLiveSite(t)
	b := site.browser(t, followRedirects)
	answerAll(t, b, olderResidentAnswers600())
	results := b.get("/support-finder/results")
	must(t, results, http.StatusOK, `href="/auth/login?return_to=%2Fsupport-finder%2Fresults"`, "Sign in if you want to save your answers in your account")
	if strings.Contains(results.body, `name="consent"`) {
		t.Error("an anonymous visitor is offered to save answers")
	}

	results = b.signIn("resident", "/support-finder/results")
	if results.url.Path != "/support-finder/results" {
		t.Fatalf("after sign-in: at %s", results.url)
	}
	must(t, results, http.StatusOK, `href="/services/meals-on-wheels"`, `<input id="consent" name="consent" type="checkbox" value="yes">`)
	if strings.Contains(results.body, `value="yes" checked`) {
		t.Error("the consent box is ticked in advance")
	}

	account := b.postForm(results, "/support-finder/save", url.Values{"consent": {"yes"}})
	if account.url.Path != "/account/support" {
		t.Fatalf("after saving: at %s", account.url)
	}
	must(t, account, http.StatusOK, "Your answers have been saved in your account.", "Support you may be able to get",
		`href="/services/older-persons-bus-pass"`, "You may be able to get this because you live in Porta Nova and you are 70.",
		"This is guidance, not a decision.", "Your saved answers", "Delete my saved answers")
	if n := savedRows(t, site); n != 1 {
		t.Fatalf("%d saved rows after consent, want 1", n)
	}
	if p := b.get("/account"); !strings.Contains(p.body, `<a href="/account/support">Support you may be able to get</a>`) {
		t.Error("the account page does not link to the saved support")
	}
	// Saving again replaces, and the results page says answers are saved.
	results = b.get("/support-finder/results")
	must(t, results, http.StatusOK, "You have already saved answers in your account.")
	b.postForm(results, "/support-finder/save", url.Values{"consent": {"yes"}})
	if n := savedRows(t, site); n != 1 {
		t.Errorf("%d saved rows after saving twice, want 1", n)
	}

	account = b.get("/account/support")
	deleted := b.postForm(account, "/account/support/delete", nil)
	must(t, deleted, http.StatusOK, "Your saved answers have been deleted.", "You have no saved answers.")
	if n := savedRows(t, site); n != 0 {
		t.Errorf("%d saved rows after deleting, want 0", n)
	}

	// Signed out, the account page asks to sign in first.
	b.postForm(deleted, "/auth/logout", nil)
	anon := site.browser(t, followRedirects)
	if p := anon.get("/account/support"); p.url.Path != "/dev-idp/login" {
		t.Errorf("an anonymous visitor to /account/support ends at %s, want the sign-in page", p.url)
	}
}
