package portal

import (
	"bytes"
	"context"
	"encoding/csv"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"sportello/catalogue"
	"sportello/editorial"
	"sportello/portal/public"
)

func TestImportAndExportFromTheEditor(t *testing.T) {
	site := startLiveSite(t, ownCatalogue)
	ctx := context.Background()
	admin := site.browser(t, stopAtRedirects)
	page := admin.signIn("admin", "/editor/import")
	must(t, page, http.StatusOK, `id="import-form"`, `id="import-file"`)
	tok := csrfOf(t, page.body)
	before, _ := site.store.Version(ctx)

	// A broken file: every problem with its path, nothing written.
	broken := bytes.Replace(catalogue.DemoJSON(), []byte(`"amount": 4500`), []byte(`"amount": -4500`), 1)
	broken = bytes.Replace(broken, []byte(`"topic": "waste-recycling"`), []byte(`"topic": "no-such-topic"`), 1)
	r := admin.postMultipart("/editor/import", url.Values{"_csrf": {tok}}, upload{field: "catalogue", name: "broken.json", content: broken})
	must(t, r, http.StatusUnprocessableEntity, `id="import-problems"`, "nothing was imported", ".fee.amount: must be a whole number of cents", ".topic: &#34;no-such-topic&#34;")
	if v, _ := site.store.Version(ctx); v != before {
		t.Errorf("a refused import moved the version from %d to %d", before, v)
	}
	r = admin.postMultipart("/editor/import", url.Values{"_csrf": {tok}}, upload{field: "catalogue", name: "bad.json", content: []byte(`{"format": `)})
	must(t, r, http.StatusUnprocessableEntity, "line 1")
	// Files that once took the server to gigabytes: refused at their path,
	// as the command line refuses them.
	deep := bytes.Replace(catalogue.DemoJSON(), []byte(`"fee": null,`), []byte(`"fee": `+strings.Repeat("[", 80_000)+`,`), 1)
	r = admin.postMultipart("/editor/import", url.Values{"_csrf": {tok}}, upload{field: "catalogue", name: "deep.json", content: deep})
	must(t, r, http.StatusUnprocessableEntity, "services[0].fee[0][0]", "nested more than 32 levels deep")
	title := bytes.Replace(catalogue.DemoJSON(), []byte(`"en": "Report a missed bin collection"`), []byte(`"en": "`+strings.Repeat("x", 10<<20)+`"`), 1)
	r = admin.postMultipart("/editor/import", url.Values{"_csrf": {tok}}, upload{field: "catalogue", name: "title.json", content: title})
	must(t, r, http.StatusUnprocessableEntity, "services[0].title.en: is 10 MB long; a text may be at most 64 KB")
	if len(r.body) > 1<<20 {
		t.Errorf("the refusal page is %d bytes: it quotes the title", len(r.body))
	}

	// Export, change a title, import: applied and searchable at once.
	r = admin.get("/editor/export.json")
	if r.status != http.StatusOK {
		t.Fatalf("export: %d", r.status)
	}
	exp, _ := site.store.Export(ctx)
	want, _ := catalogue.Encode(exp)
	if r.body != string(want) {
		t.Error("the editor's export differs from catalogue.Encode of the store's export")
	}
	changed := strings.Replace(r.body, `"Report a pothole"`, `"Report a pothole echidnacrack"`, 1)
	r = admin.postMultipart("/editor/import", url.Values{"_csrf": {tok}}, upload{field: "catalogue", name: "changed.json", content: []byte(changed)})
	must(t, r, http.StatusOK, `id="import-result"`, "1 services updated")
	if hits := site.searchSlugs(t, "echidnacrack", "en"); !slices.Contains(hits, "report-a-pothole") {
		t.Errorf("the imported title is not searchable: %v", hits)
	}
	log, _ := site.store.Audit(ctx, auditAll())
	if len(log) == 0 || log[0].Action != "import" || !strings.Contains(log[0].Actor, "Sam Adeyemi") {
		t.Errorf("the import is not in the audit log: %+v", log)
	}

	// CSV: a header and a row per service.
	r = admin.get("/editor/export.csv")
	rows, err := csv.NewReader(strings.NewReader(r.body)).ReadAll()
	if err != nil || len(rows) != len(exp.Services)+1 || rows[0][0] != "slug" {
		t.Fatalf("CSV: %d rows, %v", len(rows), err)
	}

	// Editors may look but not import.
	editorUser := site.browser(t, stopAtRedirects)
	p := editorUser.signIn("editor", "/editor/import")
	mustNot(t, p, `id="import-form"`)
	if r := editorUser.postMultipart("/editor/import", url.Values{"_csrf": {csrfOf(t, p.body)}}, upload{field: "catalogue", name: "x.json", content: []byte(changed)}); r.status != http.StatusForbidden {
		t.Errorf("an editor importing: %d", r.status)
	}
}

