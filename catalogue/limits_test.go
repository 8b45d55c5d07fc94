package catalogue

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// problemsOf loads data within lim and returns its problems; the file must
// be refused.
func problemsOf(t *testing.T, data []byte, lim Limits) []Problem {
	t.Helper()
	_, err := LoadWithin(data, lim)
	var ve *ValidationError
	if !errors.As(err, &ve) || !errors.Is(err, ErrInvalid) {
		t.Fatalf("want a *ValidationError, got %v", err)
	}
	return ve.Problems
}

// findProblem returns the problem at path whose message contains msg.
func findProblem(t *testing.T, ps []Problem, path, msg string) Problem {
	t.Helper()
	for _, p := range ps {
		if p.Path == path && strings.Contains(p.Message, msg) {
			return p
		}
	}
	t.Fatalf("no problem at %q saying %q in:\n%s", path, msg, (&ValidationError{Problems: ps}).Error())
	return Problem{}
}

func TestDeepNestingIsRefusedAtItsPath(t *testing.T) {
	// 80 KB of brackets took gigabytes before the depth limit: the reader
	// built the path string anew at every level.
	brackets := append(bytes.Repeat([]byte("["), 80_000), bytes.Repeat([]byte("]"), 80_000)...)
	ps := problemsOf(t, brackets, Limits{})
	if len(ps) != 1 || !strings.Contains(ps[0].Message, "nested more than 32 levels deep") || ps[0].Line != 1 {
		t.Fatalf("problems: %+v", ps)
	}
	if want := strings.Repeat("[0]", MaxDepth+1); ps[0].Path != want {
		t.Errorf("path %q, want %q", ps[0].Path, want)
	}

	// Inside a real file: the path and line of where it went too deep.
	deep := strings.Repeat("[", 100) + strings.Repeat("]", 100)
	data, line := replaceFirst(t, `"fee": null,`, `"fee": `+deep+`,`)
	ps = problemsOf(t, data, Limits{})
	p := findProblem(t, ps, "services[0].fee"+strings.Repeat("[0]", MaxDepth-2), "nested more than 32 levels deep")
	if p.Line != line {
		t.Errorf("line %d, want %d", p.Line, line)
	}
	if _, err := Load(bytes.Replace(DemoJSON(), []byte(`"fee": null,`), []byte(`"fee": `+strings.Repeat("[", 20)+strings.Repeat("]", 20)+`,`), 1)); err == nil || strings.Contains(err.Error(), "nested") {
		t.Errorf("20 levels are within the limit and only the wrong type is a problem: %v", err)
	}
}

func TestOversizedTextsAreRefused(t *testing.T) {
	// A 10 MB title was accepted and made the home page 10 MB.
	huge := strings.Repeat("x", 10<<20)
	data, line := replaceFirst(t, `"en": "Report a missed bin collection"`, `"en": "`+huge+`"`)
	ps := problemsOf(t, data, Limits{})
	p := findProblem(t, ps, "services[0].title.en", "is 10 MB long; a text may be at most 64 KB")
	if p.Line != line {
		t.Errorf("line %d, want %d", p.Line, line)
	}
	for _, p := range ps {
		if len(p.Message) > maxMessageBytes+10 || len(p.Path) > 200 {
			t.Errorf("a problem quotes the huge text: %d bytes", len(p.Message))
		}
	}

	// Under the text limit, a title is still bounded: it is shown in lists.
	long := strings.Repeat("y", MaxShortText+1)
	data, _ = replaceFirst(t, `"en": "Report a missed bin collection"`, `"en": "`+long+`"`)
	findProblem(t, problemsOf(t, data, Limits{}), "services[0].title.en", "is 501 characters long; a title, name or label may have at most 500")
	// A description may be long, within MaxTextBytes.
	data, _ = replaceFirst(t, `"en": "Report a missed bin collection"`, `"en": "Bins"`)
	data = bytes.Replace(data, []byte(`"en": "Use this service if your rubbish`), []byte(`"en": "`+strings.Repeat("z", 60<<10)+` Use this service if your rubbish`), 1)
	if _, err := Load(data); err != nil {
		t.Errorf("a 60 KB description: %v", err)
	}

	// A number is as much text as a string.
	data, _ = replaceFirst(t, `"amount": 2500,`, `"amount": `+strings.Repeat("9", 1<<20)+`,`)
	p = findProblem(t, problemsOf(t, data, Limits{}), "services[1].fee.amount", "must be a whole number of cents, 0 or more, not 999")
	if !strings.Contains(p.Message, "(1 MB)") || len(p.Message) > 200 {
		t.Errorf("the message quotes the whole number: %d bytes", len(p.Message))
	}

	// A member name.
	data, _ = replaceFirst(t, `"topic": "waste-recycling",`, `"`+strings.Repeat("k", 1<<20)+`": 1, "topic": "waste-recycling",`)
	findProblem(t, problemsOf(t, data, Limits{}), "services[0]", "has a member name 1 MB long")
}

func TestLimitsOfAnUploadedFile(t *testing.T) {
	demo := DemoJSON()
	if _, err := LoadWithin(demo, Limits{MaxBytes: 4 << 20, MaxValues: 60_000}); err != nil {
		t.Fatalf("the demo within the editor's limits: %v", err)
	}
	findProblem(t, problemsOf(t, demo, Limits{MaxBytes: 1 << 20}), "", "; a catalogue imported here may be at most 1 MB")

	// A million empty services would be a million structs in memory.
	wide := append([]byte(`{"format": "sportello-catalogue/1", "services": [`), bytes.Repeat([]byte("{},"), 1_000_000)...)
	wide = append(wide, "{}]}"...)
	findProblem(t, problemsOf(t, wide, Limits{MaxValues: 300_000}), "services[299997]", "the file has more than 300000 values")
}

func TestProblemsAreCapped(t *testing.T) {
	// Every service's slug broken, then every fee's amount: one reading
	// lists MaxProblems of them and says there are more.
	wide := append([]byte(`{"format": "sportello-catalogue/1", "services": [`), bytes.Repeat([]byte(`1,`), 100_000)...)
	wide = append(wide, "1]}"...)
	ps := problemsOf(t, wide, Limits{})
	if len(ps) > 2*MaxProblems+2 {
		t.Fatalf("%d problems listed", len(ps))
	}
	findProblem(t, ps, "services[0]", "must be an object")
	findProblem(t, ps, "", "there are more problems; fix the ones above and try again")
}
