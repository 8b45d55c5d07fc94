package portal

import (
	"encoding/xml"
	"net/http"
	"strings"
	"testing"
)

func TestSitemapShow(t *testing.T) {
	res, body := get(t, "/sitemap.xml", nil)
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/xml") {
		t.Fatalf("status %d, type %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	var set struct {
		URLs []struct {
			Loc   string `xml:"loc"`
			Links []struct {
				Hreflang string `xml:"hreflang,attr"`
				Href     string `xml:"href,attr"`
			} `xml:"link"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal([]byte(body), &set); err != nil {
		t.Fatalf("sitemap is not valid XML: %v", err)
	}
	d := fixture.srv.Directory()
	locs := map[string]int{}
	for i, u := range set.URLs {
		locs[u.Loc] = i
	}
	want := []string{"/", "/topics", "/life-events", "/journeys", "/business", "/accessibility", "/privacy", "/cookies"}
	for _, s := range d.Services {
		want = append(want, "/services/"+s.Slug)
	}
	for _, tp := range d.Topics {
		want = append(want, "/topics/"+tp.Slug)
	}
	for _, le := range d.LifeEvents {
		want = append(want, "/life-events/"+le.Slug)
	}
	for _, j := range d.Journeys {
		want = append(want, "/journeys/"+j.Slug)
	}
	for _, p := range want {
		if _, ok := locs["https://portanova.example"+p]; !ok {
			t.Errorf("sitemap lacks %s", p)
		}
	}
	if len(set.URLs) != len(want) {
		t.Errorf("sitemap has %d URLs, want %d", len(set.URLs), len(want))
	}
	// Alternates name the languages a service is written in: all five for
	// resident-parking-permit, not Spanish or French for order-a-new-bin
	// (notYetTranslated).
	for slug, want := range map[string]string{"resident-parking-permit": "en,es,ca,it,fr", "order-a-new-bin": "en,ca,it"} {
		u := set.URLs[locs["https://portanova.example/services/"+slug]]
		var langs []string
		for _, l := range u.Links {
			langs = append(langs, l.Hreflang)
		}
		if strings.Join(langs, ",") != want {
			t.Errorf("hreflang alternates of %s = %v, want %s", slug, langs, want)
		}
	}
}
