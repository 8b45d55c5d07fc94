package search

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"

	"sportello/catalogue"
)

func TestSearchFindsServices(t *testing.T) {
	x, _ := openDemo(t)
	tests := []struct {
		lang, query string
		want        string // slug expected among the first `within` hits
		within      int
	}{
		{"en", "bin not emptied", "report-missed-bin-collection", 1},
		{"en", "rubish", "report-missed-bin-collection", 3},
		{"en", "trash", "report-missed-bin-collection", 3},
		{"en", "licence", "alcohol-premises-licence", 10},
		{"en", "license", "alcohol-premises-licence", 10},
		{"en", "dog license", "dog-registration", 2},
		{"en", "taxi licence", "taxi-driver-licence", 1},
		{"en", "taxi license", "taxi-driver-licence", 1},
		{"en", "wheelie bin", "report-missed-bin-collection", 3},
		{"en", "reciclying", "recycling-centre-van-permit", 5},
		{"es", "basura", "report-missed-bin-collection", 2},
		{"es", "cubo no vaciado", "report-missed-bin-collection", 1},
		{"es", "padrón", "register-on-the-municipal-register", 3},
		{"ca", "escombraries", "report-missed-bin-collection", 3},
		{"ca", "llicència d'obres", "minor-building-works-licence", 2},
		{"ca", "gos", "dog-registration", 1},
		{"it", "rifiuti abbandonati", "report-fly-tipping", 1},
		{"it", "matrimonio", "book-a-civil-wedding", 1},
		{"fr", "déchets verts", "garden-waste-subscription", 1},
		{"fr", "dechets verts", "garden-waste-subscription", 1},
		{"fr", "contester amende", "challenge-a-parking-fine", 1},
		// Untranslated services are found through the default language.
		{"fr", "allotment", "allotment-application", 1},
		{"ca", "bulky waste", "bulky-waste-collection", 1},
		{"xx", "pothole", "report-a-pothole", 1},
	}
	for _, tt := range tests {
		t.Run(tt.lang+"/"+tt.query, func(t *testing.T) {
			r, err := x.Search(context.Background(), Request{Query: tt.query, Lang: tt.lang})
			if err != nil {
				t.Fatal(err)
			}
			got := slugs(r)
			if i := slices.Index(got, tt.want); i < 0 || i >= tt.within {
				t.Errorf("%s not in the first %d: %v", tt.want, tt.within, got)
			}
		})
	}
}

func TestLicenceAndLicenseFindTheSame(t *testing.T) {
	x, _ := openDemo(t)
	top := func(q string) []string {
		r, err := x.Search(context.Background(), Request{Query: q, Lang: "en", PerPage: 5})
		if err != nil {
			t.Fatal(err)
		}
		return slugs(r)
	}
	a, b := top("licence"), top("license")
	common := 0
	for _, s := range a {
		if slices.Contains(b, s) {
			common++
		}
	}
	if common < 3 {
		t.Errorf("licence %v and license %v share %d of the top 5, want >= 3", a, b, common)
	}
}

func TestPhraseRanksAboveScatteredWords(t *testing.T) {
	x, _ := openDemo(t)
	// "parking permit" is a phrase in the resident permit's title; other
	// services mention both words apart.
	r, err := x.Search(context.Background(), Request{Query: "business parking permit", Lang: "en"})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Hits) == 0 || r.Hits[0].Slug != "business-parking-permit" {
		t.Errorf("top hit %v, want business-parking-permit first", slugs(r))
	}
}

