package catalogue

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Limits of the format (docs/catalogue-format.md, "Limits"). A file past one
// is refused with a problem at the JSON path where it went past, like any
// other mistake. They bound what reading a file can cost: without them 80 KB
// of nested brackets took gigabytes to read, and a 10 MB title made a 10 MB
// home page.
const (
	// MaxDepth is how deeply lists and objects may nest. The format needs
	// 9 (a form field's option's label's text).
	MaxDepth = 32
	// MaxNameBytes bounds a member name.
	MaxNameBytes = 128
	// MaxTextBytes bounds every string in the file: a description, a rule,
	// an address.
	MaxTextBytes = 64 << 10
	// MaxShortText bounds, in characters, the texts shown in lists and
	// headings: titles, names, labels and fee units.
	MaxShortText = 500
	// MaxProblems is how many problems one reading lists; a last one says
	// how many more there are.
	MaxProblems = 200
	// maxMessageBytes bounds one problem's message, which may quote a
	// value from the file.
	maxMessageBytes = 500
)

// Limits bound reading a file from a less trusted source (LoadWithin). A
// zero field means no limit.
type Limits struct {
	MaxBytes  int // size of the whole file
	MaxValues int // texts, numbers, lists and objects, counted one each
}

// sizeText says a size in bytes the way the messages do: "64 KB", "10.5 MB".
func sizeText(n int) string {
	unit, div := " MB", float64(1<<20)
	switch {
	case n < 1<<10:
		return strconv.Itoa(n) + " bytes"
	case n < 1<<20:
		unit, div = " KB", 1<<10
	}
	return strings.TrimSuffix(strconv.FormatFloat(float64(n)/div, 'f', 1, 64), ".0") + unit
}

// shorten cuts a value quoted in a message to a readable length.
func shorten(s string) string {
	if len(s) <= 60 {
		return s
	}
	return cut(s, 60) + " (" + sizeText(len(s)) + ")"
}

// cut returns s, or its first n bytes or fewer, ending on a whole
// character, and "…".
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
