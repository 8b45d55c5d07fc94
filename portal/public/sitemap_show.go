package public

import (
	"encoding/xml"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"sportello/catalogue"
	"sportello/portal/web"
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

// defaultSitemapSize is the most URLs one sitemap file lists. The protocol
// allows 50,000 and 50 MB; a national catalogue's 100k services with their
// languages' alternates made one file of 26 MB. 10,000 make about 2.6 MB.
const defaultSitemapSize = 10000

type sitemapIndex struct {
	XMLName  xml.Name     `xml:"sitemapindex"`
	XMLNS    string       `xml:"xmlns,attr"`
	Sitemaps []sitemapLoc `xml:"sitemap"`
}

type sitemapLoc struct {
	Loc string `xml:"loc"`
}

// sitemapEntry is a page of the sitemap and the languages it is written
// in, when there are several.
type sitemapEntry struct {
	path  string
	langs []string
}

// SitemapShow lists every public page; a service translated into other
// languages carries hreflang alternates (?lang=xx) for each. When there are
// more pages than one sitemap file lists, /sitemap.xml is an index of the
// files /sitemap.xml?part=1, 2, ...
func (s *Handler) SitemapShow(c *fiber.Ctx) error {
	d := s.Directory()
	var pages []sitemapEntry
	for _, path := range []string{"/", "/topics", "/life-events", "/journeys", "/business", "/accessibility", "/privacy", "/cookies"} {
		pages = append(pages, sitemapEntry{path: path})
	}
	for _, t := range d.Topics {
		pages = append(pages, sitemapEntry{path: web.TopicURL(t.Slug)})
	}
	for _, le := range d.LifeEvents {
		pages = append(pages, sitemapEntry{path: web.LifeEventURL(le.Slug)})
	}
	for _, j := range d.Journeys {
		pages = append(pages, sitemapEntry{path: web.JourneyURL(j.Slug), langs: web.Translated(j.Title)})
	}
	total := len(pages) + len(d.Services)
	size := max(s.SitemapSize, 1)
	parts := (total + size - 1) / size
	from := 0
	if part := c.Query("part"); part != "" {
		n, err := strconv.Atoi(part)
		if err != nil || n < 1 || n > parts {
			return catalogue.ErrNotFound
		}
		from = (n - 1) * size
	} else if parts > 1 {
		index := sitemapIndex{XMLNS: sitemapNS}
		for n := 1; n <= parts; n++ {
			index.Sitemaps = append(index.Sitemaps, sitemapLoc{Loc: s.BaseURL + "/sitemap.xml?part=" + strconv.Itoa(n)})
		}
		return sendXML(c, index)
	}
	set := urlSet{XMLNS: sitemapNS, XHTML: "http://www.w3.org/1999/xhtml"}
	for i := from; i < min(from+size, total); i++ {
		e := sitemapEntry{}
		if i < len(pages) {
			e = pages[i]
		} else {
			svc := &d.Services[i-len(pages)]
			e = sitemapEntry{path: web.ServiceURL(svc.Slug), langs: web.Translated(svc.Title)}
		}
		u := sitemapURL{Loc: s.BaseURL + e.path}
		if len(e.langs) > 1 {
			for _, l := range e.langs {
				u.Alternates = append(u.Alternates, sitemapAltLink{Rel: "alternate", Hreflang: l, Href: s.BaseURL + e.path + "?lang=" + l})
			}
		}
		set.URLs = append(set.URLs, u)
	}
	return sendXML(c, set)
}

const sitemapNS = "http://www.sitemaps.org/schemas/sitemap/0.9"

func sendXML(c *fiber.Ctx, v any) error {
	out, err := xml.Marshal(v)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationXMLCharsetUTF8)
	return c.Send(append([]byte(xml.Header), out...))
}
