package eligibility

import (
	"fmt"
	"math"

	"github.com/expr-lang/expr/ast"

	"sportello/catalogue"
)

// A rule is evaluated on its syntax tree rather than by expr's virtual
// machine because the machine needs every name to have a value, and the
// support finder must know a rule's outcome before everything is answered.
// The tree below is expr's AST resolved once: names become question indices
// and operator spellings ("and", "not") are made one.

type nodeKind int8

const (
	kindQuestion nodeKind = iota
	kindInt
	kindBool
	kindNot
	kindNeg
	kindAnd
	kindOr
	kindCompare // == != < <= > >=, on two ints or two bools
	kindArith   // + - *
)

type valueType int8

const (
	typeBool valueType = iota
	typeInt
)

type node struct {
	kind        nodeKind
	typ         valueType
	op          string
	question    int   // kindQuestion
	num         int64 // kindInt
	flag        bool  // kindBool
	left, right *node // right is nil for unary operators
}

func (n *node) walk(fn func(*node)) {
	fn(n)
	if n.left != nil {
		n.left.walk(fn)
	}
	if n.right != nil {
		n.right.walk(fn)
	}
}

func (r *Rules) build(an ast.Node) (*node, error) {
	switch a := an.(type) {
	case *ast.IdentifierNode:
		i, ok := r.byName[a.Value]
		if !ok {
			return nil, fmt.Errorf("%q is not a profile question; the questions are: %s", a.Value, r.questionNames())
		}
		typ := typeInt
		if r.questions[i].Type == catalogue.QuestionBoolean {
			typ = typeBool
		}
		return &node{kind: kindQuestion, typ: typ, question: i}, nil
	case *ast.IntegerNode:
		return &node{kind: kindInt, typ: typeInt, num: int64(a.Value)}, nil
	case *ast.BoolNode:
		return &node{kind: kindBool, typ: typeBool, flag: a.Value}, nil
	case *ast.UnaryNode:
		child, err := r.build(a.Node)
		if err != nil {
			return nil, err
		}
		switch a.Operator {
		case "!", "not":
			return &node{kind: kindNot, typ: typeBool, op: "!", left: child}, nil
		case "-":
			return &node{kind: kindNeg, typ: typeInt, op: "-", left: child}, nil
		}
	case *ast.BinaryNode:
		left, err := r.build(a.Left)
		if err != nil {
			return nil, err
		}
		right, err := r.build(a.Right)
		if err != nil {
			return nil, err
		}
		switch a.Operator {
		case "&&", "and":
			return &node{kind: kindAnd, typ: typeBool, op: "&&", left: left, right: right}, nil
		case "||", "or":
			return &node{kind: kindOr, typ: typeBool, op: "||", left: left, right: right}, nil
		case "==", "!=", "<", "<=", ">", ">=":
			if left.typ != right.typ {
				return nil, fmt.Errorf("%q compares a number with a yes/no value", a.String())
			}
			if left.typ == typeBool && a.Operator != "==" && a.Operator != "!=" {
				return nil, fmt.Errorf("%q orders yes/no values; use == or !=", a.String())
			}
			return &node{kind: kindCompare, typ: typeBool, op: a.Operator, left: left, right: right}, nil
		case "+", "-", "*":
			return &node{kind: kindArith, typ: typeInt, op: a.Operator, left: left, right: right}, nil
		}
	}
	return nil, fmt.Errorf("%q is not allowed in a rule", an.String())
}

// value is what a node evaluates to over partial answers: a Truth for a
// yes/no node; for a number, either its exact value (exact, lo == hi) or an
// interval [lo, hi] that holds whatever the unanswered questions turn out to
// be. negInf and posInf stand for "no bound".
type value struct {
	truth  Truth
	exact  bool
	lo, hi int64
}

const (
	negInf = math.MinInt64
	posInf = math.MaxInt64
)

var fullRange = value{lo: negInf, hi: posInf}

func exactValue(v int64) value { return value{exact: true, lo: v, hi: v} }

func interval(lo, hi int64) value {
	if lo == hi && lo != negInf && lo != posInf {
		return exactValue(lo)
	}
	return value{lo: lo, hi: hi}
}

func (n *node) decided(v value) bool {
	if n.typ == typeBool {
		return v.truth != Unknown
	}
	return v.exact
}

func (n *node) eval(r *Rules, answers Answers) value {
	switch n.kind {
	case kindBool:
		return value{truth: truthOf(n.flag)}
	case kindInt:
		return exactValue(n.num)
	case kindQuestion:
		return r.answerValue(n.question, answers)
	case kindNot:
		v := n.left.eval(r, answers)
		switch v.truth {
		case True:
			return value{truth: False}
		case False:
			return value{truth: True}
		}
		return value{}
	case kindAnd:
		// Kleene: one false operand makes the whole false, whatever the
		// other is.
		l, rt := n.left.eval(r, answers).truth, n.right.eval(r, answers).truth
		switch {
		case l == False || rt == False:
			return value{truth: False}
		case l == True && rt == True:
			return value{truth: True}
		}
		return value{}
	case kindOr:
		l, rt := n.left.eval(r, answers).truth, n.right.eval(r, answers).truth
		switch {
		case l == True || rt == True:
			return value{truth: True}
		case l == False && rt == False:
			return value{truth: False}
		}
		return value{}
	case kindNeg:
		return neg(n.left.eval(r, answers))
	case kindArith:
		return arith(n.op, n.left.eval(r, answers), n.right.eval(r, answers))
	case kindCompare:
		l, rt := n.left.eval(r, answers), n.right.eval(r, answers)
		if n.left.typ == typeBool {
			if l.truth == Unknown || rt.truth == Unknown {
				return value{}
			}
			return value{truth: truthOf((l.truth == rt.truth) == (n.op == "=="))}
		}
		return value{truth: compare(n.op, l, rt)}
	}
	panic(fmt.Sprintf("eligibility: node kind %d", n.kind))
}

