package portal

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"sportello/catalogue"
)

func TestEditorNeedsAnEditor(t *testing.T) {
	site := startLiveSite(t, ownCatalogue)
	anon := site.browser(t, stopAtRedirects)
	if r := anon.get("/editor"); r.status != http.StatusSeeOther || !strings.Contains(r.location, "/auth/login") {
		t.Errorf("anonymous /editor: %d to %q, want a redirect to sign in", r.status, r.location)
	}
	resident := site.browser(t, stopAtRedirects)
	resident.signIn("resident", "/")
	if r := resident.get("/editor"); r.status != http.StatusForbidden {
		t.Errorf("a resident gets /editor with %d, want 403", r.status)
	}
	editorUser := site.browser(t, stopAtRedirects)
	must(t, editorUser.signIn("editor", "/editor"), http.StatusOK, "Report a pothole", `id="entries"`, `href="/editor/create/service"`)
	// Filters: topic, status, missing translation.
	must(t, editorUser.get("/editor?kind=service&topic=waste-recycling"), http.StatusOK, "Report a missed bin collection")
	mustNot(t, editorUser.get("/editor?kind=service&topic=waste-recycling"), "Report a pothole")
	pub, _ := site.store.Export(context.Background())
	var withFr, withoutFr string
	for _, svc := range pub.Services {
		if svc.Title["fr"] != "" && withFr == "" {
			withFr = svc.Slug
		}
		if svc.Title["fr"] == "" && withoutFr == "" {
			withoutFr = svc.Slug
		}
	}
	r := editorUser.get("/editor?kind=service&missing=fr")
	must(t, r, http.StatusOK, `id="entry-`+withoutFr+`"`)
	mustNot(t, r, `id="entry-`+withFr+`"`)
	must(t, editorUser.get("/editor?kind=topic"), http.StatusOK, "Waste and recycling")
	// An editor may not publish or import.
	tok := csrfOf(t, editorUser.get("/editor/entries/service/report-a-pothole").body)
	if r := editorUser.post("/editor/entries/service/report-a-pothole/publish", url.Values{"_csrf": {tok}}); r.status != http.StatusForbidden {
		t.Errorf("an editor publishing: %d, want 403", r.status)
	}
	if r := editorUser.post("/editor/entries/service/report-a-pothole/archive", url.Values{"_csrf": {tok}}); r.status != http.StatusForbidden {
		t.Errorf("an editor archiving: %d, want 403", r.status)
	}
}

