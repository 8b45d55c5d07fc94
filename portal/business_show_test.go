package portal

import (
	"net/http"
	"net/url"
	"testing"
)

func TestBusinessShow(t *testing.T) {
	runScenarios(t, []scenario{
		{
			name: "grouped by business life event", path: "/business", status: http.StatusOK,
			contains: []string{
				"<h1>For businesses</h1>", `<a href="/life-events/starting-a-business">`, `<a href="/life-events/closing-a-business">`,
				"Other services for businesses", `href="/journeys/open-a-restaurant"`, `href="/services/start-trading-declaration"`,
			},
			excludes: []string{`href="/journeys/having-a-baby"`},
		},
		{
			name: "catalan", path: "/business?lang=ca", status: http.StatusOK,
			contains: []string{"<h1>Per a empreses</h1>", "Altres serveis per a empreses"},
		},
	})
}

// TestBusinessShowFollowsPublishing: the page for businesses is kept per
// catalogue version, so a service published after a visit shows at once.
func TestBusinessShowFollowsPublishing(t *testing.T) {
	site := startLiveSite(t, ownCatalogue)
	const slug = "start-trading-declaration"
	anon := site.browser(t, stopAtRedirects)
	must(t, anon.get("/business"), http.StatusOK, `href="/services/`+slug+`"`)
	mustNot(t, anon.get("/business"), "wombatledger")

	editorUser := site.browser(t, stopAtRedirects)
	page := editorUser.signIn("editor", "/editor/entries/service/"+slug)
	svc := site.publishedService(t, slug)
	svc.Title["en"] = "Declare the start of trading wombatledger"
	if r := editorUser.post("/editor/entries/service/"+slug, serviceForm(t, svc, csrfOf(t, page.body), 0, "save")); r.status != http.StatusSeeOther {
		t.Fatalf("save: %d\n%s", r.status, excerptMain(r.body))
	}
	admin := site.browser(t, stopAtRedirects)
	page = admin.signIn("admin", "/editor/entries/service/"+slug)
	if r := admin.post("/editor/entries/service/"+slug+"/publish", url.Values{"_csrf": {csrfOf(t, page.body)}, "base_revision": {"1"}}); r.status != http.StatusSeeOther {
		t.Fatalf("publish: %d\n%s", r.status, excerptMain(r.body))
	}
	must(t, anon.get("/business"), http.StatusOK, "Declare the start of trading wombatledger")
}
