package main

// The whole site in Spanish, Catalan, Italian and French, walked in a real
// browser as a resident would use it (issue 13: "a resident can use the
// whole site in each language without meeting English"). Each language has
// its own browser context: it chooses the language with the switcher, then
// searches (with the script's suggestions), reads a service and says whether
// it was useful, reads the topics, a life event and a journey, uses both
// finders, signs in, saves a draft, applies, pays (a declined card first)
// and reads the account; forms are also
// sent wrong once, for their error messages. The sweep below runs signed
// in, and the walk then signs out. Every page
// is checked for English (english_words_test.go); then every page of the
// sitemap and every online form is fetched in that language and checked
// the same way.
//
//	go test ./cmd/sportello/ -run BrowserLanguages -v

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"sportello/catalogue"
)

// walkLanguage is what a walk types, in the language walked.
type walkLanguage struct {
	lang   string
	search string // a search a resident makes
	result string // a word of the first result's title
}

var walkLanguages = []walkLanguage{
	{"es", "basura", "basura"},
	{"ca", "escombraries", "escombraries"},
	{"it", "rifiuti", "rifiuti"},
	{"fr", "poubelle", "poubelle"},
}

func TestBrowserLanguages(t *testing.T) {
	execPath := chromiumPath(t)
	english := loadEnglishWords(t)
	art := newArtefacts(t)
	base := startSportello(t, art)
	b := startBrowser(t, execPath, base, art)
	files := t.TempDir()
	paths := sweepPaths(t, base)

	// The check can fail: the English home page, read the same way, is
	// English in every other language.
	control := &langWalk{tab: b.newTab(t, "lang-control"), english: english}
	control.open(t, "/?lang=en")
	var home pageTexts
	control.run(t, "read the English home page", chromedp.Evaluate(collectTextsJS+"collectTexts(document, true)", &home))
	for _, wl := range walkLanguages {
		if found := english.find(wl.lang, home.Texts); len(found) < 20 {
			t.Fatalf("only %d texts of the English home page count as English in %s: the check would miss English", len(found), wl.lang)
		}
	}

	for _, wl := range walkLanguages {
		t.Run(wl.lang, func(t *testing.T) {
			start := time.Now()
			w := &langWalk{tab: b.newTab(t, "lang-"+wl.lang), walkLanguage: wl, english: english}
			w.walk(t, files)
			t.Logf("%s: %d pages walked in %s", wl.lang, w.pages, time.Since(start).Round(time.Millisecond))
			start = time.Now()
			w.sweep(t, paths)
			t.Logf("%s: %d pages fetched and read in %s", wl.lang, len(paths), time.Since(start).Round(time.Millisecond))
			w.signOut(t)
		})
	}
}

// langWalk is one language's tab and what it has seen.
type langWalk struct {
	*tab
	walkLanguage
	english englishWords
	pages   int
}

// check fails the test, without stopping the walk, for each English text on
// the page, and when the page does not say it is in the walk's language.
func (w *langWalk) check(t *testing.T, name string) {
	t.Helper()
	w.pages++
	var page pageTexts
	w.run(t, "read the texts of "+name, chromedp.Evaluate(collectTextsJS+"collectTexts(document, true)", &page))
	w.report(t, name, w.path(t), page)
}

func (w *langWalk) report(t *testing.T, name, path string, page pageTexts) {
	t.Helper()
	if page.Lang != w.lang {
		t.Errorf("%s: %s (%s) says it is in %q (<html lang>)", w.lang, name, path, page.Lang)
	}
	if found := w.english.find(w.lang, page.Texts); len(found) > 0 {
		shot := ""
		if name != "" && !strings.HasPrefix(name, "fetched") {
			w.shot(t, "english-"+name)
			shot = " (screenshot kept)"
		}
		t.Errorf("%s: English on %s (%s)%s:\n  %s", w.lang, name, path, shot, strings.Join(found, "\n  "))
	}
}

// pageTexts is what collectTexts returns.
type pageTexts struct {
	Lang  string   `json:"lang"`
	Texts []string `json:"texts"`
}

