package portal

import (
	"encoding/json"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// dataResident is olderResident with an income of its own: the support
// finder's tests look for that one's answers in the database.
var dataResident = func() map[string]string {
	m := maps.Clone(olderResident)
	m["monthly_income"] = "619"
	return m
}()

// personalData is the part of /account/data.json's shape the tests read.
type personalData struct {
	Format  string `json:"format"`
	Profile struct {
		Name             string   `json:"name"`
		Email            string   `json:"email"`
		Roles            []string `json:"roles"`
		IdentityProvider string   `json:"identity_provider"`
		Subject          string   `json:"subject"`
	} `json:"profile"`
	SignIns []struct {
		Level  string `json:"level"`
		Active bool   `json:"active"`
	} `json:"sign_ins"`
	Applications []struct {
		Reference string `json:"reference"`
		Service   string `json:"service"`
		Retention struct {
			DaysAfterClosing *int `json:"days_after_closing"`
		} `json:"retention"`
		Answers []struct {
			Field    string          `json:"field"`
			Question string          `json:"question"`
			Value    json.RawMessage `json:"value"`
		} `json:"answers"`
		Files []struct {
			ID          string `json:"id"`
			Filename    string `json:"filename"`
			DownloadURL string `json:"download_url"`
		} `json:"files"`
	} `json:"applications"`
	Drafts          []struct{ Service string } `json:"drafts"`
	FormsInProgress []struct{ Service string } `json:"forms_in_progress"`
	Payments        []json.RawMessage          `json:"payments"`
	SupportFinder   *struct {
		Answers   map[string]any `json:"answers"`
		Questions []struct {
			Name, Question, Answer string
		} `json:"questions"`
	} `json:"support_finder"`
	EmailSettings struct {
		AddressInUse string `json:"address_in_use"`
	} `json:"email_settings"`
	Notifications []struct {
		Kind string `json:"kind"`
	} `json:"notifications"`
}

// downloadData fetches /account/data.json as b and decodes it.
func downloadData(t *testing.T, b *browser) personalData {
	t.Helper()
	r := b.get("/account/data.json")
	if r.status != http.StatusOK {
		t.Fatalf("data.json: %d", r.status)
	}
	if cd := r.header.Get("Content-Disposition"); !strings.HasPrefix(cd, `attachment; filename="your-data-`) {
		t.Errorf("Content-Disposition %q, want an attachment", cd)
	}
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type %q", ct)
	}
	var d personalData
	if err := json.Unmarshal([]byte(r.body), &d); err != nil {
		t.Fatalf("data.json is not JSON: %v\n%s", err, r.body)
	}
	return d
}