func TestFilters(t *testing.T) {
	x, c := openDemo(t)
	ctx := context.Background()
	count := func(keep func(*catalogue.Service) bool) int {
		n := 0
		for i := range c.Services {
			if keep(&c.Services[i]) {
				n++
			}
		}
		return n
	}
	tests := []struct {
		name string
		req  Request
		keep func(*catalogue.Service) bool
	}{
		{"topic", Request{Topic: "waste-recycling"}, func(s *catalogue.Service) bool { return s.Topic == "waste-recycling" }},
		{"audience", Request{Audience: "business"}, func(s *catalogue.Service) bool { return s.For("business") }},
		{"online", Request{Online: true}, func(s *catalogue.Service) bool { return s.Online() }},
		{"free", Request{Free: true}, func(s *catalogue.Service) bool { return s.Free() }},
		{"online free business", Request{Online: true, Free: true, Audience: "business"},
			func(s *catalogue.Service) bool { return s.Online() && s.Free() && s.For("business") }},
		{"none", Request{}, func(*catalogue.Service) bool { return true }},
	}
	bySlug := map[string]*catalogue.Service{}
	for i := range c.Services {
		bySlug[c.Services[i].Slug] = &c.Services[i]
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.req.PerPage = 100
			r, err := x.Search(ctx, tt.req)
			if err != nil {
				t.Fatal(err)
			}
			want := count(tt.keep)
			if r.Total != want {
				t.Errorf("Total = %d, want %d", r.Total, want)
			}
			if len(r.Hits) != min(want, 100) {
				t.Errorf("%d hits, want %d", len(r.Hits), min(want, 100))
			}
			for _, h := range r.Hits {
				if !tt.keep(bySlug[h.Slug]) {
					t.Errorf("hit %s does not pass the filter", h.Slug)
				}
			}
			if r.Facets.Online != count(func(s *catalogue.Service) bool { return tt.keep(s) && s.Online() }) {
				t.Errorf("online facet = %d", r.Facets.Online)
			}
			if r.Facets.Free != count(func(s *catalogue.Service) bool { return tt.keep(s) && s.Free() }) {
				t.Errorf("free facet = %d", r.Facets.Free)
			}
			for topic, n := range r.Facets.Topics {
				if w := count(func(s *catalogue.Service) bool { return tt.keep(s) && s.Topic == topic }); n != w {
					t.Errorf("topic facet %s = %d, want %d", topic, n, w)
				}
			}
			for _, aud := range []string{"resident", "business"} {
				if w := count(func(s *catalogue.Service) bool { return tt.keep(s) && s.For(aud) }); r.Facets.Audiences[aud] != w {
					t.Errorf("audience facet %s = %d, want %d", aud, r.Facets.Audiences[aud], w)
				}
			}
		})
	}
}

func TestFiltersWithQuery(t *testing.T) {
	x, _ := openDemo(t)
	r, err := x.Search(context.Background(), Request{Query: "parking", Lang: "en", Audience: "business", PerPage: 50})
	if err != nil {
		t.Fatal(err)
	}
	got := slugs(r)
	if !slices.Contains(got, "business-parking-permit") || slices.Contains(got, "resident-parking-permit") {
		t.Errorf("business filter on %q gave %v", "parking", got)
	}
	if r.Facets.Audiences["resident"] != 0 && !slices.Contains(got, "pay-a-parking-fine") {
		t.Errorf("facets %v count hits outside the result set", r.Facets.Audiences)
	}
	r, err = x.Search(context.Background(), Request{Query: "bin", Lang: "en", Free: true, PerPage: 50})
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(slugs(r), "order-a-new-bin") {
		t.Errorf("free filter kept the chargeable order-a-new-bin: %v", slugs(r))
	}
	if !slices.Contains(slugs(r), "report-missed-bin-collection") {
		t.Errorf("free filter lost report-missed-bin-collection: %v", slugs(r))
	}
	// A filter only removes hits: those it keeps score as without it (but
	// for the rounding of a sum taken in another order).
	all, err := x.Search(context.Background(), Request{Query: "bin", Lang: "en", PerPage: 50})
	if err != nil {
		t.Fatal(err)
	}
	scores := map[string]float64{}
	for _, h := range all.Hits {
		scores[h.Slug] = h.Score
	}
	for _, h := range r.Hits {
		if math.Abs(h.Score-scores[h.Slug]) > 1e-9 {
			t.Errorf("%s scores %v with the free filter, %v without", h.Slug, h.Score, scores[h.Slug])
		}
	}
}

