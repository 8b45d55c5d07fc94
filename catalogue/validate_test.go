package catalogue

import (
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/vm"
)

// demo returns a fresh copy of the demo catalogue to break. It decodes with
// encoding/json alone, which is quicker than Parse; TestEncodeRoundTrip and
// TestDemoIsValid go through Parse.
func demo(t testing.TB) *Catalogue {
	t.Helper()
	var c Catalogue
	if err := json.Unmarshal(DemoJSON(), &c); err != nil {
		t.Fatalf("decoding the demo: %v", err)
	}
	return &c
}

func ptr[T any](v T) *T { return &v }

func TestDemoIsValid(t *testing.T) {
	c, err := Parse(DemoJSON())
	if err != nil {
		t.Fatal(err)
	}
	if err := Validate(c); err != nil {
		t.Fatalf("the demo catalogue is invalid:\n%v", err)
	}
}

// Each case breaks one thing in the demo and expects exactly one problem.
func TestValidateReportsEachProblem(t *testing.T) {
	tests := []struct {
		name    string
		break_  func(c *Catalogue)
		path    string
		message string
	}{
		{"format", func(c *Catalogue) { c.Format = "sportello-catalogue/2" },
			"format", `must be "sportello-catalogue/1", not "sportello-catalogue/2"; this version of Sportello reads only that format`},
		{"default language not in languages", func(c *Catalogue) {
			c.Authority.Languages = []string{"es", "ca", "it", "fr"}
			c.Authority.DefaultLanguage = "de"
		},
			"authority.default_language", `must be one of authority.languages (es, ca, it, fr), not "de"`},
		{"unsupported language", func(c *Catalogue) { c.Authority.Languages = append(c.Authority.Languages, "de") },
			"authority.languages[5]", `"de" is not a language Sportello has; use en, es, ca, it, fr`},
		{"language twice", func(c *Catalogue) { c.Authority.Languages = append(c.Authority.Languages, "es") },
			"authority.languages[5]", `"es" is listed twice; list each language once`},
		{"currency not ISO", func(c *Catalogue) { c.Authority.Currency = "EURO" },
			"authority.currency", `must be an ISO 4217 currency code in capitals, such as "EUR", not "EURO"`},
		{"currency lowercase", func(c *Catalogue) { c.Authority.Currency = "eur" },
			"authority.currency", `must be an ISO 4217 currency code in capitals, such as "EUR", not "eur"`},
		{"duplicate topic slug", func(c *Catalogue) { c.Topics = append(c.Topics, c.Topics[0]) },
			"topics[13].slug", `"waste-recycling" is already the slug of topics[0]; slugs must be unique`},
		{"bad slug", func(c *Catalogue) { c.Journeys[1].Slug = "Open_A_Shop" },
			"journeys[1].slug", `"Open_A_Shop" must be lowercase letters, digits and single hyphens, like "order-a-new-bin"`},
		{"empty slug", func(c *Catalogue) { c.Departments = append(c.Departments, Department{Name: Text{"en": "Nameless"}}) },
			"departments[13].slug", `is missing; give it a slug of lowercase letters, digits and hyphens, like "order-a-new-bin"`},
		{"unknown topic", func(c *Catalogue) { c.Services[4].Topic = "rubbish" },
			"services[4].topic", `"rubbish" is not the slug of any topic; use one of the catalogue's topics`},
		{"unknown department", func(c *Catalogue) { c.Services[4].Department = "nobody" },
			"services[4].department", `"nobody" is not the slug of any department; use one of the catalogue's departments`},
		{"unknown related", func(c *Catalogue) { c.Services[2].Related = append(c.Services[2].Related, "no-such-service") },
			"services[2].related[" + strconv.Itoa(len(demo(t).Services[2].Related)) + "]", `"no-such-service" is not the slug of any of the catalogue's services; check the spelling or add it`},
		{"related to itself", func(c *Catalogue) { c.Services[2].Related = append(c.Services[2].Related, c.Services[2].Slug) },
			"services[2].related", `lists the service itself; list only other services`},
		{"unknown life event", func(c *Catalogue) { c.Services[9].LifeEvents = []string{"no-such-event"} },
			"services[9].life_events[0]", `"no-such-event" is not the slug of any of the catalogue's life events; check the spelling or add it`},
		{"unknown journey service", func(c *Catalogue) { c.Journeys[0].Steps[1].Services = []string{"nope"} },
			"journeys[0].steps[1].services[0]", `"nope" is not the slug of any of the catalogue's services; check the spelling or add it`},
		{"audience", func(c *Catalogue) { c.Services[5].Audience = []string{"tourist"} },
			"services[5].audience[0]", `must be one of "resident", "business", not "tourist"`},
		{"no audience", func(c *Catalogue) { c.Services[5].Audience = nil },
			"services[5].audience", `must list at least one of "resident", "business"`},
		{"life event audience", func(c *Catalogue) { c.LifeEvents[0].Audience = "everyone" },
			"life_events[0].audience", `must be one of "resident", "business", not "everyone"`},
		{"channel", func(c *Catalogue) { c.Services[7].Channels = []string{"fax"} },
			"services[7].channels[0]", `must be one of "online", "in_person", "phone", "post", not "fax"`},
		{"online form without online channel", func(c *Catalogue) { c.Services[0].Channels = []string{"phone"} },
			"services[0].channels", `must include "online" because the service has an online_form`},
		{"online form without assurance", func(c *Catalogue) { c.Services[0].Assurance = nil },
			"services[0].assurance", `is missing; a service with an online_form says who may use it: one of "none", "low", "substantial", "high"`},
		{"assurance value", func(c *Catalogue) { c.Services[0].Assurance = ptr("medium") },
			"services[0].assurance", `must be one of "none", "low", "substantial", "high", not "medium"`},
		{"assurance without form", func(c *Catalogue) { c.Services[7].Assurance = ptr("low") },
			"services[7].assurance", `must be null when the service has no online_form`},
		{"negative fee", func(c *Catalogue) { c.Services[1].Fee.Amount = -5 },
			"services[1].fee.amount", `must be a whole number of cents, 0 or more`},
		{"fee currency", func(c *Catalogue) { c.Services[1].Fee.Currency = "USD" },
			"services[1].fee.currency", `must be "EUR", the authority's currency, not "USD"`},
		{"fee when", func(c *Catalogue) { c.Services[1].Fee.When = "later" },
			"services[1].fee.when", `must be one of "on_application", "on_approval", not "later"`},
		{"anonymous with a fee on application", func(c *Catalogue) { c.Services[1].Assurance = ptr(AssuranceNone) },
			"services[1].assurance", `a fee paid on application needs the applicant signed in: use "low" or higher, or charge on approval`},
		{"kind value", func(c *Catalogue) { c.Services[5].Kind = "complain" },
			"services[5].kind", `must be one of "apply", "report", "pay", "book", "request", not "complain"`},
		{"a service to pay without a fee", func(c *Catalogue) { c.Services[5].Kind = TransactionPay },
			"services[5].kind", `"pay" needs a fee paid on application, or the form would take no payment: give the service a fee with "when": "on_application", or choose another kind`},
		{"a service to pay on approval", func(c *Catalogue) { c.Services[13].Fee.When = FeeOnApproval },
			"services[13].kind", `"pay" needs a fee paid on application, or the form would take no payment: give the service a fee with "when": "on_application", or choose another kind`},
		{"processing time", func(c *Catalogue) { d := -1; c.Services[1].ProcessingTimeDays = &d },
			"services[1].processing_time_days", `must be 0 or more, or null when there is no set time, not -1`},
		{"renewal of no days", func(c *Catalogue) { c.Services[0].Renewal = &Renewal{RemindDaysBefore: 30} },
			"services[0].renewal.valid_for_days", `must be the number of days what the service grants lasts from its approval, 1 to 36600, not 0`},
		{"renewal too long", func(c *Catalogue) { c.Services[0].Renewal = &Renewal{ValidForDays: 40000, RemindDaysBefore: 30} },
			"services[0].renewal.valid_for_days", `must be the number of days what the service grants lasts from its approval, 1 to 36600, not 40000`},
		{"renewal without a reminder", func(c *Catalogue) { c.Services[0].Renewal = &Renewal{ValidForDays: 365} },
			"services[0].renewal.remind_days_before", `must be 1 or more: how many days before the end to remind the holder, not 0`},
		{"renewal reminded before it starts", func(c *Catalogue) { c.Services[0].Renewal = &Renewal{ValidForDays: 30, RemindDaysBefore: 30} },
			"services[0].renewal.remind_days_before", `must be less than valid_for_days (30), or the reminder would come before what it reminds of was granted, not 30`},
		{"renewal without a form", func(c *Catalogue) { c.Services[7].Renewal = &Renewal{ValidForDays: 365, RemindDaysBefore: 30} },
			"services[7].renewal", `needs an online_form: reminders go to the people whose online applications were approved; add a form or remove renewal`},
		{"field type", func(c *Catalogue) {
			c.Services[0].OnlineForm.Fields[2].Type, c.Services[0].OnlineForm.Fields[2].MaxDate = "datetime", nil
		},
			"services[0].online_form.fields[2].type", `must be one of "text", "textarea", "email", "tel", "date", "integer", "money", "select", "radio", "checkbox", "file", "address", "location", "vehicle_registration", not "datetime"`},
		{"select without options", func(c *Catalogue) { c.Services[0].OnlineForm.Fields[1].Options = nil },
			"services[0].online_form.fields[1].options", `are missing; a select field needs at least one option`},
		{"duplicate option value", func(c *Catalogue) {
			o := c.Services[0].OnlineForm.Fields[1].Options
			o[1].Value = o[0].Value
		}, "services[0].online_form.fields[1].options[1].value", `"general" is already the value of option 0; values must be unique within a field`},
		{"options on a text field", func(c *Catalogue) {
			f := &c.Services[0].OnlineForm.Fields[2]
			f.Options = []Option{{Value: "x", Label: Text{"en": "X"}}}
		}, "services[0].online_form.fields[2].options", `apply only to select, radio and checkbox fields; remove them or change the type`},
		{"accept on a date field", func(c *Catalogue) { c.Services[0].OnlineForm.Fields[2].Accept = []string{"image/png"} },
			"services[0].online_form.fields[2].accept", `applies only to file fields; remove it or change the type`},
		{"max size zero", func(c *Catalogue) { c.Services[0].OnlineForm.Fields[4].MaxSizeMB = ptr(0.0) },
			"services[0].online_form.fields[4].max_size_mb", `must be more than 0, not 0`},
		{"min above max", func(c *Catalogue) {
			f := &c.Services[1].OnlineForm.Fields[4]
			f.Min, f.Max = ptr(30.0), ptr(20.0)
		}, "services[1].online_form.fields[4].min", `30 is more than max 20; swap them`},
		{"duplicate field name", func(c *Catalogue) { c.Services[0].OnlineForm.Fields[5].Name = "address" },
			"services[0].online_form.fields[5].name", `"address" is already the name of field 0; names must be unique within a form`},
		{"field name not an identifier", func(c *Catalogue) { c.Services[0].OnlineForm.Fields[5].Name = "e-mail" },
			"services[0].online_form.fields[5].name", `"e-mail" must start with a lowercase letter and use only lowercase letters, digits and _, like "collection_date"`},
		{"pattern", func(c *Catalogue) { c.Services[0].OnlineForm.Fields[5].Pattern = ptr("([a-z]") },
			"services[0].online_form.fields[5].pattern", "is not a valid RE2 regular expression: error parsing regexp: missing closing ): `([a-z]`"},
		{"pattern not RE2", func(c *Catalogue) { c.Services[0].OnlineForm.Fields[5].Pattern = ptr(`^(?!x)`) },
			"services[0].online_form.fields[5].pattern", "is not a valid RE2 regular expression: error parsing regexp: invalid or unsupported Perl syntax: `(?!`"},
		{"allow_unknown", func(c *Catalogue) { c.ProfileQuestions[1].AllowUnknown = "maybe" },
			"profile_questions[1].allow_unknown", `must be "dont_know" or "rather_not_say", not "maybe"; leave it out when the question must be answered`},
		{"pattern message without pattern", func(c *Catalogue) { c.Services[0].OnlineForm.Fields[6].PatternMessage = Text{"en": "Enter it right"} },
			"services[0].online_form.fields[6].pattern_message", "applies only to a field with a pattern, or to a vehicle_registration field; add the pattern or remove the message"},
		{"min_date not a bound", func(c *Catalogue) { c.Services[0].OnlineForm.Fields[2].MinDate = ptr("tomorrow") },
			"services[0].online_form.fields[2].min_date", `"tomorrow" is not a date bound; use "today", a date like "2026-01-01", or an offset from today like "+6w", "-18y" (d days, w weeks, m months, y years)`},
		{"max_date unit", func(c *Catalogue) { c.Services[0].OnlineForm.Fields[2].MaxDate = ptr("+3x") },
			"services[0].online_form.fields[2].max_date", `"+3x" is not a date bound; use "today", a date like "2026-01-01", or an offset from today like "+6w", "-18y" (d days, w weeks, m months, y years)`},
		{"min_date on a text field", func(c *Catalogue) { c.Services[0].OnlineForm.Fields[6].MinDate = ptr("today") },
			"services[0].online_form.fields[6].min_date", "applies only to date fields; remove it or change the type"},
		{"min_date after max_date", func(c *Catalogue) {
			f := &c.Services[0].OnlineForm.Fields[2]
			f.MinDate, f.MaxDate = ptr("+1m"), ptr("today")
		}, "services[0].online_form.fields[2].min_date", `"+1m" is after max_date "today"; swap them`},
		{"rule syntax", func(c *Catalogue) { c.Services[8].EligibilityRule = ptr("resident &&") },
			"services[8].eligibility_rule", `cannot read the rule: unexpected token EOF (1:11)`},
		{"rule unknown name", func(c *Catalogue) { c.Services[8].EligibilityRule = ptr("resident && income < 100") },
			"services[8].eligibility_rule", `unknown name income (1:13) (the profile questions are: age, resident, years_resident, household_size, children_under_18, monthly_income, disability, unemployed, carer, student, homeowner, renting)`},
		{"rule type", func(c *Catalogue) { c.Services[8].EligibilityRule = ptr("age && resident") },
			"services[8].eligibility_rule", `invalid operation: && (mismatched types int and bool) (1:5) (the profile questions are: age, resident, years_resident, household_size, children_under_18, monthly_income, disability, unemployed, carer, student, homeowner, renting)`},
		{"rule not boolean", func(c *Catalogue) { c.Services[8].EligibilityRule = ptr("age + 1") },
			"services[8].eligibility_rule", `expected bool, but got int (the profile questions are: age, resident, years_resident, household_size, children_under_18, monthly_income, disability, unemployed, carer, student, homeowner, renting)`},
		{"rule builtin", func(c *Catalogue) { c.Services[8].EligibilityRule = ptr(`len(age) > 2`) },
			"services[8].eligibility_rule", `"len(age)" at column 1 is not allowed in a rule; a rule uses only question names, whole numbers, true, false, parentheses, !, &&, ||, comparisons and + - *`},
		{"rule empty", func(c *Catalogue) { c.Services[8].EligibilityRule = ptr(" ") },
			"services[8].eligibility_rule", `the rule is empty; use null for a service everyone can use`},
		{"question type", func(c *Catalogue) { c.ProfileQuestions[1].Type = "string" },
			"profile_questions[1].type", `must be "integer" or "boolean", not "string"`},
		{"question min above max", func(c *Catalogue) { c.ProfileQuestions[0].Min = ptr(int64(200)) },
			"profile_questions[0].min", `200 is more than max 120; swap them`},
		{"question name", func(c *Catalogue) { c.ProfileQuestions[9].Name = "Student" },
			"profile_questions[9].name", `"Student" must start with a lowercase letter and use only lowercase letters, digits and _, like "household_size"`},
		{"question about religion", func(c *Catalogue) {
			c.ProfileQuestions = append(c.ProfileQuestions, ProfileQuestion{Name: "observant", Type: "boolean", Label: Text{"en": "Do you practise a religion?"}})
		}, "profile_questions[12]", `asks about religion; Sportello refuses questions about ethnicity, race, sex, gender, religion or nationality, so that no eligibility rule can depend on them`},
		{"question named gender", func(c *Catalogue) {
			c.ProfileQuestions = append(c.ProfileQuestions, ProfileQuestion{Name: "gender_female", Type: "boolean", Label: Text{"en": "Are you a woman?"}})
		}, "profile_questions[12]", `asks about gender; Sportello refuses questions about ethnicity, race, sex, gender, religion or nationality, so that no eligibility rule can depend on them`},
		{"question about nationality", func(c *Catalogue) {
			c.ProfileQuestions = append(c.ProfileQuestions, ProfileQuestion{Name: "eu", Type: "boolean", Label: Text{"en": "Is your nationality Spanish?"}})
		}, "profile_questions[12]", `asks about nationality; Sportello refuses questions about ethnicity, race, sex, gender, religion or nationality, so that no eligibility rule can depend on them`},
		{"missing default language text", func(c *Catalogue) { delete(c.Topics[4].Title, "en") },
			"topics[4].title.en", `is missing or empty; every text needs one in the default language "en"`},
		{"missing title", func(c *Catalogue) { c.Services[9].Title = nil },
			"services[9].title", `is missing; give at least the en text, like {"en": "..."}`},
		{"text in an undeclared language", func(c *Catalogue) { c.Departments[0].Name["de"] = "Abfall" },
			"departments[0].name.de", `"de" is not in authority.languages; add it there or remove this translation`},
		{"half translated service", func(c *Catalogue) { delete(c.Services[0].Summary, "ca") },
			"services[0].summary.ca", `is missing, but the service has title, description, eligibility_text, legal_basis, output, keywords, documents, steps, privacy.purpose in "ca"; translate all of its texts into "ca" or none of them`},
		{"half translated list", func(c *Catalogue) { delete(c.Services[0].Steps, "es") },
			"services[0].steps.es", `is missing, but the service has title, summary, description, eligibility_text, legal_basis, output, keywords, documents, privacy.purpose in "es"; translate all of its texts into "es" or none of them`},
		{"privacy without a form", func(c *Catalogue) { c.Services[7].Privacy = c.Services[0].Privacy },
			"services[7].privacy", `applies only to a service with an online_form, whose applications it describes; remove it or add a form`},
		{"privacy without a purpose", func(c *Catalogue) { c.Services[0].Privacy.Purpose = nil },
			"services[0].privacy.purpose", `is missing; give at least the en text, like {"en": "..."}`},
		{"privacy legal basis", func(c *Catalogue) { c.Services[0].Privacy.LegalBasis = "public_interest" },
			"services[0].privacy.legal_basis", `must be one of "consent", "contract", "legal_obligation", "vital_interests", "public_task", not "public_interest"`},
		{"privacy on legitimate interests", func(c *Catalogue) { c.Services[0].Privacy.LegalBasis = "legitimate_interests" },
			"services[0].privacy.legal_basis", `a council cannot rely on legitimate interests for its tasks (GDPR article 6(1), last paragraph); use "public_task", or another of "consent", "contract", "legal_obligation", "vital_interests", "public_task"`},
		{"privacy kept no days", func(c *Catalogue) { c.Services[0].Privacy.RetentionDays = 0 },
			"services[0].privacy.retention_days", `must be how many days a closed application is kept, 1 to 36600, not 0`},
		{"privacy kept less than the permit lasts", func(c *Catalogue) { c.Services[10].Privacy.RetentionDays = 200 },
			"services[10].privacy.retention_days", `is 200, less than renewal.valid_for_days (365): the application would be deleted while what it granted still runs, and its holder never reminded; keep it at least as long`},
		{"privacy half translated", func(c *Catalogue) { delete(c.Services[0].Privacy.Purpose, "it") },
			"services[0].privacy.purpose.it", `is missing, but the service has title, summary, description, eligibility_text, legal_basis, output, keywords, documents, steps in "it"; translate all of its texts into "it" or none of them`},
		{"privacy data empty item", func(c *Catalogue) {
			c.Services[0].Privacy.Data = TextList{"en": {"Your address", " "}, "es": {"a"}, "ca": {"a"}, "it": {"a"}, "fr": {"a"}}
		}, "services[0].privacy.data.en[1]", `is empty; remove it or write the text`},
		{"data protection officer's address", func(c *Catalogue) { c.Authority.Privacy.DPOEmail = "dpo at portanova" },
			"authority.privacy.dpo_email", `must be an email address, the data protection officer's address, like "dpo@council.example", not "dpo at portanova"`},
		{"supervisory authority's website", func(c *Catalogue) { c.Authority.Privacy.Supervisor.Website = "www.aepd.es" },
			"authority.privacy.supervisory_authority.website", `must be a web address starting with https://, like "https://www.aepd.es", not "www.aepd.es"`},
		{"payment records unsaid", func(c *Catalogue) { c.Authority.Privacy.PaymentRecords = nil },
			"authority.privacy.payment_records", `is missing; give at least the en text, like {"en": "..."}`},
		{"accessibility status", func(c *Catalogue) { c.Authority.Accessibility.Status = "mostly" },
			"authority.accessibility.status", `must be one of "full", "partial", "none", not "mostly"`},
		{"partly accessible without known issues", func(c *Catalogue) { c.Authority.Accessibility.KnownIssues = TextList{"en": {}} },
			"authority.accessibility.known_issues", `must list what is not accessible, in the default language "en" at least: a site that is not fully compliant says where it falls short`},
		{"accessibility statement date", func(c *Catalogue) { c.Authority.Accessibility.PreparedOn = "7/12/2026" },
			"authority.accessibility.prepared_on", `must be a date written YYYY-MM-DD, like "2026-09-30", not "7/12/2026"`},
		{"accessibility reviewed before prepared", func(c *Catalogue) { c.Authority.Accessibility.ReviewedOn = "2020-01-01" },
			"authority.accessibility.reviewed_on", `2020-01-01 is before prepared_on (2026-12-07); a statement is reviewed after it is prepared`},
		{"accessibility assessment", func(c *Catalogue) { c.Authority.Accessibility.Assessment = "audit" },
			"authority.accessibility.assessment", `must be one of "self", "third_party", not "audit"`},
		{"accessibility enforcement unsaid", func(c *Catalogue) { c.Authority.Accessibility.Enforcement = nil },
			"authority.accessibility.enforcement", `is missing; give at least the en text, like {"en": "..."}`},
		{"journey without steps", func(c *Catalogue) { c.Journeys[2].Steps = nil },
			"journeys[2].steps", `must have at least one step`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := demo(t)
			tt.break_(c)
			err := Validate(c)
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("Validate = %v, want a *ValidationError", err)
			}
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("the error does not wrap ErrInvalid")
			}
			want := []Problem{{Path: tt.path, Message: tt.message}}
			if !reflect.DeepEqual(ve.Problems, want) {
				t.Errorf("problems:\n%s\nwant:\n%s", ve, want[0])
			}
		})
	}
}