// "Your data" shows and downloads everything held about the signed-in
// person: profile, sign-ins, applications with answers and files they can
// download, saved support answers and the emails sent; only theirs, and
// only to them.
func TestYourData(t *testing.T) {
	site := startLiveSite(t)
	// The demo catalogue keeps the van permit's applications 2,190 days
	// after they close (its privacy section).
	anon := site.browser(t, stopAtRedirects)
	for _, p := range []string{"/account/data", "/account/data.json", "/account/delete"} {
		if r := anon.get(p); r.status != http.StatusSeeOther || !strings.HasPrefix(r.location, "/auth/login?return_to=") {
			t.Errorf("anonymous %s: %d to %q, want sign-in", p, r.status, r.location)
		}
	}

	marta := site.browser(t, followRedirects)
	marta.signIn("resident", "/")
	ref := applyAs(t, marta.stoppingAtRedirects())
	answerAll(t, marta, dataResident)
	marta.postForm(marta.get("/support-finder/results"), "/support-finder/save", url.Values{"consent": {"yes"}})
	other := site.browser(t, followRedirects)
	other.signIn("business", "/")
	otherRef := applyAs(t, other.stoppingAtRedirects())

	must(t, marta.get("/account"), http.StatusOK, `<a href="/account/data">Your data: everything we hold about you</a>`)
	page := marta.get("/account/data")
	must(t, page, http.StatusOK, "<h1>Your data</h1>", "Marta Vidal", "marta.vidal@example.org", site.issuer,
		`id="sign-ins-table"`, "Still open", ref, "Carrer Nou 12", "logbook.pdf", `href="/account/files/`,
		"You saved these answers on", "How old are you?", "70", "Emails we sent you", "Application received",
		`href="/account/data.json"`, `href="/account/delete"`, "2,190 days after it is closed")
	mustNot(t, page, otherRef)
	if n := strings.Count(page.body, "<h1"); n != 1 {
		t.Errorf("%d h1 elements", n)
	}

	d := downloadData(t, marta)
	if d.Format != "sportello-personal-data/1" || d.Profile.Name != "Marta Vidal" || d.Profile.Subject != "resident" ||
		d.Profile.IdentityProvider != site.issuer || len(d.Profile.Roles) != 0 {
		t.Errorf("profile: %+v", d.Profile)
	}
	if len(d.SignIns) == 0 || !d.SignIns[0].Active || d.SignIns[0].Level == "" {
		t.Errorf("sign-ins: %+v", d.SignIns)
	}
	if len(d.Applications) != 1 || d.Applications[0].Reference != ref {
		t.Fatalf("applications: %+v", d.Applications)
	}
	app := d.Applications[0]
	if r := app.Retention.DaysAfterClosing; r == nil || *r != 2190 {
		t.Errorf("retention: %v", r)
	}
	var address struct{ Line1, Postcode string }
	for _, a := range app.Answers {
		if a.Field == "address" {
			if err := json.Unmarshal(a.Value, &address); err != nil {
				t.Error(err)
			}
		}
	}
	if address.Line1 != "Carrer Nou 12" || address.Postcode != "08800" {
		t.Errorf("the address answer: %+v", address)
	}
	if len(app.Files) != 1 || app.Files[0].Filename != "logbook.pdf" || !strings.HasPrefix(app.Files[0].DownloadURL, site.base+"/account/files/") {
		t.Fatalf("files: %+v", app.Files)
	}
	// The file's link is a download of the file, for its owner only.
	file := strings.TrimPrefix(app.Files[0].DownloadURL, site.base)
	if r := marta.get(file); r.status != http.StatusOK || !strings.HasPrefix(r.body, "%PDF") {
		t.Errorf("downloading %s: %d", file, r.status)
	}
	if r := other.get(file); r.status != http.StatusNotFound {
		t.Errorf("another person downloading %s: %d, want 404", file, r.status)
	}
	if d.SupportFinder == nil || d.SupportFinder.Answers["monthly_income"] != float64(619) || len(d.SupportFinder.Questions) == 0 {
		t.Errorf("support finder: %+v", d.SupportFinder)
	}
	if d.EmailSettings.AddressInUse != "marta.vidal@example.org" {
		t.Errorf("email settings: %+v", d.EmailSettings)
	}
	if len(d.Notifications) == 0 || d.Notifications[0].Kind != "application_received" {
		t.Errorf("notifications: %+v", d.Notifications)
	}
	if d := downloadData(t, other); len(d.Applications) != 1 || d.Applications[0].Reference != otherRef || d.SupportFinder != nil {
		t.Errorf("the other person's data: %+v", d)
	}

	// The page in every language: one h1, no raw key.
	rawKey := regexp.MustCompile(`>[^<]*yourdata\.[a-z_.]+`)
	for _, lang := range []string{"es", "ca", "it", "fr"} {
		r := marta.get("/account/data?lang=" + lang)
		must(t, r, http.StatusOK, `<html lang="`+lang+`">`)
		if m := rawKey.FindString(r.body); m != "" {
			t.Errorf("%s: untranslated key %s", lang, m)
		}
		r = marta.get("/account/delete?lang=" + lang)
		if m := rawKey.FindString(r.body); m != "" {
			t.Errorf("%s: untranslated key %s on the delete page", lang, m)
		}
	}
}

