package eligibility

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"

	"sportello/catalogue"
)

// demo loads the demo catalogue through catalogue.Load, as the portal does.
func demo(t testing.TB) *catalogue.Catalogue {
	t.Helper()
	c, err := catalogue.Load(catalogue.DemoJSON())
	if err != nil {
		t.Fatalf("loading the demo catalogue: %v", err)
	}
	return c
}

func demoRules(t testing.TB) *Rules {
	t.Helper()
	r, err := Compile(demo(t))
	if err != nil {
		t.Fatalf("compiling the demo's rules: %v", err)
	}
	return r
}

// person is a complete demo profile, written out so a table reads like the
// person it describes.
type person struct {
	age, yearsResident, household, children, income  int
	resident, disability, unemployed, carer, student bool
	homeowner, renting                               bool
}

func (p person) answers() Answers {
	return Answers{
		"age": p.age, "resident": p.resident, "years_resident": p.yearsResident,
		"household_size": p.household, "children_under_18": p.children,
		"monthly_income": p.income, "disability": p.disability, "unemployed": p.unemployed,
		"carer": p.carer, "student": p.student, "homeowner": p.homeowner, "renting": p.renting,
	}
}

// The demo profiles of the tests below. Their expected services were worked
// out by hand from the 36 rules in porta-nova.json, not by running them.
var (
	elderAlone = person{age: 70, resident: true, yearsResident: 40, household: 1, income: 600, renting: true}
	bigFamily  = person{age: 38, resident: true, yearsResident: 6, household: 5, children: 3, income: 1800, renting: true}
	visitor    = person{age: 45, yearsResident: 0, household: 2, children: 1, income: 3000, disability: true, homeowner: true}
	owners     = person{age: 50, resident: true, yearsResident: 20, household: 6, children: 4, income: 5000, carer: true, homeowner: true}
	jobseeker  = person{age: 20, resident: true, yearsResident: 1, household: 3, income: 2000, unemployed: true, renting: true}
	student    = person{age: 19, resident: true, yearsResident: 1, household: 1, income: 700, student: true, renting: true}
	disabled62 = person{age: 62, resident: true, yearsResident: 30, household: 1, income: 1000, disability: true, homeowner: true}
)

func TestCompileDemo(t *testing.T) {
	r := demoRules(t)
	if got := len(r.Services()); got != 34 {
		t.Errorf("the demo has 34 services with a rule; compiled %d", got)
	}
	if got := len(r.Questions()); got != 12 {
		t.Errorf("the demo has 12 profile questions; got %d", got)
	}
}

func TestCompileReportsEveryBrokenRuleWithItsService(t *testing.T) {
	c := demo(t)
	broken := map[string]string{
		"resident-parking-permit":       "resident && shoe_size > 40",
		"older-persons-bus-pass":        `age >= "65"`,
		"allotment-application":         "len(resident)",
		"participatory-budget-proposal": "age >=",
		"senior-leisure-card":           "age + resident",
		"solar-panel-tax-rebate":        "age / 2 > 3",
		"free-legal-advice":             "",
		"clinical-waste-collection":     "monthly_income",
	}
	for slug, rule := range broken {
		s, ok := c.Service(slug)
		if !ok {
			t.Fatalf("the demo has no service %q", slug)
		}
		s.EligibilityRule = &rule
	}
	_, err := Compile(c)
	var ce *CompileError
	if !errors.As(err, &ce) {
		t.Fatalf("want a *CompileError, got %v", err)
	}
	if !errors.Is(err, catalogue.ErrInvalid) {
		t.Errorf("a CompileError should be catalogue.ErrInvalid")
	}
	got := map[string]string{}
	for _, p := range ce.Problems {
		got[p.Service] = p.Message
		if p.Rule != broken[p.Service] {
			t.Errorf("problem for %s quotes rule %q, want %q", p.Service, p.Rule, broken[p.Service])
		}
		if p.Message == "" {
			t.Errorf("problem for %s has no message", p.Service)
		}
	}
	for slug := range broken {
		if _, ok := got[slug]; !ok {
			t.Errorf("no problem reported for %s (%q)", slug, broken[slug])
		}
	}
	if len(got) != len(broken) {
		t.Errorf("want %d problems, got %d: %v", len(broken), len(got), err)
	}
	if !strings.Contains(err.Error(), `service "participatory-budget-proposal"`) {
		t.Errorf("the error should name each service:\n%v", err)
	}
}

