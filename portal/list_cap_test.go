package portal

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"sportello/catalogue"
	"sportello/portal/web"
)

// TestLongListsLinkOnOrPage checks the lists of a large catalogue: a topic
// shows the first web.ListCap services of an audience and links to all of
// them in search, a life event's services come a page at a time, and the
// business page's groups link to their life event.
func TestLongListsLinkOnOrPage(t *testing.T) {
	site := startLiveSite(t, ownCatalogue)
	ctx := context.Background()
	cat, err := catalogue.Load(catalogue.DemoJSON())
	if err != nil {
		t.Fatal(err)
	}
	// 70 more services for residents about waste, all for people moving
	// home, and 60 about waste for businesses starting up.
	const extra, extraBusiness = 70, 60
	var model, businessModel catalogue.Service
	for _, s := range cat.Services {
		switch s.Slug {
		case "report-missed-bin-collection":
			model = s
		case "commercial-waste-collection":
			businessModel = s
		}
	}
	startingUp := ""
	for _, le := range cat.LifeEvents {
		if le.Audience == catalogue.AudienceBusiness && startingUp == "" {
			startingUp = le.Slug
		}
	}
	clone := func(m catalogue.Service, slug string, lifeEvent string) catalogue.Service {
		s := m
		s.Slug = slug
		s.Title = catalogue.Text{}
		for lang, title := range m.Title {
			s.Title[lang] = fmt.Sprintf("%s %s", title, slug)
		}
		s.LifeEvents = []string{lifeEvent}
		s.OnlineForm = nil
		return s
	}
	for i := range extra {
		cat.Services = append(cat.Services, clone(model, fmt.Sprintf("waste-extra-%02d", i), "moving-home"))
	}
	for i := range extraBusiness {
		cat.Services = append(cat.Services, clone(businessModel, fmt.Sprintf("trade-extra-%02d", i), startingUp))
	}
	if _, err := site.store.Import(ctx, cat); err != nil {
		t.Fatal(err)
	}
	if err := site.index.CatchUp(ctx, site.store); err != nil {
		t.Fatal(err)
	}
	if err := site.srv.Reload(ctx); err != nil {
		t.Fatal(err)
	}
	d := site.srv.Directory()
	residents, businesses := 0, 0
	for _, s := range d.ByTopic["waste-recycling"] {
		if slices.Contains(s.Audience, catalogue.AudienceResident) {
			residents++
		}
		if slices.Contains(s.Audience, catalogue.AudienceBusiness) {
			businesses++
		}
	}
	cards := regexp.MustCompile(`<li class="card">`)
	section := func(body, id string) string {
		i := strings.Index(body, `id="`+id+`"`)
		if i < 0 {
			t.Fatalf("no section %s", id)
		}
		body = body[i:]
		if j := strings.Index(body, "</section>"); j >= 0 {
			body = body[:j]
		}
		return body
	}

	b := site.browser(t, stopAtRedirects)
	r := b.get("/topics/waste-recycling")
	must(t, r, 200, fmt.Sprintf(`<p class="list-all"><a href="/search?audience=resident&amp;topic=waste-recycling">See all %d services</a></p>`, residents))
	if n := len(cards.FindAllString(section(r.body, "for-residents"), -1)); n != web.ListCap {
		t.Errorf("the topic shows %d services for residents, want %d", n, web.ListCap)
	}
	// The business list leaves out the services also for residents, which
	// search counts: the link says the number found there.
	must(t, r, 200, fmt.Sprintf(`<p class="list-all"><a href="/search?audience=business&amp;topic=waste-recycling">See all %d services</a></p>`, businesses))
	// The links lead to all of them, which search pages.
	must(t, b.get("/search?audience=resident&topic=waste-recycling"), 200, fmt.Sprintf("%d results", residents), `rel="next"`)
	must(t, b.get("/search?audience=business&topic=waste-recycling"), 200, fmt.Sprintf("%d results", businesses))
	// In the visitor's language (which the site then keeps).
	must(t, b.get("/topics/waste-recycling?lang=it"), 200, fmt.Sprintf("Vedi tutti i %d servizi", residents))
	b.get("/?lang=en")

	// A life event: web.ListCap a page, then the rest.
	moving := len(d.ByLifeEvent["moving-home"])
	pages := (moving + web.ListCap - 1) / web.ListCap
	r = b.get("/life-events/moving-home")
	must(t, r, 200, fmt.Sprintf("Page 1 of %d", pages), `href="/life-events/moving-home?page=2" rel="next"`)
	mustNot(t, r, `rel="prev"`)
	if n := len(cards.FindAllString(section(r.body, "le-services"), -1)); n != web.ListCap {
		t.Errorf("the life event's first page shows %d services, want %d", n, web.ListCap)
	}
	seen := 0
	for page := 1; page <= pages; page++ {
		r := b.get(fmt.Sprintf("/life-events/moving-home?page=%d", page))
		must(t, r, 200, fmt.Sprintf("Page %d of %d", page, pages))
		seen += len(cards.FindAllString(section(r.body, "le-services"), -1))
	}
	if seen != moving {
		t.Errorf("the life event's pages show %d services, want its %d", seen, moving)
	}
	// A page past the end is the last one; a page that is no number the first.
	prev := "/life-events/moving-home"
	if pages > 2 {
		prev += fmt.Sprintf("?page=%d", pages-1)
	}
	must(t, b.get("/life-events/moving-home?page=999"), 200, fmt.Sprintf("Page %d of %d", pages, pages), `href="`+prev+`" rel="prev"`)
	must(t, b.get("/life-events/moving-home?page=x"), 200, fmt.Sprintf("Page 1 of %d", pages))
	must(t, b.get("/life-events/moving-home?page=2&lang=fr"), 200, `aria-label="Pages de la liste"`, fmt.Sprintf("Page 2 sur %d", pages))
	b.get("/?lang=en")

	// The business page: the starting-up group links to its life event,
	// saying how many services its pages list.
	r = b.get("/business")
	must(t, r, 200, fmt.Sprintf(`<p class="list-all"><a href="/life-events/%s">See all %d services</a></p>`, startingUp, len(d.ByLifeEvent[startingUp])))
	if n := len(cards.FindAllString(r.body, -1)); n > 3*web.ListCap+len(cat.Services)-extra-extraBusiness {
		t.Errorf("the business page shows %d services", n)
	}
}
