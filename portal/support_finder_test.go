package portal

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// interviewResult is what answering the support finder's questions led to.
type interviewResult struct {
	asked   []string // question names, in the order the pages asked them
	summary response
}

var questionPath = regexp.MustCompile(`^/support-finder/questions/([a-z_0-9]+)$`)

// answerAll goes through the support finder from its start page as a
// resident with profile (form values by question name), one page per
// question, until the summary of answers. A question the profile has no
// answer for fails the test: the finder asked something it should have
// skipped.
func answerAll(t *testing.T, b *browser, profile map[string]string) interviewResult {
	t.Helper()
	start := b.get("/support-finder")
	if start.status != http.StatusOK {
		t.Fatalf("start page: status %d", start.status)
	}
	m := regexp.MustCompile(`href="(/support-finder/questions/[a-z_0-9]+)"`).FindStringSubmatch(start.body)
	if m == nil {
		t.Fatalf("the start page has no link to the first question:\n%s", excerpt(start.body))
	}
	var res interviewResult
	p := b.get(m[1])
	for range 50 {
		if p.url.Path == "/support-finder/answers" {
			res.summary = p
			return res
		}
		qm := questionPath.FindStringSubmatch(p.url.Path)
		if qm == nil || p.status != http.StatusOK {
			t.Fatalf("expected a question page, got %d at %s:\n%s", p.status, p.url, excerpt(p.body))
		}
		name := qm[1]
		answer, ok := profile[name]
		if !ok {
			t.Fatalf("the finder asked %q, which this profile does not answer (asked so far: %v)", name, res.asked)
		}
		res.asked = append(res.asked, name)
		form := url.Values{"answer": {answer}}
		if answer == "tick unknown" { // an integer question's box
			form = url.Values{"answer": {""}, "unknown": {"yes"}}
		}
		p = b.postForm(p, p.url.Path, form)
	}
	t.Fatalf("the interview did not end after 50 pages: %v", res.asked)
	return res
}

