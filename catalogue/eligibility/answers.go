package eligibility

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"

	"sportello/catalogue"
)

// Answers maps a profile question's name to a resident's answer: an int for
// an integer question, a bool for a yes/no question, or NotKnown where the
// question allows it and the resident did not know or would rather not say.
// An unanswered question is absent. Pass answers through Check (or
// ParseProfile) first: evaluation treats an answer of the wrong type as
// unanswered rather than failing.
type Answers map[string]any

// NotKnown is the answer of a resident who does not know, or would rather
// not say, to a question whose allow_unknown permits it. It is kept as
// this string in JSON too. Rules treat it as unanswered, so a rule that
// depends on it stays undecided (a "may be", never a match), but it is not
// asked again.
const NotKnown = "unknown"

// Check validates raw answers against the profile questions and returns them
// in the form evaluation expects (ints as int). Every problem is reported,
// each naming its key: an unknown question, a value of the wrong type, a
// number outside the question's minimum and maximum. A nil value means "not
// answered" and is dropped.
func (r *Rules) Check(raw map[string]any) (Answers, error) {
	out := make(Answers, len(raw))
	var problems []string
	keys := make([]string, 0, len(raw))
	for k := range raw {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := raw[k]
		if v == nil {
			continue
		}
		i, ok := r.byName[k]
		if !ok {
			problems = append(problems, fmt.Sprintf("%q is not a profile question; the questions are: %s", k, r.questionNames()))
			continue
		}
		q := &r.questions[i]
		if v == NotKnown {
			if q.AllowUnknown == "" {
				problems = append(problems, fmt.Sprintf("%q must be answered: the question does not allow %q", k, NotKnown))
				continue
			}
			out[k] = NotKnown
			continue
		}
		switch q.Type {
		case catalogue.QuestionBoolean:
			b, ok := v.(bool)
			if !ok {
				problems = append(problems, fmt.Sprintf("%q must be true or false, not %s", k, describe(v)))
				continue
			}
			out[k] = b
		case catalogue.QuestionInteger:
			n, ok := asInt(v)
			if !ok {
				problems = append(problems, fmt.Sprintf("%q must be a whole number, not %s", k, describe(v)))
				continue
			}
			if q.Min != nil && n < *q.Min || q.Max != nil && n > *q.Max {
				problems = append(problems, fmt.Sprintf("%q is %d, outside the allowed range %s", k, n, rangeText(q)))
				continue
			}
			out[k] = int(n)
		default:
			problems = append(problems, fmt.Sprintf("%q has question type %q, which the support finder does not know", k, q.Type))
		}
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("%w: the profile has %d problem(s):\n  %s", catalogue.ErrInvalid, len(problems), strings.Join(problems, "\n  "))
	}
	return out, nil
}

// ParseProfile reads a profile as JSON, `{"age": 70, "resident": true}`, and
// checks it like Check.
func (r *Rules) ParseProfile(data []byte) (Answers, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var raw map[string]any
	if err := dec.Decode(&raw); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) {
			return nil, fmt.Errorf("%w: a profile is a JSON object of answers, like {\"age\": 70, \"resident\": true}, not a JSON %s", catalogue.ErrInvalid, typeErr.Value)
		}
		return nil, fmt.Errorf("%w: the profile is not valid JSON: %v", catalogue.ErrInvalid, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("%w: the profile has more than one JSON value; write one object", catalogue.ErrInvalid)
	}
	if raw == nil {
		return nil, fmt.Errorf("%w: a profile is a JSON object of answers, like {\"age\": 70, \"resident\": true}, not null", catalogue.ErrInvalid)
	}
	return r.Check(raw)
}

func (r *Rules) questionNames() string {
	names := make([]string, len(r.questions))
	for i, q := range r.questions {
		names[i] = q.Name
	}
	return strings.Join(names, ", ")
}

func rangeText(q *catalogue.ProfileQuestion) string {
	switch {
	case q.Min != nil && q.Max != nil:
		return fmt.Sprintf("%d to %d", *q.Min, *q.Max)
	case q.Min != nil:
		return fmt.Sprintf("at least %d", *q.Min)
	case q.Max != nil:
		return fmt.Sprintf("at most %d", *q.Max)
	}
	return "of any whole number"
}

// asInt accepts the integer forms answers arrive in: Go ints from code and
// forms, json.Number and whole float64s from JSON.
func asInt(v any) (int64, bool) {
	switch n := v.(type) {
	case int:
		return int64(n), true
	case int8:
		return int64(n), true
	case int16:
		return int64(n), true
	case int32:
		return int64(n), true
	case int64:
		return n, true
	case uint8:
		return int64(n), true
	case uint16:
		return int64(n), true
	case uint32:
		return int64(n), true
	case uint64:
		if n > math.MaxInt64 {
			return 0, false
		}
		return int64(n), true
	case uint:
		if uint64(n) > math.MaxInt64 {
			return 0, false
		}
		return int64(n), true
	case float64:
		if n != math.Trunc(n) || n < math.MinInt64 || n >= math.MaxInt64 {
			return 0, false
		}
		return int64(n), true
	case json.Number:
		i, err := n.Int64()
		return i, err == nil
	}
	return 0, false
}

func describe(v any) string {
	switch x := v.(type) {
	case bool:
		return fmt.Sprintf("%t", x)
	case string:
		return fmt.Sprintf("the text %q", x)
	case json.Number:
		return "the number " + x.String()
	case float64:
		return fmt.Sprintf("the number %v", x)
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	}
	if _, ok := asInt(v); ok {
		return fmt.Sprintf("the number %v", v)
	}
	return fmt.Sprintf("a value of type %T", v)
}
