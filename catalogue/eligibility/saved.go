package eligibility

import (
	"encoding/json"
	"maps"
	"strings"

	"sportello/catalogue"
)

// Replay replays the support finder's interview over given answers from
// the first question, asking NextQuestion each time as the finder's pages
// do, and returns the answers it reached (what a result rests on), the
// questions in the order asked, and the next question to ask (nil when no
// rule is left undecided). The account page and the support alerts
// evaluate saved answers through it, so both see what the finder would.
func (r *Rules) Replay(given Answers) (reached Answers, path []*catalogue.ProfileQuestion, next *catalogue.ProfileQuestion) {
	reached = Answers{}
	for {
		q, done := r.NextQuestion(reached)
		if done {
			return reached, path, nil
		}
		v, ok := given[q.Name]
		if !ok {
			return reached, path, q
		}
		reached[q.Name] = v
		path = append(path, q)
	}
}

// Sanitise keeps the answers of raw that are valid for the current
// questions, one by one: answers kept in a session or saved in an account
// may predate a change of the questions, and one stale answer must not
// lose the others.
func (r *Rules) Sanitise(raw map[string]any) Answers {
	out := Answers{}
	for k, v := range raw {
		if a, err := r.Check(map[string]any{k: v}); err == nil {
			maps.Copy(out, a)
		}
	}
	return out
}

// DecodeAnswers reads answers kept as JSON ({"age":70,"resident":true}),
// as the support finder keeps them, through Sanitise. Unreadable data
// reads as no answers.
func (r *Rules) DecodeAnswers(data string) Answers {
	if data == "" {
		return Answers{}
	}
	dec := json.NewDecoder(strings.NewReader(data))
	dec.UseNumber()
	var raw map[string]any
	if err := dec.Decode(&raw); err != nil {
		return Answers{}
	}
	return r.Sanitise(raw)
}
