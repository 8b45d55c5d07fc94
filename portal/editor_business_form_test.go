package portal

import (
	"net/http"
	"net/url"
	"testing"

	"sportello/catalogue"
	"sportello/portal/editor"
)

// An editor writes a new business type of the permit finder, the validator
// refuses what an import would, and once published the finder offers it.
func TestEditorWritesABusinessType(t *testing.T) {
	site := startLiveSite(t, ownCatalogue)
	editorUser := site.browser(t, stopAtRedirects)
	admin := site.browser(t, stopAtRedirects)
	page := editorUser.signIn("editor", "/editor/create/business_type")
	tok := csrfOf(t, page.body)
	adminTok := csrfOf(t, admin.signIn("admin", "/editor").body)
	const edit = "/editor/entries/business_type/open-a-bakery"

	r := editorUser.post("/editor/create/business_type", url.Values{"_csrf": {tok}, "slug": {"open-a-bakery"}, "title": {"Open a bakery"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("create: %d %s", r.status, excerptMain(r.body))
	}
	must(t, editorUser.follow(r), http.StatusOK, "Created as a draft", `value="Open a bakery"`, `id="action-add-question"`, `id="action-add-step"`)

	form := func(b *catalogue.BusinessType, base, action string) url.Values {
		v := editor.EntryValues(catalogue.KindBusinessType, b, catalogue.Languages)
		v.Set("_csrf", tok)
		v.Set("base_revision", base)
		v.Set("action", action)
		return v
	}
	bakery := &catalogue.BusinessType{Slug: "open-a-bakery", Title: catalogue.Text{"en": "Open a bakery"},
		Questions: []catalogue.BusinessQuestion{{Key: "bakes_on_site", Text: catalogue.Text{"en": "Will you bake on the premises?"}}},
		Steps: []catalogue.BusinessStep{
			{Title: catalogue.Text{"en": "Register your food business"}, Services: []catalogue.BusinessPermit{
				{Service: "food-business-registration", If: "bakes_on_site"}, {Service: "no-such-permit"}}},
			{Services: []catalogue.BusinessPermit{{Service: "start-trading-declaration", If: "sells_cakes"}}},
		}}

	// The buttons that add a question or a step change the form only.
	r = editorUser.post(edit, form(&catalogue.BusinessType{Slug: "open-a-bakery", Title: bakery.Title}, "1", "add_question"))
	must(t, r, http.StatusOK, "Not saved", `name="questions[0].key"`, `id="action-remove-question-0"`)

	// Checking finds what an import would refuse, on the controls it is about.
	r = editorUser.post(edit, form(bakery, "1", "check"))
	must(t, r, http.StatusOK, `href="#f-steps-0-services"`, `steps[0].services[1].service: &#34;no-such-permit&#34; is not the slug of any of the catalogue&#39;s services`,
		`href="#f-steps-1-services"`, `&#34;sells_cakes&#34; is not the key of any of this business type&#39;s questions`)

	// A line the form cannot read is refused before the validator runs.
	v := form(bakery, "1", "save")
	v.Set("steps[0].services", "food-business-registration when bakes_on_site")
	must(t, editorUser.post(edit, v), http.StatusUnprocessableEntity, "Cannot read &#34;food-business-registration when bakes_on_site&#34;")

	// Fixed, sent for review and published, the finder offers it.
	bakery.Steps[0].Services = bakery.Steps[0].Services[:1]
	bakery.Steps[1].Services[0].If = ""
	if r := editorUser.post(edit, form(bakery, "1", "submit")); r.status != http.StatusSeeOther {
		t.Fatalf("submit: %d %s", r.status, excerptMain(r.body))
	}
	if r := admin.post(edit+"/publish", url.Values{"_csrf": {adminTok}, "base_revision": {"2"}}); r.status != http.StatusSeeOther {
		t.Fatalf("publish: %d %s", r.status, excerptMain(r.body))
	}
	anon := site.browser(t, stopAtRedirects)
	must(t, anon.get("/business/start"), http.StatusOK, `name="what" type="radio" value="open-a-bakery"`)
	must(t, anon.get("/business/start/questions?what=open-a-bakery"), http.StatusOK, `<legend class="finder-legend">Will you bake on the premises?</legend>`)
	r = anon.get("/business/start/plan?what=open-a-bakery&bakes_on_site=no")
	must(t, r, http.StatusOK, `href="/services/start-trading-declaration"`)
	mustNot(t, r, `href="/services/food-business-registration"`)

	// A service a business type names cannot be archived from under it.
	r = admin.post("/editor/entries/service/start-trading-declaration/archive", url.Values{"_csrf": {adminTok}})
	must(t, r, http.StatusUnprocessableEntity, "open-a-bakery", "steps[1].services[0].service")
}