func TestPaging(t *testing.T) {
	x, c := openDemo(t)
	ctx := context.Background()
	seen := map[string]bool{}
	for page := 1; ; page++ {
		r, err := x.Search(ctx, Request{Page: page, PerPage: 25})
		if err != nil {
			t.Fatal(err)
		}
		if r.Page != page || r.PerPage != 25 {
			t.Fatalf("page %d: Page=%d PerPage=%d", page, r.Page, r.PerPage)
		}
		if len(r.Hits) == 0 {
			break
		}
		for _, h := range r.Hits {
			if seen[h.Slug] {
				t.Fatalf("page %d repeats %s", page, h.Slug)
			}
			seen[h.Slug] = true
		}
	}
	if len(seen) != len(c.Services) {
		t.Errorf("paging listed %d services, want %d", len(seen), len(c.Services))
	}
	r, err := x.Search(ctx, Request{Query: "permit", Lang: "en"})
	if err != nil {
		t.Fatal(err)
	}
	if r.PerPage != 10 || len(r.Hits) > 10 || r.Page != 1 {
		t.Errorf("default paging: Page=%d PerPage=%d hits=%d", r.Page, r.PerPage, len(r.Hits))
	}
}

func TestHostileInput(t *testing.T) {
	x, _ := openDemo(t)
	inputs := []string{
		"", " ", "\"", "\"\"", "\"bin", "+", "-", "+bin -collection", ":", "title_en:bin", "field:x",
		"*", "?", "bin*", "b?n", "~", "bin~2", "/regex.*/", "(", ")", "[a TO z]", "{}", "^5", "bin^100",
		"\\", "&&", "||", "!", "NOT", "AND OR", "a:b:c", "_id:report-a-pothole", "_all:x",
		"'; DROP TABLE services; --", "1 OR 1=1", "<script>alert(1)</script>", "%00", "\x00bin\x00",
		"\x1b[31mred", "bin\ncollection\r\n", "\t\v\f", "\u200b\u200e\ufeff", "\xff\xfe invalid utf8",
		strings.Repeat("a", 10_000), strings.Repeat("bin ", 2500), strings.Repeat("\"+-:", 2500),
		strings.Repeat("ab", 300) + " rubbish", "🗑️ bin", "日本語", "ﬁle", "İstanbul",
		"aa", "a", "zzzzzzzzzzzzzzzzzzzzzzz",
	}
	langs := []string{"en", "es", "ca", "it", "fr", "", "de", "../../etc"}
	for _, in := range inputs {
		for _, lang := range langs {
			for _, req := range []Request{
				{Query: in, Lang: lang},
				{Query: in, Lang: lang, Topic: in, Audience: in, Online: true, Free: true, Page: -5, PerPage: -1},
				{Query: in, Lang: lang, Page: 1 << 30, PerPage: 1 << 30},
			} {
				r, err := x.Search(context.Background(), req)
				if err != nil {
					t.Fatalf("Search(%q, %q) failed: %v", trunc(in), lang, err)
				}
				for _, h := range r.Hits {
					if len(h.Title) == 0 {
						t.Errorf("Search(%q): hit %s has no title", trunc(in), h.Slug)
					}
				}
				if _, err := x.Suggest(context.Background(), lang, in, 5); err != nil {
					t.Fatalf("Suggest(%q, %q) failed: %v", trunc(in), lang, err)
				}
			}
		}
	}
	r, err := x.Search(context.Background(), Request{Query: "title_en:bin", Lang: "en"})
	if err != nil || r.Total == 0 {
		t.Errorf("field syntax must be read as words: total %d, err %v", r.Total, err)
	}
}

func trunc(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

func TestSanitize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"  bin\t\ncollection  ", "bin collection"},
		{"bin\x00\x1bcollection", "bin collection"},
		{"\xffbin", "bin"},
		{strings.Repeat("é", 500), strings.Repeat("é", maxQueryRunes)},
		{"\u200bbin", "bin"},
		{"title_en:bin", "title_en bin"},
	}
	for _, tt := range tests {
		if got := sanitize(tt.in); got != tt.want {
			t.Errorf("sanitize(%q) = %q, want %q", trunc(tt.in), trunc(got), trunc(tt.want))
		}
	}
}

