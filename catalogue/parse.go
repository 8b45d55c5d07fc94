package catalogue

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// Load parses a catalogue file and validates it: what `sportello import`
// needs. Any problem, in the JSON or in the content, comes back as a
// *ValidationError listing all of them: values of the wrong type are set
// aside and the rest of the file is still validated, so that one run shows
// everything there is to fix (only broken JSON syntax stops at once).
func Load(data []byte) (*Catalogue, error) {
	return LoadWithin(data, Limits{})
}

// LoadWithin is Load for a file from a less trusted source, such as the
// editor's upload form: lim bounds what reading it may cost.
func LoadWithin(data []byte, lim Limits) (*Catalogue, error) {
	if lim.MaxBytes > 0 && len(data) > lim.MaxBytes {
		return nil, &ValidationError{Problems: []Problem{{Message: fmt.Sprintf("the file is %s; a catalogue imported here may be at most %s", sizeText(len(data)), sizeText(lim.MaxBytes))}}}
	}
	c, typeErr := parse(data, lim.MaxValues)
	if c == nil {
		return nil, typeErr
	}
	if err := joinProblems(typeErr, Validate(c)); err != nil {
		return nil, err
	}
	return c, nil
}

// joinProblems adds the content problems of contentErr to the problems of
// typeErr (a *ValidationError, or nil) but for those found under a value
// set aside for its type.
func joinProblems(typeErr, contentErr error) error {
	if typeErr == nil {
		return contentErr
	}
	all := typeErr.(*ValidationError)
	var content *ValidationError
	if errors.As(contentErr, &content) {
		for _, p := range content.Problems {
			if !underAny(p.Path, all.Problems) {
				all.Problems = append(all.Problems, p)
			}
		}
	}
	return all
}

// underAny reports whether path is, or lies inside, the path of one of ps: a
// value set aside for its type would otherwise be reported again as missing.
func underAny(path string, ps []Problem) bool {
	for _, p := range ps {
		if path == p.Path || strings.HasPrefix(path, p.Path+".") || strings.HasPrefix(path, p.Path+"[") {
			return true
		}
	}
	return false
}

// Parse decodes a catalogue file without validating its content. JSON syntax
// errors, values of the wrong type (text where a number belongs, 12.5 cents)
// and unknown members are reported as a *ValidationError with the JSON path
// and line of each.
//
// The file is read twice: once into a tree that remembers where each value
// starts, which is checked against the Go types so that every mismatch gets a
// path and a line, and then, when that found nothing, by encoding/json into
// the model. encoding/json alone stops at the first error and names neither
// array indices nor lines.
func Parse(data []byte) (*Catalogue, error) {
	c, err := parse(data, 0)
	if err != nil {
		return nil, err
	}
	return c, nil
}

// parse is Parse that, when the file is well-formed JSON but has values of
// the wrong type, also returns the catalogue decoded as far as it goes
// (encoding/json leaves such values at their zero value and goes on), so
// that Load can validate the rest. It returns a nil catalogue only for
// broken JSON syntax. Its error, when not nil, is a *ValidationError.
func parse(data []byte, maxValues int) (*Catalogue, error) {
	var tc typeChecker
	// Each service is checked as soon as it is read and its tree dropped:
	// the whole file's tree takes about four times the file (1.7 GB for
	// 100,000 services), one service's a few kilobytes.
	services := member("", "services")
	serviceType := reflect.TypeFor[Service]()
	root, err := readTree(bytes.NewReader(data), maxValues, func(array, path string, n *node) bool {
		if array != services {
			return false
		}
		tc.check(n, serviceType, path)
		return true
	})
	lines := bytesLines(data)
	if err != nil {
		return nil, &ValidationError{Problems: []Problem{syntaxProblem(err, lines)}}
	}
	tc.check(root, reflect.TypeFor[Catalogue](), "")
	tc.placeLines(lines)
	var c Catalogue
	decodeErr := json.Unmarshal(data, &c)
	if err := tc.err(); err != nil {
		return &c, err
	}
	if decodeErr != nil {
		// The tree check accepts only what encoding/json decodes, so this
		// means the two disagree: a bug here, not in the file.
		return nil, &ValidationError{Problems: []Problem{{Message: "decoding a type-checked catalogue: " + decodeErr.Error()}}}
	}
	return &c, nil
}