// collectTextsJS defines collectTexts(doc, live): every text a person can
// meet on a page — its title, the text shown or read out (screen-reader
// text included, what is hidden from everyone left out), the options of
// lists, labels in attributes, the words the script announces — but the
// language switcher's names, which are each language's own, and <code>,
// which holds identifiers (the development provider's user names and
// group claims), not words.
const collectTextsJS = `function collectTexts(doc, live) {
  const out = [doc.title];
  const skip = el => !el || el.closest('script, style, template, noscript, code, nav.langs a');
  const hidden = el => el.closest('[hidden]') || (live && !el.closest('option') && !el.checkVisibility());
  const walker = doc.createTreeWalker(doc.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!n.textContent.trim() || skip(el) || hidden(el)) continue;
    out.push(n.textContent);
  }
  const attrs = ['aria-label', 'aria-description', 'aria-roledescription', 'title', 'placeholder', 'alt'];
  for (const el of doc.body.querySelectorAll('*')) {
    if (skip(el)) continue;
    for (const a of attrs) {
      const v = el.getAttribute(a);
      if (v) out.push(v);
    }
    if (el.matches('input[type=submit], input[type=button], input[type=reset]') && el.value) out.push(el.value);
    if (el.dataset.msgOne) out.push(el.dataset.msgOne);
    if (el.dataset.msgMany) out.push(el.dataset.msgMany);
  }
  return {lang: doc.documentElement.lang, texts: out};
}
`

// walk is the resident's way through the site.
func (w *langWalk) walk(t *testing.T, files string) {
	// The browser asks for English; the resident picks a language.
	w.open(t, "/")
	w.follow(t, `nav.langs a[hreflang="`+w.lang+`"]`)
	w.check(t, "home")

	// The suggestions the script offers while typing, and what it
	// announces.
	w.run(t, "type a search and wait for suggestions",
		chromedp.SendKeys("#home-search", w.search, chromedp.ByQuery),
		chromedp.WaitVisible(`[role=listbox] [role=option]`, chromedp.ByQuery))
	w.check(t, "home-suggestions")
	w.follow(t, "form[role=search] button[type=submit]")
	w.expectPath(t, "/search?")
	w.expectText(t, "ol.results li:first-child", w.result)
	w.check(t, "search-results")
	w.follow(t, "ol.results li:first-child a.result__title")
	w.expectPath(t, "/services/")
	w.check(t, "service")
	// "Was this page useful?" No, and why.
	w.follow(t, "#feedback-no")
	w.check(t, "feedback-form")
	w.run(t, "write why", chromedp.SendKeys("#feedback-comment", w.search+" ?", chromedp.ByQuery))
	w.follow(t, "#feedback-form button[type=submit]")
	w.expectText(t, "#feedback-thanks", "")
	w.check(t, "feedback-thanks")
	// A search that finds nothing.
	w.open(t, "/search?q=zqxjkv")
	w.check(t, "search-nothing-found")

	w.follow(t, `nav.nav a[href="/topics"]`)
	w.check(t, "topics")
	w.follow(t, "main ul.links a.links__title")
	w.expectPath(t, "/topics/")
	w.check(t, "topic")

	w.follow(t, `nav.nav a[href="/life-events"]`)
	w.check(t, "life-events")
	w.follow(t, `main a[href="/life-events/moving-home"]`)
	w.check(t, "life-event")
	w.follow(t, `nav.nav a[href="/journeys"]`)
	w.check(t, "journeys")
	w.follow(t, `main a[href="/journeys/move-to-porta-nova"]`)
	w.check(t, "journey")

	// The business permit finder: what, its questions, the plan.
	w.follow(t, `nav.nav a[href="/business"]`)
	w.check(t, "business")
	w.follow(t, `main a[href="/business/start"]`)
	w.check(t, "business-start")
	w.submitExpecting(t, "main form button[type=submit]", 422)
	w.check(t, "business-start-error")
	w.run(t, "choose a restaurant", chromedp.Click(`input[name="what"][value="open-a-restaurant"]`, chromedp.ByQuery))
	w.follow(t, "main form button[type=submit]")
	w.expectPath(t, "/business/start/questions")
	w.check(t, "business-questions")
	w.run(t, "answer yes to every question", chromedp.Evaluate(
		`document.querySelectorAll('main input[type=radio][value=yes]').forEach(r => r.click()); true`, nil))
	w.follow(t, "main form button[type=submit]")
	w.expectPath(t, "/business/start/plan")
	w.check(t, "business-plan")

	// A page that does not exist.
	w.load(t, "open a missing page", 404, chromedp.Navigate(w.b.base+"/services/no-such-service"))
	w.check(t, "not-found")

	// Signing in, on the development provider's pages in the same language.
	w.open(t, "/")
	w.follow(t, `.header__account a[href^="/auth/login"]`)
	w.expectPath(t, "/dev-idp/")
	w.check(t, "sign-in")
	w.follow(t, `button[name="persona"][value="resident"]`)
	w.expectPath(t, "/")
	w.check(t, "home-signed-in")

	// The support finder, its answers and results, saved to the account.
	w.follow(t, `main a[href="/support-finder"]`)
	w.check(t, "support-finder")
	w.follow(t, "main a.button--start")
	w.submitExpecting(t, "main form button[type=submit]", 422)
	w.check(t, "support-question-error")
	answerSupportFinder(t, w.tab, supportAnswers, func(name string) { w.check(t, "support-question-"+name) })
	if w.path(t) == "/support-finder/answers" {
		w.check(t, "support-answers")
		w.follow(t, `main a.button[href="/support-finder/results"]`)
	}
	w.expectPath(t, "/support-finder/results")
	w.check(t, "support-results")
	w.run(t, "agree to keep the answers", chromedp.Click("#consent", chromedp.ByQuery))
	w.follow(t, `form[action="/support-finder/save"] button[type=submit]`)
	w.expectPath(t, "/account/support")
	w.check(t, "account-support-saved")

	// A form saved as a draft, to finish later.
	w.open(t, "/services/report-missed-bin-collection/apply")
	w.run(t, "start the form", chromedp.SendKeys("#address-line1", "Carrer Major 12", chromedp.ByQuery))
	w.follow(t, "#apply-save")
	w.expectPath(t, "/account/applications?saved=")
	w.expectText(t, "#drafts", "")
	w.check(t, "draft-saved")

	// Applying for a resident parking permit and paying its fee.
	ref := w.applyAndPay(t, files)

	// The account.
	w.follow(t, `.header__account a[href="/account"]`)
	w.check(t, "account")
	w.follow(t, `main a[href="/account/applications"]`)
	w.expectText(t, "#applications tbody", ref)
	w.check(t, "account-applications")
	w.follow(t, `#applications a[href="/account/applications/`+ref+`"]`)
	w.check(t, "account-application")
	w.open(t, "/account")
	w.follow(t, `main a[href="/account/payments"]`)
	w.expectText(t, "main", ref)
	w.check(t, "account-payments")
	w.open(t, "/account")
	w.follow(t, `main a[href="/account/support"]`)
	w.check(t, "account-support")
}