// The whole interview for a few residents: the questions asked (only those
// that can still change the result), and the support found with reasons
// and apply links.
func TestSupportFinderInterviews(t *testing.T) {
	site := startLiveSite(t)
	tests := []struct {
		name     string
		profile  map[string]string
		asked    []string
		contains []string
		excludes []string
	}{
		{
			name: "70 years old, living alone in Porta Nova on 600 euros a month",
			profile: map[string]string{
				"age": "70", "resident": "yes", "years_resident": "40", "household_size": "1",
				"children_under_18": "0", "monthly_income": "600", "disability": "no", "unemployed": "no",
				"carer": "no", "student": "no", "homeowner": "no", "renting": "yes",
			},
			// At 70 the youth employment programme (16 to 29) is already
			// out of reach, so unemployment is never asked.
			asked: []string{"age", "resident", "years_resident", "household_size", "children_under_18",
				"monthly_income", "disability", "carer", "student", "homeowner", "renting"},
			contains: []string{
				`href="/services/older-persons-bus-pass"`, `href="/services/home-care-service"`,
				`href="/services/personal-alarm-telecare"`, `href="/services/meals-on-wheels"`,
				`href="/services/emergency-social-assistance"`, `href="/services/energy-poverty-assistance"`,
				"You may be able to get this because you live in Porta Nova and you are 70.",
				"You may be able to get this because you live in Porta Nova and your household&#39;s monthly income (€600) is at most €600 for 1 person.",
				`href="/services/older-persons-bus-pass/apply"`,
				"This is guidance, not a decision.",
			},
			// Every answer given: nothing is left that only a missing
			// answer would decide, and no service open to anyone is
			// offered for being 70 (issue 15).
			excludes: []string{
				"Other services that may help", `href="/services/burial-plot-purchase"`, `href="/services/pet-adoption"`,
				`href="/services/school-meals-grant"`, `href="/services/youth-employment-programme"`,
				`href="/services/disabled-parking-badge"`, `href="/services/carers-support-grant"`,
			},
		},
		{
			name: "25, unemployed, not living in Porta Nova",
			profile: map[string]string{
				"age": "25", "resident": "no", "household_size": "2", "children_under_18": "0",
				"monthly_income": "700", "disability": "no", "homeowner": "no", "renting": "yes",
			},
			// Not a resident: every rule that needs residence is decided,
			// so years of residence, unemployment, caring and studying are
			// never asked.
			asked: []string{"age", "resident", "household_size", "children_under_18", "monthly_income",
				"disability", "homeowner", "renting"},
			contains: []string{
				`href="/services/free-legal-advice"`, `href="/services/report-disrepair-rented-home"`,
			},
			excludes: []string{
				`href="/services/adult-education-enrolment"`, `href="/services/pet-adoption"`,
				`href="/services/youth-employment-programme"`, `href="/services/older-persons-bus-pass"`,
				`href="/services/emergency-social-assistance"`,
			},
		},
		{
			name: "family of five with three children, homeowners",
			profile: map[string]string{
				"age": "41", "resident": "yes", "years_resident": "8", "household_size": "5",
				"children_under_18": "3", "monthly_income": "3500", "disability": "no", "unemployed": "no",
				"carer": "no", "student": "no", "homeowner": "yes", "renting": "no",
			},
			asked: []string{"age", "resident", "years_resident", "household_size", "children_under_18",
				"monthly_income", "disability", "carer", "student", "homeowner", "renting"},
			contains: []string{
				`href="/services/property-tax-large-family-rebate"`, `href="/services/school-admission-application"`,
				`href="/services/childcare-subsidy"`, "3 children under 18 live with you",
			},
			excludes: []string{`href="/services/rent-assistance"`, `href="/services/meals-on-wheels"`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := site.browser(t, followRedirects)
			res := answerAll(t, b, tt.profile)
			if !slices.Equal(res.asked, tt.asked) {
				t.Errorf("asked %v (%d pages), want %v (%d pages)", res.asked, len(res.asked), tt.asked, len(tt.asked))
			}
			results := b.get("/support-finder/results")
			if results.status != http.StatusOK {
				t.Fatalf("results: status %d", results.status)
			}
			for _, want := range tt.contains {
				if !strings.Contains(results.body, want) {
					t.Errorf("results lack %q", want)
				}
			}
			for _, bad := range tt.excludes {
				if strings.Contains(results.body, bad) {
					t.Errorf("results contain %q", bad)
				}
			}
		})
	}
}

var (
	backLink     = regexp.MustCompile(`<a class="finder-back" href="([^"]+)"`)
	checkedRadio = regexp.MustCompile(`value="(yes|no)" checked`)
)

func backOf(t *testing.T, p response) string {
	t.Helper()
	m := backLink.FindStringSubmatch(p.body)
	if m == nil {
		t.Fatalf("%s has no back link", p.url)
	}
	return strings.ReplaceAll(m[1], "&amp;", "&")
}

