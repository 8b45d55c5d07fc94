// Package eligibility is the engine behind the support finder: it compiles a
// catalogue's eligibility rules once, evaluates them over a resident's
// answers so far with three-valued logic (true, false or not yet known),
// chooses the next profile question worth asking, and explains each match in
// the reader's language from the facts that made the rule true. It also plans
// a business's permits from the catalogue's business types.
//
// Nothing here knows about HTTP; the portal calls it.
package eligibility

import (
	"errors"
	"fmt"
	"strings"

	"github.com/expr-lang/expr/parser"
	"github.com/expr-lang/expr/vm"

	"sportello/catalogue"
)

// Rules is a catalogue's eligibility rules, compiled once. It is immutable
// and safe for concurrent use. Build a new one when the catalogue changes.
type Rules struct {
	questions []catalogue.ProfileQuestion
	byName    map[string]int // question name → index in questions
	rules     []rule         // services with a rule, in catalogue order
	bySlug    map[string]int // service slug → index in rules
	place     catalogue.Text // the authority's place name, for "you live in …"
	currency  string
}

// rule is one service's eligibility rule in the two forms it is run in: our
// tree, which can answer "not known yet", and expr's program, which is the
// reference for complete answers.
type rule struct {
	service *catalogue.Service
	source  string
	tree    *node
	program *vm.Program
}

// RuleProblem is one rule that does not compile.
type RuleProblem struct {
	Service string // the service's slug
	Rule    string
	Message string
}

// CompileError lists every rule that does not compile, not just the first,
// so that whoever edits the catalogue can fix them all in one go.
type CompileError struct {
	Problems []RuleProblem
}

func (e *CompileError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d eligibility rule(s) do not compile:", len(e.Problems))
	for _, p := range e.Problems {
		fmt.Fprintf(&b, "\n  service %q: rule %q: %s", p.Service, p.Rule, p.Message)
	}
	return b.String()
}

// Unwrap lets callers test for catalogue.ErrInvalid, which the portal maps to
// a client error.
func (e *CompileError) Unwrap() error { return catalogue.ErrInvalid }

// Compile compiles the eligibility rule of every service of c that has one.
// Services without a rule are open to everyone and take no part in the
// support finder. The result keeps pointers into c: do not change c
// afterwards.
func Compile(c *catalogue.Catalogue) (*Rules, error) {
	r := &Rules{
		questions: c.ProfileQuestions,
		byName:    make(map[string]int, len(c.ProfileQuestions)),
		bySlug:    make(map[string]int),
		place:     placeNames(c.Authority),
		currency:  c.Authority.Currency,
	}
	for i, q := range c.ProfileQuestions {
		r.byName[q.Name] = i
	}
	var problems []RuleProblem
	for i := range c.Services {
		s := &c.Services[i]
		if s.EligibilityRule == nil {
			continue
		}
		compiled, err := r.compileRule(s)
		if err != nil {
			problems = append(problems, RuleProblem{Service: s.Slug, Rule: *s.EligibilityRule, Message: err.Error()})
			continue
		}
		r.bySlug[s.Slug] = len(r.rules)
		r.rules = append(r.rules, compiled)
	}
	if len(problems) > 0 {
		return nil, &CompileError{Problems: problems}
	}
	return r, nil
}

func (r *Rules) compileRule(s *catalogue.Service) (rule, error) {
	src := *s.EligibilityRule
	// CompileRules enforces what FORMAT.md allows and checks types, so the
	// tree built below only meets operators it knows, on operands of the
	// right type.
	program, err := catalogue.CompileRules(r.questions, src)
	if err != nil {
		return rule{}, err
	}
	tree, err := parser.Parse(src)
	if err != nil {
		return rule{}, fmt.Errorf("cannot read the rule: %w", err)
	}
	n, err := r.build(tree.Node)
	if err != nil {
		return rule{}, err
	}
	if n.typ != typeBool {
		return rule{}, errors.New("the rule is not a yes/no condition")
	}
	return rule{service: s, source: src, tree: n, program: program}, nil
}

