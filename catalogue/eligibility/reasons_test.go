package eligibility

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"sportello/catalogue"
)

// A reason is message keys with their values; the portal says them
// (portal/support_reasons_test.go checks the sentences). Each statement is
// written here as its keys, its values, and what it falls back to:
// "reason.age.ge#…|reason.age {Limit=65 Value=70} else (…)".
func TestReasonStatements(t *testing.T) {
	c := &catalogue.Catalogue{
		Authority: catalogue.Authority{Name: catalogue.Text{"en": "City of Porta Nova", "es": "Ayuntamiento de Porta Nova"}, DefaultLanguage: "en", Currency: "EUR"},
		ProfileQuestions: []catalogue.ProfileQuestion{
			{Name: "age", Type: "integer", Min: ptr[int64](0), Max: ptr[int64](120)},
			{Name: "resident", Type: "boolean"},
			{Name: "household_size", Type: "integer", Min: ptr[int64](1), Max: ptr[int64](20)},
			{Name: "monthly_income", Type: "integer", Min: ptr[int64](0)},
			{Name: "cyclist", Type: "boolean", Label: catalogue.Text{"en": "Do you cycle to work?"}},
		},
	}
	answers := Answers{"age": 70, "resident": true, "household_size": 1, "monthly_income": 0, "cyclist": false}
	tests := []struct {
		rule string
		want []string
	}{
		{"true", nil},
		{"resident", []string{"reason.resident.true {} else (reason.fallback {Answer=reason.yes Label=})"}},
		{"!cyclist", []string{"reason.cyclist.false {} else (reason.fallback {Answer=reason.no Label=Do you cycle to work?})"}},
		// A limit on the left is turned round: 65 <= age is age >= 65.
		{"65 <= age", []string{"reason.age.ge {Limit=65 Value=70} else (reason.age {Value=70} else (reason.fallback {Answer=70 Label=}))"}},
		// One person, no income: the plural forms come first.
		{"monthly_income <= 600 * household_size", []string{
			"reason.monthly_income.le.per_household_size#one|reason.monthly_income.le.per_household_size {Limit=600 N=1 Value=0} else (" +
				"reason.monthly_income#zero|reason.monthly_income {Value=0} else (reason.fallback {Answer=0 Label=}), " +
				"reason.household_size#one|reason.household_size {Value=1} else (reason.fallback {Answer=1 Label=}))"}},
		// A sum of questions is explained by each answer.
		{"age + household_size > 60", []string{
			"reason.age {Value=70} else (reason.fallback {Answer=70 Label=})",
			"reason.household_size#one|reason.household_size {Value=1} else (reason.fallback {Answer=1 Label=})"}},
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
			ms := r.Evaluate(answers)
			if len(ms) != 1 {
				t.Fatalf("%q should hold over %v", tt.rule, answers)
			}
			var got []string
			for _, st := range ms[0].Reason() {
				got = append(got, statementString(st))
				if st.Args["City"].(catalogue.Text)["es"] != "Porta Nova" || st.Args["Currency"] != Currency("EUR") {
					t.Errorf("every statement names the place and the currency: %v", st.Args)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("statements\n got: %q\nwant: %q", got, tt.want)
			}
		})
	}
}

// statementString writes a statement out, leaving out the place and currency
// every statement has.
func statementString(st Statement) string {
	var args []string
	for name, v := range st.Args {
		switch v := v.(type) {
		case catalogue.Text:
			if name != "City" {
				args = append(args, name+"="+v["en"])
			}
		case Currency:
		default:
			args = append(args, fmt.Sprintf("%s=%v", name, v))
		}
	}
	sort.Strings(args)
	s := strings.Join(st.Keys, "|") + " {" + strings.Join(args, " ") + "}"
	if len(st.Otherwise) > 0 {
		var others []string
		for _, o := range st.Otherwise {
			others = append(others, statementString(o))
		}
		s += " else (" + strings.Join(others, ", ") + ")"
	}
	return s
}
