package editor

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"sportello/catalogue"
	"sportello/portal/web"
)

// The editor's form for a business type (catalogue.BusinessType): its
// texts, its yes/no questions, and its steps, each step's services one per
// line as "slug" or "slug if question_key". As everywhere in the editor, a
// control is named by the JSON path it edits, so that the catalogue's
// validator, run as on import, puts each problem on its control.

var businessTypeCodec = entryCodec{
	values: businessTypeValues, decode: decodeBusinessType, groups: businessTypeGroups,
	action: func(v url.Values, action string) bool {
		return businessQuestions.action(v, action) || journeySteps.action(v, action)
	},
}

// businessIf separates a service from the question that decides it on a
// line of a step's services.
const businessIf = "if"

// The repeated parts of the business type and journey forms.
var (
	businessQuestions = repeated{list: "questions", one: "question"}
	journeySteps      = repeated{list: "steps", one: "step"}
)

func businessTypeValues(e any, langs []string) url.Values {
	b := e.(*catalogue.BusinessType)
	v := url.Values{}
	v.Set("slug", b.Slug)
	setText(v, "title", b.Title, langs)
	setText(v, "summary", b.Summary, langs)
	v.Set(businessQuestions.countName(), strconv.Itoa(len(b.Questions)))
	for i, q := range b.Questions {
		v.Set(businessQuestions.name(i, "key"), q.Key)
		setText(v, businessQuestions.name(i, "text"), q.Text, langs)
	}
	v.Set(journeySteps.countName(), strconv.Itoa(len(b.Steps)))
	for i, st := range b.Steps {
		setText(v, stepName(i, "title"), st.Title, langs)
		lines := make([]string, len(st.Services))
		for j, p := range st.Services {
			lines[j] = p.Service
			if p.If != "" {
				lines[j] += " " + businessIf + " " + p.If
			}
		}
		v.Set(stepName(i, "services"), strings.Join(lines, "\n"))
	}
	return v
}

// decodeBusinessType reads the form. A services line it cannot read is the
// only problem it reports itself; everything else is the validator's.
func decodeBusinessType(v url.Values, langs []string, def, _ string, T func(string, ...any) string) (any, []catalogue.Problem) {
	b := &catalogue.BusinessType{
		Slug: strings.TrimSpace(v.Get("slug")), Title: readText(v, "title", langs, def, true), Summary: readText(v, "summary", langs, def, false),
		Questions: []catalogue.BusinessQuestion{}, Steps: []catalogue.BusinessStep{},
	}
	for i := range businessQuestions.count(v) {
		b.Questions = append(b.Questions, catalogue.BusinessQuestion{
			Key: strings.TrimSpace(v.Get(businessQuestions.name(i, "key"))), Text: readText(v, businessQuestions.name(i, "text"), langs, def, true),
		})
	}
	var probs []catalogue.Problem
	for i := range journeySteps.count(v) {
		st := catalogue.BusinessStep{Title: readText(v, stepName(i, "title"), langs, def, false), Services: []catalogue.BusinessPermit{}}
		for _, line := range lines(v.Get(stepName(i, "services"))) {
			p, ok := readPermit(line)
			if !ok {
				probs = append(probs, catalogue.Problem{Path: stepName(i, "services"), Message: T("editor.business.error.line", "Line", line)})
				continue
			}
			st.Services = append(st.Services, p)
		}
		b.Steps = append(b.Steps, st)
	}
	if len(probs) > 0 {
		return nil, probs
	}
	return b, nil
}

// readPermit reads "slug" or "slug if key".
func readPermit(line string) (catalogue.BusinessPermit, bool) {
	f := strings.Fields(line)
	switch {
	case len(f) == 1:
		return catalogue.BusinessPermit{Service: f[0]}, true
	case len(f) == 3 && f[1] == businessIf:
		return catalogue.BusinessPermit{Service: f[0], If: f[2]}, true
	}
	return catalogue.BusinessPermit{}, false
}