func TestFeedbackOnServicePages(t *testing.T) {
	site := startLiveSite(t, ownCatalogue)
	const slug = "report-a-pothole"
	anon := site.browser(t, stopAtRedirects)
	r := anon.get("/services/" + slug)
	must(t, r, http.StatusOK, `id="page-feedback"`, `href="/services/`+slug+`/feedback?useful=yes"`, `id="feedback-no"`)
	mustNot(t, r, `name="_csrf"`) // the service page itself has no form

	r = anon.get("/services/" + slug + "/feedback?useful=no")
	must(t, r, http.StatusOK, `id="feedback-form"`, `id="feedback-useful-no" name="useful" value="no" checked`, "Do not include personal details", `name="website"`)
	tok := csrfOf(t, r.body)
	for _, tc := range []struct {
		name   string
		form   url.Values
		status int
		want   string
	}{
		{"no answer", url.Values{"comment": {"x"}}, http.StatusUnprocessableEntity, `href="#feedback-useful-yes"`},
		{"too long", url.Values{"useful": {"no"}, "comment": {strings.Repeat("a", public.MaxFeedbackComment+1)}}, http.StatusUnprocessableEntity, `href="#feedback-comment"`},
		{"yes", url.Values{"useful": {"yes"}}, http.StatusOK, `id="feedback-thanks"`},
		{"no with comment", url.Values{"useful": {"no"}, "comment": {"It does not say how long repairs take."}}, http.StatusOK, `id="feedback-thanks"`},
		{"robot", url.Values{"useful": {"no"}, "comment": {"buy pills"}, "website": {"http://spam.example"}}, http.StatusOK, `id="feedback-thanks"`},
	} {
		tc.form.Set("_csrf", tok)
		r := anon.post("/services/"+slug+"/feedback", tc.form)
		if r.status != tc.status || !strings.Contains(r.body, tc.want) {
			t.Errorf("%s: %d, want %d with %s", tc.name, r.status, tc.status, tc.want)
		}
	}
	if r := anon.post("/services/no-such-service/feedback", url.Values{"_csrf": {tok}, "useful": {"yes"}}); r.status != http.StatusNotFound {
		t.Errorf("feedback on an unknown service: %d", r.status)
	}
	if r := anon.post("/services/"+slug+"/feedback", url.Values{"useful": {"yes"}}); r.status != http.StatusForbidden {
		t.Errorf("feedback without the CSRF token: %d", r.status)
	}
	scores, _ := site.store.FeedbackScores(context.Background())
	if len(scores) != 1 || scores[0].Useful != 1 || scores[0].NotUseful != 1 {
		t.Errorf("scores = %+v (the robot must not count)", scores)
	}
	editorUser := site.browser(t, stopAtRedirects)
	must(t, editorUser.signIn("editor", "/editor/feedback?slug="+slug), http.StatusOK, "It does not say how long repairs take.", `id="score-`+slug+`"`)
	mustNot(t, editorUser.get("/editor/feedback"), "buy pills")
}

func TestFeedbackIsRateLimited(t *testing.T) {
	site := startLiveSite(t, ownCatalogue)
	anon := site.browser(t, stopAtRedirects)
	tok := csrfOf(t, anon.get("/services/report-a-pothole/feedback").body)
	var last int
	for range public.FeedbackMax + 1 {
		last = anon.post("/services/report-a-pothole/feedback", url.Values{"_csrf": {tok}, "useful": {"yes"}}).status
	}
	if last != http.StatusTooManyRequests {
		t.Errorf("answer %d of one client: %d, want 429", public.FeedbackMax+1, last)
	}
}

