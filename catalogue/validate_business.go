package catalogue

import (
	"fmt"
	"slices"
	"strings"
)

// businessType checks one business type of the permit finder: its texts,
// its questions, and that its steps name the catalogue's services, each
// once, under questions of its own.
func (v *validator) businessType(p string, b *BusinessType) {
	v.text(member(p, "title"), b.Title, true)
	v.text(member(p, "summary"), b.Summary, false)
	keys := v.businessQuestions(member(p, "questions"), b.Questions)

	if len(b.Steps) == 0 {
		v.add(member(p, "steps"), "must have at least one step")
	}
	asked := make(map[string]bool, len(keys))
	listed := make(map[string]string) // service slug -> where it is first listed
	for i, st := range b.Steps {
		sp := index(member(p, "steps"), i)
		v.text(member(sp, "title"), st.Title, false)
		switch {
		case len(st.Services) == 0:
			v.add(member(sp, "services"), "must list at least one service")
		case st.Title == nil && len(st.Services) > 1:
			v.add(member(sp, "title"), "is missing; a step with several services needs a title (a step with one service may leave it out, and is titled with the service's title)")
		}
		for j, permit := range st.Services {
			pp := index(member(sp, "services"), j)
			switch first, seen := listed[permit.Service]; {
			case !v.services[permit.Service]:
				v.add(member(pp, "service"), "%q is not the slug of any of the catalogue's services; check the spelling or add it", permit.Service)
			case seen:
				v.add(member(pp, "service"), "%q is already listed at %s; list each service once in a business type", permit.Service, strings.TrimPrefix(first, p+"."))
			default:
				listed[permit.Service] = pp
			}
			if permit.If == "" {
				continue
			}
			asked[permit.If] = true
			if _, ok := keys[permit.If]; !ok {
				v.add(member(pp, "if"), "%q is not the key of any of this business type's questions; use one of %s, or leave \"if\" out when the service is always needed",
					permit.If, quoteAll(questionKeys(b.Questions)))
			}
		}
	}
	for i, q := range b.Questions {
		if j, ok := keys[q.Key]; ok && j == i && !asked[q.Key] {
			v.add(index(member(p, "questions"), i), "%q decides no service: no step names it in \"if\"; make a service depend on it or remove the question", q.Key)
		}
	}

	texts := []entryText{textOf("title", b.Title), textOf("summary", b.Summary)}
	for i, q := range b.Questions {
		texts = append(texts, textOf(fmt.Sprintf("questions[%d].text", i), q.Text))
	}
	for i, st := range b.Steps {
		texts = append(texts, textOf(fmt.Sprintf("steps[%d].title", i), st.Title))
	}
	v.translations(p, "business type", texts)
}

// businessQuestions checks a business type's questions and returns the
// position of each well-formed key.
func (v *validator) businessQuestions(p string, questions []BusinessQuestion) map[string]int {
	keys := make(map[string]int, len(questions))
	for i, q := range questions {
		qp := index(p, i)
		kp := member(qp, "key")
		switch j, dup := keys[q.Key]; {
		case !namePattern.MatchString(q.Key):
			v.add(kp, "%q must start with a lowercase letter and use only lowercase letters, digits and _, like \"sells_food\"", q.Key)
		case slices.Contains(reservedBusinessKeys, q.Key):
			v.add(kp, "%q is a word the permit finder's links use for themselves (%s); choose another key", q.Key, strings.Join(reservedBusinessKeys, ", "))
		case dup:
			v.add(kp, "%q is already the key of questions[%d]; keys must be unique within a business type", q.Key, j)
		default:
			keys[q.Key] = i
		}
		v.text(member(qp, "text"), q.Text, true)
	}
	return keys
}

func questionKeys(questions []BusinessQuestion) []string {
	out := make([]string, len(questions))
	for i, q := range questions {
		out[i] = q.Key
	}
	return out
}