func TestHighlight(t *testing.T) {
	x, c := openDemo(t)
	titles := map[string]catalogue.Text{}
	for _, s := range c.Services {
		titles[s.Slug] = s.Title
	}
	tests := []struct {
		lang, query, slug string
		marked            []string // words marked in the title
	}{
		{"en", "bin collection", "report-missed-bin-collection", []string{"bin", "collection"}},
		{"en", "colection", "report-missed-bin-collection", []string{"collection"}},
		// Two letters swapped are one edit, for the search and the marks.
		{"en", "parknig", "resident-parking-permit", []string{"parking"}},
		{"en", "parking permits", "resident-parking-permit", []string{"parking", "permit"}},
		{"es", "basura", "report-missed-bin-collection", []string{"basura"}},
		{"ca", "escombraries", "order-a-new-bin", []string{"d'escombraries"}},
		{"fr", "dechets", "garden-waste-subscription", []string{"déchets"}},
	}
	for _, tt := range tests {
		t.Run(tt.lang+"/"+tt.query, func(t *testing.T) {
			r, err := x.Search(context.Background(), Request{Query: tt.query, Lang: tt.lang, PerPage: 50})
			if err != nil {
				t.Fatal(err)
			}
			i := slices.IndexFunc(r.Hits, func(h Hit) bool { return h.Slug == tt.slug })
			if i < 0 {
				t.Fatalf("%s not found: %v", tt.slug, slugs(r))
			}
			h := r.Hits[i]
			var whole strings.Builder
			var marked []string
			for _, f := range h.Title {
				whole.WriteString(f.Text)
				if f.Mark {
					marked = append(marked, strings.Fields(f.Text)...)
				}
			}
			want, _ := titles[tt.slug].In(tt.lang, "en")
			if whole.String() != want {
				t.Errorf("fragments join to %q, want the title %q", whole.String(), want)
			}
			if !slices.Equal(marked, tt.marked) {
				t.Errorf("marked %q, want %q", marked, tt.marked)
			}
			if len(h.Snippet) == 0 {
				t.Errorf("no snippet")
			}
		})
	}
}

// TestMarksWhatTheSearchFinds checks the words the highlighter marks
// against those a search matches: stems, and typos with the first letter
// right, but not the words of how people ask.
func TestMarksWhatTheSearchFinds(t *testing.T) {
	x, _ := openDemo(t)
	const query = "parking for a week"
	m := x.hl.matcher(query, "en")
	for word, want := range map[string]bool{
		"parking": true, "parked": true, "week": true,
		"parknig": true,                    // two letters swapped: one edit
		"barking": false, "aprking": false, // the first letter wrong
		"a": false, "for": false,
	} {
		if got := m.matches(word, "en"); got != want {
			t.Errorf("%q marked %v, want %v", word, got, want)
		}
	}
}

func TestHighlightNeverPassesMarkup(t *testing.T) {
	x, _ := openDemo(t)
	c := demoCatalogue(t)
	c.Services = c.Services[:1]
	s := &c.Services[0]
	s.Title = catalogue.Text{"en": `Bins <b onmouseover="x">bold</b> & <script>alert(1)</script>`}
	s.Summary = catalogue.Text{"en": "A <mark>summary</mark> about bins"}
	if err := x.Update(context.Background(), FromCatalogue(c, 2), []*catalogue.Service{s}, nil, 2); err != nil {
		t.Fatal(err)
	}
	r, err := x.Search(context.Background(), Request{Query: "bins script", Lang: "en"})
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(r.Hits, func(h Hit) bool { return h.Slug == s.Slug })
	if i < 0 {
		t.Fatalf("updated service not found: %v", slugs(r))
	}
	var title, snip strings.Builder
	for _, f := range r.Hits[i].Title {
		title.WriteString(f.Text)
		if f.Mark && strings.ContainsAny(f.Text, "<>") {
			t.Errorf("marked fragment %q contains markup characters", f.Text)
		}
	}
	for _, f := range r.Hits[i].Snippet {
		snip.WriteString(f.Text)
	}
	// The text comes back verbatim, to be escaped by the template; nothing
	// is added or interpreted.
	if title.String() != s.Title["en"] || snip.String() != s.Summary["en"] {
		t.Errorf("fragments changed the text: %q / %q", title.String(), snip.String())
	}
}

func TestSnippetIsShortAndCentred(t *testing.T) {
	long := strings.Repeat("filler words here ", 40) + "the target word " + strings.Repeat("more filler ", 40)
	frags := []Fragment{}
	before, after, _ := strings.Cut(long, "target")
	frags = append(frags, Fragment{Text: before}, Fragment{Text: "target", Mark: true}, Fragment{Text: after})
	got := snippet(frags)
	n := 0
	found := false
	for _, f := range got {
		n += len([]rune(f.Text))
		if f.Mark && f.Text == "target" {
			found = true
		}
	}
	if !found || n > snippetRunes+10 {
		t.Errorf("snippet of %d runes, mark kept %v: %v", n, found, got)
	}
}

