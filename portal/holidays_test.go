package portal

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// The council's public holidays are the administrators' to keep: others
// are turned away, the list of a year is shown in the reader's language,
// every problem with a new holiday is said at once, a day is listed once,
// and a holiday is removed. The tests use 2031, which no other test's
// dates reach.
func TestHolidaysPage(t *testing.T) {
	site := startLiveSite(t)
	const page = "/staff/holidays"
	anon := site.browser(t, stopAtRedirects)
	if r := anon.get(page); r.status != http.StatusSeeOther || !strings.HasPrefix(r.location, "/auth/login?return_to=%2Fstaff%2Fholidays") {
		t.Errorf("anonymous: %d to %q", r.status, r.location)
	}
	for _, persona := range []string{"resident", "caseworker", "editor"} {
		b := site.browser(t, stopAtRedirects)
		csrf := csrfOf(t, b.signIn(persona, "/").body)
		must(t, b.get(page), http.StatusForbidden, "Only administrators can change the council&#39;s public holidays")
		must(t, b.post(page, url.Values{"_csrf": {csrf}, "day": {"2"}, "month": {"1"}, "year": {"2031"}, "scope": {"local"}, "name-en": {"Fair"}}), http.StatusForbidden)
		must(t, b.post(page+"/2031-01-01/remove", url.Values{"_csrf": {csrf}}), http.StatusForbidden)
		if persona == "caseworker" {
			mustNot(t, b.get("/staff"), `id="holidays-link"`)
		}
	}

	admin := site.browser(t, stopAtRedirects)
	must(t, admin.signIn("admin", "/staff"), http.StatusOK, `<a href="/staff/holidays" id="holidays-link">Public holidays</a>`)
	r := admin.get(page + "?year=2031")
	must(t, r, http.StatusOK, "<h1>Public holidays in 2031</h1>", `id="holidays-empty"`, `href="/staff/holidays?year=2030"`,
		`href="/staff/holidays?year=2032"`, `id="holiday-form"`, `name="year" type="text" inputmode="numeric" value="2031"`,
		`<label class="label" for="name-en">Name in English</label>`, `for="name-ca">Name in Catalan <span class="form-optional">(optional)</span>`)
	csrf := csrfOf(t, r.body)
	add := func(day, month, year, scope, en, ca string) response {
		return admin.post(page, url.Values{"_csrf": {csrf}, "day": {day}, "month": {month}, "year": {year}, "scope": {scope}, "name-en": {en}, "name-ca": {ca}})
	}

	// Everything missing: every problem at once, linked to its field.
	must(t, add("", "", "2031", "", "", ""), http.StatusUnprocessableEntity, "<title>Error:",
		`<a href="#day">Enter the date of the holiday</a>`,
		`<a href="#scope-national">Choose whether the holiday is national, regional or local</a>`,
		`<a href="#name-en">Enter the holiday&#39;s name in English</a>`, `id="name-en-error"`)
	for _, tc := range []struct{ day, month, year, want string }{
		{"31", "4", "2031", "Enter a real date, with the day, month and year in numbers"},
		{"24", "June", "2031", "Enter a real date, with the day, month and year in numbers"},
		{"24", "6", "1999", "Enter a year from 2000 to 2099"},
	} {
		r := add(tc.day, tc.month, tc.year, "local", "Fair", "")
		must(t, r, http.StatusUnprocessableEntity, `<a href="#day">`+tc.want, `value="`+tc.month+`"`)
		mustNot(t, r, "#scope-national", "#name-en")
	}
	r = add("24", "6", "2031", "regional", "St John's Day", strings.Repeat("a", 101))
	must(t, r, http.StatusUnprocessableEntity, `<a href="#name-ca">Use 100 characters or fewer for the name in Catalan; you used 101</a>`,
		`value="regional" checked`, `value="St John&#39;s Day"`)

	r = add("24", "6", "2031", "regional", " St John's Day ", "Sant Joan")
	if r.status != http.StatusSeeOther || r.location != page+"?year=2031&done=added" {
		t.Fatalf("add: %d to %q\n%s", r.status, r.location, excerptMain(r.body))
	}
	must(t, admin.get(r.location), http.StatusOK, "The holiday has been added.", `<time datetime="2031-06-24">Tuesday 24 June 2031</time>`,
		"St John&#39;s Day", "<td>Regional</td>", `aria-label="Remove St John&#39;s Day, 24 June 2031"`)
	must(t, admin.get(page+"?year=2031&lang=ca"), http.StatusOK, "Dies festius de 2031", "dimarts 24", "<td>Sant Joan</td>", "<td>Autonòmica</td>")
	// Not named in Italian: the council's default language, marked as such.
	must(t, admin.get(page+"?year=2031&lang=it"), http.StatusOK, `<td lang="en">St John&#39;s Day</td>`, "<td>Regionale</td>")
	admin.get(page + "?lang=en") // the language chosen is remembered
	// On a Sunday, it changes no date, and the page says so.
	if r := add("29", "6", "2031", "local", "Fair day", ""); r.status != http.StatusSeeOther {
		t.Fatalf("add a Sunday: %d\n%s", r.status, excerptMain(r.body))
	}
	must(t, admin.get(page+"?year=2031"), http.StatusOK, "Sunday 29 June 2031", "On a weekend: changes no date")

	// A day is listed once.
	must(t, add("24", "6", "2031", "local", "Fair", ""), http.StatusUnprocessableEntity,
		`<a href="#day">24 June 2031 is already on the list, as St John&#39;s Day. Remove it first if you want to change it</a>`)

	// Without the form's token nothing changes.
	must(t, admin.post(page+"/2031-06-24/remove", url.Values{}), http.StatusForbidden)
	r = admin.post(page+"/2031-06-24/remove", url.Values{"_csrf": {csrf}})
	if r.status != http.StatusSeeOther || r.location != page+"?year=2031&done=removed" {
		t.Fatalf("remove: %d to %q", r.status, r.location)
	}
	r = admin.get(r.location)
	must(t, r, http.StatusOK, "The holiday has been removed.", "Fair day")
	mustNot(t, r, "St John")
	// Removed twice (another administrator got there first).
	if r := admin.post(page+"/2031-06-24/remove", url.Values{"_csrf": {csrf}}); r.location != page+"?year=2031&done=gone" {
		t.Errorf("removing again: %d to %q", r.status, r.location)
	}
	must(t, admin.get(page+"?year=2031&done=gone"), http.StatusOK, "That day was no longer on the list")
	must(t, admin.post(page+"/24-06-2031/remove", url.Values{"_csrf": {csrf}}), http.StatusNotFound)
	must(t, admin.post(page+"/2031-06-29/remove", url.Values{"_csrf": {csrf}}), http.StatusSeeOther)
}