// node is one JSON value and where it starts.
type node struct {
	kind    nodeKind
	offset  int64  // of the separators before the value: see lineFinder
	literal string // string value, or the number as written
	keys    []string
	values  []*node // object members (parallel to keys) or array elements
}

type nodeKind int

const (
	nodeNull nodeKind = iota
	nodeBool
	nodeNumber
	nodeString
	nodeArray
	nodeObject
)

func (k nodeKind) String() string {
	switch k {
	case nodeNull:
		return "null"
	case nodeBool:
		return "true or false"
	case nodeNumber:
		return "a number"
	case nodeString:
		return "a string"
	case nodeArray:
		return "a list"
	case nodeObject:
		return "an object"
	}
	return "unknown"
}

// readTree reads a file into a tree. checked, when not nil, is offered every
// element of an array (with the array's and the element's path) as soon as
// it is read; when it returns true, the element is not kept in the tree.
func readTree(src io.Reader, maxValues int, checked func(array, path string, n *node) bool) (*node, error) {
	dec := json.NewDecoder(src)
	dec.UseNumber()
	r := treeReader{dec: dec, maxValues: maxValues, checked: checked}
	root, err := r.value("", 0)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		if err == nil {
			return nil, errTrailingData
		}
		return nil, err
	}
	return root, nil
}

var (
	errTrailingData = errors.New("there is more after the end of the catalogue object; remove it")
	// errEmpty: the file has nothing but white space.
	errEmpty = errors.New("the file is empty")
)

// syntaxProblem turns a decoder error into a Problem with a line where the
// decoder says where it stopped.
func syntaxProblem(err error, lines lineFinder) Problem {
	var se *json.SyntaxError
	var at *syntaxAt
	var le *limitError
	path := ""
	if errors.As(err, &at) {
		path = at.path
	}
	p := Problem{Path: path}
	var where *spot // the line to find, if any
	switch {
	case errors.As(err, &le):
		p.Message, where = le.msg, &spot{offset: le.offset, value: true}
	case errors.As(err, &se):
		p.Message, where = "the file is not valid JSON: "+se.Error()+"; look for a missing comma, quote or bracket on this line or the one before", &spot{offset: se.Offset}
	case errors.Is(err, errTrailingData):
		return Problem{Message: err.Error()}
	case errors.Is(err, errEmpty):
		return Problem{Message: "the file is empty; a catalogue is one JSON object"}
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		p.Message, where = "the file ends in the middle of the catalogue; it may have been cut short", &spot{offset: math.MaxInt64}
	default:
		return Problem{Message: "the file is not valid JSON: " + err.Error()}
	}
	if line, lerr := lines([]spot{*where}); lerr == nil {
		p.Line = line[0]
	}
	return p
}

// treeReader reads the tree. It stops at the first value past a limit: a
// file nested hundreds of levels deep or with megabytes in one member name
// is not a catalogue with a typo, and reading on would only cost memory.
type treeReader struct {
	dec       *json.Decoder
	maxValues int // 0: no limit
	values    int
	checked   func(array, path string, n *node) bool
}