// TestDidYouMeanOnlyWhatFinds checks that a correction is offered only
// when the corrected search, with the same filters, finds something.
func TestDidYouMeanOnlyWhatFinds(t *testing.T) {
	x, _ := openDemo(t)
	for _, tt := range []struct {
		topic, want string
	}{
		{"", "rubbish"},
		{"waste-recycling", "rubbish"},
		{"housing", ""}, // no service about rubbish in housing
	} {
		r, err := x.Search(context.Background(), Request{Query: "rubish", Lang: "en", Topic: tt.topic})
		if err != nil {
			t.Fatal(err)
		}
		if r.DidYouMean != tt.want {
			t.Errorf("rubish in topic %q: DidYouMean = %q, want %q", tt.topic, r.DidYouMean, tt.want)
		}
	}
}

func TestDidYouMean(t *testing.T) {
	x, _ := openDemo(t)
	tests := []struct {
		lang, query, want string
	}{
		{"en", "rubish", "rubbish"},
		{"en", "grafiti", "graffiti"},
		{"en", "potthole", "pothole"},
		{"es", "bassura", "basura"},
		{"en", "bin collection", ""}, // found: nothing to correct
		{"en", "monday", ""},         // only in descriptions, but real
		{"en", "xqzvwk", ""},         // nothing close
		{"en", "", ""},               // no query
		{"fr", "contravantion", "contravention"},
		// The correction comes from the query's own language: Italian
		// words are never "corrected" into English ones ("come" → "home").
		{"it", "come ottenere il contrassegno disabili", ""},
		{"it", "contrasegno disabili", "contrassegno disabili"},
		{"ca", "biblioteka", "biblioteca"},
		{"es", "empadronamineto", "empadronamiento"},
		{"fr", "blue badge", ""}, // English, found across languages: not "bleue"
		{"it", "padrón", ""},
		// Of equally near words, the one in more services: "order" (4)
		// and not "older" (2), "pitch" (3) and not "patch" (1), "bill" (3)
		// and not "bull" (1), "change" (4) and not "charge" (2).
		{"en", "oxder", "order"},
		{"en", "pxtch", "pitch"},
		{"en", "bxll", "bill"},
		{"en", "chaxge", "change"},
	}
	for _, tt := range tests {
		t.Run(tt.lang+"/"+tt.query, func(t *testing.T) {
			r, err := x.Search(context.Background(), Request{Query: tt.query, Lang: tt.lang})
			if err != nil {
				t.Fatal(err)
			}
			if r.DidYouMean != tt.want {
				t.Errorf("DidYouMean = %q, want %q", r.DidYouMean, tt.want)
			}
			if r.DidYouMean != "" {
				c, err := x.Search(context.Background(), Request{Query: r.DidYouMean, Lang: tt.lang})
				if err != nil || c.Total == 0 {
					t.Errorf("the correction %q finds nothing", r.DidYouMean)
				}
			}
		})
	}
}

func TestSuggest(t *testing.T) {
	x, _ := openDemo(t)
	tests := []struct {
		lang, prefix, want string
	}{
		{"en", "potho", "report-a-pothole"},
		{"en", "wheel", "report-missed-bin-collection"},
		{"en", "missed bin col", "report-missed-bin-collection"},
		{"es", "basu", "report-missed-bin-collection"},
		{"ca", "escombr", "report-missed-bin-collection"},
		{"fr", "déch", "garden-waste-subscription"},
		{"fr", "allot", "allotment-application"},
	}
	for _, tt := range tests {
		t.Run(tt.lang+"/"+tt.prefix, func(t *testing.T) {
			got, err := x.Suggest(context.Background(), tt.lang, tt.prefix, 5)
			if err != nil {
				t.Fatal(err)
			}
			i := slices.IndexFunc(got, func(s Suggestion) bool { return s.Slug == tt.want })
			if i < 0 {
				t.Fatalf("%s not suggested: %v", tt.want, got)
			}
			if got[i].Title == "" {
				t.Errorf("suggestion without a title")
			}
		})
	}
	got, err := x.Suggest(context.Background(), "en", "", 5)
	if err != nil || len(got) != 0 {
		t.Errorf("empty prefix: %v, %v", got, err)
	}
	got, err = x.Suggest(context.Background(), "en", "p", 3)
	if err != nil || len(got) > 3 {
		t.Errorf("limit not kept: %d suggestions, %v", len(got), err)
	}
}