// An application of a service that needs a substantial sign-in makes the
// whole of "Your data" ask for one, as the application's own page does.
func TestYourDataNeedsTheApplicationsLevel(t *testing.T) {
	site := startLiveSite(t)
	b := site.browser(t, stopAtRedirects)
	b.signInAtLevel("resident", "/", "substantial")
	form := b.get("/services/certificate-of-residence/apply")
	must(t, form, http.StatusOK)
	csrf, token := formTokens(t, form.body)
	r := b.postMultipart("/services/certificate-of-residence/apply", answersFor(t, "certificate-of-residence", csrf, token))
	if r.status != http.StatusSeeOther {
		t.Fatalf("certificate answers: %d\n%s", r.status, excerptMain(r.body))
	}
	if r := b.post("/services/certificate-of-residence/apply/submit", url.Values{"_csrf": {csrf}, "_token": {token}}); r.status != http.StatusSeeOther {
		t.Fatalf("submit: %d", r.status)
	}
	must(t, b.get("/account/data"), http.StatusOK)

	low := site.browser(t, stopAtRedirects)
	low.signInAtLevel("resident", "/", "low")
	for _, p := range []string{"/account/data", "/account/data.json"} {
		if r := low.get(p); r.status != http.StatusSeeOther || !strings.Contains(r.location, "level=substantial") {
			t.Errorf("%s at a low sign-in: %d to %q, want a substantial sign-in", p, r.status, r.location)
		}
	}
}

// A saved draft of a service that asks for a substantial sign-in is held
// back as the form holds it back: its answers need that level too.
func TestYourDataNeedsTheDraftsLevel(t *testing.T) {
	site := startLiveSite(t, ownCatalogue)
	b := site.browser(t, stopAtRedirects)
	b.signInAtLevel("resident", "/", "substantial")
	form := b.get("/services/certificate-of-residence/apply")
	must(t, form, http.StatusOK)
	csrf, token := formTokens(t, form.body)
	answers := answersFor(t, "certificate-of-residence", csrf, token)
	answers.Set("_action", "save")
	if r := b.postMultipart("/services/certificate-of-residence/apply", answers); r.status != http.StatusSeeOther {
		t.Fatalf("save the draft: %d\n%s", r.status, excerptMain(r.body))
	}

	low := site.browser(t, stopAtRedirects)
	low.signInAtLevel("resident", "/", "low")
	for _, p := range []string{"/account/data", "/account/data.json"} {
		if r := low.get(p); r.status != http.StatusSeeOther || !strings.Contains(r.location, "level=substantial") {
			t.Errorf("%s at a low sign-in with a draft: %d to %q, want a substantial sign-in", p, r.status, r.location)
		}
	}
}

// stoppingAtRedirects is the same browser (its cookies) stopping at every
// redirect.
func (b *browser) stoppingAtRedirects() *browser {
	c := *b.client
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &browser{t: b.t, site: b.site, client: &c}
}

