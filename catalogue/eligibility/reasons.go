package eligibility

import (
	"slices"
	"strconv"
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

// Phrases returns the facts that made the service's rule true, one phrase
// each, in lang ("en" when lang has no phrases). Repeated phrases are given
// once: `age >= 16 && age <= 29` says "you are 20" once.
func (m Match) Phrases(lang string) []string {
	p := m.rules.phrasebook(lang)
	var out []string
	for _, f := range m.facts {
		for _, s := range p.fact(f) {
			if !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
	}
	return out
}

// Reason returns the facts as one clause, "because you are 67 and you live
// in Porta Nova", in lang.
func (m Match) Reason(lang string) string {
	p := m.rules.phrasebook(lang)
	facts := m.Phrases(lang)
	if len(facts) == 0 {
		return p.text("everyone")
	}
	joined := facts[len(facts)-1]
	if len(facts) > 1 {
		joined = strings.Join(facts[:len(facts)-1], p.text("list")) + p.text("and") + joined
	}
	return strings.ReplaceAll(p.text("because"), "{{facts}}", joined)
}

// phrasebook renders facts in one language.
type phrasebook struct {
	r     *Rules
	lang  string
	texts map[string]string
}

func (r *Rules) phrasebook(lang string) *phrasebook {
	texts, ok := phrases[lang]
	if !ok {
		lang, texts = "en", phrases["en"]
	}
	return &phrasebook{r: r, lang: lang, texts: texts}
}

func (p *phrasebook) text(key string) string { return p.texts[key] }

// template returns the template for key, in its plural form for count.
func (p *phrasebook) template(key string, count int64) (string, bool) {
	if count == 0 {
		if t, ok := p.texts[key+"#zero"]; ok {
			return t, true
		}
	}
	if count == 1 {
		if t, ok := p.texts[key+"#one"]; ok {
			return t, true
		}
	}
	t, ok := p.texts[key]
	return t, ok
}

func (p *phrasebook) fact(f fact) []string {
	q := &p.r.questions[f.question]
	switch f.kind {
	case factYesNo:
		key := q.Name + ".false"
		if f.yes {
			key = q.Name + ".true"
		}
		if t, ok := p.template(key, -1); ok {
			return []string{p.fill(t, nil)}
		}
		answer := p.text("no")
		if f.yes {
			answer = p.text("yes")
		}
		return []string{p.fallback(q, answer)}
	case factValue:
		return []string{p.valuePhrase(q, f.value)}
	case factCompare:
		vars := map[string]string{"value": p.number(f.value), "limit": p.number(f.limit)}
		if f.per >= 0 {
			per := &p.r.questions[f.per]
			vars["n"] = p.number(f.perValue)
			if t, ok := p.template(q.Name+"."+opNames[f.op]+".per_"+per.Name, f.perValue); ok {
				return []string{p.fill(t, vars)}
			}
			return []string{p.valuePhrase(q, f.value), p.valuePhrase(per, f.perValue)}
		}
		if t, ok := p.template(q.Name+"."+opNames[f.op], f.value); ok {
			return []string{p.fill(t, vars)}
		}
		return []string{p.valuePhrase(q, f.value)}
	}
	panic("eligibility: fact kind")
}

// valuePhrase states an integer answer: "you are 67".
func (p *phrasebook) valuePhrase(q *catalogue.ProfileQuestion, v int64) string {
	if t, ok := p.template(q.Name, v); ok {
		return p.fill(t, map[string]string{"value": p.number(v)})
	}
	return p.fallback(q, p.number(v))
}

// number writes v with the language's thousands separator: 1,800 in
// English, 1.800 in Spanish.
func (p *phrasebook) number(v int64) string {
	digits := strconv.FormatInt(v, 10)
	sign := ""
	if v < 0 {
		sign, digits = "-", digits[1:]
	}
	sep := p.text("thousands")
	var b strings.Builder
	b.WriteString(sign)
	for i, d := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(d)
	}
	return b.String()
}

// fill replaces the template's placeholders; an unknown one is left as it
// is, which the phrase tests would show.
func (p *phrasebook) fill(t string, vars map[string]string) string {
	var b strings.Builder
	for {
		start := strings.Index(t, "{{")
		if start < 0 {
			break
		}
		end := strings.Index(t[start:], "}}")
		if end < 0 {
			break
		}
		name := t[start+2 : start+end]
		b.WriteString(t[:start])
		switch v, ok := vars[name]; {
		case ok:
			b.WriteString(v)
		case name == "city":
			b.WriteString(p.r.placeIn(p.lang))
		case name == "currency":
			b.WriteString(currencySymbol(p.r.currency))
		default:
			b.WriteString(t[start : start+end+2])
		}
		t = t[start+end+2:]
	}
	b.WriteString(t)
	return b.String()
}

func (p *phrasebook) fallback(q *catalogue.ProfileQuestion, answer string) string {
	label, _ := q.Label.In(p.lang, "en")
	return p.fill(p.text("fallback"), map[string]string{"label": label, "answer": answer})
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

func (r *Rules) placeIn(lang string) string {
	s, _ := r.place.In(lang, r.defaultLang)
	return s
}

func currencySymbol(code string) string {
	switch code {
	case "EUR":
		return "€"
	case "GBP":
		return "£"
	case "USD":
		return "$"
	}
	return code
}
