package eligibility

import (
	"testing"

	"sportello/catalogue"
)

// Saved answers are read one by one (a stale one loses only itself) and
// replayed as the finder asks: the answers reached are those the result
// rests on, and an unanswered question stops the replay there.
func TestDecodeAndReplay(t *testing.T) {
	r := demoRules(t)
	got := r.DecodeAnswers(`{"age": 70, "resident": "yes", "pets": 2, "household_size": 1}`)
	if len(got) != 2 || got["age"] != 70 || got["household_size"] != 1 {
		t.Errorf("decoded %v, want age and household_size only", got)
	}
	if a := r.DecodeAnswers(`{"age": 7`); len(a) != 0 {
		t.Errorf("broken JSON decoded to %v", a)
	}
	reached, path, next := r.Replay(got)
	if next == nil || len(path) != len(reached) {
		t.Fatalf("replay without resident: reached %v, path %d, next %v", reached, len(path), next)
	}
	if _, ok := reached[next.Name]; ok {
		t.Errorf("the next question %s is answered", next.Name)
	}
	all := map[string]any{}
	for _, q := range r.Questions() {
		switch q.Type {
		case catalogue.QuestionBoolean:
			all[q.Name] = false
		default:
			all[q.Name] = 1
		}
	}
	all["age"], all["resident"] = 70, true
	reached, _, next = r.Replay(r.Sanitise(all))
	if next != nil {
		t.Fatalf("every question answered, yet %s is next", next.Name)
	}
	if len(r.Evaluate(reached)) == 0 {
		t.Error("a resident of 70 matches nothing")
	}
}
