package public

import (
	"encoding/xml"
	"sportello/portal/web"

	"github.com/gofiber/fiber/v2"
)

type urlSet struct {
	XMLName xml.Name     `xml:"urlset"`
	XMLNS   string       `xml:"xmlns,attr"`
	XHTML   string       `xml:"xmlns:xhtml,attr"`
	URLs    []sitemapURL `xml:"url"`
}

type sitemapURL struct {
	Loc        string           `xml:"loc"`
	Alternates []sitemapAltLink `xml:"xhtml:link"`
}

type sitemapAltLink struct {
	Rel      string `xml:"rel,attr"`
	Hreflang string `xml:"hreflang,attr"`
	Href     string `xml:"href,attr"`
}

// SitemapShow lists every public page; a service translated into other
// languages carries hreflang alternates (?lang=xx) for each.
func (s *Handler) SitemapShow(c *fiber.Ctx) error {
	d := s.Directory()
	base := s.BaseURL
	set := urlSet{XMLNS: "http://www.sitemaps.org/schemas/sitemap/0.9", XHTML: "http://www.w3.org/1999/xhtml"}
	add := func(path string, langs []string) {
		u := sitemapURL{Loc: base + path}
		if len(langs) > 1 {
			for _, l := range langs {
				u.Alternates = append(u.Alternates, sitemapAltLink{Rel: "alternate", Hreflang: l, Href: base + path + "?lang=" + l})
			}
		}
		set.URLs = append(set.URLs, u)
	}
	for _, path := range []string{"/", "/topics", "/life-events", "/journeys", "/business", "/accessibility", "/privacy", "/cookies"} {
		add(path, nil)
	}
	for _, t := range d.Topics {
		add(web.TopicURL(t.Slug), nil)
	}
	for _, le := range d.LifeEvents {
		add(web.LifeEventURL(le.Slug), nil)
	}
	for _, j := range d.Journeys {
		add(web.JourneyURL(j.Slug), web.Translated(j.Title))
	}
	for i := range d.Services {
		add(web.ServiceURL(d.Services[i].Slug), web.Translated(d.Services[i].Title))
	}
	out, err := xml.Marshal(set)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationXMLCharsetUTF8)
	return c.Send(append([]byte(xml.Header), out...))
}