// TestEveryLanguageFindsEveryService searches each service's English title
// in every language: untranslated services fall back to English, so none
// is missing from a language's results.
func TestEveryLanguageFindsEveryService(t *testing.T) {
	x, c := openDemo(t)
	for _, lang := range catalogue.Languages {
		missing := 0
		for _, s := range c.Services {
			r, err := x.Search(context.Background(), Request{Query: s.Title["en"], Lang: lang, PerPage: 5})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Contains(slugs(r), s.Slug) {
				missing++
				t.Logf("[%s] %q: %s not in %v", lang, s.Title["en"], s.Slug, slugs(r))
			}
		}
		if missing > 0 {
			t.Errorf("[%s] %d services not in the first 5 for their own English title", lang, missing)
		}
	}
}

// TestCrossLanguage checks that a search also finds services through the
// titles and search terms of the other languages, and always ranks a match
// in the search language first.
func TestCrossLanguage(t *testing.T) {
	c := demoCatalogue(t)
	for i := range c.Services {
		s := &c.Services[i]
		switch s.Slug {
		case "disabled-parking-badge":
			s.Keywords["fr"] = append(s.Keywords["fr"], "zorglub")
		case "resident-parking-permit":
			s.Keywords["it"] = append(s.Keywords["it"], "zorglub")
		}
	}
	x := mustOpen(t, t.TempDir(), FromCatalogue(c, 1))
	t.Cleanup(func() { _ = x.Close() })
	for _, tc := range []struct {
		lang string
		want []string
	}{
		{"fr", []string{"disabled-parking-badge", "resident-parking-permit"}},
		{"it", []string{"resident-parking-permit", "disabled-parking-badge"}},
		{"es", nil}, // found in two other languages: both, in any order
	} {
		r, err := x.Search(context.Background(), Request{Query: "zorglub", Lang: tc.lang})
		if err != nil {
			t.Fatal(err)
		}
		got := slugs(r)
		if len(got) != 2 || (tc.want != nil && !slices.Equal(got, tc.want)) {
			t.Errorf("zorglub (%s): %v, want %v", tc.lang, got, tc.want)
		}
	}
	// Residents' own examples: words of another language find the service.
	x2, _ := openDemo(t)
	for _, tc := range []struct{ lang, query, want string }{
		{"fr", "blue badge", "disabled-parking-badge"},
		{"it", "padrón", "register-on-the-municipal-register"},
		{"ca", "multa aparcamiento", "pay-a-parking-fine"},
	} {
		r, err := x2.Search(context.Background(), Request{Query: tc.query, Lang: tc.lang})
		if err != nil {
			t.Fatal(err)
		}
		if got := first(slugs(r), 3); !slices.Contains(got, tc.want) {
			t.Errorf("%q (%s): top 3 %v, want %s", tc.query, tc.lang, got, tc.want)
		}
	}
}

// TestResidentsExamples are the failures residents reported (issue 14):
// each service must be in the first three results, with no spelling
// suggestion in another language.
func TestResidentsExamples(t *testing.T) {
	x, _ := openDemo(t)
	for _, tc := range []struct{ lang, query, want string }{
		{"it", "come ottenere il contrassegno disabili", "disabled-parking-badge"},
		{"it", "parcheggio residenti", "resident-parking-permit"},
		{"fr", "carte de stationnement handicapé", "disabled-parking-badge"},
	} {
		r, err := x.Search(context.Background(), Request{Query: tc.query, Lang: tc.lang})
		if err != nil {
			t.Fatal(err)
		}
		if got := first(slugs(r), 3); !slices.Contains(got, tc.want) {
			t.Errorf("%q (%s): top 3 %v, want %s", tc.query, tc.lang, got, tc.want)
		}
		if r.DidYouMean != "" {
			t.Errorf("%q (%s): did you mean %q, want no suggestion for a query of known words", tc.query, tc.lang, r.DidYouMean)
		}
	}
}