func TestValidateReportsAllProblemsAtOnce(t *testing.T) {
	c := demo(t)
	c.Format = "other"
	c.Services[1].Fee.Amount = -1
	c.Services[4].Topic = "rubbish"
	c.Services[131].Related = []string{"nope"}
	c.Journeys[7].Audience = "tourist"
	err := Validate(c)
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("Validate = %v, want a *ValidationError", err)
	}
	var paths []string
	for _, p := range ve.Problems {
		paths = append(paths, p.Path)
	}
	want := []string{"format", "services[1].fee.amount", "services[4].topic", "services[131].related[0]", "journeys[7].audience"}
	if !slices.Equal(paths, want) {
		t.Errorf("problem paths = %v, want %v", paths, want)
	}
	if lines := strings.Split(err.Error(), "\n"); len(lines) != len(want) || !strings.HasPrefix(lines[1], "services[1].fee.amount: ") {
		t.Errorf("Error() is not one problem per line:\n%s", err)
	}
}

func TestCompileRules(t *testing.T) {
	questions := demo(t).ProfileQuestions
	tests := []struct {
		rule    string
		answers map[string]any
		want    bool
	}{
		{"resident && age >= 65", map[string]any{"resident": true, "age": 70}, true},
		{"resident && age >= 65", map[string]any{"resident": true, "age": 64}, false},
		{"resident && monthly_income <= 600 * household_size", map[string]any{"resident": true, "monthly_income": 1100, "household_size": 2}, true},
		{"resident && monthly_income <= 600 * household_size", map[string]any{"resident": true, "monthly_income": 1300, "household_size": 2}, false},
		{"resident && (age >= 70 || disability)", map[string]any{"resident": true, "age": 30, "disability": true}, true},
		{"!renting", map[string]any{}, true},
		{"not renting and age > -1", map[string]any{"renting": false}, true},
	}
	for _, tt := range tests {
		program, err := CompileRules(questions, tt.rule)
		if err != nil {
			t.Fatalf("CompileRules(%q): %v", tt.rule, err)
		}
		out, err := runRule(program, RuleEnv(questions, tt.answers))
		if err != nil {
			t.Fatalf("running %q: %v", tt.rule, err)
		}
		if out != tt.want {
			t.Errorf("%q with %v = %v, want %v", tt.rule, tt.answers, out, tt.want)
		}
	}
	for _, bad := range []string{`age > 1.5`, `resident == "yes"`, `age in [1, 2]`, `resident ? true : false`, `now() != nil`, `age / 2 > 1`, `age % 2 == 0`} {
		if _, err := CompileRules(questions, bad); err == nil {
			t.Errorf("CompileRules(%q) accepted a rule outside the format", bad)
		}
	}
}

