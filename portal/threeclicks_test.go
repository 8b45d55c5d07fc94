package portal

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

var hrefAttr = regexp.MustCompile(`<a\s[^>]*href="([^"]+)"`)

// crawlable reports whether a link leads to a page of the site a person
// browses: local, not an asset, the API, sign-in or a file.
func crawlable(u *url.URL) bool {
	if u.Scheme != "" || u.Host != "" || !strings.HasPrefix(u.Path, "/") {
		return false
	}
	for _, p := range []string{"/assets/", "/api/", "/auth/", "/dev-idp", "/account", "/staff", "/sitemap.xml", "/healthz"} {
		if strings.HasPrefix(u.Path, p) {
			return false
		}
	}
	return true
}

// canonical is a link without its fragment and its language (the same page
// in another language is as far away).
func canonical(u *url.URL) string {
	q := u.Query()
	q.Del("lang")
	u.RawQuery, u.Fragment = q.Encode(), ""
	return u.String()
}

var applyPath = regexp.MustCompile(`^/services/([a-z0-9-]+)/(apply|book)$`)

// From the home page, every online service's form is at most three clicks
// away, following only links (no forms, no script): the test crawls the
// rendered site breadth first and measures the click depth of every
// /services/{slug}/apply page (/book for a service booked as a time).
func TestEveryFormWithinThreeClicks(t *testing.T) {
	const maxDepth = 3
	depth := map[string]int{"/": 0}
	queue := []string{"/"}
	fetched := 0
	for len(queue) > 0 {
		page := queue[0]
		queue = queue[1:]
		// Pages at the limit are not opened: what they link to would be
		// deeper than three. Forms are where the crawl ends.
		if depth[page] >= maxDepth || applyPath.MatchString(page) {
			continue
		}
		res, body := get(t, page, nil)
		fetched++
		if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
			continue
		}
		for _, m := range hrefAttr.FindAllStringSubmatch(body, -1) {
			u, err := url.Parse(strings.ReplaceAll(m[1], "&amp;", "&"))
			if err != nil || !crawlable(u) {
				continue
			}
			next := canonical(u)
			if _, seen := depth[next]; !seen {
				depth[next] = depth[page] + 1
				queue = append(queue, next)
			}
		}
	}
	dist := map[int]int{}
	for _, svc := range fixture.srv.Directory().Services {
		if !svc.Online {
			continue
		}
		start := "/services/" + svc.Slug + "/apply"
		if svc.Booking != nil {
			start = "/services/" + svc.Slug + "/book"
		}
		d, ok := depth[start]
		if !ok {
			t.Errorf("the form of %s is not reachable in %d clicks from the home page", svc.Slug, maxDepth)
			continue
		}
		dist[d]++
	}
	var lines []string
	for d := 0; d <= maxDepth; d++ {
		if dist[d] > 0 {
			lines = append(lines, fmt.Sprintf("  %d clicks: %d forms", d, dist[d]))
		}
	}
	t.Logf("crawled %d pages; click depth of the online forms from the home page:\n%s", fetched, strings.Join(lines, "\n"))
	if len(dist) == 0 {
		t.Fatal("no online service found")
	}
}

// From a search result, the form is one click away: results of online
// services carry a link to the form ("Report now" for the missed bin), and
// others do not.
func TestSearchResultsLinkToForms(t *testing.T) {
	_, body := get(t, "/search?q=missed+bin+collection", nil)
	if !strings.Contains(body, `href="/services/report-missed-bin-collection/apply"`) {
		t.Errorf("the search result for the missed bin has no link to its form:\n%s", excerptMain(body))
	}
	if !strings.Contains(body, `Report now<span class="visually-hidden">: `) {
		t.Errorf("the start link has no accessible name naming the service")
	}
	_, body = get(t, "/search?q=find+your+collection+day", nil)
	if !strings.Contains(body, `href="/services/find-your-collection-day"`) {
		t.Fatalf("find-your-collection-day is not found by its title")
	}
	if strings.Contains(body, `href="/services/find-your-collection-day/apply"`) {
		t.Errorf("a service without an online form has a start link")
	}
	// Every start link of a page of results goes to an online form.
	_, body = get(t, "/search?q=permit", nil)
	d := fixture.srv.Directory()
	n := 0
	for _, m := range hrefAttr.FindAllStringSubmatch(body, -1) {
		if sm := applyPath.FindStringSubmatch(m[1]); sm != nil {
			n++
			if sum, ok := d.ServiceOf[sm[1]]; !ok || !sum.Online {
				t.Errorf("start link to %s, which has no online form", sm[1])
			}
		}
	}
	if n == 0 {
		t.Errorf("no start links on the results for permit")
	}
}
