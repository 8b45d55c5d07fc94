package eligibility

import (
	"slices"
	"strings"

	"sportello/catalogue"
)

// Match is a service whose rule is true for a resident's answers, with the
// facts that made it true.
type Match struct {
	Slug    string
	Service *catalogue.Service
	facts   []fact
	rules   *Rules
}

// fact is one satisfied literal of a rule, rewritten so that it reads as a
// statement about the resident: `!(age < 65)` becomes age >= 65.
type fact struct {
	kind     factKind
	question int
	yes      bool   // factYesNo: the answer
	value    int64  // factValue, factCompare: the answer
	op       string // factCompare: value op limit holds
	limit    int64
	per      int   // factCompare: the one question the limit depends on, or -1
	perValue int64 // and its answer
}

type factKind int8

const (
	factYesNo factKind = iota
	factValue          // an integer answer that took part in a comparison
	factCompare
)

// Evaluate returns the services whose rule is true for answers, in catalogue
// order. A rule that is not yet known (an answer it depends on is missing)
// is not a match; Undecided lists those.
func (r *Rules) Evaluate(answers Answers) []Match {
	var out []Match
	for i := range r.rules {
		ru := &r.rules[i]
		if ru.tree.eval(r, answers).truth != True {
			continue
		}
		var facts []fact
		r.explain(ru.tree, true, answers, &facts)
		out = append(out, Match{Slug: ru.service.Slug, Service: ru.service, facts: facts, rules: r})
	}
	return out
}

// explain appends the facts that make n evaluate to want. It follows only
// the operands that decided n: for a true ||, the first true branch; for a
// false &&, the first false one.
func (r *Rules) explain(n *node, want bool, answers Answers, facts *[]fact) {
	switch n.kind {
	case kindQuestion:
		// Only a yes/no question stands alone as an operand of !, && or ||.
		if v := n.eval(r, answers); v.truth != Unknown {
			*facts = append(*facts, fact{kind: factYesNo, question: n.question, yes: v.truth == True})
		}
	case kindNot:
		r.explain(n.left, !want, answers, facts)
	case kindAnd, kindOr:
		// A true && or a false || needs both operands; otherwise one
		// operand with the wanted value is enough.
		if want == (n.kind == kindAnd) {
			r.explain(n.left, want, answers, facts)
			r.explain(n.right, want, answers, facts)
			return
		}
		for _, operand := range []*node{n.left, n.right} {
			if operand.eval(r, answers).truth == truthOf(want) {
				r.explain(operand, want, answers, facts)
				return
			}
		}
	case kindCompare:
		r.explainComparison(n, want, answers, facts)
	}
}

func (r *Rules) explainComparison(n *node, want bool, answers Answers, facts *[]fact) {
	if n.left.typ == typeBool {
		// a == b on yes/no values: state each answer as it is.
		r.answeredQuestions(n, answers, func(q int, v value) {
			*facts = append(*facts, fact{kind: factYesNo, question: q, yes: v.truth == True})
		})
		return
	}
	op := n.op
	if !want {
		op = complement[op]
	}
	question, other := n.left, n.right
	if question.kind != kindQuestion {
		question, other, op = n.right, n.left, mirror[op]
	}
	if answer := question.eval(r, answers); question.kind == kindQuestion && answer.exact {
		if limit := other.eval(r, answers); limit.exact {
			f := fact{kind: factCompare, question: question.question, value: answer.lo, op: op, limit: limit.lo, per: -1}
			var others []fact
			r.answeredQuestions(other, answers, func(q int, v value) {
				others = append(others, fact{question: q, value: v.lo})
			})
			if len(others) == 1 && other.typ == typeInt {
				f.per, f.perValue = others[0].question, others[0].value
			}
			*facts = append(*facts, f)
			return
		}
	}
	// Anything else (age + years_resident > 80, or a limit that still
	// depends on an unanswered question) is explained by the answers it
	// used, each stated as it is.
	r.answeredQuestions(n, answers, func(q int, v value) {
		*facts = append(*facts, fact{kind: factValue, question: q, value: v.lo})
	})
}

// answeredQuestions calls fn for each distinct answered question under n, in
// the order they occur.
func (r *Rules) answeredQuestions(n *node, answers Answers, fn func(q int, v value)) {
	var seen []int
	n.walk(func(m *node) {
		if m.kind != kindQuestion || slices.Contains(seen, m.question) {
			return
		}
		v := m.eval(r, answers)
		if !m.decided(v) {
			return
		}
		seen = append(seen, m.question)
		fn(m.question, v)
	})
}

var complement = map[string]string{"==": "!=", "!=": "==", "<": ">=", "<=": ">", ">": "<=", ">=": "<"}

// mirror turns `limit op question` into `question mirror[op] limit`.
var mirror = map[string]string{"==": "==", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}

var opNames = map[string]string{"==": "eq", "!=": "ne", "<": "lt", "<=": "le", ">": "gt", ">=": "ge"}

// MessageKey is an argument of a Statement that is itself a message to
// translate ("reason.yes").
type MessageKey string

// Currency is an argument of a Statement that is an ISO 4217 code, shown as
// the reader's symbol for it.
type Currency string