func (r *treeReader) value(path string, depth int) (*node, error) {
	start := r.dec.InputOffset()
	if depth > MaxDepth {
		return nil, &syntaxAt{path, &limitError{start, fmt.Sprintf("lists and objects are nested more than %d levels deep here; a catalogue needs fewer than 10, so look for brackets [ or { that are never closed", MaxDepth)}}
	}
	if r.values++; r.maxValues > 0 && r.values > r.maxValues {
		return nil, &syntaxAt{path, &limitError{start, fmt.Sprintf("the file has more than %d values (texts, numbers, lists and objects); a catalogue imported here may have at most that many, so split it or import it with `sportello import`", r.maxValues)}}
	}
	tok, err := r.dec.Token()
	if err == io.EOF && depth == 0 {
		return nil, errEmpty
	}
	if err != nil {
		return nil, &syntaxAt{path, err}
	}
	n := &node{offset: start}
	switch t := tok.(type) {
	case nil:
		n.kind = nodeNull
	case bool:
		n.kind, n.literal = nodeBool, strconv.FormatBool(t)
	case json.Number:
		n.kind, n.literal = nodeNumber, string(t)
	case string:
		n.kind, n.literal = nodeString, t
	case json.Delim:
		if t == '[' {
			n.kind = nodeArray
			for i := 0; r.dec.More(); i++ {
				v, err := r.value(index(path, i), depth+1)
				if err != nil {
					return nil, err
				}
				if r.checked == nil || !r.checked(path, index(path, i), v) {
					n.values = append(n.values, v)
				}
			}
		} else {
			n.kind = nodeObject
			for r.dec.More() {
				keyAt := r.dec.InputOffset()
				k, err := r.dec.Token()
				if err != nil {
					return nil, &syntaxAt{path, err}
				}
				if len(k.(string)) > MaxNameBytes {
					return nil, &syntaxAt{path, &limitError{keyAt, fmt.Sprintf("has a member name %s long; no member name of the format is longer than %d characters", sizeText(len(k.(string))), MaxNameBytes)}}
				}
				v, err := r.value(member(path, k.(string)), depth+1)
				if err != nil {
					return nil, err
				}
				n.keys = append(n.keys, k.(string))
				n.values = append(n.values, v)
			}
		}
		if _, err := r.dec.Token(); err != nil { // the closing ] or }
			return nil, &syntaxAt{path, err}
		}
	}
	return n, nil
}

// limitError is a limit of the format the file went past, at offset.
type limitError struct {
	offset int64
	msg    string
}

func (e *limitError) Error() string { return e.msg }

// syntaxAt is a decoder error with the path of the value being read.
type syntaxAt struct {
	path string
	err  error
}

func (e *syntaxAt) Error() string { return e.err.Error() }
func (e *syntaxAt) Unwrap() error { return e.err }

// valueStart skips the separators between the previous token and the next
// value, so that a value's line is its own and not the previous one's.
func valueStart(data []byte, off int64) int64 {
	for off < int64(len(data)) {
		if !isSeparator(data[off]) {
			return off
		}
		off++
	}
	return off
}

func isSeparator(b byte) bool {
	switch b {
	case ' ', '\t', '\r', '\n', ',', ':':
		return true
	}
	return false
}

func lineAt(data []byte, off int64) int {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	return bytes.Count(data[:off], []byte{'\n'}) + 1
}

// A spot is an offset in a file whose line a problem gives. The reader
// notes where the decoder stood, before the separators (white space, commas
// and colons) that precede a value; value says to skip them, so that a
// value's line is its own and not the previous one's.
type spot struct {
	offset int64
	value  bool
}

// lineFinder returns the line of each spot. Lines are found only for the
// few problems reported, after reading: counting them as the file is read
// would cost every import the time, and a file read from disk is not held.
type lineFinder func([]spot) ([]int, error)

func bytesLines(data []byte) lineFinder {
	return func(spots []spot) ([]int, error) {
		lines := make([]int, len(spots))
		for i, s := range spots {
			off := s.offset
			if s.value {
				off = valueStart(data, min(off, int64(len(data))))
			}
			lines[i] = lineAt(data, off)
		}
		return lines, nil
	}
}

// typeChecker walks a tree and the Go type it is meant to decode into.
type typeChecker struct {
	problems
	spots  []spot                                          // where each of problems.list is, in the file
	fields map[reflect.Type]map[string]reflect.StructField // jsonFields, once per type
}

// wholeNumberMessages gives the fix-it message for integer members whose
// meaning the generic "must be a whole number" would not explain.
var wholeNumberMessages = map[string]string{
	"Fee.Amount":               "must be a whole number of cents, 0 or more",
	"Renewal.ValidForDays":     "must be a whole number of days",
	"Renewal.RemindDaysBefore": "must be a whole number of days",
	"Privacy.RetentionDays":    "must be a whole number of days",
}

func (tc *typeChecker) fail(n *node, path, format string, args ...any) {
	if tc.full() {
		tc.more++
		return
	}
	tc.add(path, format, args...)
	tc.spots = append(tc.spots, spot{offset: n.offset, value: true})
}