func businessTypeGroups(_ *Handler, v url.Values, d *web.Directory, _, compare string, T func(string, ...any) string) []edGroup {
	langs, def := d.Authority.Languages, d.DefaultLang
	missing := T("editor.translation_missing")
	pair := func(base, legend, typ string, rows int) edGroup {
		return pairGroup(v, base, legend, "", typ, rows, langs, def, compare, web.LanguageName, missing)
	}
	groups := []edGroup{
		{ID: "group-about", Legend: T("editor.group.about"), Fields: []edField{
			{ID: fieldID("slug"), Name: "slug", Label: T("editor.field.slug"), Type: "readonly", Value: v.Get("slug")},
		}},
		pair("title", T("editor.field.title"), "text", 0),
		pair("summary", T("editor.field.summary"), "textarea", 3),
	}
	groups = append(groups, businessQuestions.groups(v, T("editor.business.questions"), T("editor.action.add_question"), T("editor.action.remove_question"),
		func(i int) edGroup {
			key := businessQuestions.name(i, "key")
			g := pair(businessQuestions.name(i, "text"), T("editor.business.question", "Number", i+1), "text", 0)
			g.Fields = append([]edField{{ID: fieldID(key), Name: key, Label: T("editor.business.key"), Hint: T("editor.hint.business_key"), Type: "text", Value: v.Get(key)}}, g.Fields...)
			return g
		})...)
	return append(groups, journeySteps.groups(v, T("editor.journey.steps"), T("editor.action.add_step"), T("editor.action.remove_step"),
		func(i int) edGroup {
			g := pair(stepName(i, "title"), T("editor.journey.step", "Number", i+1), "text", 0)
			g.Hint = T("editor.hint.business_step_title")
			g.Fields = append(g.Fields, edField{ID: fieldID(stepName(i, "services")), Name: stepName(i, "services"), Label: T("editor.journey.services"),
				Hint: T("editor.hint.business_services"), Type: "textarea", Rows: 3, Value: v.Get(stepName(i, "services"))})
			return g
		})...)
}

// setText puts a translated text into form values, one per language.
func setText(v url.Values, base string, t catalogue.Text, langs []string) {
	for _, l := range langs {
		if t[l] != "" {
			v.Set(base+"."+l, t[l])
		}
	}
}

// maxRepeated bounds the items of a repeated part, so that a forged count
// cannot make the form huge.
const maxRepeated = 100

// repeated is a part of a form that is a list (a journey's steps, a
// business type's questions): each item's controls are named
// "list[i].…", the count travels as "list.count", and the buttons
// "add_one" and "remove_one:i" change it without saving.
type repeated struct {
	list, one string // "steps", "step"
}

func (r repeated) countName() string { return r.list + ".count" }

func (r repeated) name(i int, rest string) string { return fmt.Sprintf("%s[%d].%s", r.list, i, rest) }

// count is the number of items, within bounds.
func (r repeated) count(v url.Values) int {
	n, _ := strconv.Atoi(v.Get(r.countName()))
	return max(0, min(n, maxRepeated))
}

// groups returns one group per item, from item, with its remove button,
// and then the group that holds the count and the add button.
func (r repeated) groups(v url.Values, legend, add, remove string, item func(i int) edGroup) []edGroup {
	n := r.count(v)
	var out []edGroup
	for i := range n {
		g := item(i)
		g.ID = fieldID(fmt.Sprintf("%s[%d]", r.list, i))
		g.Actions = []edAction{{Value: fmt.Sprintf("remove_%s:%d", r.one, i), Label: remove}}
		out = append(out, g)
	}
	return append(out, edGroup{ID: "group-" + r.list, Legend: legend,
		Fields:  []edField{{ID: fieldID(r.countName()), Name: r.countName(), Type: "hidden", Value: strconv.Itoa(n)}},
		Actions: []edAction{{Value: "add_" + r.one, Label: add}}})
}

// action applies add_one or remove_one:i to the form values, moving the
// items after a removed one up; it reports whether action was one of them.
func (r repeated) action(v url.Values, action string) bool {
	n := r.count(v)
	verb, arg, _ := strings.Cut(action, ":")
	switch verb {
	case "add_" + r.one:
		if n < maxRepeated {
			v.Set(r.countName(), strconv.Itoa(n+1))
		}
		return true
	case "remove_" + r.one:
		i, err := strconv.Atoi(arg)
		if err != nil || i < 0 || i >= n {
			return false
		}
		item := func(j int) string { return fmt.Sprintf("%s[%d].", r.list, j) }
		for j := i; j < n-1; j++ {
			for _, k := range sortedValueKeys(v, item(j)) {
				delete(v, k)
			}
			for _, k := range sortedValueKeys(v, item(j+1)) {
				v[item(j)+strings.TrimPrefix(k, item(j+1))] = v[k]
				delete(v, k)
			}
		}
		for _, k := range sortedValueKeys(v, item(n-1)) {
			delete(v, k)
		}
		v.Set(r.countName(), strconv.Itoa(n-1))
		return true
	}
	return false
}
