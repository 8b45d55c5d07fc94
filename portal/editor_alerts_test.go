package portal

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"sportello/catalogue"
	"sportello/editorial"
	"sportello/portal/auth"
)

// The texts of the alerts the tests post, each found on a page only where
// its alert shows.
const (
	binAlertEN   = "Bin collections are a day late this week"
	binAlertES   = "Esta semana la recogida de basura va con un día de retraso"
	siteAlertEN  = "Online payments are down until 18:00"
	alertsRegion = `aria-label="Service alerts"`
)

// alertForm is the editor's alert form as an editor fills it in.
func alertForm(scope, target, severity string, starts, ends time.Time, texts map[string]string) url.Values {
	v := url.Values{"scope": {scope}, "severity": {severity},
		"starts_at": {starts.Format("2006-01-02T15:04")}, "ends_at": {ends.Format("2006-01-02T15:04")}}
	switch scope {
	case editorial.ScopeTopic:
		v.Set("topic", target)
	case editorial.ScopeService:
		v.Set("service", target)
	}
	for l, t := range texts {
		v.Set("text."+l, t)
	}
	return v
}

var alertLocation = regexp.MustCompile(`^/editor/alerts/([0-9]+)\?`)

// postAlert posts the form on the page on and returns the new alert's id.
func postAlert(t *testing.T, ed *browser, on response, path string, form url.Values) int64 {
	t.Helper()
	r := ed.postForm(on, path, form)
	m := alertLocation.FindStringSubmatch(r.location)
	if r.status != http.StatusSeeOther || m == nil {
		t.Fatalf("posting the alert: %d to %q\n%s", r.status, r.location, excerptMain(r.body))
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	return id
}

// alertAPI decodes the API's alerts at path.
func alertAPI(t *testing.T, b *browser, path string) []map[string]any {
	t.Helper()
	r := b.get(path)
	if r.status != http.StatusOK {
		t.Fatalf("%s: %d\n%s", path, r.status, r.body)
	}
	var body struct {
		Alerts []map[string]any `json:"alerts"`
	}
	if err := json.Unmarshal([]byte(r.body), &body); err != nil || body.Alerts == nil {
		t.Fatalf("%s: %v\n%s", path, err, r.body)
	}
	return body.Alerts
}

// An editor posts an alert on a topic in English and Spanish, on the
// council's clock: it shows on the topic's page, its services' pages and
// their forms, in the reader's language or in English with a note, and in
// the API; not elsewhere, not before its start, not after its end.
func TestServiceAlertFromTheEditor(t *testing.T) {
	madrid, err := time.LoadLocation("Europe/Madrid")
	if err != nil {
		t.Fatal(err)
	}
	site := startLiveSite(t, ownCatalogue, inTimeZone(madrid))
	ed := site.browser(t, stopAtRedirects)
	list := ed.signIn("editor", "/editor/alerts")
	must(t, list, http.StatusOK, "No alert is showing now.", `href="/editor/alerts/new"`, "Europe/Madrid")
	form := ed.get("/editor/alerts/new")
	must(t, form, http.StatusOK, `id="alert-text-en"`, `id="alert-text-es"`, `id="alert-text-ca"`, `id="alert-text-it"`, `id="alert-text-fr"`, `type="datetime-local"`)

	// Every problem at once, each linked to its control.
	now := time.Now().In(madrid).Truncate(time.Minute)
	bad := alertForm(editorial.ScopeService, "no-such-service", editorial.SeverityWarning, now, now.Add(-time.Hour), map[string]string{"es": binAlertES})
	bad.Set("link", "javascript:alert(1)")
	r := ed.postForm(form, "/editor/alerts/new", bad)
	must(t, r, http.StatusUnprocessableEntity, `href="#alert-service"`, `href="#alert-text-en"`, `href="#alert-ends"`, `href="#alert-link"`,
		"There is no published service with the slug “no-such-service”", "Enter the text in English, the catalogue&#39;s default language",
		"The end must be after the start.", binAlertES)
	r = ed.postForm(form, "/editor/alerts/new", alertForm(editorial.ScopeTopic, "", editorial.SeverityInfo, now, now.Add(time.Hour), map[string]string{"en": "x"}))
	must(t, r, http.StatusUnprocessableEntity, `href="#alert-topic"`, "Choose the topic the alert is about.")
	r = ed.postForm(form, "/editor/alerts/new", alertForm(editorial.ScopeSite, "", editorial.SeverityInfo, now.Add(-2*time.Hour), now.Add(-time.Hour), map[string]string{"en": "x"}))
	must(t, r, http.StatusUnprocessableEntity, "That end has already passed.")

	// Posted to start in an hour: entered on the council's clock, kept as
	// that instant.
	starts, ends := now.Add(time.Hour), now.Add(3*time.Hour)
	id := postAlert(t, ed, form, "/editor/alerts/new", alertForm(editorial.ScopeTopic, "waste-recycling", editorial.SeverityWarning, starts, ends,
		map[string]string{"en": binAlertEN, "es": binAlertES}))
	saved, err := site.store.Alert(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if !saved.StartsAt.Equal(starts) || !saved.EndsAt.Equal(ends) || saved.Target != "waste-recycling" || saved.UpdatedBy == "" {
		t.Errorf("saved %+v; want from %v to %v on waste-recycling", saved, starts, ends)
	}
	page := ed.follow(ed.get(alertURLOf(id) + "?done=alert_created"))
	must(t, page, http.StatusOK, "Alert saved.", binAlertES, `value="`+starts.Format("2006-01-02T15:04")+`"`)
	must(t, ed.get("/editor/alerts"), http.StatusOK, `id="alert-`+strconv.FormatInt(id, 10)+`"`, "Coming up", binAlertEN, starts.Format("MST"))

	resident := site.browser(t, stopAtRedirects)
	covered := []string{"/topics/waste-recycling", "/services/report-missed-bin-collection", "/services/report-missed-bin-collection/apply", "/services/order-a-new-bin"}
	elsewhere := []string{"/", "/topics/housing", "/services/resident-parking-permit", "/services/resident-parking-permit/apply", "/search?q=bin"}
	for _, path := range append(covered, elsewhere...) {
		mustNot(t, resident.get(path), binAlertEN, alertsRegion)
	}

	// Moved to have started an hour ago: it shows, on the covered pages only.
	edit := ed.get(alertURLOf(id))
	r = ed.postForm(edit, alertURLOf(id), alertForm(editorial.ScopeTopic, "waste-recycling", editorial.SeverityWarning, now.Add(-time.Hour), ends,
		map[string]string{"en": binAlertEN, "es": binAlertES}))
	must(t, ed.follow(r), http.StatusOK, "Changes saved.")
	for _, path := range covered {
		must(t, resident.get(path), http.StatusOK, alertsRegion, binAlertEN, "Important:")
	}
	for _, path := range elsewhere {
		mustNot(t, resident.get(path), binAlertEN, alertsRegion)
	}
	// In the reader's language; in English, marked and explained, where
	// there is no text in theirs.
	must(t, resident.get("/topics/waste-recycling?lang=es"), http.StatusOK, `aria-label="Avisos sobre los servicios"`, binAlertES, "Importante:")
	fr := resident.get("/services/report-missed-bin-collection?lang=fr")
	must(t, fr, http.StatusOK, `<span lang="en">`+binAlertEN+`</span>`, "Cette alerte n&#39;est pas encore disponible en français\u202f; elle est affichée en anglais.")
	mustNot(t, resident.get("/topics/waste-recycling?lang=es"), binAlertEN, "todavía no está disponible")

	// The API: the alerts of a service's pages, in the language asked for.
	got := alertAPI(t, resident, "/api/v1/alerts?service=report-missed-bin-collection&lang=es")
	if len(got) != 1 || got[0]["text"] != binAlertES || got[0]["lang"] != "es" || got[0]["scope"] != "topic" || got[0]["topic"] != "waste-recycling" ||
		got[0]["severity"] != "warning" || got[0]["id"] != strconv.FormatInt(id, 10) || got[0]["ends_at"] != ends.Format(time.RFC3339) {
		t.Errorf("alerts of report-missed-bin-collection in Spanish: %v", got)
	}
	if texts, _ := got[0]["texts"].(map[string]any); texts["en"] != binAlertEN {
		t.Errorf("texts: %v", got[0]["texts"])
	}
	if got := alertAPI(t, resident, "/api/v1/alerts?service=resident-parking-permit"); len(got) != 0 {
		t.Errorf("alerts of resident-parking-permit: %v", got)
	}
	if got := alertAPI(t, resident, "/api/v1/alerts?topic=waste-recycling&lang=it"); len(got) != 1 || got[0]["lang"] != "en" || got[0]["text"] != binAlertEN {
		t.Errorf("alerts of waste-recycling in Italian: %v", got)
	}
	if got := alertAPI(t, resident, "/api/v1/alerts"); len(got) != 1 {
		t.Errorf("every alert: %v", got)
	}
	svc := resident.get("/api/v1/services/order-a-new-bin?lang=es")
	var body struct {
		Slug   string           `json:"slug"`
		Alerts []map[string]any `json:"alerts"`
	}
	if err := json.Unmarshal([]byte(svc.body), &body); err != nil || body.Slug != "order-a-new-bin" || len(body.Alerts) != 1 || body.Alerts[0]["text"] != binAlertES {
		t.Errorf("the service JSON: %v, %+v", err, body)
	}
	for _, bad := range []string{"/api/v1/alerts?service=nope", "/api/v1/alerts?topic=nope"} {
		if r := resident.get(bad); r.status != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", bad, r.status)
		}
	}

	// Ended by the editor: it shows no more, and is listed as ended.
	list = ed.get("/editor/alerts")
	must(t, list, http.StatusOK, "Showing now", `id="end-alert-`+strconv.FormatInt(id, 10)+`"`)
	r = ed.postForm(list, alertURLOf(id)+"/end", nil)
	must(t, ed.follow(r), http.StatusOK, "Alert ended.", "No alert is showing now.", binAlertEN)
	for _, path := range covered {
		mustNot(t, resident.get(path), binAlertEN, alertsRegion)
	}
	if got := alertAPI(t, resident, "/api/v1/alerts"); len(got) != 0 {
		t.Errorf("the API after the end: %v", got)
	}
	r = ed.postForm(list, alertURLOf(id)+"/delete", nil)
	must(t, ed.follow(r), http.StatusOK, "Alert deleted.", "No alert has ended yet.")
	if _, err := site.store.Alert(context.Background(), id); err == nil {
		t.Error("the deleted alert is still in the database")
	}
}

// A site-wide alert shows on every page, the error pages and the
// back office included.
func TestSiteWideAlert(t *testing.T) {
	site := startLiveSite(t, ownCatalogue)
	ed := site.browser(t, stopAtRedirects)
	form := ed.signIn("editor", "/editor/alerts/new")
	now := time.Now().UTC()
	postAlert(t, ed, form, "/editor/alerts/new", alertForm(editorial.ScopeSite, "", editorial.SeverityInfo, now.Add(-time.Minute), now.Add(time.Hour),
		map[string]string{"en": siteAlertEN}))
	anon := site.browser(t, stopAtRedirects)
	for _, path := range []string{"/", "/search?q=parking", "/topics", "/topics/housing", "/services/resident-parking-permit", "/life-events/having-a-baby",
		"/journeys/having-a-baby", "/business", "/support-finder", "/no-such-page"} {
		r := anon.get(path)
		must(t, r, r.status, alertsRegion, siteAlertEN, "Information:")
	}
	must(t, ed.get("/editor"), http.StatusOK, siteAlertEN)
	if got := alertAPI(t, anon, "/api/v1/alerts?topic=housing"); len(got) != 1 || got[0]["scope"] != "site" {
		t.Errorf("a topic's alerts hold the site's: %v", got)
	}
}

// Residents cannot reach the alerts in the editor, nor change them; a
// form without its CSRF token is refused.
func TestAlertsAreForEditors(t *testing.T) {
	site := startLiveSite(t, ownCatalogue)
	ctx := context.Background()
	now := time.Now()
	id, err := site.store.SaveAlert(ctx, editorial.Alert{Scope: editorial.ScopeSite, Severity: editorial.SeverityInfo,
		Text: catalogue.Text{"en": siteAlertEN}, StartsAt: now.Add(-time.Hour), EndsAt: now.Add(time.Hour)}, "test")
	if err != nil {
		t.Fatal(err)
	}
	anon := site.browser(t, stopAtRedirects)
	if r := anon.get("/editor/alerts"); r.status != http.StatusSeeOther || !strings.HasPrefix(r.location, auth.PathLogin) {
		t.Errorf("anonymous: %d to %q, want a redirect to sign in", r.status, r.location)
	}
	resident := site.browser(t, stopAtRedirects)
	home := resident.signIn("resident", "/")
	paths := []string{"/editor/alerts", "/editor/alerts/new", alertURLOf(id)}
	for _, p := range paths {
		if r := resident.get(p); r.status != http.StatusForbidden {
			t.Errorf("a resident GET %s: %d, want 403", p, r.status)
		}
	}
	for _, p := range []string{"/editor/alerts/new", alertURLOf(id), alertURLOf(id) + "/end", alertURLOf(id) + "/delete"} {
		if r := resident.postForm(home, p, alertForm(editorial.ScopeSite, "", editorial.SeverityInfo, now, now.Add(time.Hour), map[string]string{"en": "x"})); r.status != http.StatusForbidden {
			t.Errorf("a resident POST %s: %d, want 403", p, r.status)
		}
	}
	ed := site.browser(t, stopAtRedirects)
	ed.signIn("editor", "/editor/alerts")
	if r := ed.post(alertURLOf(id)+"/delete", url.Values{}); r.status != http.StatusForbidden {
		t.Errorf("deleting without the CSRF token: %d, want 403", r.status)
	}
	if r := ed.get("/editor/alerts/12345"); r.status != http.StatusNotFound {
		t.Errorf("an alert that does not exist: %d, want 404", r.status)
	}
	if a, err := site.store.Alert(ctx, id); err != nil || !a.ActiveAt(time.Now()) {
		t.Errorf("the alert after the refused requests: %+v, %v", a, err)
	}
}

func alertURLOf(id int64) string { return "/editor/alerts/" + strconv.FormatInt(id, 10) }
