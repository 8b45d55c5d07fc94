package eligibility

import (
	"errors"
	"strings"
	"testing"

	"sportello/catalogue"
)

func TestParseProfile(t *testing.T) {
	r := demoRules(t)
	tests := []struct {
		name string
		json string
		want Answers
		errs []string // each must appear in the error
	}{
		{"complete", `{"age": 70, "resident": true, "monthly_income": 600}`,
			Answers{"age": 70, "resident": true, "monthly_income": 600}, nil},
		{"null means not answered", `{"age": null, "resident": false}`, Answers{"resident": false}, nil},
		{"empty", `{}`, Answers{}, nil},
		{"unknown question", `{"agee": 70}`, nil,
			[]string{`"agee" is not a profile question; the questions are: age, resident,`}},
		{"text for a number", `{"age": "70"}`, nil, []string{`"age" must be a whole number, not the text "70"`}},
		{"fraction", `{"household_size": 2.5}`, nil, []string{`"household_size" must be a whole number, not the number 2.5`}},
		{"number for yes/no", `{"resident": 1}`, nil, []string{`"resident" must be true or false, not the number 1`}},
		{"out of range", `{"age": 130}`, nil, []string{`"age" is 130, outside the allowed range 0 to 120`}},
		{"every problem at once", `{"age": -1, "resident": "yes", "pets": 2}`, nil, []string{
			`"age" is -1, outside the allowed range 0 to 120`,
			`"resident" must be true or false, not the text "yes"`,
			`"pets" is not a profile question`,
			"3 problem(s)",
		}},
		{"not an object", `[1, 2]`, nil, []string{"a profile is a JSON object of answers"}},
		{"null", `null`, nil, []string{"not null"}},
		{"broken JSON", `{"age": 70`, nil, []string{"the profile is not valid JSON"}},
		{"two values", `{} {}`, nil, []string{"more than one JSON value"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := r.ParseProfile([]byte(tt.json))
			if tt.errs == nil {
				if err != nil {
					t.Fatal(err)
				}
				if len(got) != len(tt.want) {
					t.Fatalf("got %v, want %v", got, tt.want)
				}
				for k, v := range tt.want {
					if got[k] != v {
						t.Errorf("%s = %#v, want %#v", k, got[k], v)
					}
				}
				return
			}
			if !errors.Is(err, catalogue.ErrInvalid) {
				t.Fatalf("want catalogue.ErrInvalid, got %v", err)
			}
			for _, want := range tt.errs {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error\n%v\nshould contain %q", err, want)
				}
			}
		})
	}
}

// Check accepts the integer forms Go code produces and normalises them.
func TestCheckNormalisesIntegers(t *testing.T) {
	r := demoRules(t)
	got, err := r.Check(map[string]any{"age": int64(70), "household_size": float64(2), "children_under_18": uint8(1)})
	if err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]int{"age": 70, "household_size": 2, "children_under_18": 1} {
		if got[k] != want {
			t.Errorf("%s = %#v, want int %d", k, got[k], want)
		}
	}
}