// The back link goes to the previous question (and the first to the start
// page), shows the answer given, and the summary's Change links change one
// answer and come back, asking a new question only when the change makes
// one matter.
func TestSupportFinderBackAndChange(t *testing.T) {
	site := startLiveSite(t)
	b := site.browser(t, followRedirects)

	age := b.get("/support-finder/questions/age")
	if age.status != http.StatusOK || backOf(t, age) != "/support-finder" {
		t.Fatalf("first question: status %d, back link %q; want 200 and the start page", age.status, backOf(t, age))
	}
	resident := b.postForm(age, "/support-finder/questions/age", url.Values{"answer": {"70"}})
	if resident.url.Path != "/support-finder/questions/resident" || backOf(t, resident) != "/support-finder/questions/age" {
		t.Fatalf("after age: at %s with back link %q", resident.url, backOf(t, resident))
	}
	years := b.postForm(resident, "/support-finder/questions/resident", url.Values{"answer": {"yes"}})
	if years.url.Path != "/support-finder/questions/years_resident" || backOf(t, years) != "/support-finder/questions/resident" {
		t.Fatalf("after resident: at %s with back link %q", years.url, backOf(t, years))
	}
	back := b.get(backOf(t, years))
	if m := checkedRadio.FindStringSubmatch(back.body); m == nil || m[1] != "yes" {
		t.Errorf("going back to the residence question should show Yes ticked, found %v", m)
	}
	if back = b.get(backOf(t, back)); !strings.Contains(back.body, `value="70"`) {
		t.Errorf("going back to the age question should show 70:\n%s", excerpt(back.body))
	}

	res := answerAll(t, b, map[string]string{
		"age": "70", "resident": "yes", "years_resident": "40", "household_size": "1",
		"children_under_18": "0", "monthly_income": "600", "disability": "no",
		"carer": "no", "student": "no", "homeowner": "no", "renting": "yes",
	})
	summary := res.summary
	for _, want := range []string{
		"Check your answers", `href="/support-finder/questions/age?change=1"`, "How old are you?",
		`<dd class="finder-summary__value">70</dd>`, `href="/support-finder/results"`,
	} {
		if !strings.Contains(summary.body, want) {
			t.Errorf("summary lacks %q", want)
		}
	}

	// Changing the age to 25 makes unemployment matter (the youth
	// employment programme), so that one question is asked, then the
	// summary again.
	change := b.get("/support-finder/questions/age?change=1")
	if backOf(t, change) != "/support-finder/answers" || !strings.Contains(change.body, `value="70"`) {
		t.Errorf("change page: back link %q, want the summary, and the answer 70 filled in", backOf(t, change))
	}
	next := b.postForm(change, "/support-finder/questions/age?change=1", url.Values{"answer": {"25"}})
	if got := next.url.Path + "?" + next.url.RawQuery; got != "/support-finder/questions/unemployed?change=1" {
		t.Fatalf("after changing the age to 25: at %s, want the unemployment question", got)
	}
	if backOf(t, next) != "/support-finder/answers" {
		t.Errorf("a question asked during a change goes back to the summary, not %q", backOf(t, next))
	}
	summary = b.postForm(next, "/support-finder/questions/unemployed?change=1", url.Values{"answer": {"yes"}})
	if summary.url.Path != "/support-finder/answers" || !strings.Contains(summary.body, `<dd class="finder-summary__value">25</dd>`) {
		t.Fatalf("after answering: at %s:\n%s", summary.url, excerpt(summary.body))
	}
	results := b.get("/support-finder/results")
	if !strings.Contains(results.body, `href="/services/youth-employment-programme"`) || strings.Contains(results.body, `href="/services/older-persons-bus-pass"`) {
		t.Errorf("at 25 and unemployed the results should have the youth employment programme and not the bus pass")
	}

	// Saying you do not live in Porta Nova decides every rule that needs
	// it: no new question, and the answers that stopped mattering leave
	// the summary (and the session).
	change = b.get("/support-finder/questions/resident?change=1")
	summary = b.postForm(change, "/support-finder/questions/resident?change=1", url.Values{"answer": {"no"}})
	if summary.url.Path != "/support-finder/answers" {
		t.Fatalf("after saying no to residence: at %s, want the summary", summary.url)
	}
	for _, gone := range []string{"years_resident", "unemployed", "carer", "student"} {
		if strings.Contains(summary.body, "/support-finder/questions/"+gone+"?") {
			t.Errorf("the summary still lists %s, which no longer matters", gone)
		}
	}

	// A question that does not matter any more cannot be answered: its
	// page leads back to where the interview is. An unknown one is a 404.
	if p := b.get("/support-finder/questions/carer"); p.url.Path != "/support-finder/answers" {
		t.Errorf("a skipped question's page: at %s, want the summary", p.url)
	}
	if p := b.get("/support-finder/questions/shoe_size"); p.status != http.StatusNotFound {
		t.Errorf("an unknown question: status %d, want 404", p.status)
	}

	// Start again forgets the answers.
	start := b.postForm(summary, "/support-finder/restart", nil)
	if start.url.Path != "/support-finder" || strings.Contains(start.body, "Continue where you left off") {
		t.Errorf("after starting again: at %s, still offering to continue", start.url)
	}
	if p := b.get("/support-finder/results"); p.url.Path != "/support-finder/questions/age" {
		t.Errorf("results without answers should lead to the first question, got %s", p.url)
	}
}