// signOut signs out from the header, through the provider's end of the
// session.
func (w *langWalk) signOut(t *testing.T) {
	w.open(t, "/account")
	w.follow(t, ".header__logout button[type=submit]")
	w.check(t, "signed-out")
}

// applyAndPay applies for a resident parking permit, sending the form
// empty first to read its errors, and pays the €40 on the simulated
// checkout "Continue to payment" leads to, where the card is declined the
// first time; the page back from it is the confirmation. It returns the
// reference.
func (w *langWalk) applyAndPay(t *testing.T, files string) string {
	w.open(t, "/services/resident-parking-permit")
	w.check(t, "paid-service")
	w.follow(t, "main a.button--start")
	w.expectPath(t, "/services/resident-parking-permit/apply")
	w.check(t, "apply-form")
	w.submitExpecting(t, "#apply-continue", 422)
	w.check(t, "apply-form-errors")

	fillParkingPermit(t, w.tab, writePDF(t, files, "permis-1234.pdf"))
	w.follow(t, "#apply-continue")
	w.expectPath(t, "/services/resident-parking-permit/apply/check")
	w.check(t, "check-your-answers")
	w.follow(t, "#apply-submit")
	w.expectPath(t, "/payments/simulated/")
	w.check(t, "simulated-checkout")
	ref := w.text(t, ".simulated-checkout .reference")
	if !referencePattern.MatchString(ref) {
		t.Fatalf("the reference shown is %q, want PN-XXXX-XXXX", ref)
	}
	// The card is declined once, then the resident tries again.
	w.follow(t, "#simulated-decline")
	w.expectPath(t, "/applications/"+ref+"/pay?notice=declined")
	w.check(t, "payment-declined")
	w.check(t, "pay")
	w.follow(t, "#pay-now")
	w.expectPath(t, "/payments/simulated/")
	w.follow(t, "#simulated-pay")
	w.expectPath(t, "/payments/return")
	w.expectText(t, "#reference", ref)
	w.check(t, "application-sent")
	w.follow(t, `main a.button[href*="/receipt"]`)
	w.expectText(t, "#receipt-reference", ref)
	w.check(t, "receipt")
	return ref
}

// supportAnswers are a 70-year-old who lives alone in Porta Nova on €600
// a month.
var supportAnswers = map[string]string{
	"age": "70", "resident": "yes", "years_resident": "30", "household_size": "1",
	"children_under_18": "0", "monthly_income": "600", "disability": "no", "unemployed": "no",
	"carer": "no", "student": "no", "homeowner": "no", "renting": "yes",
}