func TestSearchInsightsAndTuning(t *testing.T) {
	site := startLiveSite(t, ownCatalogue)
	anon := site.browser(t, stopAtRedirects)
	anon.get("/search?q=streetlamp")
	anon.get("/search?q=streetlamp&page=2") // paging is the same search
	anon.get("/search?q=Bin")
	anon.get("/search?q=bin")
	anon.get("/search?q=call+me+on+600123456")
	anon.get("/search?q=garden")
	// A click: the service page opened from the results page.
	anon.get("/services/report-missed-bin-collection", "Referer", site.base+"/search?q=bin")
	anon.get("/services/report-missed-bin-collection", "Referer", "https://elsewhere.example/search?q=bin")

	editorUser := site.browser(t, stopAtRedirects)
	r := editorUser.signIn("editor", "/editor/search")
	must(t, r, http.StatusOK, `id="table-top"`, "streetlamp", "[withheld: looked like personal data]", `id="synonym-form"`, `id="best-bet-form"`)
	mustNot(t, r, "600123456")
	counts, _ := site.store.Insights(context.Background(), public.ISOWeek(time.Now()), "en", 100)
	byQuery := map[string][3]int64{}
	for _, c := range counts {
		byQuery[c.Query] = [3]int64{c.Searches, c.ZeroResults, c.Clicks}
	}
	if byQuery["streetlamp"] != [3]int64{1, 1, 0} || byQuery["bin"] != [3]int64{2, 0, 1} || byQuery["garden"][2] != 0 {
		t.Errorf("insights = %v", byQuery)
	}
	// The click counts for the service too, in the page's language: the
	// search's ranking prior.
	clicks, err := site.store.ServiceClicks(context.Background(), public.ISOWeek(time.Now()))
	if err != nil || !reflect.DeepEqual(clicks, map[string]map[string]int64{"en": {"report-missed-bin-collection": 1}}) {
		t.Errorf("clicks per service = %v, %v", clicks, err)
	}
	must(t, r, http.StatusOK, `id="table-zero"`, `id="table-noclick"`)

	// Synonyms and best bets take effect with the next search.
	tok := csrfOf(t, r.body)
	r = editorUser.post("/editor/search/synonyms", url.Values{"_csrf": {tok}, "lang": {"en"}, "terms": {"Streetlamp, street light"}})
	must(t, editorUser.follow(r), http.StatusOK, "Synonyms saved", "streetlamp, street light")
	if hits := site.searchSlugs(t, "streetlamp", "en"); !slices.Contains(hits, "report-street-light-fault") {
		t.Errorf("after adding the synonym, streetlamp finds %v", hits)
	}
	r = editorUser.post("/editor/search/synonyms", url.Values{"_csrf": {tok}, "lang": {"en"}, "terms": {"lonely"}})
	must(t, r, http.StatusUnprocessableEntity, `href="#synonym-terms"`)
	r = editorUser.post("/editor/search/best-bets", url.Values{"_csrf": {tok}, "lang": {"en"}, "query": {"Parking"}, "slug": {"disabled-parking-badge"}})
	must(t, editorUser.follow(r), http.StatusOK, "Best bet saved")
	if hits := site.searchSlugs(t, "parking", "en"); len(hits) == 0 || hits[0] != "disabled-parking-badge" {
		t.Errorf("the best bet is not first: %v", hits)
	}
	r = editorUser.post("/editor/search/best-bets", url.Values{"_csrf": {tok}, "lang": {"en"}, "query": {"x"}, "slug": {"no-such-service"}})
	must(t, r, http.StatusUnprocessableEntity, `href="#bet-slug"`)
	r = editorUser.post("/editor/search/best-bets/delete", url.Values{"_csrf": {tok}, "lang": {"en"}, "query": {"parking"}})
	must(t, editorUser.follow(r), http.StatusOK, "Best bet removed")
	if hits := site.searchSlugs(t, "parking", "en"); len(hits) > 0 && hits[0] == "disabled-parking-badge" {
		t.Errorf("the removed best bet is still first")
	}
}