// Wrong answers come back with the GOV.UK error pattern: a summary linking
// to the field, the message by the field, the field marked invalid, what
// was typed kept, and "Error:" in the title; nothing is stored.
func TestSupportFinderValidation(t *testing.T) {
	site := startLiveSite(t)
	b := site.browser(t, followRedirects)
	age := b.get("/support-finder/questions/age")
	tests := []struct {
		name     string
		question string
		answer   string
		message  string
	}{
		{"empty", "age", "", "Enter a number, or tick I&#39;d rather not say"},
		{"letters", "age", "seventy", "Enter a whole number using digits only, like 42"},
		{"a decimal", "age", "70.5", "Enter a whole number using digits only, like 42"},
		{"above the maximum", "age", "130", "Enter a number from 0 to 120"},
		{"below the minimum", "age", "-1", "Enter a number from 0 to 120"},
		{"no choice", "resident", "", "Select yes or no"},
		{"not yes or no", "resident", "maybe", "Select yes or no"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.question == "resident" {
				// The residence question is only reachable once age is answered.
				p := b.postForm(age, "/support-finder/questions/age", url.Values{"answer": {"70"}})
				if p.url.Path != "/support-finder/questions/resident" {
					t.Fatalf("at %s", p.url)
				}
			}
			p := b.postForm(age, "/support-finder/questions/"+tt.question, url.Values{"answer": {tt.answer}})
			if p.status != http.StatusUnprocessableEntity {
				t.Errorf("status %d, want 422", p.status)
			}
			for _, want := range []string{
				`<h2 class="finder-errors__title" id="error-summary-title">There is a problem</h2>`,
				`<li><a href="#answer">` + tt.message + `</a></li>`,
				`<p class="finder-error" id="answer-error"><span class="visually-hidden">Error:</span> ` + tt.message + `</p>`,
				"<title>Error: ",
			} {
				if !strings.Contains(p.body, want) {
					t.Errorf("page lacks %q:\n%s", want, excerpt(p.body))
				}
			}
			if tt.question == "age" {
				for _, want := range []string{`aria-invalid="true"`, `aria-describedby="answer-hint answer-error"`, `value="` + tt.answer + `"`} {
					if !strings.Contains(p.body, want) {
						t.Errorf("the field lacks %s", want)
					}
				}
			} else if !strings.Contains(p.body, `<fieldset class="fieldset" aria-describedby="answer-error">`) {
				t.Error("the radios' fieldset is not described by the error")
			}
		})
	}
	// A typed income with a thousands separator is a number.
	b.postForm(age, "/support-finder/questions/age", url.Values{"answer": {"40"}})
	b.postForm(age, "/support-finder/questions/resident", url.Values{"answer": {"yes"}})
	b.postForm(age, "/support-finder/questions/years_resident", url.Values{"answer": {"3"}})
	p := b.postForm(age, "/support-finder/questions/household_size", url.Values{"answer": {"2"}})
	p = b.postForm(p, "/support-finder/questions/children_under_18", url.Values{"answer": {"0"}})
	p = b.postForm(p, "/support-finder/questions/monthly_income", url.Values{"answer": {"1.200"}})
	if p.status != http.StatusOK || p.url.Path == "/support-finder/questions/monthly_income" {
		t.Errorf("1.200 as an income: at %s with %d, want the next question", p.url, p.status)
	}
	if p = b.get("/support-finder/questions/monthly_income"); !strings.Contains(p.body, `value="1200"`) {
		t.Errorf("the income 1.200 should be kept as 1200")
	}
}

// The start page has no form, so looking at it starts no session: a
// session (and its row) begins with the first question.
func TestSupportFinderStartMakesNoSession(t *testing.T) {
	site := startLiveSite(t)
	b := site.browser(t, followRedirects)
	if p := b.get("/support-finder"); p.status != http.StatusOK || !strings.Contains(p.body, "Start now") {
		t.Fatalf("start page: %d", p.status)
	}
	u, _ := url.Parse(site.base)
	if n := len(b.client.Jar.Cookies(u)); n != 0 {
		t.Errorf("the start page set %d cookies, want none", n)
	}
	b.get("/support-finder/questions/age")
	if len(b.client.Jar.Cookies(u)) == 0 {
		t.Error("the first question should start a session for the CSRF token")
	}
}