// answerSupportFinder answers the support finder's questions from its
// first one until it stops asking; each is called on every question page
// before it is answered.
func answerSupportFinder(t *testing.T, tb *tab, answers map[string]string, each func(name string)) []string {
	t.Helper()
	var asked []string
	for range len(answers) + 1 {
		name, ok := strings.CutPrefix(tb.path(t), "/support-finder/questions/")
		if !ok {
			break
		}
		name, _, _ = strings.Cut(name, "?")
		v, known := answers[name]
		if !known {
			t.Fatalf("the support finder asks %q (%s), which this journey has no answer for", name, tb.text(t, "main h1"))
		}
		asked = append(asked, name+"="+v)
		if each != nil {
			each(name)
		}
		switch v {
		case "yes":
			tb.run(t, "answer "+name, chromedp.Click("#answer", chromedp.ByQuery))
		case "no":
			tb.run(t, "answer "+name, chromedp.Click("#answer-no", chromedp.ByQuery))
		default:
			tb.run(t, "answer "+name, chromedp.SendKeys("#answer", v, chromedp.ByQuery))
		}
		tb.follow(t, "main form button[type=submit]")
	}
	return asked
}

// sweepPaths are the pages every language's sweep reads: those of the
// sitemap (home, topics, life events, journeys, every service) and the
// online form of every service that has one.
func sweepPaths(t *testing.T, base string) []string {
	t.Helper()
	res, err := http.Get(base + "/sitemap.xml")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	seen := map[string]bool{}
	for _, m := range sitemapLoc.FindAllStringSubmatch(string(body), -1) {
		p := strings.TrimPrefix(m[1], base)
		if !seen[p] {
			seen[p] = true
			paths = append(paths, p)
		}
	}
	demo, err := catalogue.Load(catalogue.DemoJSON())
	if err != nil {
		t.Fatal(err)
	}
	services, forms := 0, 0
	for _, s := range demo.Services {
		if !seen["/services/"+s.Slug] {
			t.Errorf("the sitemap lacks /services/%s", s.Slug)
		}
		services++
		if s.OnlineForm != nil {
			paths = append(paths, "/services/"+s.Slug+"/apply")
			forms++
		}
		// The days free to book at each office, for a service the walk's
		// sign-in may book (a higher level asks for a new sign-in first).
		if s.Booking != nil && (s.Assurance == nil || *s.Assurance == catalogue.AssuranceNone || *s.Assurance == catalogue.AssuranceLow) {
			for _, office := range s.Booking.Offices {
				paths = append(paths, "/services/"+s.Slug+"/book/"+office)
			}
		}
	}
	if services < 100 || forms < 50 {
		t.Fatalf("the demo has %d services and %d online forms: the sweep would prove little", services, forms)
	}
	return paths
}

var sitemapLoc = regexp.MustCompile(`<loc>([^<]+)</loc>`)

// sweepBatch is how many pages one script fetches, so that a step stays
// well inside stepTimeout.
const sweepBatch = 20

// sweep fetches every path in the tab (so with its language and its
// sign-in), reads each page's texts from its HTML and checks them. The
// pages are not laid out, so text hidden by a style sheet is read too.
func (w *langWalk) sweep(t *testing.T, paths []string) {
	t.Helper()
	w.open(t, "/")
	for i := 0; i < len(paths); i += sweepBatch {
		batch := paths[i:min(i+sweepBatch, len(paths))]
		list, err := json.Marshal(batch)
		if err != nil {
			t.Fatal(err)
		}
		script := collectTextsJS + `Promise.all(` + string(list) + `.map(async p => {
  const r = await fetch(p, {redirect: 'manual'});
  const html = await r.text();
  const doc = new DOMParser().parseFromString(html, 'text/html');
  return {path: p, status: r.status, page: r.status === 200 ? collectTexts(doc, false) : null};
}))`
		var pages []struct {
			Path   string    `json:"path"`
			Status int       `json:"status"`
			Page   pageTexts `json:"page"`
		}
		w.run(t, fmt.Sprintf("fetch pages %d to %d", i+1, i+len(batch)), chromedp.Evaluate(script, &pages,
			func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }))
		for _, p := range pages {
			if p.Status != 200 {
				t.Errorf("%s: %s answered %d", w.lang, p.Path, p.Status)
				continue
			}
			w.report(t, "fetched page", p.Path, p.Page)
		}
	}
}
