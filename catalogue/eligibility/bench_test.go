package eligibility

import "testing"

func BenchmarkCompileDemo(b *testing.B) {
	c := demo(b)
	for b.Loop() {
		if _, err := Compile(c); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEvaluateWithReasons(b *testing.B) {
	r := demoRules(b)
	a := elderAlone.answers()
	for b.Loop() {
		for _, m := range r.Evaluate(a) {
			_ = m.Reason()
		}
	}
}

// A whole support-finder session: NextQuestion after each answer.
func BenchmarkInterview(b *testing.B) {
	r := demoRules(b)
	profile := bigFamily.answers()
	for b.Loop() {
		answers := Answers{}
		for {
			q, done := r.NextQuestion(answers)
			if done {
				break
			}
			answers[q.Name] = profile[q.Name]
		}
	}
}