// placeLines gives each problem its line and puts them in the order of the
// file, as a walk of the whole tree finds them.
func (tc *typeChecker) placeLines(lines lineFinder) error {
	if len(tc.list) == 0 {
		return nil
	}
	nums, err := lines(tc.spots)
	if err != nil {
		return err
	}
	for i := range tc.list {
		tc.list[i].Line = nums[i]
	}
	slices.SortStableFunc(tc.list, func(a, b Problem) int { return a.Line - b.Line })
	return nil
}

func (tc *typeChecker) check(n *node, t reflect.Type, path string) {
	tc.checkField(n, t, path, "")
}

// checkField checks n against t; owner names the struct field ("Fee.Amount")
// when n is one.
func (tc *typeChecker) checkField(n *node, t reflect.Type, path, owner string) {
	if t.Kind() == reflect.Pointer {
		if n.kind == nodeNull {
			return
		}
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Struct:
		if n.kind != nodeObject {
			tc.fail(n, path, "must be an object {...}, not %s", n.kind)
			return
		}
		fields, ok := tc.fields[t]
		if !ok {
			fields = jsonFields(t)
			if tc.fields == nil {
				tc.fields = map[reflect.Type]map[string]reflect.StructField{}
			}
			tc.fields[t] = fields
		}
		seen := make(map[string]bool, len(n.keys))
		for i, k := range n.keys {
			p := member(path, k)
			if seen[k] {
				tc.fail(n.values[i], p, "appears twice in the same object; keep one")
				continue
			}
			seen[k] = true
			f, ok := fields[k]
			if !ok {
				tc.fail(n.values[i], p, "unknown member; check its spelling (known members: %s)", knownMembers(t))
				continue
			}
			tc.checkField(n.values[i], f.Type, p, t.Name()+"."+f.Name)
		}
	case reflect.Map:
		if n.kind == nodeNull {
			return
		}
		if n.kind != nodeObject {
			tc.fail(n, path, "must be an object of texts by language, like {\"en\": ...}, not %s", n.kind)
			return
		}
		seen := make(map[string]bool, len(n.keys))
		for i, k := range n.keys {
			p := member(path, k)
			if seen[k] {
				tc.fail(n.values[i], p, "appears twice in the same object; keep one")
				continue
			}
			seen[k] = true
			tc.checkField(n.values[i], t.Elem(), p, "")
		}
	case reflect.Slice:
		if n.kind == nodeNull {
			return
		}
		if n.kind != nodeArray {
			tc.fail(n, path, "must be a list [...], not %s", n.kind)
			return
		}
		for i, v := range n.values {
			tc.checkField(v, t.Elem(), index(path, i), "")
		}
	case reflect.String:
		if n.kind != nodeString {
			tc.fail(n, path, "must be a string in double quotes, not %s", n.kind)
		} else if len(n.literal) > MaxTextBytes {
			tc.fail(n, path, "is %s long; a text may be at most %s", sizeText(len(n.literal)), sizeText(MaxTextBytes))
		}
	case reflect.Bool:
		if n.kind != nodeBool {
			tc.fail(n, path, "must be true or false, not %s", n.kind)
		}
	case reflect.Int, reflect.Int64:
		msg, ok := wholeNumberMessages[owner]
		if !ok {
			msg = "must be a whole number"
		}
		if n.kind != nodeNumber {
			tc.fail(n, path, "%s, not %s", msg, n.kind)
			return
		}
		if _, err := strconv.ParseInt(n.literal, 10, 64); err != nil {
			tc.fail(n, path, "%s, not %s", msg, shorten(n.literal))
		}
	case reflect.Float64:
		if n.kind != nodeNumber {
			tc.fail(n, path, "must be a number, not %s", n.kind)
			return
		}
		if _, err := strconv.ParseFloat(n.literal, 64); err != nil {
			tc.fail(n, path, "must be a number of ordinary size, not %s", shorten(n.literal))
		}
	default:
		tc.fail(n, path, "cannot be read into %s", t)
	}
}

func jsonFields(t reflect.Type) map[string]reflect.StructField {
	fields := make(map[string]reflect.StructField, t.NumField())
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		fields[name] = f
	}
	return fields
}

func knownMembers(t reflect.Type) string {
	var names []string
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if f.IsExported() && name != "-" && name != "" {
			names = append(names, name)
		}
	}
	return strings.Join(names, ", ")
}