// The core journey: an editor changes a title and a summary and saves a
// draft, which the public does not see; a publisher publishes it, and at
// once the service page, search, autocomplete, the API, the topic's list
// and the sitemap have the new texts.
func TestEditThenPublishIsLiveAtOnce(t *testing.T) {
	site := startLiveSite(t, ownCatalogue)
	const slug = "report-a-pothole"
	const word = "quokkahole"
	editorUser := site.browser(t, stopAtRedirects)
	page := editorUser.signIn("editor", "/editor/entries/service/"+slug)
	must(t, page, http.StatusOK, `id="f-title-en"`, `name="title.en"`, `value="Report a pothole"`, `id="action-save"`, `id="f-base-revision"`)

	svc := site.publishedService(t, slug)
	svc.Title["en"] = "Report a pothole or " + word
	summary := "Tell us about a pothole or a " + word + " in the road."
	svc.Summary["en"] = summary
	r := editorUser.post("/editor/entries/service/"+slug, serviceForm(t, svc, csrfOf(t, page.body), 0, "save"))
	if r.status != http.StatusSeeOther {
		t.Fatalf("save: %d\n%s", r.status, excerptMain(r.body))
	}
	must(t, editorUser.follow(r), http.StatusOK, "Saved as draft revision 1", `value="Report a pothole or `+word+`"`)

	anon := site.browser(t, stopAtRedirects)
	mustNot(t, anon.get("/services/"+slug), word)
	topic := "/topics/" + svc.Topic
	must(t, anon.get(topic), http.StatusOK, `href="/services/`+slug+`"`)
	mustNot(t, anon.get(topic), summary)
	if got := site.searchSlugs(t, word, "en"); len(got) != 0 {
		t.Errorf("a draft is searchable: %v", got)
	}

	admin := site.browser(t, stopAtRedirects)
	page = admin.signIn("admin", "/editor/entries/service/"+slug)
	must(t, page, http.StatusOK, `id="publish-form"`, `id="action-publish"`)
	started := time.Now()
	r = admin.post("/editor/entries/service/"+slug+"/publish", url.Values{"_csrf": {csrfOf(t, page.body)}, "base_revision": {"1"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("publish: %d\n%s", r.status, excerptMain(r.body))
	}
	hits := site.searchSlugs(t, word, "en")
	took := time.Since(started)
	if !slices.Contains(hits, slug) {
		t.Fatalf("right after publishing, %q finds %v", word, hits)
	}
	t.Logf("publish to searchable (HTTP publish request, then the index finds it): %v", took)

	must(t, admin.follow(r), http.StatusOK, "Published.")
	must(t, anon.get(topic), http.StatusOK, summary)
	must(t, anon.get("/api/v1/services?per_page=100&topic="+svc.Topic), http.StatusOK, summary)
	for _, path := range []string{"/services/" + slug, "/search?q=" + word, "/api/v1/services/" + slug, "/api/v1/suggest?q=quokkah", "/sitemap.xml"} {
		r := anon.get(path)
		if r.status != http.StatusOK {
			t.Errorf("%s: %d", path, r.status)
		}
		if path != "/sitemap.xml" && !strings.Contains(r.body, word) {
			t.Errorf("%s lacks the published title right after publishing", path)
		}
	}
	log := admin.get("/editor/audit?kind=service&slug=" + slug)
	must(t, log, http.StatusOK, "Sam Adeyemi", "publish", "changed: summary, title", "Élodie Martin", "save")
	// The review date is set 12 months ahead.
	must(t, admin.get("/editor/entries/service/"+slug), http.StatusOK, time.Now().AddDate(1, 0, 0).Format("2006-01"))
}

func TestValidationProblemsLandOnTheirFields(t *testing.T) {
	site := startLiveSite(t, ownCatalogue)
	const slug = "report-missed-bin-collection"
	editorUser := site.browser(t, stopAtRedirects)
	page := editorUser.signIn("editor", "/editor/entries/service/"+slug)
	svc := site.publishedService(t, slug)
	svc.Title["en"] = ""
	rule := "age >="
	svc.EligibilityRule = &rule
	svc.OnlineForm.Fields[1].Type = "dropdown"
	svc.Related = append(svc.Related, "no-such-service")
	v := serviceForm(t, svc, csrfOf(t, page.body), 0, "check")
	r := editorUser.post("/editor/entries/service/"+slug, v)
	must(t, r, http.StatusOK, `id="error-summary"`, `href="#f-title-en"`, `href="#f-eligibility-rule"`,
		`href="#f-online-form-fields-1-type"`, `href="#f-related"`, "no-such-service", "Not saved yet.")
	if n, _ := site.store.NewestRevision(context.Background(), catalogue.KindService, slug); n != 0 {
		t.Errorf("checking saved revision %d", n)
	}
	// Letters in a number are refused before validation, on their field.
	v.Set("fee.amount", "lots")
	r = editorUser.post("/editor/entries/service/"+slug, v)
	must(t, r, http.StatusUnprocessableEntity, `href="#f-fee-amount"`)
	// Saving keeps the draft even with problems, and says what to fix.
	v.Del("fee.amount")
	v.Set("action", "save")
	r = editorUser.post("/editor/entries/service/"+slug, v)
	must(t, r, http.StatusOK, "Saved as draft revision 1", `href="#f-title-en"`)
	// Sending for review is refused while problems remain.
	v.Set("action", "submit")
	v.Set("base_revision", "1")
	r = editorUser.post("/editor/entries/service/"+slug, v)
	must(t, r, http.StatusOK, "Saved as draft revision 2")
	d, _ := site.store.Draft(context.Background(), catalogue.KindService, slug)
	if d.DraftStatus != "draft" {
		t.Errorf("a draft with problems went to %s", d.DraftStatus)
	}
	// A publisher cannot publish it either.
	admin := site.browser(t, stopAtRedirects)
	page = admin.signIn("admin", "/editor/entries/service/"+slug)
	r = admin.post("/editor/entries/service/"+slug+"/publish", url.Values{"_csrf": {csrfOf(t, page.body)}, "base_revision": {"2"}})
	must(t, r, http.StatusUnprocessableEntity, "no-such-service", "there is no such service", "title.en")
	if s := site.publishedService(t, slug); s.Title["en"] != "Report a missed bin collection" {
		t.Errorf("a refused publish changed the title to %q", s.Title["en"])
	}
}

func TestMarkdownPreviewAndFormBuilderButtons(t *testing.T) {
	site := startLiveSite(t, ownCatalogue)
	const slug = "report-missed-bin-collection"
	editorUser := site.browser(t, stopAtRedirects)
	page := editorUser.signIn("editor", "/editor/entries/service/"+slug)
	svc := site.publishedService(t, slug)
	svc.Description["en"] = "Some **bold** text <script>alert(1)</script>"
	v := serviceForm(t, svc, csrfOf(t, page.body), 0, "preview_markdown")
	r := editorUser.post("/editor/entries/service/"+slug, v)
	must(t, r, http.StatusOK, `id="markdown-preview"`, "<strong>bold</strong>")
	mustNot(t, r, "<script>alert(1)</script>")

	n := len(svc.OnlineForm.Fields)
	v.Set("action", "add_field")
	r = editorUser.post("/editor/entries/service/"+slug, v)
	must(t, r, http.StatusOK, `name="online_form.fields[`+strconv.FormatInt(int64(n), 10)+`].name"`, `value="`+strconv.FormatInt(int64(n+1), 10)+`"`)
	v.Set("action", "compare:es")
	must(t, editorUser.post("/editor/entries/service/"+slug, v), http.StatusOK, `id="f-title-es"`)
}

func TestConflictingSavesLoseNothing(t *testing.T) {
	site := startLiveSite(t, ownCatalogue)
	const slug = "order-a-new-bin"
	a, b := site.browser(t, stopAtRedirects), site.browser(t, stopAtRedirects)
	pa := a.signIn("editor", "/editor/entries/service/"+slug)
	pb := b.signIn("admin", "/editor/entries/service/"+slug)
	svc := site.publishedService(t, slug)
	svc.Title["en"] = "Order a new bin (A)"
	if r := a.post("/editor/entries/service/"+slug, serviceForm(t, svc, csrfOf(t, pa.body), 0, "save")); r.status != http.StatusSeeOther {
		t.Fatalf("first save: %d", r.status)
	}
	svc.Title["en"] = "Order a new bin (B)"
	r := b.post("/editor/entries/service/"+slug, serviceForm(t, svc, csrfOf(t, pb.body), 0, "save"))
	must(t, r, http.StatusConflict, "Someone else changed this entry", "Élodie Martin", "Order a new bin (A)", "Order a new bin (B)", `id="action-restore-mine"`)
	d, _ := site.store.Draft(context.Background(), catalogue.KindService, slug)
	if !strings.Contains(string(d.Doc), "(A)") {
		t.Errorf("the refused save replaced the draft: %s", d.Doc)
	}
	// "Use my version" makes B's kept revision the draft.
	r = b.post("/editor/entries/service/"+slug+"/revisions/2/restore", url.Values{"_csrf": {csrfOf(t, r.body)}, "base_revision": {"1"}})
	must(t, b.follow(r), http.StatusOK, "restored as draft revision 3", `value="Order a new bin (B)"`)
}

func TestRevisionsDiffAndRestore(t *testing.T) {
	site := startLiveSite(t, ownCatalogue)
	const slug = "report-a-pothole"
	ed := site.browser(t, stopAtRedirects)
	page := ed.signIn("editor", "/editor/entries/service/"+slug)
	svc := site.publishedService(t, slug)
	orig := svc.Summary["en"]
	for i, summary := range []string{orig + " Fast.", orig + " Very fast."} {
		r := ed.post("/editor/entries/service/"+slug, serviceForm(t, withSummary(svc, summary), csrfOf(t, page.body), int64(i), "save"))
		if r.status != http.StatusSeeOther {
			t.Fatalf("save %d: %d %s", i+1, r.status, excerptMain(r.body))
		}
	}
	r := ed.get("/editor/entries/service/" + slug + "/revisions")
	must(t, r, http.StatusOK, `id="revision-1"`, `id="revision-2"`, `id="diff-form"`, `id="action-restore-1"`)
	r = ed.get("/editor/entries/service/" + slug + "/diff?a=1&b=2")
	must(t, r, http.StatusOK, "summary.en")
	if !insVery.MatchString(r.body) {
		t.Errorf("the diff of 1 and 2 does not mark Very as added")
	}
	r = ed.get("/editor/entries/service/" + slug + "/diff?a=0&b=2")
	must(t, r, http.StatusOK, "summary.en")
	if !insVery.MatchString(r.body) {
		t.Errorf("the diff of the published version and 2 does not mark Very as added")
	}
	r = ed.post("/editor/entries/service/"+slug+"/revisions/1/restore", url.Values{"_csrf": {csrfOf(t, r.body)}, "base_revision": {"2"}})
	must(t, ed.follow(r), http.StatusOK, "restored as draft revision 3", orig+" Fast.")
}

var insVery = regexp.MustCompile(`<ins>[^<]*Very[^<]*</ins>`)

func withSummary(s *catalogue.Service, summary string) *catalogue.Service {
	c := *s
	c.Summary = catalogue.Text{}
	for k, v := range s.Summary {
		c.Summary[k] = v
	}
	c.Summary["en"] = summary
	return &c
}

// The editor's times are the council's, as on every other page: a draft
// saved and the audit log read in the council's time zone, not UTC.
func TestEditorTimesAreTheCouncils(t *testing.T) {
	site := startLiveSite(t, ownCatalogue, inTimeZone(time.FixedZone("PNT", 5*3600+30*60)))
	const slug = "report-a-pothole"
	editorUser := site.browser(t, stopAtRedirects)
	page := editorUser.signIn("editor", "/editor/entries/service/"+slug)
	svc := site.publishedService(t, slug)
	svc.Title["en"] = "Report a pothole in the road"
	saved := time.Now()
	r := editorUser.post("/editor/entries/service/"+slug, serviceForm(t, svc, csrfOf(t, page.body), 0, "save"))
	if r.status != http.StatusSeeOther {
		t.Fatalf("save: %d\n%s", r.status, excerptMain(r.body))
	}
	// The hour as the council reads it, give or take the minute the save
	// took.
	council := saved.In(time.FixedZone("PNT", 5*3600+30*60))
	hours := []string{council.Format("15:04"), council.Add(time.Minute).Format("15:04")}
	for _, path := range []string{"/editor/entries/service/" + slug, "/editor/audit?kind=service&slug=" + slug} {
		got := editorUser.get(path)
		must(t, got, http.StatusOK, "PNT")
		if !strings.Contains(got.body, hours[0]) && !strings.Contains(got.body, hours[1]) {
			t.Errorf("%s does not show the council's time %s:\n%s", path, hours[0], excerptMain(got.body))
		}
	}
}
