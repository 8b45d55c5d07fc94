package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sportello/catalogue"
)

// rulesFiles writes the demo catalogue and a profile to a temporary
// directory and returns their paths.
func rulesFiles(t *testing.T, profile string) (catalogueFile, profileFile string) {
	t.Helper()
	dir := t.TempDir()
	catalogueFile = filepath.Join(dir, "porta-nova.json")
	profileFile = filepath.Join(dir, "profile.json")
	if err := os.WriteFile(catalogueFile, catalogue.DemoJSON(), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(profileFile, []byte(profile), 0o644); err != nil {
		t.Fatal(err)
	}
	return catalogueFile, profileFile
}

const visitorProfile = `{"age": 45, "resident": false, "years_resident": 0, "household_size": 2,
  "children_under_18": 1, "monthly_income": 3000, "disability": true, "unemployed": false,
  "carer": false, "student": false, "homeowner": true, "renting": false}`

func TestRulesCheckPrintsEveryMatchWithItsReason(t *testing.T) {
	cat, profile := rulesFiles(t, visitorProfile)
	var out bytes.Buffer
	if err := rulesCheck(context.Background(), []string{cat, profile}, &out); err != nil {
		t.Fatal(err)
	}
	want := `clinical-waste-collection: Request a clinical waste collection
  because you or someone in your household has a recognised disability
disabled-parking-badge: Apply for a disabled parking badge
  because you or someone in your household has a recognised disability
disability-support-assessment: Request a disability support assessment
  because you or someone in your household has a recognised disability
school-admission-application: Apply for a school place
  because 1 child under 18 lives with you
solar-panel-tax-rebate: Apply for a solar panel property tax rebate
  because you own your home
5 of 34 services with an eligibility rule match
`
	if out.String() != want {
		t.Errorf("output\n%s\nwant\n%s", out.String(), want)
	}
}

func TestRulesCheckInAnotherLanguage(t *testing.T) {
	cat, profile := rulesFiles(t, visitorProfile)
	var out bytes.Buffer
	if err := rulesCheck(context.Background(), []string{"-lang", "es", cat, profile}, &out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"disabled-parking-badge: Solicitar la tarjeta de aparcamiento para personas con discapacidad\n  porque usted o alguien de su hogar tiene una discapacidad reconocida\n",
		"school-admission-application: Solicitar plaza escolar\n  porque vive con usted 1 menor de 18 años\n",
		"5 of 34 services",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output\n%s\nshould contain %q", out.String(), want)
		}
	}
}

// Age 70 and residence decide 12 of the 36 rules: 11 true, and the youth
// employment programme false (age <= 29); the other 24 wait for answers.
func TestRulesCheckWithAPartialProfile(t *testing.T) {
	cat, profile := rulesFiles(t, `{"age": 70, "resident": true}`)
	var out bytes.Buffer
	if err := rulesCheck(context.Background(), []string{cat, profile}, &out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"older-persons-bus-pass: Apply for an older person's bus pass\n  because you live in Porta Nova and you are 70\n",
		"home-care-service:",
		"\n9 of 34 services with an eligibility rule match\n",
		"24 more depend on questions the profile does not answer: clinical-waste-collection, ",
		"the support finder would ask next: years_resident (How many years have you lived in Porta Nova?)\n",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output\n%s\nshould contain %q", out.String(), want)
		}
	}
}

func TestRulesCheckRefusesBadInput(t *testing.T) {
	tests := []struct {
		name    string
		profile string
		args    func(cat, profile string) []string
		errs    []string
	}{
		{"unknown question", `{"age": 70, "income": 500}`, nil,
			[]string{"profile.json", `"income" is not a profile question; the questions are: age, resident`}},
		{"wrong type", `{"resident": "yes", "age": 70.5}`, nil,
			[]string{`"resident" must be true or false, not the text "yes"`, `"age" must be a whole number, not the number 70.5`}},
		{"out of range", `{"household_size": 0}`, nil, []string{`"household_size" is 0, outside the allowed range 1 to 20`}},
		{"not JSON", `age=70`, nil, []string{"profile.json", "not valid JSON"}},
		{"missing profile", `{}`, func(cat, _ string) []string { return []string{cat} },
			[]string{"rules check needs a catalogue file and a profile file", "usage: sportello rules check"}},
		{"unknown language", `{}`, func(cat, p string) []string { return []string{"-lang", "de", cat, p} },
			[]string{`-lang "de" is not a language Sportello has`}},
		{"catalogue is not a catalogue", `{}`, func(_, p string) []string { return []string{p, p} },
			[]string{"profile.json is not a valid catalogue"}},
		{"no such file", `{}`, func(_, p string) []string { return []string{"/nonexistent/catalogue.json", p} },
			[]string{"/nonexistent/catalogue.json"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cat, profile := rulesFiles(t, tt.profile)
			args := []string{cat, profile}
			if tt.args != nil {
				args = tt.args(cat, profile)
			}
			var out bytes.Buffer
			err := rulesCheck(context.Background(), args, &out)
			if err == nil {
				t.Fatalf("want an error; printed\n%s", out.String())
			}
			for _, want := range tt.errs {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error\n%v\nshould contain %q", err, want)
				}
			}
		})
	}
}

// A profile may answer "unknown" where a question allows it: what depends
// on it is reported as possible, and no question is asked again.
func TestRulesCheckWithUnknownAnswers(t *testing.T) {
	cat, profile := rulesFiles(t, `{"age": "unknown", "resident": true, "years_resident": 3, "household_size": 1, "children_under_18": 0,
		"monthly_income": "unknown", "disability": false, "unemployed": false, "carer": false, "student": false, "homeowner": false, "renting": true}`)
	var out bytes.Buffer
	if err := rulesCheck(context.Background(), []string{cat, profile}, &out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"resident-parking-permit:",
		`more may match, but depend on answers the profile gives as "unknown": `,
		"older-persons-bus-pass", "rent-assistance",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output\n%s\nshould contain %q", out.String(), want)
		}
	}
	if strings.Contains(out.String(), "would ask next") {
		t.Errorf("output\n%s\nasks a question again", out.String())
	}
}
