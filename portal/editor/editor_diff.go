package editor

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"sportello/portal/web"
)

// fieldChange is one field that differs between two versions of an entry.
type fieldChange struct {
	Path     string
	Old, New string
	// Text is a word diff, for long texts; nil for short values, shown
	// old and new side by side.
	Text []diffPart
}

// diffPart is a run of words: kept, added or removed.
type diffPart struct {
	Text string
	Op   string // "=", "+", "-"
}

// longText is the length from which a changed value is shown as a text
// diff rather than as its old and new values.
const longText = 80

// diffDocs compares two JSON documents field by field.
func diffDocs(a, b []byte) ([]fieldChange, error) {
	fa, err := flatten(a)
	if err != nil {
		return nil, err
	}
	fb, err := flatten(b)
	if err != nil {
		return nil, err
	}
	paths := map[string]bool{}
	for p := range fa {
		paths[p] = true
	}
	for p := range fb {
		paths[p] = true
	}
	var out []fieldChange
	for p := range paths {
		if fa[p] == fb[p] {
			continue
		}
		ch := fieldChange{Path: p, Old: fa[p], New: fb[p]}
		if len(ch.Old) > longText || len(ch.New) > longText || strings.Contains(ch.Old+ch.New, "\n") {
			ch.Text = wordDiff(ch.Old, ch.New)
		}
		out = append(out, ch)
	}
	sort.Slice(out, func(i, j int) bool { return pathLess(out[i].Path, out[j].Path) })
	return out, nil
}

// changedFields names the top-level fields that differ, for the audit log
// and the revision's note, in the editor's language.
func changedFields(c *fiber.Ctx, a, b []byte) string {
	changes, err := diffDocs(a, b)
	if err != nil || len(changes) == 0 {
		return ""
	}
	seen := map[string]bool{}
	var names []string
	for _, c := range changes {
		top, _, _ := strings.Cut(c.Path, ".")
		top, _, _ = strings.Cut(top, "[")
		if !seen[top] {
			seen[top] = true
			names = append(names, top)
		}
	}
	return web.T(c, "editor.note.changed", "Fields", strings.Join(names, ", "))
}

// flatten maps each leaf of a JSON document to its path, as the catalogue's
// problems name them (title.en, online_form.fields[2].label.en).
func flatten(doc []byte) (map[string]string, error) {
	out := map[string]string{}
	if len(doc) == 0 {
		return out, nil
	}
	var v any
	if err := json.Unmarshal(doc, &v); err != nil {
		return nil, err
	}
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				p := k
				if path != "" {
					p = path + "." + k
				}
				walk(p, e)
			}
		case []any:
			for i, e := range x {
				walk(fmt.Sprintf("%s[%d]", path, i), e)
			}
		case nil:
		case string:
			out[path] = x
		default:
			b, _ := json.Marshal(x)
			out[path] = string(b)
		}
	}
	walk("", v)
	return out, nil
}

// pathLess orders paths by their parts, numbers as numbers, so that
// steps[10] comes after steps[9].
func pathLess(a, b string) bool {
	pa, pb := strings.FieldsFunc(a, isPathSep), strings.FieldsFunc(b, isPathSep)
	for i := 0; i < len(pa) && i < len(pb); i++ {
		if pa[i] == pb[i] {
			continue
		}
		na, ea := strconv.Atoi(pa[i])
		nb, eb := strconv.Atoi(pb[i])
		if ea == nil && eb == nil {
			return na < nb
		}
		return pa[i] < pb[i]
	}
	return len(pa) < len(pb)
}

func isPathSep(r rune) bool { return r == '.' || r == '[' || r == ']' }

// maxDiffCells bounds the word diff's table; longer texts are shown as
// removed and added whole.
const maxDiffCells = 4_000_000

// wordDiff is a longest-common-subsequence diff of the words (and the
// spaces between them) of two texts.
func wordDiff(a, b string) []diffPart {
	wa, wb := splitWords(a), splitWords(b)
	if len(wa)*len(wb) > maxDiffCells {
		return []diffPart{{Text: a, Op: "-"}, {Text: b, Op: "+"}}
	}
	// lcs[i][j] is the LCS length of wa[i:] and wb[j:].
	lcs := make([][]int, len(wa)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(wb)+1)
	}
	for i := len(wa) - 1; i >= 0; i-- {
		for j := len(wb) - 1; j >= 0; j-- {
			if wa[i] == wb[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out []diffPart
	add := func(text, op string) {
		if n := len(out); n > 0 && out[n-1].Op == op {
			out[n-1].Text += text
			return
		}
		out = append(out, diffPart{Text: text, Op: op})
	}
	i, j := 0, 0
	for i < len(wa) && j < len(wb) {
		switch {
		case wa[i] == wb[j]:
			add(wa[i], "=")
			i++
			j++
		case lcs[i+1][j] >= lcs[i][j+1]:
			add(wa[i], "-")
			i++
		default:
			add(wb[j], "+")
			j++
		}
	}
	for ; i < len(wa); i++ {
		add(wa[i], "-")
	}
	for ; j < len(wb); j++ {
		add(wb[j], "+")
	}
	return out
}

// splitWords splits s into words and the runs of space between them, so
// that joining the parts gives s back.
func splitWords(s string) []string {
	var out []string
	start := 0
	space := false
	for i, r := range s {
		isSpace := r == ' ' || r == '\n' || r == '\t'
		if i > 0 && isSpace != space {
			out = append(out, s[start:i])
			start = i
		}
		space = isSpace
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}