// Statement is one fact of a reason, for the UI to say in the reader's
// language from its message files: the message of the first of Keys that
// the files have, filled with Args. When they have none of Keys, the
// statements of Otherwise are said instead. The texts are the UI's, not the
// catalogue's, so that the missing-translation test covers them.
//
// Keys are "reason.QUESTION.true" and "reason.QUESTION.false" for a yes/no
// answer; "reason.QUESTION" for an integer answer, whatever it was compared
// with ("you are 67" explains age >= 65 and age <= 70 alike);
// "reason.QUESTION.OP" for an integer answer compared with a fixed limit (OP
// is lt, le, gt, ge, eq or ne); "reason.QUESTION.OP.per_OTHER" for a limit
// that depends on another question (monthly_income <= 600 * household_size).
// A key may come first in the plural forms KEY#zero and KEY#one, chosen by
// Value (or by N for a per_ key). The last resort, which holds for any
// catalogue, is "reason.fallback": the question's label and the answer.
//
// Args are named as the messages use them ({{.Value}}): Value, Limit and N
// are whole numbers (int64), to be written in the reader's format; City and
// Label are texts of the catalogue (catalogue.Text); Answer is a number or a
// MessageKey; Currency is the catalogue's currency (Currency).
type Statement struct {
	Keys      []string
	Args      map[string]any
	Otherwise []Statement
}

// Reason returns the facts that made the service's rule true, one statement
// each, in the rule's order; none for a rule that holds for everyone. The
// same fact may be stated twice (`age >= 16 && age <= 29` gives "you are
// 20" for each side); whoever says them gives each sentence once.
func (m Match) Reason() []Statement {
	out := make([]Statement, 0, len(m.facts))
	for _, f := range m.facts {
		out = append(out, m.rules.statement(f))
	}
	return out
}

// ReasonPrefix starts every message key a Statement names.
const ReasonPrefix = "reason."

// The message keys of the two yes/no answers, for the fallback statement.
const (
	KeyYes = ReasonPrefix + "yes"
	KeyNo  = ReasonPrefix + "no"
)

func (r *Rules) statement(f fact) Statement {
	q := &r.questions[f.question]
	switch f.kind {
	case factYesNo:
		key, answer := q.Name+".false", MessageKey(KeyNo)
		if f.yes {
			key, answer = q.Name+".true", MessageKey(KeyYes)
		}
		return Statement{Keys: []string{ReasonPrefix + key}, Args: r.args(nil),
			Otherwise: []Statement{r.fallback(q, answer)}}
	case factValue:
		return r.valueStatement(q, f.value)
	case factCompare:
		args := r.args(map[string]any{"Value": f.value, "Limit": f.limit})
		key := q.Name + "." + opNames[f.op]
		if f.per >= 0 {
			per := &r.questions[f.per]
			args["N"] = f.perValue
			return Statement{Keys: plurals(key+".per_"+per.Name, f.perValue), Args: args,
				Otherwise: []Statement{r.valueStatement(q, f.value), r.valueStatement(per, f.perValue)}}
		}
		return Statement{Keys: plurals(key, f.value), Args: args, Otherwise: []Statement{r.valueStatement(q, f.value)}}
	}
	panic("eligibility: fact kind")
}

// valueStatement states an integer answer: "you are 67".
func (r *Rules) valueStatement(q *catalogue.ProfileQuestion, v int64) Statement {
	return Statement{Keys: plurals(q.Name, v), Args: r.args(map[string]any{"Value": v}),
		Otherwise: []Statement{r.fallback(q, v)}}
}

// fallback states an answer to a question no message is written for: its
// label and the answer, which any catalogue's questions have.
func (r *Rules) fallback(q *catalogue.ProfileQuestion, answer any) Statement {
	return Statement{Keys: []string{ReasonPrefix + "fallback"}, Args: r.args(map[string]any{"Label": q.Label, "Answer": answer})}
}

// args adds what every message may name: the place and the currency.
func (r *Rules) args(m map[string]any) map[string]any {
	if m == nil {
		m = make(map[string]any, 2)
	}
	m["City"], m["Currency"] = r.place, Currency(r.currency)
	return m
}

// plurals lists key's message keys for the count n, plural forms first.
func plurals(key string, n int64) []string {
	key = ReasonPrefix + key
	switch n {
	case 0:
		return []string{key + "#zero", key}
	case 1:
		return []string{key + "#one", key}
	}
	return []string{key}
}

// placeNames derives the place's name from the authority's, in each of its
// languages: the catalogue format names the council, not the place.
func placeNames(a catalogue.Authority) catalogue.Text {
	out := make(catalogue.Text, len(a.Name))
	for lang, name := range a.Name {
		out[lang] = name
		for _, prefix := range placePrefixes {
			if rest, ok := strings.CutPrefix(name, prefix); ok && rest != "" {
				out[lang] = rest
				break
			}
		}
	}
	return out
}

// placePrefixes are how councils' names start, before the place's name:
// "City of Porta Nova" → "Porta Nova", for "you live in {{.City}}".
var placePrefixes = []string{
	"City of ", "Town of ", "Borough of ", "Municipality of ", "Village of ",
	"Ayuntamiento de ", "Ajuntament de ", "Ajuntament d'", "Comune di ",
	"Città di ", "Ville de ", "Mairie de ", "Commune de ",
}
