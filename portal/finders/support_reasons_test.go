package finders

import (
	"encoding/json"
	"io/fs"
	"regexp"
	"slices"
	"strings"
	"testing"

	"sportello/catalogue"
	"sportello/catalogue/eligibility"
	"sportello/portal/web"
)

// The support finder's reasons, said from the message files
// (locales/reasons.*.json): eligibility gives the facts, SayReason the
// sentence.

func reasonTranslator(t *testing.T) *web.Translator {
	t.Helper()
	sub, err := fs.Sub(web.Locales, "locales")
	if err != nil {
		t.Fatal(err)
	}
	tr, err := web.NewTranslator(sub)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

func demoRules(t *testing.T) *eligibility.Rules {
	t.Helper()
	c, err := catalogue.Load(catalogue.DemoJSON())
	if err != nil {
		t.Fatal(err)
	}
	r, err := eligibility.Compile(c)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// The demo profiles of the reason tests, one complete set of answers each.
var (
	elderAlone = demoProfile(70, 40, 1, 0, 600, "resident", "renting")
	bigFamily  = demoProfile(38, 6, 5, 3, 1800, "resident", "renting")
	visitor    = demoProfile(45, 0, 2, 1, 3000, "disability", "homeowner")
	owners     = demoProfile(50, 20, 6, 4, 5000, "resident", "carer", "homeowner")
	jobseeker  = demoProfile(20, 1, 3, 0, 2000, "resident", "unemployed", "renting")
	student    = demoProfile(19, 1, 1, 0, 700, "resident", "student", "renting")
	disabled62 = demoProfile(62, 30, 1, 0, 1000, "resident", "disability", "homeowner")
)

// demoProfile answers every demo question: the numbers, and yes to the
// yes/no questions named, no to the others.
func demoProfile(age, yearsResident, household, children, income int, yes ...string) eligibility.Answers {
	a := eligibility.Answers{"age": age, "years_resident": yearsResident, "household_size": household,
		"children_under_18": children, "monthly_income": income}
	for _, q := range []string{"resident", "disability", "unemployed", "carer", "student", "homeowner", "renting"} {
		a[q] = slices.Contains(yes, q)
	}
	return a
}

func matchOf(ms []eligibility.Match, slug string) (eligibility.Match, bool) {
	i := slices.IndexFunc(ms, func(m eligibility.Match) bool { return m.Slug == slug })
	if i < 0 {
		return eligibility.Match{}, false
	}
	return ms[i], true
}

// Each demo rule's reason, for a profile it holds for. The table must cover
// every rule of the demo.
func TestReasonsForEveryDemoRule(t *testing.T) {
	r, tr := demoRules(t), reasonTranslator(t)
	tests := []struct {
		slug    string
		profile eligibility.Answers
		want    string
	}{
		{"clinical-waste-collection", visitor, "because you or someone in your household has a recognised disability"},
		{"resident-parking-permit", elderAlone, "because you live in Porta Nova"},
		{"visitor-parking-permit", elderAlone, "because you live in Porta Nova"},
		{"disabled-parking-badge", visitor, "because you or someone in your household has a recognised disability"},
		{"older-persons-bus-pass", elderAlone, "because you live in Porta Nova and you are 70"},
		{"school-transport-assistance", bigFamily, "because you live in Porta Nova and 3 children under 18 live with you"},
		{"property-tax-single-occupancy-discount", disabled62, "because you live in Porta Nova, you own your home and you live alone"},
		{"property-tax-low-income-reduction", owners, "because you live in Porta Nova, you own your home and your household's monthly income (€5,000) is at most €5,400 for 6 people"},
		{"property-tax-large-family-rebate", owners, "because you live in Porta Nova, you own your home and 4 children under 18 live with you"},
		{"emergency-social-assistance", elderAlone, "because you live in Porta Nova and your household's monthly income (€600) is at most €600 for 1 person"},
		{"rent-assistance", elderAlone, "because you live in Porta Nova, you rent your home and your household's monthly income (€600) is at most €1,000 for 1 person"},
		{"school-meals-grant", bigFamily, "because you live in Porta Nova, 3 children under 18 live with you and your household's monthly income (€1,800) is at most €4,000 for 5 people"},
		{"energy-poverty-assistance", elderAlone, "because you live in Porta Nova and your household's monthly income (€600) is at most €700 for 1 person"},
		// Only the branch of || that held is given.
		{"home-care-service", elderAlone, "because you live in Porta Nova and you are 70"},
		{"home-care-service", disabled62, "because you live in Porta Nova and you or someone in your household has a recognised disability"},
		{"meals-on-wheels", elderAlone, "because you live in Porta Nova and you are 70"},
		{"meals-on-wheels", disabled62, "because you live in Porta Nova and you or someone in your household has a recognised disability"},
		{"personal-alarm-telecare", elderAlone, "because you live in Porta Nova and you are 70"},
		{"carers-support-grant", owners, "because you live in Porta Nova and you look after someone without being paid"},
		{"food-bank-referral", bigFamily, "because you live in Porta Nova and your household's monthly income (€1,800) is at most €2,500 for 5 people"},
		// age >= 16 && age <= 29 says the age once.
		{"youth-employment-programme", jobseeker, "because you live in Porta Nova, you are 20 and you are unemployed"},
		{"childcare-subsidy", bigFamily, "because you live in Porta Nova, 3 children under 18 live with you and your household's monthly income (€1,800) is at most €6,000 for 5 people"},
		{"free-legal-advice", visitor, ""}, // 3,000 € for 2 is above 1,800 €: no match
		{"free-legal-advice", elderAlone, "because your household's monthly income (€600) is at most €900 for 1 person"},
		{"disability-support-assessment", visitor, "because you or someone in your household has a recognised disability"},
		{"social-housing-application", elderAlone, "because you live in Porta Nova, you have lived in Porta Nova for 40 years, you do not own your home and your household's monthly income (€600) is at most €1,500 for 1 person"},
		{"report-disrepair-rented-home", elderAlone, "because you rent your home"},
		{"home-adaptation-grant", disabled62, "because you live in Porta Nova and you or someone in your household has a recognised disability"},
		{"home-energy-efficiency-grant", owners, "because you live in Porta Nova and you own your home"},
		{"rental-deposit-guarantee", elderAlone, "because you live in Porta Nova, you do not own your home and your household's monthly income (€600) is at most €1,300 for 1 person"},
		{"school-admission-application", visitor, "because 1 child under 18 lives with you"},
		{"nursery-place-application", bigFamily, "because you live in Porta Nova and 3 children under 18 live with you"},
		{"student-study-grant", student, "because you live in Porta Nova, you are a full-time student and your household's monthly income (€700) is at most €1,100 for 1 person"},
		{"allotment-application", elderAlone, "because you live in Porta Nova"},
		{"senior-leisure-card", disabled62, "because you live in Porta Nova and you are 62"},
		{"solar-panel-tax-rebate", visitor, "because you own your home"},
		{"participatory-budget-proposal", jobseeker, "because you live in Porta Nova and you are 20"},
	}
	covered := map[string]bool{}
	for _, tt := range tests {
		covered[tt.slug] = true
		t.Run(tt.slug, func(t *testing.T) {
			m, ok := matchOf(r.Evaluate(tt.profile), tt.slug)
			if tt.want == "" {
				if ok {
					t.Fatalf("%s should not match; it did, %s", tt.slug, SayReason(tr, "en", "en", m.Reason()))
				}
				return
			}
			if !ok {
				t.Fatalf("%s does not match the profile", tt.slug)
			}
			if got := SayReason(tr, "en", "en", m.Reason()); got != tt.want {
				t.Errorf("reason\n got: %s\nwant: %s", got, tt.want)
			}
		})
	}
	for _, slug := range r.Services() {
		if !covered[slug] {
			t.Errorf("no reason test for %s", slug)
		}
	}
}

func TestReasonsInEachLanguage(t *testing.T) {
	r, tr := demoRules(t), reasonTranslator(t)
	tests := []struct {
		slug    string
		profile eligibility.Answers
		lang    string
		want    string
	}{
		{"older-persons-bus-pass", elderAlone, "es", "porque vive en Porta Nova y tiene 70 años"},
		{"older-persons-bus-pass", elderAlone, "ca", "perquè viu a Porta Nova i té 70 anys"},
		{"older-persons-bus-pass", elderAlone, "it", "perché vive a Porta Nova e ha 70 anni"},
		{"older-persons-bus-pass", elderAlone, "fr", "parce que vous habitez à Porta Nova et vous avez 70 ans"},
		{"emergency-social-assistance", elderAlone, "es", "porque vive en Porta Nova y los ingresos mensuales de su hogar (600 €) no superan los 600 € para 1 persona"},
		{"school-meals-grant", bigFamily, "ca", "perquè viu a Porta Nova, viuen amb vostè 3 menors de 18 anys i els ingressos mensuals de la seva llar (1.800 €) no superen els 4.000 € per a 5 persones"},
		{"school-meals-grant", bigFamily, "fr", "parce que vous habitez à Porta Nova, 3 enfants de moins de 18 ans vivent avec vous et le revenu mensuel de votre foyer (1\u202f800 €) ne dépasse pas 4\u202f000 € pour 5 personnes"},
		{"rental-deposit-guarantee", elderAlone, "it", "perché vive a Porta Nova, la casa in cui vive non è di Sua proprietà e il reddito mensile del Suo nucleo familiare (600 €) non supera 1.300 € per 1 persona"},
		{"property-tax-single-occupancy-discount", disabled62, "fr", "parce que vous habitez à Porta Nova, vous êtes propriétaire de votre logement et personne d'autre que vous ne vit dans votre foyer"},
		{"school-admission-application", visitor, "es", "porque vive con usted 1 menor de 18 años"},
		// A language without phrases reads English.
		{"older-persons-bus-pass", elderAlone, "de", "because you live in Porta Nova and you are 70"},
	}
	for _, tt := range tests {
		t.Run(tt.slug+"/"+tt.lang, func(t *testing.T) {
			m, ok := matchOf(r.Evaluate(tt.profile), tt.slug)
			if !ok {
				t.Fatalf("%s does not match the profile", tt.slug)
			}
			if got := SayReason(tr, tt.lang, "en", m.Reason()); got != tt.want {
				t.Errorf("reason\n got: %q\nwant: %q", got, tt.want)
			}
		})
	}
}

// Rules the demo does not have: negations, limits on the left, sums of
// questions, bool comparisons and questions without messages of their own.
func TestReasonsForOtherShapesOfRule(t *testing.T) {
	tr := reasonTranslator(t)
	c := &catalogue.Catalogue{
		Authority: catalogue.Authority{Name: catalogue.Text{"en": "City of Porta Nova", "es": "Ayuntamiento de Porta Nova"}, DefaultLanguage: "en", Currency: "EUR"},
		ProfileQuestions: []catalogue.ProfileQuestion{
			{Name: "age", Type: "integer", Min: ptr[int64](0), Max: ptr[int64](120)},
			{Name: "resident", Type: "boolean"},
			{Name: "homeowner", Type: "boolean"},
			{Name: "renting", Type: "boolean"},
			{Name: "years_resident", Type: "integer", Min: ptr[int64](0), Max: ptr[int64](120)},
			{Name: "household_size", Type: "integer", Min: ptr[int64](1), Max: ptr[int64](20)},
			{Name: "monthly_income", Type: "integer", Min: ptr[int64](0)},
			{Name: "pets", Type: "integer", Min: ptr[int64](0), Label: catalogue.Text{"en": "How many pets do you have?", "es": "¿Cuántas mascotas tiene?"}},
			{Name: "cyclist", Type: "boolean", Label: catalogue.Text{"en": "Do you cycle to work?"}},
		},
	}
	answers := eligibility.Answers{"age": 70, "resident": true, "homeowner": false, "renting": false, "years_resident": 12,
		"household_size": 2, "monthly_income": 1500, "pets": 3, "cyclist": true}
	tests := []struct {
		rule    string
		answers eligibility.Answers
		lang    string
		want    string
	}{
		{"!(age < 65)", answers, "en", "because you are 70"},
		{"!(resident && homeowner)", answers, "en", "because you do not own your home"},
		{"!(homeowner || renting)", answers, "en", "because you do not own your home and you do not rent your home"},
		{"not homeowner and resident", answers, "en", "because you do not own your home and you live in Porta Nova"},
		{"1000 * household_size >= monthly_income - 100", answers, "en", "because 2 people live in your household and your household's monthly income is €1,500"},
		{"1000 * household_size >= monthly_income", answers, "en", "because your household's monthly income (€1,500) is at most €2,000 for 2 people"},
		{"!(monthly_income > 900 * household_size)", answers, "en", "because your household's monthly income (€1,500) is at most €1,800 for 2 people"},
		{"monthly_income < 2000", answers, "en", "because your household's monthly income (€1,500) is below €2,000"},
		{"monthly_income > 1000 * household_size - 1000", answers, "en", "because your household's monthly income (€1,500) is above €1,000 for 2 people"},
		{"age + years_resident > 80", answers, "en", "because you are 70 and you have lived in Porta Nova for 12 years"},
		{"resident == true", answers, "en", "because you live in Porta Nova"},
		{"resident != homeowner", answers, "en", "because you live in Porta Nova and you do not own your home"},
		{"household_size != 1", answers, "es", "porque en su hogar viven 2 personas"},
		{"pets >= 1", answers, "en", "because How many pets do you have? 3"},
		{"pets >= 1", answers, "es", "porque ¿Cuántas mascotas tiene? 3"},
		{"cyclist && resident", answers, "en", "because Do you cycle to work? yes and you live in Porta Nova"},
		{"cyclist && resident", answers, "fr", "parce que Do you cycle to work? oui et vous habitez à Porta Nova"},
		{"true", answers, "en", "this service is open to everyone"},
		// Known before everything is answered: only what was answered is
		// stated.
		{"monthly_income <= 600 * household_size", eligibility.Answers{"monthly_income": 0}, "en", "because your household's monthly income is €0"},
		{"resident || age >= 200", eligibility.Answers{"resident": true}, "en", "because you live in Porta Nova"},
	}
	for _, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			c := *c
			rule := tt.rule
			c.Services = []catalogue.Service{{Slug: "s", EligibilityRule: &rule}}
			r, err := eligibility.Compile(&c)
			if err != nil {
				t.Fatal(err)
			}
			ms := r.Evaluate(tt.answers)
			if len(ms) != 1 {
				t.Fatalf("%q should hold over %v", tt.rule, tt.answers)
			}
			if got := SayReason(tr, tt.lang, "en", ms[0].Reason()); got != tt.want {
				t.Errorf("reason\n got: %q\nwant: %q", got, tt.want)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

var placeholder = regexp.MustCompile(`\{\{\.[A-Za-z]+\}\}`)

// Every language's reason.* message uses the placeholders English uses
// (which values a plural form states may differ); that every language has
// every message is TestMissingTranslations' in portal/web.
func TestReasonMessagesUseTheSamePlaceholders(t *testing.T) {
	messages := map[string]map[string]string{}
	for _, lang := range catalogue.Languages {
		messages[lang] = readMessages(t, "locales/reasons."+lang+".json")
	}
	for key, want := range messages["en"] {
		if strings.Contains(key, "#") {
			continue
		}
		for _, lang := range catalogue.Languages {
			wantVars, gotVars := placeholder.FindAllString(want, -1), placeholder.FindAllString(messages[lang][key], -1)
			slices.Sort(wantVars)
			slices.Sort(gotVars)
			if !slices.Equal(slices.Compact(wantVars), slices.Compact(gotVars)) {
				t.Errorf("%s %q uses %v, English uses %v", lang, key, gotVars, wantVars)
			}
		}
	}
}

// No demo reason falls back to "label answer": every demo question has its
// own message.
func TestDemoQuestionsHaveTheirOwnMessages(t *testing.T) {
	r, tr := demoRules(t), reasonTranslator(t)
	for _, q := range r.Questions() {
		keys := []string{q.Name}
		if q.Type == catalogue.QuestionBoolean {
			keys = []string{q.Name + ".true", q.Name + ".false"}
		}
		for _, k := range keys {
			if !tr.Has(eligibility.ReasonPrefix + k) {
				t.Errorf("no message %q", eligibility.ReasonPrefix+k)
			}
		}
	}
}

func readMessages(t *testing.T, name string) map[string]string {
	t.Helper()
	buf, err := fs.ReadFile(web.Locales, name)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]string
	if err := json.Unmarshal(buf, &m); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return m
}
