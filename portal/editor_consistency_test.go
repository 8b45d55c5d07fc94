package portal

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"sportello/catalogue"
	"sportello/portal/editor"
)

// publicPlaces are where a service can show up to the public; each must
// show a published service and never an archived one or a draft.
func publicPlaces(slug, word string) []struct{ name, path, needle string } {
	return []struct{ name, path, needle string }{
		{"service page", "/services/" + slug, word},
		{"search page", "/search?q=" + url.QueryEscape(word), `href="/services/` + slug + `"`},
		{"autocomplete", "/api/v1/suggest?q=" + url.QueryEscape(word), `"` + slug + `"`},
		{"API service", "/api/v1/services/" + slug, word},
		{"API list", "/api/v1/services?topic=environment-animals&per_page=100", `"` + slug + `"`},
		{"API search", "/api/v1/search?q=" + url.QueryEscape(word), `"` + slug + `"`},
		{"sitemap", "/sitemap.xml", "/services/" + slug + "<"},
	}
}

func assertPublic(t *testing.T, b *browser, slug, word string, visible bool, skip ...string) {
	t.Helper()
	for _, p := range publicPlaces(slug, word) {
		if slices.Contains(skip, p.name) {
			continue
		}
		r := b.get(p.path)
		found := r.status == http.StatusOK && strings.Contains(r.body, p.needle)
		if found != visible {
			t.Errorf("%s (%s): visible = %v, want %v (status %d)", p.name, p.path, found, visible, r.status)
		}
	}
}