// Questions returns the profile questions in catalogue order.
func (r *Rules) Questions() []catalogue.ProfileQuestion { return r.questions }

// Services returns the slugs of the services that have a rule, in catalogue
// order.
func (r *Rules) Services() []string {
	slugs := make([]string, len(r.rules))
	for i, ru := range r.rules {
		slugs[i] = ru.service.Slug
	}
	return slugs
}

// Truth is a rule's value over partial answers.
type Truth int8

// The zero Truth is Unknown, so a value nobody set never claims an outcome.
const (
	Unknown Truth = iota
	False
	True
)

func (t Truth) String() string {
	switch t {
	case False:
		return "false"
	case True:
		return "true"
	}
	return "unknown"
}

func truthOf(b bool) Truth {
	if b {
		return True
	}
	return False
}

// Outcome reports the value of one service's rule over answers. The second
// result is false when the service has no rule (or does not exist).
func (r *Rules) Outcome(slug string, answers Answers) (Truth, bool) {
	i, ok := r.bySlug[slug]
	if !ok {
		return Unknown, false
	}
	v := r.rules[i].tree.eval(r, answers)
	return v.truth, true
}

// Undecided returns the slugs of the services whose rule is still unknown
// over answers, in catalogue order: the ones the support finder may show as
// "answer more questions to know".
func (r *Rules) Undecided(answers Answers) []string {
	var out []string
	for _, ru := range r.rules {
		if ru.tree.eval(r, answers).truth == Unknown {
			out = append(out, ru.service.Slug)
		}
	}
	return out
}

// NextQuestion returns the first question, in catalogue order, whose answer
// can still change the outcome of some rule. A question is worth asking when
// it is unanswered and occurs in a part of an undecided rule that is itself
// undecided: in `resident && (age >= 65 || disability)` with age 70 the ||
// is already true, so disability is not asked for that rule. Declared
// minimums and maximums count: `age >= 0` never makes age worth asking. A
// question answered NotKnown is answered: it is not asked again, and a rule
// it leaves undecided stays so.
//
// done is true when no question left can decide a rule; q is then nil.
func (r *Rules) NextQuestion(answers Answers) (q *catalogue.ProfileQuestion, done bool) {
	relevant := make([]bool, len(r.questions))
	askable := false
	for _, ru := range r.rules {
		if ru.tree.relevant(r, answers, relevant) {
			askable = true
		}
	}
	if !askable {
		return nil, true
	}
	for i := range r.questions {
		if relevant[i] {
			return &r.questions[i], false
		}
	}
	// relevant reports a rule only when it marked a question, so this is a
	// bug, not a state to recover from.
	panic("eligibility: an undecided rule has no question left to ask")
}

// MayBe returns the services whose rule the answers leave undecided though
// every question worth asking was asked, because the resident did not know
// or would rather not say, in catalogue order: services they may be able to
// get, which only the missing answers would tell. A rule that depends on
// none of the answers given is not among them.
func (r *Rules) MayBe(answers Answers) []string {
	var out []string
	for _, ru := range r.rules {
		if ru.tree.eval(r, answers).truth == Unknown && ru.tree.mentions(r, answers) {
			out = append(out, ru.service.Slug)
		}
	}
	return out
}

// evalProgram runs a rule's expr program over complete answers: the
// reference our three-valued evaluation is tested against.
func (r *Rules) evalProgram(ru *rule, answers Answers) (bool, error) {
	out, err := vm.Run(ru.program, catalogue.RuleEnv(r.questions, answers))
	if err != nil {
		return false, err
	}
	b, ok := out.(bool)
	if !ok {
		return false, fmt.Errorf("rule %q returned %T, not a bool", ru.source, out)
	}
	return b, nil
}