func runRule(program *vm.Program, env map[string]any) (bool, error) {
	out, err := expr.Run(program, env)
	if err != nil {
		return false, err
	}
	return out.(bool), nil
}

func BenchmarkLoadDemo(b *testing.B) {
	data := DemoJSON()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Load(data); err != nil {
			b.Fatal(err)
		}
	}
}

func TestDateBound(t *testing.T) {
	today := time.Date(2026, 1, 31, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		bound string
		want  string
		today bool
	}{
		{"today", "2026-01-31", true},
		{"+0d", "2026-01-31", true},
		{"+1d", "2026-02-01", false},
		{"-1d", "2026-01-30", false},
		{"+6w", "2026-03-14", false},
		{"+1m", "2026-02-28", false}, // no 31 February: the month's last day
		{"-2m", "2025-11-30", false},
		{"+1y", "2027-01-31", false},
		{"-120y", "1906-01-31", false},
		{"2020-01-01", "2020-01-01", false},
	}
	for _, tt := range tests {
		b, err := ParseDateBound(tt.bound)
		if err != nil {
			t.Fatalf("%s: %v", tt.bound, err)
		}
		if got := b.On(today).Format(time.DateOnly); got != tt.want {
			t.Errorf("%s on %s = %s, want %s", tt.bound, today.Format(time.DateOnly), got, tt.want)
		}
		if b.IsToday() != tt.today {
			t.Errorf("%s: IsToday() = %v", tt.bound, b.IsToday())
		}
	}
	for _, bad := range []string{"", "now", "+", "+d", "1d", "++1d", "+-1d", "+1.5y", "2026-02-30", "+1 d"} {
		if _, err := ParseDateBound(bad); err == nil {
			t.Errorf("ParseDateBound(%q) accepted it", bad)
		}
	}
}
