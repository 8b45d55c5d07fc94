package catalogue

import (
	"fmt"
	"strings"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/parser"
	"github.com/expr-lang/expr/vm"
)

// Profile question types.
const (
	QuestionInteger = "integer"
	QuestionBoolean = "boolean"
)

// CompileRules compiles an eligibility rule against the profile questions,
// once, so that a broken rule is refused at import rather than failing when a
// resident uses the support finder.
//
// A rule is what FORMAT.md allows and nothing more: the questions' names,
// integer and boolean literals, parentheses, !, &&, ||, comparisons and
// + - *. Builtin functions, strings, floats, member access and the like are
// refused, so a rule cannot do more than the format promises. The program
// returns a bool; run it with RuleEnv's result for a resident's answers.
func CompileRules(questions []ProfileQuestion, rule string) (*vm.Program, error) {
	if strings.TrimSpace(rule) == "" {
		return nil, fmt.Errorf("the rule is empty; use null for a service everyone can use")
	}
	tree, err := parser.Parse(rule)
	if err != nil {
		return nil, fmt.Errorf("cannot read the rule: %s", oneLine(err))
	}
	check := ruleSyntax{}
	ast.Walk(&tree.Node, &check)
	if check.err != nil {
		return nil, check.err
	}
	program, err := expr.Compile(rule,
		expr.Env(typedEnv(questions)),
		expr.AsBool(),
		expr.DisableAllBuiltins(),
	)
	if err != nil {
		return nil, fmt.Errorf("%s (the profile questions are: %s)", oneLine(err), questionNames(questions))
	}
	return program, nil
}

// RuleEnv builds the environment a compiled rule runs in from a resident's
// answers. Questions not answered get their zero value (0, false), so a rule
// never fails at run time for a missing answer; the support finder decides
// what an unanswered question means before it runs rules.
func RuleEnv(questions []ProfileQuestion, answers map[string]any) map[string]any {
	env := typedEnv(questions)
	for name, v := range answers {
		if _, ok := env[name]; ok {
			env[name] = v
		}
	}
	return env
}

// typedEnv gives each question a value of its Go type, from which expr infers
// the types it checks rules against.
func typedEnv(questions []ProfileQuestion) map[string]any {
	env := make(map[string]any, len(questions))
	for _, q := range questions {
		switch q.Type {
		case QuestionInteger:
			env[q.Name] = 0
		case QuestionBoolean:
			env[q.Name] = false
		}
	}
	return env
}

func questionNames(questions []ProfileQuestion) string {
	names := make([]string, len(questions))
	for i, q := range questions {
		names[i] = q.Name
	}
	return strings.Join(names, ", ")
}

// expr's messages draw the rule and a caret on extra lines; a Problem is one
// line, and the (line:column) in the first line says where.
func oneLine(err error) string {
	msg, _, _ := strings.Cut(err.Error(), "\n")
	return msg
}

type ruleSyntax struct {
	err error
}

var ruleOperators = map[string]bool{
	"&&": true, "||": true, "and": true, "or": true,
	"==": true, "!=": true, "<": true, "<=": true, ">": true, ">=": true,
	"+": true, "-": true, "*": true,
}

func (r *ruleSyntax) Visit(node *ast.Node) {
	if r.err != nil {
		return
	}
	switch n := (*node).(type) {
	case *ast.IdentifierNode, *ast.IntegerNode, *ast.BoolNode:
	case *ast.UnaryNode:
		if n.Operator != "!" && n.Operator != "not" && n.Operator != "-" {
			r.err = fmt.Errorf("the operator %q is not allowed in a rule; use !, &&, ||, comparisons and + - *", n.Operator)
		}
	case *ast.BinaryNode:
		if !ruleOperators[n.Operator] {
			r.err = fmt.Errorf("the operator %q is not allowed in a rule; use !, &&, ||, comparisons and + - *", n.Operator)
		}
	default:
		r.err = fmt.Errorf("%q at column %d is not allowed in a rule; a rule uses only question names, whole numbers, true, false, parentheses, !, &&, ||, comparisons and + - *", n.String(), n.Location().From+1)
	}
}
