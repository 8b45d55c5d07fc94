package editor

import (
	"net/url"
	"regexp"
	"sort"
	"strings"

	"github.com/gofiber/fiber/v2"

	"sportello/catalogue"
	"sportello/portal/web"
)

// The editor's forms are described in Go (edGroup, edField) and rendered by
// one template (templates/editor/fields.html), so that every control gets a
// stable id and name, and a validation problem finds its control by the
// JSON path it names: a control's name is the path of what it edits
// ("title.es", "online_form.fields[2].label.en").

// edGroup is a fieldset of the editor.
type edGroup struct {
	ID      string
	Legend  string
	Hint    string
	Pair    bool // the fields are one text in two languages, side by side
	Fields  []edField
	Actions []edAction
	Error   bool
}

// edField is one control.
type edField struct {
	ID, Name string
	Label    string
	Hint     string
	Type     string // text, textarea, number, date, select, checkboxes, checkbox, hidden, readonly
	Value    string
	Checked  bool
	Options  []edOption
	Rows     int
	Lang     string // language of the value, for the lang attribute
	Missing  bool   // a translation that is not there yet
	Error    string
}

type edOption struct {
	ID, Value, Label string
	Selected         bool
}

// edAction is a submit button of the form (name "action").
type edAction struct {
	Value, Label string
	Primary      bool
}

var nonIDChars = regexp.MustCompile(`[^a-zA-Z0-9]+`)

// fieldID is the HTML id of the control named name.
func fieldID(name string) string {
	return "f-" + strings.Trim(nonIDChars.ReplaceAllString(name, "-"), "-")
}

// postForm returns the request's urlencoded form values.
func postForm(c *fiber.Ctx) url.Values {
	v := url.Values{}
	c.Request().PostArgs().VisitAll(func(k, val []byte) {
		v.Add(string(k), string(val))
	})
	return v
}

// problemTarget returns the name of the control a validation problem at
// path is about: the control named by the longest leading part of path,
// "" when none (the problem is about the entry as a whole).
func problemTarget(path string, names map[string]bool) string {
	for p := path; p != ""; {
		if names[p] {
			return p
		}
		i := strings.LastIndexAny(p, ".[")
		if i < 0 {
			break
		}
		p = p[:i]
	}
	return ""
}

// placeProblems puts each problem on its control and returns the error
// summary, in the order of the form.
func placeProblems(groups []edGroup, problems []catalogue.Problem) []web.FormProblem {
	names := map[string]bool{}
	for _, g := range groups {
		for _, f := range g.Fields {
			if f.Type != "hidden" {
				names[f.Name] = true
			}
		}
	}
	byName := map[string][]string{}
	var general []web.FormProblem
	for _, p := range problems {
		t := problemTarget(p.Path, names)
		msg := p.Message
		if p.Path != "" && p.Path != t {
			msg = p.Path + ": " + msg
		}
		if t == "" {
			general = append(general, web.FormProblem{ID: "editor-form", Message: msg})
			continue
		}
		byName[t] = append(byName[t], msg)
	}
	var out []web.FormProblem
	for gi := range groups {
		for fi := range groups[gi].Fields {
			f := &groups[gi].Fields[fi]
			if msgs := byName[f.Name]; len(msgs) > 0 && f.Type != "hidden" {
				f.Error = strings.Join(msgs, " ")
				groups[gi].Error = true
				for _, m := range msgs {
					out = append(out, web.FormProblem{ID: f.ID, Message: m})
				}
				delete(byName, f.Name)
			}
		}
	}
	return append(general, out...)
}

// textField is a control for one language of a translated text.
func textField(v url.Values, name, label, typ string, rows int, lang string) edField {
	return edField{ID: fieldID(name), Name: name, Label: label, Type: typ, Rows: rows, Value: v.Get(name), Lang: lang}
}

// pairGroup is one translated text: the default language beside the
// compared one; the other languages travel as hidden fields.
func pairGroup(v url.Values, base, legend, hint, typ string, rows int, langs []string, def, compare string, langName func(string) string, missing string) edGroup {
	g := edGroup{ID: fieldID(base), Legend: legend, Hint: hint, Pair: compare != ""}
	for _, l := range langs {
		name := base + "." + l
		switch {
		case l == def || l == compare:
			f := textField(v, name, langName(l), typ, rows, l)
			// Missing only where the default language has a text: an
			// optional field left empty in every language lacks nothing.
			if l != def && strings.TrimSpace(f.Value) == "" && strings.TrimSpace(v.Get(base+"."+def)) != "" {
				f.Missing, f.Hint = true, missing
			}
			g.Fields = append(g.Fields, f)
		case v.Get(name) != "":
			g.Fields = append(g.Fields, edField{ID: fieldID(name), Name: name, Type: "hidden", Value: v.Get(name)})
		}
	}
	return g
}

func selectField(name, label, value string, opts []edOption) edField {
	f := edField{ID: fieldID(name), Name: name, Label: label, Type: "select", Value: value}
	for _, o := range opts {
		o.Selected = o.Value == value
		o.ID = fieldID(name + "-" + o.Value)
		f.Options = append(f.Options, o)
	}
	return f
}

func checkboxesField(name, label string, values []string, opts []edOption) edField {
	f := edField{ID: fieldID(name), Name: name, Label: label, Type: "checkboxes"}
	for _, o := range opts {
		o.ID = fieldID(name + "-" + o.Value)
		for _, v := range values {
			if v == o.Value {
				o.Selected = true
			}
		}
		f.Options = append(f.Options, o)
	}
	if len(f.Options) > 0 {
		f.ID = f.Options[0].ID // the error summary links to the first box
	}
	return f
}

// lines splits a textarea into its non-empty lines.
func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// words splits a list typed with commas, spaces or lines.
func words(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\r' || r == '\t' })
}

// text reads a translated text: nil when no language has one, unless
// required, when the default language is kept (even empty) for the
// validator to name.
func readText(v url.Values, base string, langs []string, def string, required bool) catalogue.Text {
	t := catalogue.Text{}
	for _, l := range langs {
		if s := strings.TrimSpace(strings.ReplaceAll(v.Get(base+"."+l), "\r\n", "\n")); s != "" {
			t[l] = s
		}
	}
	if len(t) == 0 && !required {
		return nil
	}
	if _, ok := t[def]; !ok && required {
		t[def] = ""
	}
	return t
}

// sortedValueKeys lists the form's names with prefix, for moving and
// removing repeated groups.
func sortedValueKeys(v url.Values, prefix string) []string {
	var out []string
	for k := range v {
		if strings.HasPrefix(k, prefix) {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// DescribedBy is the field's aria-describedby: its hint and its error.
func (f edField) DescribedBy() string {
	var ids []string
	if f.Hint != "" {
		ids = append(ids, f.ID+"-hint")
	}
	if f.Error != "" {
		ids = append(ids, f.ID+"-error")
	}
	return strings.Join(ids, " ")
}

// ButtonID is the button's HTML id, stable for tests and browser journeys.
func (a edAction) ButtonID() string {
	return "action-" + strings.Trim(nonIDChars.ReplaceAllString(a.Value, "-"), "-")
}