func TestEvaluateExactMatches(t *testing.T) {
	r := demoRules(t)
	tests := []struct {
		name    string
		profile person
		want    []string
	}{
		{"70-year-old living alone on 600 € a month, renting", elderAlone, []string{
			"resident-parking-permit", "visitor-parking-permit", "older-persons-bus-pass",
			"emergency-social-assistance", "rent-assistance", "energy-poverty-assistance",
			"home-care-service", "meals-on-wheels", "personal-alarm-telecare", "free-legal-advice",
			"social-housing-application", "report-disrepair-rented-home", "rental-deposit-guarantee",
			"allotment-application", "senior-leisure-card", "participatory-budget-proposal",
		}},
		{"family of five with three children on 1,800 € a month", bigFamily, []string{
			"resident-parking-permit", "visitor-parking-permit", "school-transport-assistance",
			"emergency-social-assistance", "rent-assistance", "school-meals-grant",
			"energy-poverty-assistance", "food-bank-referral", "childcare-subsidy", "free-legal-advice",
			"social-housing-application", "report-disrepair-rented-home", "rental-deposit-guarantee",
			"school-admission-application", "nursery-place-application", "allotment-application", "participatory-budget-proposal",
		}},
		{"non-resident homeowner with a disability", visitor, []string{
			"clinical-waste-collection", "disabled-parking-badge", "disability-support-assessment",
			"school-admission-application", "solar-panel-tax-rebate",
		}},
		{"homeowning carer with four children", owners, []string{
			"resident-parking-permit", "visitor-parking-permit", "school-transport-assistance",
			"property-tax-low-income-reduction", "property-tax-large-family-rebate",
			"carers-support-grant", "childcare-subsidy", "free-legal-advice",
			"home-energy-efficiency-grant", "school-admission-application", "nursery-place-application",
			"allotment-application", "solar-panel-tax-rebate",
			"participatory-budget-proposal",
		}},
		{"unemployed 20-year-old renting with two others", jobseeker, []string{
			"resident-parking-permit", "visitor-parking-permit", "rent-assistance",
			"energy-poverty-assistance", "youth-employment-programme", "free-legal-advice",
			"report-disrepair-rented-home", "rental-deposit-guarantee", "allotment-application", "participatory-budget-proposal",
		}},
		{"full-time student living alone on 700 €", student, []string{
			"resident-parking-permit", "visitor-parking-permit", "rent-assistance",
			"energy-poverty-assistance", "free-legal-advice", "report-disrepair-rented-home",
			"rental-deposit-guarantee", "student-study-grant",
			"allotment-application", "participatory-budget-proposal",
		}},
		{"62-year-old homeowner with a disability living alone", disabled62, []string{
			"clinical-waste-collection", "resident-parking-permit", "visitor-parking-permit",
			"disabled-parking-badge", "property-tax-single-occupancy-discount", "home-care-service",
			"meals-on-wheels", "personal-alarm-telecare", "disability-support-assessment",
			"home-adaptation-grant", "home-energy-efficiency-grant", "allotment-application", "senior-leisure-card", "solar-panel-tax-rebate", "participatory-budget-proposal",
		}},
		{"a child of 10, not resident, nothing else", person{age: 10, household: 4, income: 100000}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, m := range r.Evaluate(tt.profile.answers()) {
				got = append(got, m.Slug)
			}
			if missing, extra := diff(tt.want, got); len(missing)+len(extra) > 0 {
				t.Errorf("missing %v, unexpected %v", missing, extra)
			}
			if len(r.Undecided(tt.profile.answers())) != 0 {
				t.Errorf("a complete profile leaves rules undecided: %v", r.Undecided(tt.profile.answers()))
			}
		})
	}
}

func diff(want, got []string) (missing, extra []string) {
	for _, w := range want {
		if !slices.Contains(got, w) {
			missing = append(missing, w)
		}
	}
	for _, g := range got {
		if !slices.Contains(want, g) {
			extra = append(extra, g)
		}
	}
	return missing, extra
}

// randomProfile draws answers within each question's bounds, with incomes
// near the demo's thresholds (a multiple of 100 per person, ±1) as often as
// not, so that <= is tested at its edge.
func randomProfile(rng *rand.Rand, qs []catalogue.ProfileQuestion) Answers {
	a := Answers{}
	for _, q := range qs {
		if q.Type == catalogue.QuestionBoolean {
			a[q.Name] = rng.IntN(2) == 1
			continue
		}
		lo := int64(-1000)
		if q.Min != nil {
			lo = *q.Min
		}
		hi := lo + 3000
		if q.Max != nil {
			hi = min(*q.Max, hi)
		}
		if rng.IntN(4) == 0 {
			a[q.Name] = int(lo + rng.Int64N(min(3, hi-lo+1)))
			continue
		}
		a[q.Name] = int(lo + rng.Int64N(hi-lo+1))
	}
	if _, ok := a["monthly_income"]; ok && rng.IntN(2) == 0 {
		hh := a["household_size"].(int)
		a["monthly_income"] = (5+rng.IntN(11))*100*hh + rng.IntN(3) - 1
	}
	return a
}

