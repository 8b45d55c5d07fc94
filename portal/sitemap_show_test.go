package portal

import (
	"encoding/xml"
	"fmt"
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

// TestSitemapInParts checks that a catalogue with more pages than a sitemap
// file lists gets a sitemap index, whose files list every page once.
func TestSitemapInParts(t *testing.T) {
	const size = 50
	site := startLiveSite(t, sitemapSize(size))
	b := site.browser(t, stopAtRedirects)
	r := b.get("/sitemap.xml")
	must(t, r, http.StatusOK, "<sitemapindex")
	var index struct {
		Sitemaps []struct {
			Loc string `xml:"loc"`
		} `xml:"sitemap"`
	}
	if err := xml.Unmarshal([]byte(r.body), &index); err != nil {
		t.Fatalf("sitemap index is not valid XML: %v", err)
	}
	d := site.srv.Directory()
	total := 8 + len(d.Topics) + len(d.LifeEvents) + len(d.Journeys) + len(d.Services)
	if want := (total + size - 1) / size; len(index.Sitemaps) != want {
		t.Fatalf("sitemap index lists %d files, want %d for %d pages", len(index.Sitemaps), want, total)
	}
	seen := map[string]bool{}
	for i, sm := range index.Sitemaps {
		if want := fmt.Sprintf("%s/sitemap.xml?part=%d", site.base, i+1); sm.Loc != want {
			t.Errorf("file %d is %s, want %s", i+1, sm.Loc, want)
		}
		r := b.get(strings.TrimPrefix(sm.Loc, site.base))
		must(t, r, http.StatusOK, "<urlset")
		var set struct {
			URLs []struct {
				Loc string `xml:"loc"`
			} `xml:"url"`
		}
		if err := xml.Unmarshal([]byte(r.body), &set); err != nil {
			t.Fatalf("%s is not valid XML: %v", sm.Loc, err)
		}
		if len(set.URLs) > size {
			t.Errorf("%s lists %d URLs, more than %d", sm.Loc, len(set.URLs), size)
		}
		for _, u := range set.URLs {
			if seen[u.Loc] {
				t.Errorf("%s listed twice", u.Loc)
			}
			seen[u.Loc] = true
		}
	}
	if len(seen) != total || !seen[site.base+"/"] || !seen[site.base+"/services/"+d.Services[len(d.Services)-1].Slug] {
		t.Errorf("the files list %d pages, want %d, the home page and the last service among them", len(seen), total)
	}
	for _, part := range []string{"0", "99", "x"} {
		must(t, b.get("/sitemap.xml?part="+part), http.StatusNotFound)
	}
}
