package forms

import (
	"fmt"
	"regexp"
	"regexp/syntax"
	"strings"
)

// compiledPattern is a field's pattern with an example of a matching
// answer, which the error message shows: "for example PN12345678" tells a
// person more than the pattern could.
type compiledPattern struct {
	re      *regexp.Regexp
	example string
}

// pattern returns the compiled pattern, anchored at both ends as the HTML
// pattern attribute is, from the cache or compiled now.
func (v *Validator) pattern(p string) (*compiledPattern, error) {
	if cp, ok := v.patterns.Load(p); ok {
		return cp.(*compiledPattern), nil
	}
	re, err := regexp.Compile(`^(?:` + p + `)$`)
	if err != nil {
		return nil, fmt.Errorf("forms: pattern %q is not a valid RE2 expression: %w; fix the catalogue", p, err)
	}
	cp := &compiledPattern{re: re, example: Example(p)}
	if !re.MatchString(cp.example) {
		cp.example = ""
	}
	actual, _ := v.patterns.LoadOrStore(p, cp)
	return actual.(*compiledPattern), nil
}

// Example returns a short string that matches the RE2 pattern p, or "" when
// it cannot make one (p does not parse, or uses \b and the like). Digits
// count up and letters run through the alphabet, so that an identity
// number's example reads "12345678A" rather than "00000000A".
func Example(p string) string {
	re, err := syntax.Parse(p, syntax.Perl)
	if err != nil {
		return ""
	}
	g := exampleGen{}
	var b strings.Builder
	if !g.write(&b, re.Simplify()) {
		return ""
	}
	return b.String()
}

type exampleGen struct{ digit, letter int }

func (g *exampleGen) write(b *strings.Builder, re *syntax.Regexp) bool {
	switch re.Op {
	case syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText:
		return true
	case syntax.OpLiteral:
		b.WriteString(string(re.Rune))
		return true
	case syntax.OpCharClass:
		r, ok := g.pick(re.Rune)
		if ok {
			b.WriteRune(r)
		}
		return ok
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		b.WriteByte('A')
		return true
	case syntax.OpCapture:
		return g.write(b, re.Sub[0])
	case syntax.OpConcat:
		for _, s := range re.Sub {
			if !g.write(b, s) {
				return false
			}
		}
		return true
	case syntax.OpAlternate:
		return g.write(b, re.Sub[0])
	case syntax.OpStar, syntax.OpQuest:
		return true
	case syntax.OpPlus:
		return g.write(b, re.Sub[0])
	case syntax.OpRepeat:
		for range re.Min {
			if !g.write(b, re.Sub[0]) {
				return false
			}
		}
		return true
	}
	return false
}

// pick chooses a rune of the class given as ranges: the next digit or letter
// of a counting sequence when the class holds it, else its first rune.
func (g *exampleGen) pick(ranges []rune) (rune, bool) {
	if len(ranges) < 2 {
		return 0, false
	}
	in := func(r rune) bool {
		for i := 0; i+1 < len(ranges); i += 2 {
			if r >= ranges[i] && r <= ranges[i+1] {
				return true
			}
		}
		return false
	}
	for i := range 10 {
		if d := rune('0' + (g.digit+1+i)%10); in(d) {
			g.digit = int(d - '0')
			return d, true
		}
	}
	for i := range 26 {
		if l := rune('A' + (g.letter+i)%26); in(l) {
			g.letter = int(l-'A') + 1
			return l, true
		}
	}
	return ranges[0], true
}
