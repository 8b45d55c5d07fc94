package catalogue

import (
	"fmt"
	"strconv"
	"strings"
)

// Problem is one thing wrong with a catalogue file, said so that the person
// who edits the file can find it and fix it.
type Problem struct {
	Path    string // JSON path, e.g. services[12].fee.amount; "" for the whole document
	Line    int    // 1-based line in the file, 0 when unknown (problems found after decoding)
	Message string // what is wrong and how to fix it
}

func (p Problem) String() string {
	var b strings.Builder
	if p.Line > 0 {
		fmt.Fprintf(&b, "line %d: ", p.Line)
	}
	if p.Path != "" {
		b.WriteString(p.Path)
		b.WriteString(": ")
	}
	b.WriteString(p.Message)
	return b.String()
}

// ValidationError lists every problem found in a catalogue, so that one run
// of `sportello import` shows the editor all there is to fix.
type ValidationError struct {
	Problems []Problem
}

// Error returns one problem per line, ready to print.
func (e *ValidationError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// Unwrap lets callers test with errors.Is(err, ErrInvalid).
func (e *ValidationError) Unwrap() error { return ErrInvalid }

// problems collects Problems; its zero value is ready to use. It keeps the
// first MaxProblems and notes that there are more: a file of a million wrong values
// needs fixing in one place, not a million lines saying so.
type problems struct {
	list []Problem
	more int
}

func (ps *problems) add(path, format string, args ...any) {
	ps.addLine(path, 0, format, args...)
}

func (ps *problems) addLine(path string, line int, format string, args ...any) {
	if ps.full() {
		ps.more++
		return
	}
	msg := fmt.Sprintf(format, args...)
	msg = cut(msg, maxMessageBytes)
	ps.list = append(ps.list, Problem{Path: path, Line: line, Message: msg})
}

// full reports whether further problems are only counted.
func (ps *problems) full() bool { return len(ps.list) >= MaxProblems }

// count is how many problems were found, kept or not.
func (ps *problems) count() int { return len(ps.list) + ps.more }

func (ps *problems) err() error {
	if len(ps.list) == 0 {
		return nil
	}
	list := ps.list
	if ps.more > 0 {
		list = append(list, Problem{Message: "there are more problems; fix the ones above and try again to see the rest"})
	}
	return &ValidationError{Problems: list}
}

// Paths are built with these helpers so that every message names a member the
// same way: services[12].fee.amount, title.es.

func index(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

func member(path, name string) string {
	if !isIdentifier(name) && !isLanguageCode(name) {
		name = strconv.Quote(name)
		return path + "[" + name + "]"
	}
	if path == "" {
		return name
	}
	return path + "." + name
}

func isIdentifier(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		switch {
		case r == '_', 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z':
		case '0' <= r && r <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}

func isLanguageCode(s string) bool {
	if len(s) < 2 || len(s) > 3 {
		return false
	}
	for _, r := range s {
		if r < 'a' || r > 'z' {
			return false
		}
	}
	return true
}