// Our tree and expr's program must agree on every complete profile.
func TestTreeAgreesWithExprOnCompleteProfiles(t *testing.T) {
	r := demoRules(t)
	rng := rand.New(rand.NewPCG(7, 11))
	for range 3000 {
		a := randomProfile(rng, r.questions)
		for i := range r.rules {
			ru := &r.rules[i]
			want, err := r.evalProgram(ru, a)
			if err != nil {
				t.Fatalf("%s: expr: %v", ru.service.Slug, err)
			}
			if got := ru.tree.eval(r, a).truth; got != truthOf(want) {
				t.Fatalf("%s %q over %v: tree says %v, expr says %v", ru.service.Slug, ru.source, a, got, want)
			}
		}
	}
}

// A rule that is known over partial answers must keep that value whatever
// the missing answers turn out to be.
func TestPartialOutcomesHoldForEveryCompletion(t *testing.T) {
	r := demoRules(t)
	rng := rand.New(rand.NewPCG(3, 5))
	known := 0
	for range 600 {
		full := randomProfile(rng, r.questions)
		partial := Answers{}
		for k, v := range full {
			if rng.IntN(2) == 0 {
				partial[k] = v
			}
		}
		for i := range r.rules {
			ru := &r.rules[i]
			got := ru.tree.eval(r, partial).truth
			if got == Unknown {
				continue
			}
			known++
			for range 10 {
				completion := randomProfile(rng, r.questions)
				for k, v := range partial {
					completion[k] = v
				}
				want, err := r.evalProgram(ru, completion)
				if err != nil {
					t.Fatal(err)
				}
				if got != truthOf(want) {
					t.Fatalf("%s %q is %v over %v, but %v over its completion %v", ru.service.Slug, ru.source, got, partial, want, completion)
				}
			}
		}
	}
	if known == 0 {
		t.Fatal("no rule was ever known over partial answers; the test checked nothing")
	}
}