// A resident who does not know their income, or would rather not say
// whether someone has a disability, can say so (issue 15): the question is
// not asked again, the summary says so, and the services that depend on
// it are offered as "may help", never as support they can get.
func TestSupportFinderNotKnown(t *testing.T) {
	site := startLiveSite(t)
	profile := map[string]string{
		"age": "40", "resident": "yes", "years_resident": "10", "household_size": "2",
		"children_under_18": "0", "monthly_income": "tick unknown", "disability": "unknown", "unemployed": "no",
		"carer": "no", "student": "no", "homeowner": "no", "renting": "yes",
	}
	tests := []struct {
		lang     string
		question []string // on the income and the disability questions
		summary  []string
		results  []string
	}{
		{"en", []string{`<label for="answer-unknown">I don&#39;t know</label>`, `<label for="answer-unknown">I&#39;d rather not say</label>`},
			[]string{"I don&#39;t know", "I&#39;d rather not say"},
			[]string{"Other services that may help", "depends on the answers you did not give"}},
		{"es", []string{`<label for="answer-unknown">No lo sé</label>`, `<label for="answer-unknown">Prefiero no decirlo</label>`},
			[]string{"No lo sé", "Prefiero no decirlo"},
			[]string{"Otros servicios que pueden ayudarle", "depende de las respuestas que no nos ha dado"}},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			b := site.browser(t, followRedirects)
			b.get("/?lang=" + tt.lang)
			res := answerAll(t, b, profile)
			for _, want := range tt.summary {
				if !strings.Contains(res.summary.body, want) {
					t.Errorf("the summary lacks %q", want)
				}
			}
			if n := strings.Count(strings.Join(res.asked, " "), "monthly_income"); n != 1 {
				t.Errorf("income asked %d times: %v", n, res.asked)
			}
			income := b.get("/support-finder/questions/monthly_income")
			disability := b.get("/support-finder/questions/disability")
			for i, p := range []response{income, disability} {
				if !strings.Contains(p.body, tt.question[i]) {
					t.Errorf("%s lacks %q", p.url, tt.question[i])
				}
				if !strings.Contains(p.body, `id="answer-unknown"`) || !strings.Contains(p.body, " checked") {
					t.Errorf("%s does not show the answer given", p.url)
				}
			}
			results := b.get("/support-finder/results")
			for _, want := range tt.results {
				if !strings.Contains(results.body, want) {
					t.Errorf("results lack %q", want)
				}
			}
			// Rent assistance needs the income: a "may help", not a match
			// with a reason; parking needs only residence: a match.
			related := results.body[strings.Index(results.body, `id="related-support"`):]
			if !strings.Contains(related, `href="/services/rent-assistance"`) {
				t.Error("rent assistance is not among the services that may help")
			}
			if strings.Contains(results.body[:strings.Index(results.body, `id="related-support"`)], `href="/services/rent-assistance"`) {
				t.Error("rent assistance is listed as support on an income nobody gave")
			}
			if !strings.Contains(results.body, `href="/services/resident-parking-permit"`) {
				t.Error("what the given answers decide is missing")
			}
			for _, bad := range []string{`href="/services/burial-plot-purchase"`, `href="/services/pet-adoption"`, `href="/services/carers-support-grant"`} {
				if strings.Contains(results.body, bad) {
					t.Errorf("results contain %s", bad)
				}
			}
		})
	}
	// A question that must be answered takes no "unknown".
	b := site.browser(t, followRedirects)
	age := b.get("/support-finder/questions/age")
	p := b.postForm(age, "/support-finder/questions/age", url.Values{"answer": {"70"}})
	p = b.postForm(p, "/support-finder/questions/resident", url.Values{"answer": {"unknown"}})
	if p.status != http.StatusUnprocessableEntity || strings.Contains(p.body, `id="answer-unknown"`) {
		t.Errorf("residence took \"unknown\": %d", p.status)
	}
}