func TestDraftsAndArchivedNeverPublic(t *testing.T) {
	site := startLiveSite(t, ownCatalogue)
	anon := site.browser(t, stopAtRedirects)
	editorUser := site.browser(t, stopAtRedirects)
	admin := site.browser(t, stopAtRedirects)
	page := editorUser.signIn("editor", "/editor/create/service")
	adminPage := admin.signIn("admin", "/editor")

	// A new service, only a draft: nowhere in public.
	r := editorUser.post("/editor/create/service", url.Values{"_csrf": {csrfOf(t, page.body)}, "slug": {"adopt-a-street-tree"},
		"title": {"Adopt a street tree wombatgrove"}, "topic": {"environment-animals"}, "department": {"environment"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("create: %d %s", r.status, excerptMain(r.body))
	}
	must(t, editorUser.follow(r), http.StatusOK, "Created as a draft", `value="Adopt a street tree wombatgrove"`)
	assertPublic(t, anon, "adopt-a-street-tree", "wombatgrove", false)

	// Publishing it makes it public everywhere at once.
	d, err := site.store.Draft(context.Background(), catalogue.KindService, "adopt-a-street-tree")
	if err != nil {
		t.Fatal(err)
	}
	e, _ := catalogue.DecodeEntry(catalogue.KindService, d.Doc)
	svc := e.(*catalogue.Service)
	svc.Summary["en"] = "Look after a tree in your street."
	svc.Description["en"] = "Water it in summer and tell us when it looks ill."
	svc.Keywords["en"] = []string{"wombatgrove"}
	r = editorUser.post("/editor/entries/service/adopt-a-street-tree", serviceForm(t, svc, csrfOf(t, page.body), 1, "submit"))
	if r.status != http.StatusSeeOther {
		t.Fatalf("submit: %d %s", r.status, excerptMain(r.body))
	}
	r = admin.post("/editor/entries/service/adopt-a-street-tree/publish", url.Values{"_csrf": {csrfOf(t, adminPage.body)}, "base_revision": {"2"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("publish: %d %s", r.status, excerptMain(r.body))
	}
	assertPublic(t, anon, "adopt-a-street-tree", "wombatgrove", true)

	// A new draft of a published service changes nothing in public.
	svc.Title["en"] = "Adopt a street tree koalabranch"
	r = editorUser.post("/editor/entries/service/adopt-a-street-tree", serviceForm(t, svc, csrfOf(t, page.body), 3, "save"))
	if r.status != http.StatusSeeOther {
		t.Fatalf("save: %d %s", r.status, excerptMain(r.body))
	}
	assertPublic(t, anon, "adopt-a-street-tree", "koalabranch", false, "API list", "sitemap")
	assertPublic(t, anon, "adopt-a-street-tree", "wombatgrove", true)

	// Archived: nowhere in public, and still in the editor.
	r = admin.post("/editor/entries/service/adopt-a-street-tree/archive", url.Values{"_csrf": {csrfOf(t, adminPage.body)}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("archive: %d %s", r.status, excerptMain(r.body))
	}
	assertPublic(t, anon, "adopt-a-street-tree", "wombatgrove", false)
	must(t, admin.get("/editor?kind=service&status=draft&q=adopt"), http.StatusOK, "adopt-a-street-tree")
}

func TestLinksToHiddenServicesAreRefused(t *testing.T) {
	site := startLiveSite(t, ownCatalogue)
	admin := site.browser(t, stopAtRedirects)
	page := admin.signIn("admin", "/editor")
	tok := csrfOf(t, page.body)

	// food-business-registration is a step of a journey and related to
	// other services: archiving it would break them, so it is refused
	// with the list.
	r := admin.post("/editor/entries/service/food-business-registration/archive", url.Values{"_csrf": {tok}})
	must(t, r, http.StatusUnprocessableEntity, "This service cannot be archived yet", "open-a-restaurant", "steps[")
	if _, err := site.store.Service(context.Background(), "food-business-registration"); err != nil {
		t.Errorf("a refused archive archived: %v", err)
	}

	// Archive a service nothing links to, then link to it: refused.
	pub, _ := site.store.Export(context.Background())
	var lonely string
	for _, s := range pub.Services {
		if len(pub.LinksTo(s.Slug)) == 0 {
			lonely = s.Slug
			break
		}
	}
	if lonely == "" {
		t.Fatal("the demo has no service without links to it")
	}
	r = admin.post("/editor/entries/service/"+lonely+"/archive", url.Values{"_csrf": {tok}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("archive %s: %d %s", lonely, r.status, excerptMain(r.body))
	}
	svc := site.publishedService(t, "report-a-pothole")
	svc.Related = append(svc.Related, lonely, "never-existed")
	r = admin.post("/editor/entries/service/report-a-pothole", serviceForm(t, svc, tok, 0, "save"))
	must(t, r, http.StatusOK, "Saved as draft revision 1")
	r = admin.post("/editor/entries/service/report-a-pothole/publish", url.Values{"_csrf": {tok}, "base_revision": {"1"}})
	must(t, r, http.StatusUnprocessableEntity, "Links that would point at a service nobody can see", lonely, "the service is archived", "never-existed", "there is no such service")
	if s := site.publishedService(t, "report-a-pothole"); slices.Contains(s.Related, lonely) {
		t.Error("a refused publish was written")
	}

	// A journey step pointing at the archived service is refused too.
	j := pub.Journeys[0]
	j.Steps[0].Services = append(j.Steps[0].Services, lonely)
	v := editor.JourneyValues(&j, catalogue.Languages)
	v.Set("_csrf", tok)
	v.Set("base_revision", "0")
	v.Set("action", "save")
	r = admin.post("/editor/entries/journey/"+j.Slug, v)
	must(t, r, http.StatusOK, "Saved as draft revision 1")
	r = admin.post("/editor/entries/journey/"+j.Slug+"/publish", url.Values{"_csrf": {tok}, "base_revision": {"1"}})
	must(t, r, http.StatusUnprocessableEntity, lonely, "steps[0].services[")
}

func TestPreviewLinks(t *testing.T) {
	site := startLiveSite(t, ownCatalogue)
	const slug = "report-a-pothole"
	editorUser := site.browser(t, stopAtRedirects)
	page := editorUser.signIn("editor", "/editor/entries/service/"+slug)
	svc := site.publishedService(t, slug)
	svc.Title["en"] = "Report a pothole platypusdraft"
	if r := editorUser.post("/editor/entries/service/"+slug, serviceForm(t, svc, csrfOf(t, page.body), 0, "save")); r.status != http.StatusSeeOther {
		t.Fatalf("save: %d", r.status)
	}
	r := editorUser.get("/editor/entries/service/" + slug + "/preview")
	must(t, r, http.StatusOK, `id="preview-banner"`, "<h1>Report a pothole platypusdraft</h1>", "Revision 1")

	r = editorUser.post("/editor/entries/service/"+slug+"/preview-link", url.Values{"_csrf": {csrfOf(t, page.body)}})
	must(t, r, http.StatusOK, `id="preview-url"`)
	link := previewURL.FindStringSubmatch(r.body)
	if link == nil {
		t.Fatalf("no preview link on %s", excerptMain(r.body))
	}
	anon := site.browser(t, stopAtRedirects)
	must(t, anon.get(link[1]), http.StatusOK, "platypusdraft", `id="preview-banner"`)
	mustNot(t, anon.get("/services/"+slug), "platypusdraft")
	// A token changed by one character, its last included (whose low bits
	// no byte uses), or expired, shows nothing.
	for _, i := range []int{len(link[1]) - 10, len(link[1]) - 1} {
		b := []byte(link[1])
		if b[i] == 'A' {
			b[i] = 'B'
		} else {
			b[i] = 'A'
		}
		if r := anon.get(string(b)); r.status != http.StatusNotFound || strings.Contains(r.body, "platypusdraft") {
			t.Errorf("preview link changed at %d: %d", i, r.status)
		}
	}
	token := strings.TrimPrefix(link[1], site.base+"/preview/")
	claim, ok := site.srv.editor.Previews().VerifyPreview(token, time.Now())
	if !ok || claim.Slug != slug || claim.Rev != 1 {
		t.Fatalf("verifyPreview = %+v %v", claim, ok)
	}
	if _, ok := site.srv.editor.Previews().VerifyPreview(token, time.Now().Add(editor.PreviewLinkLife+1)); ok {
		t.Error("an expired preview link still works")
	}
}

var previewURL = regexp.MustCompile(`id="preview-url" value="([^"]+)"`)