func TestReviewsAndFeeChangesNeedReview(t *testing.T) {
	site := startLiveSite(t, ownCatalogue)
	editorUser := site.browser(t, stopAtRedirects)
	page := editorUser.signIn("editor", "/editor/entries/service/resident-parking-permit")
	tok := csrfOf(t, page.body)
	svc := site.publishedService(t, "resident-parking-permit")
	if svc.Fee == nil {
		t.Fatal("the test needs a service with a fee")
	}
	svc.Fee.Amount += 500
	r := editorUser.post("/editor/entries/service/resident-parking-permit", serviceForm(t, svc, tok, 0, "save"))
	must(t, editorUser.follow(r), http.StatusOK, "the fee changed", "In review")

	r = editorUser.post("/editor/entries/service/report-a-pothole/review", url.Values{"_csrf": {tok}, "owner": {"Roads team"}, "review_by": {"2020-01-31"}})
	must(t, editorUser.follow(r), http.StatusOK, "Owner and review date saved", "Roads team", "2020-01-31")
	if r := editorUser.post("/editor/entries/service/report-a-pothole/review", url.Values{"_csrf": {tok}, "review_by": {"soon"}}); r.status != http.StatusUnprocessableEntity {
		t.Errorf("an unreadable review date: %d", r.status)
	}
	r = editorUser.get("/editor/reviews")
	must(t, r, http.StatusOK, `id="review-service-report-a-pothole"`, `id="review-service-resident-parking-permit"`, "Waiting for a publisher (1)", "Review overdue (1)")
	must(t, editorUser.get("/editor?kind=service&overdue=1"), http.StatusOK, `id="entry-report-a-pothole"`, "Showing 1 of")
}

func TestOtherEntriesAndDuplicates(t *testing.T) {
	site := startLiveSite(t, ownCatalogue)
	admin := site.browser(t, stopAtRedirects)
	page := admin.signIn("admin", "/editor/entries/topic/waste-recycling")
	must(t, page, http.StatusOK, `id="f-title-en"`, `id="f-description-en"`)
	tok := csrfOf(t, page.body)
	v := url.Values{"_csrf": {tok}, "base_revision": {"0"}, "action": {"save"}, "title.en": {"Bins, waste and recycling"},
		"description.en": {"Bins, collections and recycling centres."}}
	r := admin.post("/editor/entries/topic/waste-recycling", v)
	if r.status != http.StatusSeeOther {
		t.Fatalf("save topic: %d %s", r.status, excerptMain(r.body))
	}
	r = admin.post("/editor/entries/topic/waste-recycling/publish", url.Values{"_csrf": {tok}, "base_revision": {"1"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("publish topic: %d %s", r.status, excerptMain(r.body))
	}
	must(t, site.browser(t, stopAtRedirects).get("/topics/waste-recycling"), http.StatusOK, "Bins, waste and recycling")

	// A duplicate of a service starts as a draft and is flagged as one.
	r = admin.post("/editor/entries/service/report-missed-bin-collection/duplicate", url.Values{"_csrf": {tok}, "new_slug": {"report-missed-bin-collection-copy"}})
	must(t, admin.follow(r), http.StatusOK, `id="editor-duplicates"`, "report-missed-bin-collection")
	if r := admin.post("/editor/entries/service/report-a-pothole/duplicate", url.Values{"_csrf": {tok}, "new_slug": {"report-a-pothole"}}); r.status != http.StatusUnprocessableEntity {
		t.Errorf("duplicating onto a used slug: %d", r.status)
	}
	r = admin.post("/editor/create/service", url.Values{"_csrf": {tok}, "slug": {"Bad Slug"}, "title": {""}})
	must(t, r, http.StatusUnprocessableEntity, `href="#f-slug"`, `href="#f-title"`, `href="#f-topic"`)
	must(t, admin.get("/editor/duplicates"), http.StatusOK, `id="no-duplicates"`)
	// Discarding the copy's draft leaves nothing.
	r = admin.post("/editor/entries/service/report-missed-bin-collection-copy/discard", url.Values{"_csrf": {tok}})
	if r.status != http.StatusSeeOther || admin.get("/editor/entries/service/report-missed-bin-collection-copy").status != http.StatusNotFound {
		t.Errorf("discarding a new entry's draft: %d", r.status)
	}
	// Departments, life events and journeys open in the editor.
	for _, path := range []string{"/editor/entries/department/waste-services", "/editor/entries/life_event/moving-home", "/editor/entries/journey/open-a-restaurant", "/editor/audit", "/editor/reviews", "/editor/feedback"} {
		must(t, admin.get(path), http.StatusOK)
	}
}

func auditAll() editorial.AuditFilter { return editorial.AuditFilter{} }