// Deleting the account says what goes and what is kept, needs the box
// ticked and the CSRF token, then removes everything of the person's that
// the law does not need (in every area), keeps their applications and
// payments cut from them, signs them out on every device, and leaves
// another person untouched; signing in again starts afresh.
func TestDeleteAccount(t *testing.T) {
	site := startLiveSite(t, ownCatalogue)
	marta := site.browser(t, followRedirects)
	marta.signIn("resident", "/")
	ref := applyAs(t, marta.stoppingAtRedirects())
	answerAll(t, marta, dataResident)
	marta.postForm(marta.get("/support-finder/results"), "/support-finder/save", url.Values{"consent": {"yes"}})
	must(t, marta.postForm(marta.get(notificationsPath), notificationsPath+"/support-alerts", url.Values{"alerts": {"on"}}), http.StatusOK)
	form := marta.get("/services/" + vanPermit + "/apply")
	csrf, token := formTokens(t, form.body)
	marta.stoppingAtRedirects().postMultipart("/services/"+vanPermit+"/apply", url.Values{"_csrf": {csrf}, "_token": {token}, "_action": {"save"}, "name": {"Marta"}})
	phone := site.browser(t, followRedirects) // her other device
	phone.signIn("resident", "/")
	other := site.browser(t, followRedirects)
	other.signIn("business", "/")
	otherRef := applyAs(t, other.stoppingAtRedirects())
	answerAll(t, other, dataResident)
	other.postForm(other.get("/support-finder/results"), "/support-finder/save", url.Values{"consent": {"yes"}})
	id, otherID := site.personID(t, "resident"), site.personID(t, "business")
	for _, q := range []string{`SELECT COUNT(*) FROM application_drafts WHERE person_id = ?`, `SELECT COUNT(*) FROM support_alert_subscriptions WHERE person_id = ?`} {
		if n := count(t, site, q, id); n == 0 {
			t.Fatalf("%s: nothing to delete before the deletion", q)
		}
	}

	page := marta.get("/account/delete")
	must(t, page, http.StatusOK, "<h1>Delete your account</h1>", "What we delete straight away",
		"What the law requires us to keep", ref, "2,190 days after it is closed",
		"1 of your applications is still being dealt with", `name="confirm" value="yes"`)
	must(t, marta.postForm(page, "/account/delete", url.Values{}), http.StatusUnprocessableEntity,
		`<li><a href="#confirm">Tick the box to confirm that you want to delete your account</a></li>`)
	if r := marta.post("/account/delete", url.Values{"confirm": {"yes"}}); r.status != http.StatusForbidden {
		t.Errorf("without the CSRF token: %d, want 403", r.status)
	}
	if n := count(t, site, `SELECT COUNT(*) FROM people WHERE id = ?`, id); n != 1 {
		t.Fatal("a refused form deleted the account")
	}

	done := marta.postForm(page, "/account/delete", url.Values{"confirm": {"yes"}})
	must(t, done, http.StatusOK, "Your account has been deleted", "If you sign in again, you will start with a new, empty account.")
	if done.url.Path != "/account/deleted" {
		t.Errorf("after deleting the browser is at %s", done.url)
	}
	mustNot(t, done, "Sign out")
	for _, b := range []*browser{marta, phone} {
		if r := b.stoppingAtRedirects().get("/account/data"); r.status != http.StatusSeeOther {
			t.Errorf("a device of the deleted account still signed in: %d", r.status)
		}
	}
	for _, q := range []string{
		`SELECT COUNT(*) FROM people WHERE id = ?`, `SELECT COUNT(*) FROM auth_sessions WHERE person_id = ?`,
		`SELECT COUNT(*) FROM sign_ins WHERE person_id = ?`, `SELECT COUNT(*) FROM support_saved_answers WHERE person_id = ?`,
		`SELECT COUNT(*) FROM support_alert_subscriptions WHERE person_id = ?`, `SELECT COUNT(*) FROM notification_settings WHERE person_id = ?`,
		`SELECT COUNT(*) FROM notifications WHERE person_id = ?`, `SELECT COUNT(*) FROM application_drafts WHERE person_id = ?`,
		`SELECT COUNT(*) FROM pending_forms WHERE person_id = ?`, `SELECT COUNT(*) FROM applications WHERE person_id = ?`,
		`SELECT COUNT(*) FROM payments WHERE person_id = ?`, `SELECT COUNT(*) FROM application_events WHERE actor_person_id = ?`,
	} {
		if n := count(t, site, q, id); n != 0 {
			t.Errorf("%s: %d rows of the deleted person", q, n)
		}
	}
	if n := count(t, site, `SELECT COUNT(*) FROM applications WHERE reference = ? AND person_id IS NULL AND contact_email <> ''`, ref); n != 1 {
		t.Errorf("the application %s was not kept, cut from the person", ref)
	}
	for _, q := range []string{`SELECT COUNT(*) FROM people WHERE id = ?`, `SELECT COUNT(*) FROM support_saved_answers WHERE person_id = ?`,
		`SELECT COUNT(*) FROM applications WHERE person_id = ?`} {
		if n := count(t, site, q, otherID); n != 1 {
			t.Errorf("%s: the other person has %d, want 1", q, n)
		}
	}
	must(t, other.get("/account/data"), http.StatusOK, otherRef)

	// Signing in again makes a new, empty account.
	marta.signIn("resident", "/")
	if again := site.personID(t, "resident"); again == id {
		t.Error("signing in again brought the deleted account back")
	}
	d := downloadData(t, marta)
	if len(d.Applications)+len(d.Drafts)+len(d.Payments)+len(d.Notifications) != 0 || d.SupportFinder != nil || len(d.SignIns) != 1 {
		t.Errorf("the new account is not empty: %+v", d)
	}
}

// count runs a COUNT(*) query on the site's database.
func count(t *testing.T, site *liveSite, query string, args ...any) int {
	t.Helper()
	var n int
	if err := site.db.SQL().QueryRow(site.db.Rebind(query), args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}
