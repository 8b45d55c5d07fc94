package portal

import (
	"bytes"
	"html"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"sportello/portal/web"
)

// A service page writes money and opening hours the way its language does
// (docs/formats.md): resident-parking-permit costs 40 € a year at the
// mobility office (Mo-Fr 09:00-14:00), a burial plot 1200 € at the
// registry, and the tax office opens on Thursday afternoons too.
func TestServicePageFormatsInEveryLanguage(t *testing.T) {
	const nb, nnb = "\u00a0", "\u202f"
	tests := []struct {
		lang                     string
		permit, plot, hours, tax []string
	}{
		{"en", []string{"<dd>€40.00 per year "}, []string{"€1,200.00"}, []string{"<dd>Monday to Friday, 09:00–14:00</dd>"},
			[]string{"<dd>Monday to Wednesday and Friday, 09:00–14:00; Thursday, 09:00–14:00 and 16:00–18:30</dd>"}},
		{"es", []string{"<dd>40,00" + nb + "€ al año "}, []string{"1200,00" + nb + "€"}, []string{"<dd>lun–vie 9:00–14:00</dd>"},
			[]string{"<dd>lun–mié y vie 9:00–14:00; jue 9:00–14:00 y 16:00–18:30</dd>"}},
		{"ca", []string{"<dd>40,00" + nb + "€ l&#39;any "}, []string{"1.200,00" + nb + "€"}, []string{"<dd>dl.–dv. 9:00–14:00</dd>"},
			[]string{"<dd>dl.–dc. i dv. 9:00–14:00; dj. 9:00–14:00 i 16:00–18:30</dd>"}},
		{"it", []string{"<dd>40,00" + nb + "€ all&#39;anno "}, []string{"1.200,00" + nb + "€"}, []string{"<dd>lun–ven 9:00–14:00</dd>"},
			[]string{"<dd>lun–mer e ven 9:00–14:00; gio 9:00–14:00 e 16:00–18:30</dd>"}},
		{"fr", []string{"<dd>40,00" + nb + "€ par an "}, []string{"1" + nnb + "200,00" + nb + "€"}, []string{"<dd>lun.–ven. 9" + nb + "h–14" + nb + "h</dd>"},
			[]string{"<dd>lun.–mer. et ven. 9" + nb + "h–14" + nb + "h; jeu. 9" + nb + "h–14" + nb + "h et 16" + nb + "h–18" + nb + "h" + nb + "30</dd>"}},
	}
	for _, tt := range tests {
		q := "?lang=" + tt.lang
		runScenarios(t, []scenario{
			{name: tt.lang + " permit", path: "/services/resident-parking-permit" + q, status: http.StatusOK,
				contains: append(tt.permit, tt.hours...), excludes: []string{"Mo-Fr", "09:00-14:00"}},
			{name: tt.lang + " burial plot", path: "/services/burial-plot-purchase" + q, status: http.StatusOK, contains: tt.plot},
			{name: tt.lang + " tax office", path: "/services/pay-property-tax" + q, status: http.StatusOK, contains: tt.tax},
		})
	}
}

// The notice on an entry a council has not translated yet is wholly in
// the page's language, the names of both languages included.
func TestFallbackNoticeInThePageLanguage(t *testing.T) {
	runScenarios(t, []scenario{
		{name: "spanish", path: "/services/order-a-new-bin?lang=es", status: http.StatusOK,
			contains: []string{"Esta página todavía no está disponible en español; se muestra en inglés."},
			excludes: []string{"Español;", "English."}},
		{name: "french", path: "/services/order-a-new-bin?lang=fr", status: http.StatusOK,
			contains: []string{"Cette page n&#39;est pas encore disponible en français\u202f; elle est affichée en anglais."}},
		{name: "italian", path: "/life-events/moving-home?lang=it", status: http.StatusOK,
			contains: []string{"Questa pagina non è ancora disponibile in italiano; è mostrata in inglese."}},
		{name: "catalan has the page", path: "/services/order-a-new-bin?lang=ca", status: http.StatusOK,
			excludes: []string{`class="notice" role="note"`}},
	})
	// Catalan, and English under a council whose catalogue is in Spanish,
	// rendered through the layout directly: the demo has every entry in
	// Catalan and English.
	for _, tt := range []struct{ lang, fallback, want string }{
		{"ca", "en", "Aquesta pàgina encara no està disponible en català; es mostra en anglès."},
		{"ca", "es", "Aquesta pàgina encara no està disponible en català; es mostra en castellà."},
		{"en", "es", "This page is not yet available in English; it is shown in Spanish."},
		{"it", "fr", "Questa pagina non è ancora disponibile in italiano; è mostrata in francese."},
	} {
		var buf bytes.Buffer
		page := struct {
			web.Page
			Topics web.LinkList
		}{Page: web.Page{Lang: tt.lang, Fallback: tt.fallback}, Topics: web.LinkList{Lang: tt.lang}}
		if err := fixture.srv.engine.Render(&buf, "topic_index", page, "layouts/main"); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(buf.String(), tt.want) {
			t.Errorf("%s page in %s: notice lacks %q:\n%s", tt.lang, tt.fallback, tt.want, excerpt(buf.String()))
		}
	}
}

var cardTitle = regexp.MustCompile(`<a class="card__title" href="/services/[^"]+"(?: lang="[a-z]+")?>([^<]+)</a>`)

// A topic lists its services in the alphabetical order of the page's
// language: parking-transport has different orders in English, Spanish and
// French.
func TestTopicListsSortInThePageLanguage(t *testing.T) {
	orders := map[string]string{}
	for _, lang := range []string{"en", "es", "ca", "it", "fr"} {
		_, body := get(t, "/topics/parking-transport?lang="+lang, nil)
		residents, _, _ := strings.Cut(body, `id="for-business"`)
		var titles []string
		for _, m := range cardTitle.FindAllStringSubmatch(residents, -1) {
			titles = append(titles, html.UnescapeString(m[1]))
		}
		if len(titles) < 5 {
			t.Fatalf("%s: %d services for residents on /topics/parking-transport", lang, len(titles))
		}
		col := collate.New(language.Make(lang), collate.Loose)
		if !slices.IsSortedFunc(titles, func(a, b string) int { return col.CompareString(a, b) }) {
			t.Errorf("%s: services not in %s alphabetical order:\n%s", lang, lang, strings.Join(titles, "\n"))
		}
		orders[lang] = strings.Join(titles, "|")
	}
	if orders["es"] == orders["en"] {
		t.Error("Spanish lists the topic's services with English titles' order")
	}
}