func TestIntervalsDecideRulesBeforeEverythingIsAnswered(t *testing.T) {
	c := &catalogue.Catalogue{
		Authority: catalogue.Authority{Name: catalogue.Text{"en": "City of Porta Nova"}, DefaultLanguage: "en", Currency: "EUR"},
		ProfileQuestions: []catalogue.ProfileQuestion{
			{Name: "age", Type: "integer", Min: ptr[int64](0), Max: ptr[int64](120)},
			{Name: "household_size", Type: "integer", Min: ptr[int64](1), Max: ptr[int64](20)},
			{Name: "monthly_income", Type: "integer", Min: ptr[int64](0), Max: ptr[int64](1000000)},
			{Name: "score", Type: "integer"},
			{Name: "resident", Type: "boolean"},
		},
	}
	tests := []struct {
		rule    string
		answers Answers
		want    Truth
	}{
		{"age >= 0", Answers{}, True},
		{"age > 120", Answers{}, False},
		{"age >= 65", Answers{}, Unknown},
		{"monthly_income <= 600 * household_size", Answers{"monthly_income": 0}, True},
		{"monthly_income <= 600 * household_size", Answers{"monthly_income": 600}, True},
		{"monthly_income <= 600 * household_size", Answers{"monthly_income": 601}, Unknown},
		{"monthly_income <= 600 * household_size", Answers{"monthly_income": 12001}, False},
		{"monthly_income <= 600 * household_size", Answers{"household_size": 2}, Unknown},
		{"600 * household_size >= monthly_income", Answers{"monthly_income": 0}, True},
		{"household_size - 1 >= 0", Answers{}, True},
		{"-age <= 0", Answers{}, True},
		{"age * 0 == 0", Answers{}, True},
		{"score > 5", Answers{}, Unknown},
		{"score * score >= 0", Answers{}, Unknown}, // intervals do not know x*x is never negative
		{"score + 1 > score", Answers{"score": 3}, True},
		{"resident || age >= 0", Answers{}, True},
		{"resident && age > 200", Answers{}, False},
		{"!(resident && age > 200)", Answers{}, True},
		{"resident == true", Answers{}, Unknown},
		{"resident != false", Answers{"resident": true}, True},
		{"age == 130", Answers{}, False},
		{"age != 130", Answers{}, True},
		{"age == 7", Answers{"age": 7}, True},
	}
	for _, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			c := *c
			rule := tt.rule
			c.Services = []catalogue.Service{{Slug: "s", EligibilityRule: &rule}}
			r, err := Compile(&c)
			if err != nil {
				t.Fatal(err)
			}
			got, ok := r.Outcome("s", tt.answers)
			if !ok || got != tt.want {
				t.Errorf("over %v: got %v, want %v", tt.answers, got, tt.want)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

// Skipping questions must never change the outcome: answering only what
// NextQuestion asks ends with the same matches as answering everything.
func TestSkippedQuestionsNeverChangeTheOutcome(t *testing.T) {
	r := demoRules(t)
	rng := rand.New(rand.NewPCG(1, 2))
	for range 500 {
		full := randomProfile(rng, r.questions)
		asked, got := interview(t, r, full)
		want := map[string]bool{}
		for i := range r.rules {
			ok, err := r.evalProgram(&r.rules[i], full)
			if err != nil {
				t.Fatal(err)
			}
			want[r.rules[i].service.Slug] = ok
		}
		for _, ru := range r.rules {
			slug := ru.service.Slug
			if got[slug] != want[slug] {
				t.Fatalf("after asking %v of %v, %s is %v; with every answer it is %v", asked, full, slug, got[slug], want[slug])
			}
		}
	}
}

// interview plays the support finder: it asks what NextQuestion asks and
// answers from the profile, then returns the questions asked and the
// services matched.
func interview(t *testing.T, r *Rules, profile Answers) ([]string, map[string]bool) {
	t.Helper()
	answers := Answers{}
	var asked []string
	for {
		q, done := r.NextQuestion(answers)
		if done {
			break
		}
		if _, already := answers[q.Name]; already {
			t.Fatalf("NextQuestion asked %s twice", q.Name)
		}
		if len(asked) > len(r.questions) {
			t.Fatalf("asked more questions than there are: %v", asked)
		}
		asked = append(asked, q.Name)
		answers[q.Name] = profile[q.Name]
	}
	if u := r.Undecided(answers); len(u) != 0 {
		t.Fatalf("NextQuestion is done but %v are undecided", u)
	}
	matched := map[string]bool{}
	for _, m := range r.Evaluate(answers) {
		matched[m.Slug] = true
	}
	return asked, matched
}

func TestQuestionsAskedForVariedProfiles(t *testing.T) {
	r := demoRules(t)
	profiles := []struct {
		name string
		p    person
	}{
		{"70-year-old living alone on 600 €", elderAlone},
		{"family of five on a low income", bigFamily},
		{"non-resident homeowner with a disability", visitor},
		{"homeowning carer with four children", owners},
		{"unemployed 20-year-old", jobseeker},
		{"full-time student", student},
		{"62-year-old homeowner with a disability", disabled62},
		{"young renter", person{age: 27, resident: true, yearsResident: 3, household: 1, income: 1600, renting: true}},
		{"young renter on a good salary", person{age: 31, resident: true, yearsResident: 5, household: 2, income: 4200, renting: true}},
		{"carer for a parent", person{age: 55, resident: true, yearsResident: 25, household: 2, income: 1700, carer: true, homeowner: true}},
		{"homeowner couple", person{age: 45, resident: true, yearsResident: 15, household: 2, income: 5200, homeowner: true}},
		{"non-resident commuter", person{age: 35, yearsResident: 0, household: 1, income: 2500, renting: true}},
		{"non-resident teenager", person{age: 16, household: 4, income: 3500}},
		{"retired couple who own their home", person{age: 74, resident: true, yearsResident: 50, household: 2, income: 2100, homeowner: true}},
		{"single parent on a low income", person{age: 29, resident: true, yearsResident: 4, household: 2, children: 1, income: 900, unemployed: true, renting: true}},
		{"80-year-old widower with a disability", person{age: 80, resident: true, yearsResident: 60, household: 1, income: 750, disability: true, homeowner: true}},
		{"newcomer family", person{age: 40, resident: true, yearsResident: 0, household: 4, children: 2, income: 3000, renting: true}},
		{"living with parents, working", person{age: 24, resident: true, yearsResident: 24, household: 4, income: 6000}},
		{"mature student", person{age: 33, resident: true, yearsResident: 8, household: 1, income: 800, student: true, renting: true}},
		{"unemployed 58-year-old", person{age: 58, resident: true, yearsResident: 30, household: 1, income: 400, unemployed: true, renting: true}},
		{"60-year-old on a high income", person{age: 60, resident: true, yearsResident: 35, household: 2, income: 9000, homeowner: true}},
		{"teenager in a large family", person{age: 17, resident: true, yearsResident: 17, household: 6, children: 4, income: 2400, renting: true}},
	}
	counts := make([]int, len(profiles))
	distribution := map[int]int{}
	for i, tt := range profiles {
		asked, _ := interview(t, r, tt.p.answers())
		counts[i] = len(asked)
		distribution[len(asked)]++
		t.Logf("%-45s %2d questions: %s", tt.name, len(asked), strings.Join(asked, ", "))
	}
	sorted := slices.Clone(counts)
	sort.Ints(sorted)
	median := float64(sorted[len(sorted)/2])
	if len(sorted)%2 == 0 {
		median = float64(sorted[len(sorted)/2-1]+sorted[len(sorted)/2]) / 2
	}
	var dist []string
	for n := 0; n <= len(r.questions); n++ {
		if distribution[n] > 0 {
			dist = append(dist, fmt.Sprintf("%2d questions: %s %d", n, strings.Repeat("#", distribution[n]), distribution[n]))
		}
	}
	t.Logf("%d profiles, questions asked: min %d, median %.1f, max %d of %d; distribution (count × questions):\n%s",
		len(profiles), sorted[0], median, sorted[len(sorted)-1], len(r.questions), strings.Join(dist, "\n"))
	if median >= float64(len(r.questions)) {
		t.Errorf("median %.1f questions asked; it should be below the %d profile questions", median, len(r.questions))
	}
}

// A resident who does not know their income, or would rather not say it,
// is not asked it again and finishes the interview; the rules that need it
// are "may be", never a match (issue 15).
func TestNotKnown(t *testing.T) {
	r := demoRules(t)
	if a, err := r.Check(map[string]any{"monthly_income": "unknown", "disability": "unknown"}); err != nil || a["monthly_income"] != NotKnown {
		t.Fatalf("Check: %v %v", a, err)
	}
	if _, err := r.Check(map[string]any{"resident": "unknown"}); err == nil || !strings.Contains(err.Error(), `"resident" must be answered`) {
		t.Errorf("a question without allow_unknown took \"unknown\": %v", err)
	}
	given := Answers{"age": 40, "resident": true, "years_resident": 10, "household_size": 2, "children_under_18": 0,
		"monthly_income": NotKnown, "disability": false, "unemployed": false, "carer": false, "student": false,
		"homeowner": false, "renting": true}
	reached, path, next := r.Replay(given)
	if next != nil {
		t.Fatalf("the interview goes on to %s", next.Name)
	}
	asked := 0
	for _, q := range path {
		if q.Name == "monthly_income" {
			asked++
		}
	}
	if asked != 1 {
		t.Errorf("income asked %d times", asked)
	}
	var matches []string
	for _, m := range r.Evaluate(reached) {
		matches = append(matches, m.Slug)
	}
	mayBe := r.MayBe(reached)
	for _, slug := range []string{"rent-assistance", "emergency-social-assistance", "energy-poverty-assistance", "food-bank-referral", "free-legal-advice", "social-housing-application", "rental-deposit-guarantee"} {
		if slices.Contains(matches, slug) {
			t.Errorf("%s matched on an income nobody gave", slug)
		}
		if !slices.Contains(mayBe, slug) {
			t.Errorf("%s is not a may-be: %v", slug, mayBe)
		}
	}
	for _, slug := range []string{"carers-support-grant", "older-persons-bus-pass", "resident-parking-permit"} {
		if slices.Contains(mayBe, slug) {
			t.Errorf("%s, decided by the answers, is a may-be", slug)
		}
	}
	if !slices.Contains(matches, "resident-parking-permit") {
		t.Errorf("matches %v lack what the known answers decide", matches)
	}

	// Everything that may be unknown is: the interview still ends, and
	// no rule that needs one of those answers matches.
	all := Answers{"resident": true, "household_size": 1, "children_under_18": 0, "unemployed": false, "carer": false,
		"student": false, "homeowner": true, "renting": false}
	for _, q := range r.Questions() {
		if q.AllowUnknown != "" {
			all[q.Name] = NotKnown
		}
	}
	reached, _, next = r.Replay(all)
	if next != nil {
		t.Fatalf("the interview goes on to %s", next.Name)
	}
	for _, m := range r.Evaluate(reached) {
		if m.Slug == "older-persons-bus-pass" || m.Slug == "disabled-parking-badge" {
			t.Errorf("%s matched on an age or disability nobody gave", m.Slug)
		}
	}
	if mb := r.MayBe(Answers{}); len(mb) != 0 {
		t.Errorf("with no answers, may-be %v: a rule the answers do not touch is not one", mb)
	}
}
