package portal

import (
	"context"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"sportello/catalogue"
	"sportello/portal/editor"
	"sportello/portal/web"
)

// previewCase is one kind of entry whose draft gets a new title: where the
// public sees the entry, and how the title shows on its page.
type previewCase struct {
	kind, slug string
	entry      any
	oldTitle   string
	newTitle   string
	public     []string // pages the public sees the entry on
	heading    string   // how the new title shows in the preview
	note       bool     // the preview explains what it shows
}

// previewCases picks a published entry of every kind from the demo and
// gives each a draft title ending in a word found nowhere else.
func previewCases(t *testing.T, site *liveSite) []previewCase {
	t.Helper()
	pub, err := site.store.Export(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	svc := site.publishedService(t, "report-a-pothole")
	topic, le, j := pub.Topics[0], pub.LifeEvents[0], pub.Journeys[0]
	dep := pub.Departments[0]
	var offices []string
	for _, s := range pub.Services {
		if s.Department == dep.Slug {
			offices = append(offices, web.ServiceURL(s.Slug))
		}
	}
	if len(offices) == 0 {
		t.Fatalf("no demo service is of office %s", dep.Slug)
	}
	h1 := func(s string) string { return "<h1>" + template.HTMLEscapeString(s) + "</h1>" }
	rename := func(t catalogue.Text, word string) (old, new string) {
		old, new = t["en"], t["en"]+" "+word
		t["en"] = new
		return old, new
	}
	var cases []previewCase
	add := func(kind, slug string, entry any, title catalogue.Text, word string, public []string, heading func(string) string, note bool) {
		old, new := rename(title, word)
		cases = append(cases, previewCase{kind: kind, slug: slug, entry: entry, oldTitle: old, newTitle: new,
			public: public, heading: heading(new), note: note})
	}
	add(catalogue.KindService, svc.Slug, svc, svc.Title, "wallabyservice", []string{web.ServiceURL(svc.Slug)}, h1, false)
	add(catalogue.KindTopic, topic.Slug, &topic, topic.Title, "quokkatopic", []string{web.TopicURL(topic.Slug)}, h1, false)
	add(catalogue.KindLifeEvent, le.Slug, &le, le.Title, "numbatevent", []string{web.LifeEventURL(le.Slug)}, h1, false)
	add(catalogue.KindJourney, j.Slug, &j, j.Title, "bilbyjourney", []string{web.JourneyURL(j.Slug)}, h1, false)
	add(catalogue.KindDepartment, dep.Slug, &dep, dep.Name, "dingooffice", offices,
		func(s string) string { return `class="office__name">` + template.HTMLEscapeString(s) + "</p>" }, true)
	// A business type is seen in the permit finder; its preview is the plan
	// for a business not sure of any answer.
	bt := pub.BusinessTypes[0]
	add(catalogue.KindBusinessType, bt.Slug, &bt, bt.Title, "kowaribusiness", []string{"/business/start"},
		func(s string) string { return h1(s + ": the permits you need") }, false)
	return cases
}

// mustBePreview fails unless r is a preview that no cache keeps and no
// search engine indexes.
func mustBePreview(t *testing.T, r response, want ...string) {
	t.Helper()
	must(t, r, http.StatusOK, append([]string{`id="preview-banner"`, "Preview of a draft: not published."}, want...)...)
	if cc := r.header.Get("Cache-Control"); !strings.Contains(cc, "no-store") {
		t.Errorf("%s: Cache-Control %q, want no-store", r.url, cc)
	}
	if rt := r.header.Get("X-Robots-Tag"); !strings.Contains(rt, "noindex") {
		t.Errorf("%s: X-Robots-Tag %q, want noindex", r.url, rt)
	}
}

func TestEveryKindOfDraftPreviews(t *testing.T) {
	site := startLiveSite(t, ownCatalogue)
	editorUser := site.browser(t, stopAtRedirects)
	page := editorUser.signIn("editor", "/editor")
	tok := csrfOf(t, page.body)
	resident := site.browser(t, stopAtRedirects)
	resident.signIn("resident", "/")
	anon := site.browser(t, stopAtRedirects)

	for _, tc := range previewCases(t, site) {
		t.Run(tc.kind, func(t *testing.T) {
			word := tc.newTitle[strings.LastIndex(tc.newTitle, " ")+1:]
			edit := editor.EntryURL(tc.kind, tc.slug)
			v := editor.EntryValues(tc.kind, tc.entry, catalogue.Languages)
			v.Set("_csrf", tok)
			v.Set("base_revision", "0")
			v.Set("action", "save")
			if r := editorUser.post(edit, v); r.status != http.StatusSeeOther {
				t.Fatalf("save: %d %s", r.status, excerptMain(r.body))
			}
			draft, err := site.store.Draft(context.Background(), tc.kind, tc.slug)
			if err != nil {
				t.Fatalf("no draft after saving: %v", err)
			}

			// The editor sees the draft as the public will; the public
			// still sees the published entry.
			r := editorUser.get(edit + "/preview")
			mustBePreview(t, r, tc.heading, "Revision "+strconv.FormatInt(draft.Number, 10))
			if got := strings.Contains(r.body, `id="preview-note"`); got != tc.note {
				t.Errorf("preview note shown = %v, want %v", got, tc.note)
			}
			for _, p := range tc.public {
				pr := anon.get(p)
				must(t, pr, http.StatusOK, template.HTMLEscapeString(tc.oldTitle))
				mustNot(t, pr, word, `id="preview-banner"`)
			}

			// Only editors preview without a link.
			if r := anon.get(edit + "/preview"); r.status != http.StatusSeeOther || strings.Contains(r.body, word) {
				t.Errorf("signed out: preview answered %d", r.status)
			}
			if r := resident.get(edit + "/preview"); r.status != http.StatusForbidden || strings.Contains(r.body, word) {
				t.Errorf("resident: preview answered %d", r.status)
			}

			// A shared link works signed out, until it is changed or expires.
			r = editorUser.post(edit+"/preview-link", url.Values{"_csrf": {tok}})
			must(t, r, http.StatusOK, `id="preview-url"`)
			link := previewURL.FindStringSubmatch(r.body)
			if link == nil {
				t.Fatalf("no preview link on %s", excerptMain(r.body))
			}
			mustBePreview(t, anon.get(link[1]), tc.heading, "link works until")
			tampered := link[1][:len(link[1])-2] + "xx"
			if r := anon.get(tampered); r.status != http.StatusNotFound || strings.Contains(r.body, word) {
				t.Errorf("tampered link: %d", r.status)
			}
			expired := site.srv.editor.Previews().SignPreview(editor.PreviewClaim{Kind: tc.kind, Slug: tc.slug, Rev: draft.Number, Exp: time.Now().Add(-time.Minute).Unix()})
			if r := anon.get("/preview/" + expired); r.status != http.StatusNotFound || strings.Contains(r.body, word) {
				t.Errorf("expired link: %d", r.status)
			}
			token := strings.TrimPrefix(link[1], site.base+"/preview/")
			if _, ok := site.srv.editor.Previews().VerifyPreview(token, time.Now().Add(editor.PreviewLinkLife+time.Second)); ok {
				t.Error("the link still works after its life")
			}
		})
	}
}

// TestPreviewLinkWithoutKind keeps working the links made when only
// services had previews: their claim names no kind.
func TestPreviewLinkWithoutKind(t *testing.T) {
	site := startLiveSite(t, ownCatalogue)
	const slug = "report-a-pothole"
	editorUser := site.browser(t, stopAtRedirects)
	page := editorUser.signIn("editor", editor.EntryURL(catalogue.KindService, slug))
	svc := site.publishedService(t, slug)
	svc.Title["en"] = "Report a pothole echidnaold"
	if r := editorUser.post(editor.EntryURL(catalogue.KindService, slug), serviceForm(t, svc, csrfOf(t, page.body), 0, "save")); r.status != http.StatusSeeOther {
		t.Fatalf("save: %d", r.status)
	}
	old := site.srv.editor.Previews().SignPreview(editor.PreviewClaim{Slug: slug, Rev: 1, Exp: time.Now().Add(time.Hour).Unix()})
	mustBePreview(t, site.browser(t, stopAtRedirects).get("/preview/"+old), "<h1>Report a pothole echidnaold</h1>")
}

// TestOfficeWithoutServicesPreview: an office no published service names
// is seen nowhere, and its preview says so rather than showing a page.
func TestOfficeWithoutServicesPreview(t *testing.T) {
	site := startLiveSite(t, ownCatalogue)
	editorUser := site.browser(t, stopAtRedirects)
	page := editorUser.signIn("editor", "/editor/create/department")
	r := editorUser.post("/editor/create/department", url.Values{"_csrf": {csrfOf(t, page.body)}, "slug": {"lost-property"},
		"title": {"Lost property possumdesk"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("create: %d %s", r.status, excerptMain(r.body))
	}
	r = editorUser.get(editor.EntryURL(catalogue.KindDepartment, "lost-property") + "/preview")
	mustBePreview(t, r, `id="preview-note"`, "No published service names this office yet")
	mustNot(t, r, `class="office__name"`)
}
