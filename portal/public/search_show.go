package public

import (
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"sportello/catalogue"
	"sportello/portal/web"
	"sportello/search"
)

type searchPage struct {
	web.Page
	Search   web.SearchBox
	Form     SearchForm
	Searched bool // a query or a filter was given
	// FiltersActive is how many filters are set; the filters' disclosure
	// is open when there are any, so that the person sees what narrows
	// the results.
	FiltersActive int
	Total         int
	Hits          []hitView
	Topics        []facetView
	Audiences     []facetView
	Online        int
	Free          int
	// DidYouMean is a corrected query and the URL that runs it.
	DidYouMean    string
	DidYouMeanURL string
	Pager         pager
	Browse        web.LinkList // topics, for the empty state
}

type SearchForm struct {
	Query    string
	Topic    string
	Audience string
	Online   bool
	Free     bool
	Page     int
}

type hitView struct {
	URL  string
	Lang string // language of the texts when it is not the page's
	// ApplyURL goes straight to the online form, "" for a service without
	// one: from a search, the form is two clicks away.
	ApplyURL string
	Kind     string // of online transaction: the words of the start link
	Title    []search.Fragment
	Snippet  []search.Fragment
}

type facetView struct {
	Value    string
	Label    string
	Lang     string
	Count    int
	Selected bool
}

// pager is templates/partials/pager.html's data.
type pager struct {
	Lang        string
	LabelKey    string // the message naming the pages, for screen readers
	Page, Pages int
	PrevURL     string
	NextURL     string
}

// maxQueryBytes caps the text kept from ?q=; the index shortens it further.
const maxQueryBytes = 1000

// ReadSearchForm reads the search parameters shared by the page and the API.
// Whatever a client sends becomes a valid request: unknown filters are
// dropped, text is cut and stripped of control characters.
func ReadSearchForm(c *fiber.Ctx, d *web.Directory) SearchForm {
	f := SearchForm{
		Query:    CleanQuery(c.Query("q")),
		Topic:    c.Query("topic"),
		Audience: c.Query("audience"),
		Online:   web.Truthy(c.Query("online")),
		Free:     web.Truthy(c.Query("free")),
		Page:     web.PageNumber(c.Query("page")),
	}
	if _, ok := d.TopicOf[f.Topic]; !ok {
		f.Topic = ""
	}
	if f.Audience != catalogue.AudienceResident && f.Audience != catalogue.AudienceBusiness {
		f.Audience = ""
	}
	return f
}

func CleanQuery(q string) string {
	if len(q) > maxQueryBytes {
		q = q[:maxQueryBytes]
		for !utf8.ValidString(q) {
			q = q[:len(q)-1]
		}
	}
	q = strings.Map(func(r rune) rune {
		if r == utf8.RuneError || unicode.IsControl(r) {
			return ' '
		}
		return r
	}, q)
	return strings.Join(strings.Fields(q), " ")
}

func (f SearchForm) Request(lang string) search.Request {
	return search.Request{
		Query: f.Query, Lang: lang, Topic: f.Topic, Audience: f.Audience,
		Online: f.Online, Free: f.Free, Page: f.Page,
	}
}

// url is /search with the form's parameters, changed by set.
func (f SearchForm) url(set func(*url.Values)) string {
	v := url.Values{}
	if f.Query != "" {
		v.Set("q", f.Query)
	}
	if f.Topic != "" {
		v.Set("topic", f.Topic)
	}
	if f.Audience != "" {
		v.Set("audience", f.Audience)
	}
	if f.Online {
		v.Set("online", "1")
	}
	if f.Free {
		v.Set("free", "1")
	}
	if set != nil {
		set(&v)
	}
	if len(v) == 0 {
		return "/search"
	}
	return "/search?" + v.Encode()
}

func (s *Handler) searchShow(c *fiber.Ctx) error {
	d := s.Directory()
	p := web.NewPage(c, "search.title")
	f := ReadSearchForm(c, d)
	page := searchPage{
		Page:     p,
		Search:   web.SearchBox{Lang: p.Lang, ID: "search-q", Query: f.Query},
		Form:     f,
		Searched: f.Query != "" || f.Topic != "" || f.Audience != "" || f.Online || f.Free,
	}
	for _, set := range []bool{f.Topic != "", f.Audience != "", f.Online, f.Free} {
		if set {
			page.FiltersActive++
		}
	}
	if f.Query != "" {
		page.Title = web.T(c, "search.title_for", "Query", f.Query)
	}
	if !page.Searched {
		page.Browse = d.TopicLinks(p.Lang)
		return web.Render(c, "search_show", page)
	}
	res, err := s.index.Search(c.UserContext(), f.Request(p.Lang))
	if err != nil {
		return web.NewError(fiber.StatusInternalServerError, "error.search", err)
	}
	page.Total = res.Total
	s.recordSearch(p.Lang, f.Query, f.Page, res.Total)
	for _, h := range res.Hits {
		hv := hitView{URL: web.ServiceURL(h.Slug), Title: h.Title, Snippet: h.Snippet}
		if sum, ok := d.ServiceOf[h.Slug]; ok {
			_, hv.Lang = d.Text(sum.Title, p.Lang)
			if sum.Online {
				hv.ApplyURL, hv.Kind = web.ServiceURL(h.Slug)+"/apply", sum.Kind
			}
			if sum.Booking != nil {
				hv.ApplyURL = web.ServiceURL(h.Slug) + "/book"
			}
		}
		page.Hits = append(page.Hits, hv)
	}
	for i := range d.Topics {
		t := &d.Topics[i]
		n := res.Facets.Topics[t.Slug]
		if n == 0 && t.Slug != f.Topic {
			continue
		}
		title, fb := d.Text(t.Title, p.Lang)
		page.Topics = append(page.Topics, facetView{Value: t.Slug, Label: title, Lang: fb, Count: n, Selected: t.Slug == f.Topic})
	}
	for _, a := range []string{catalogue.AudienceResident, catalogue.AudienceBusiness} {
		page.Audiences = append(page.Audiences, facetView{
			Value: a, Label: web.T(c, "audience."+a), Count: res.Facets.Audiences[a], Selected: a == f.Audience,
		})
	}
	page.Online, page.Free = res.Facets.Online, res.Facets.Free
	if res.DidYouMean != "" && res.DidYouMean != f.Query {
		page.DidYouMean = res.DidYouMean
		g := f
		g.Query = res.DidYouMean
		page.DidYouMeanURL = g.url(nil)
	}
	page.Pager = newPager(p.Lang, f, res)
	if len(page.Hits) == 0 {
		page.Browse = d.TopicLinks(p.Lang)
	}
	return web.Render(c, "search_show", page)
}

func newPager(lang string, f SearchForm, res search.Result) pager {
	return pagerOf(lang, "search.pages", res.Page, res.Total, max(res.PerPage, 1), func(n int) string {
		return f.url(func(v *url.Values) {
			if n > 1 {
				v.Set("page", strconv.Itoa(n))
			}
		})
	})
}

// pagerOf is the pager of page (from 1) of a list of total items, per to a
// page, named by the message labelKey; urlOf gives a page's address.
func pagerOf(lang, labelKey string, page, total, per int, urlOf func(page int) string) pager {
	pg := pager{Lang: lang, LabelKey: labelKey, Page: max(page, 1), Pages: min((total+per-1)/per, web.MaxPage)}
	if pg.Page > 1 {
		pg.PrevURL = urlOf(pg.Page - 1)
	}
	if pg.Page < pg.Pages {
		pg.NextURL = urlOf(pg.Page + 1)
	}
	return pg
}