// answerValue is a question's answer, or for an unanswered integer question
// the interval its declared minimum and maximum allow.
func (r *Rules) answerValue(i int, answers Answers) value {
	q := &r.questions[i]
	a, answered := answers[q.Name]
	if q.Type == catalogue.QuestionBoolean {
		if b, ok := a.(bool); answered && ok {
			return value{truth: truthOf(b)}
		}
		return value{}
	}
	if n, ok := asInt(a); answered && ok {
		return exactValue(n)
	}
	lo, hi := int64(negInf), int64(posInf)
	if q.Min != nil {
		lo = *q.Min
	}
	if q.Max != nil {
		hi = *q.Max
	}
	return interval(lo, hi)
}

// relevant marks the questions worth asking in n's undecided parts and
// reports whether it marked any. A decided operand is not looked into: its
// questions cannot change n any more. A question answered NotKnown is not
// worth asking again.
func (n *node) relevant(r *Rules, answers Answers, mark []bool) bool {
	if n.decided(n.eval(r, answers)) {
		return false
	}
	if n.kind == kindQuestion {
		if _, answered := answers[r.questions[n.question].Name]; answered {
			return false
		}
		mark[n.question] = true
		return true
	}
	marked := false
	if n.left != nil {
		marked = n.left.relevant(r, answers, mark)
	}
	if n.right != nil {
		marked = n.right.relevant(r, answers, mark) || marked
	}
	return marked
}

// mentions reports whether n uses a question that answers holds.
func (n *node) mentions(r *Rules, answers Answers) bool {
	if n.kind == kindQuestion {
		_, ok := answers[r.questions[n.question].Name]
		return ok
	}
	return n.left != nil && n.left.mentions(r, answers) || n.right != nil && n.right.mentions(r, answers)
}

func neg(v value) value {
	if v.exact {
		return exactValue(-v.lo)
	}
	return interval(extNeg(v.hi), extNeg(v.lo))
}

// arith computes exactly, wrapping on overflow like expr does, when both
// operands are known; otherwise it bounds the result. A bound that would
// overflow gives up on bounding: the wrapped result could be anything.
func arith(op string, a, b value) value {
	if a.exact && b.exact {
		switch op {
		case "+":
			return exactValue(a.lo + b.lo)
		case "-":
			return exactValue(a.lo - b.lo)
		case "*":
			return exactValue(a.lo * b.lo)
		}
	}
	switch op {
	case "+":
		lo, ok1 := extAdd(a.lo, b.lo)
		hi, ok2 := extAdd(a.hi, b.hi)
		if !ok1 || !ok2 {
			return fullRange
		}
		return interval(lo, hi)
	case "-":
		lo, ok1 := extAdd(a.lo, extNeg(b.hi))
		hi, ok2 := extAdd(a.hi, extNeg(b.lo))
		if !ok1 || !ok2 {
			return fullRange
		}
		return interval(lo, hi)
	case "*":
		lo, hi := int64(posInf), int64(negInf)
		for _, x := range [2]int64{a.lo, a.hi} {
			for _, y := range [2]int64{b.lo, b.hi} {
				p, ok := extMul(x, y)
				if !ok {
					return fullRange
				}
				lo, hi = min(lo, p), max(hi, p)
			}
		}
		return interval(lo, hi)
	}
	panic("eligibility: arithmetic operator " + op)
}

func compare(op string, a, b value) Truth {
	if a.exact && b.exact {
		x, y := a.lo, b.lo
		switch op {
		case "==":
			return truthOf(x == y)
		case "!=":
			return truthOf(x != y)
		case "<":
			return truthOf(x < y)
		case "<=":
			return truthOf(x <= y)
		case ">":
			return truthOf(x > y)
		case ">=":
			return truthOf(x >= y)
		}
	}
	switch op {
	case "<":
		return decide(a.hi < b.lo, a.lo >= b.hi)
	case "<=":
		return decide(a.hi <= b.lo, a.lo > b.hi)
	case ">":
		return decide(b.hi < a.lo, b.lo >= a.hi)
	case ">=":
		return decide(b.hi <= a.lo, b.lo > a.hi)
	case "==":
		return decide(false, a.hi < b.lo || b.hi < a.lo)
	case "!=":
		return decide(a.hi < b.lo || b.hi < a.lo, false)
	}
	panic("eligibility: comparison operator " + op)
}

func decide(surelyTrue, surelyFalse bool) Truth {
	switch {
	case surelyTrue:
		return True
	case surelyFalse:
		return False
	}
	return Unknown
}

func extNeg(x int64) int64 {
	switch x {
	case negInf:
		return posInf
	case posInf:
		return negInf
	}
	return -x
}

// extAdd adds bounds, where negInf and posInf are infinities. ok is false
// when a finite sum overflows.
func extAdd(x, y int64) (int64, bool) {
	switch {
	case x == negInf && y == posInf, x == posInf && y == negInf:
		return 0, false
	case x == negInf || y == negInf:
		return negInf, true
	case x == posInf || y == posInf:
		return posInf, true
	}
	s := x + y
	if (y > 0 && s < x) || (y < 0 && s > x) || s == negInf || s == posInf {
		return 0, false
	}
	return s, true
}

func extMul(x, y int64) (int64, bool) {
	if x == 0 || y == 0 {
		return 0, true
	}
	if x == negInf || x == posInf || y == negInf || y == posInf {
		if (x > 0) == (y > 0) {
			return posInf, true
		}
		return negInf, true
	}
	p := x * y
	if p/y != x || p == negInf || p == posInf {
		return 0, false
	}
	return p, true
}
