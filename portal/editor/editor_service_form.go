package editor

import (
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"strconv"
	"strings"

	"sportello/catalogue"
	"sportello/portal/web"
)

// The service editor's form values: every catalogue field of a service,
// named by its JSON path, lists one item per line. serviceValues and
// decodeService are inverses for every valid service (tested on the whole
// demo catalogue), so opening and saving a service changes nothing.

const formPrefix = "online_form.fields"

func fieldName(i int, rest string) string { return fmt.Sprintf("%s[%d].%s", formPrefix, i, rest) }

func optionName(i, j int, rest string) string {
	return fmt.Sprintf("%s[%d].options[%d].%s", formPrefix, i, j, rest)
}

// serviceValues writes a service as form values.
func serviceValues(s *catalogue.Service, langs []string) url.Values {
	v := url.Values{}
	set := func(k, val string) {
		if val != "" {
			v.Set(k, val)
		}
	}
	set("slug", s.Slug)
	set("kind", s.Kind)
	set("topic", s.Topic)
	set("department", s.Department)
	v["audience"] = append([]string(nil), s.Audience...)
	v["life_events"] = append([]string(nil), s.LifeEvents...)
	v["channels"] = append([]string(nil), s.Channels...)
	if s.ProcessingTimeDays != nil {
		v.Set("processing_time_days", strconv.Itoa(*s.ProcessingTimeDays))
	}
	if s.Fee != nil {
		v.Set("fee.amount", web.Money{Minor: s.Fee.Amount, Currency: s.Fee.Currency}.Plain())
		set("fee.when", s.Fee.When)
	}
	if s.Renewal != nil {
		v.Set("renewal.valid_for_days", strconv.Itoa(s.Renewal.ValidForDays))
		v.Set("renewal.remind_days_before", strconv.Itoa(s.Renewal.RemindDaysBefore))
	}
	if s.Booking != nil {
		// Not edited in this form yet: carried through it unchanged, so
		// that saving a bookable service keeps its booking.
		if b, err := json.Marshal(s.Booking); err == nil {
			v.Set("booking", string(b))
		}
	}
	for _, l := range langs {
		if s.Fee != nil {
			set("fee.unit."+l, s.Fee.Unit[l])
		}
		for name, t := range map[string]catalogue.Text{
			"title": s.Title, "summary": s.Summary, "description": s.Description,
			"eligibility_text": s.EligibilityText, "legal_basis": s.LegalBasis, "output": s.Output,
		} {
			set(name+"."+l, t[l])
		}
		for name, t := range map[string]catalogue.TextList{"keywords": s.Keywords, "documents": s.Documents, "steps": s.Steps} {
			set(name+"."+l, strings.Join(t[l], "\n"))
		}
	}
	privacyValues(v, s.Privacy, langs)
	set("related", strings.Join(s.Related, "\n"))
	if s.EligibilityRule != nil {
		set("eligibility_rule", *s.EligibilityRule)
	}
	if s.Assurance != nil {
		set("assurance", *s.Assurance)
	}
	if s.OnlineForm == nil {
		return v
	}
	v.Set("online_form.count", strconv.Itoa(len(s.OnlineForm.Fields)))
	for i, f := range s.OnlineForm.Fields {
		set(fieldName(i, "name"), f.Name)
		set(fieldName(i, "type"), f.Type)
		if f.Required {
			v.Set(fieldName(i, "required"), "1")
		}
		set(fieldName(i, "min"), formatFloat(f.Min))
		set(fieldName(i, "max"), formatFloat(f.Max))
		if f.MaxLength != nil {
			v.Set(fieldName(i, "max_length"), strconv.Itoa(*f.MaxLength))
		}
		if f.Pattern != nil {
			set(fieldName(i, "pattern"), *f.Pattern)
		}
		if f.MinDate != nil {
			set(fieldName(i, "min_date"), *f.MinDate)
		}
		if f.MaxDate != nil {
			set(fieldName(i, "max_date"), *f.MaxDate)
		}
		set(fieldName(i, "accept"), strings.Join(f.Accept, ", "))
		set(fieldName(i, "max_size_mb"), formatFloat(f.MaxSizeMB))
		for _, l := range langs {
			set(fieldName(i, "label."+l), f.Label[l])
			set(fieldName(i, "help."+l), f.Help[l])
			set(fieldName(i, "pattern_message."+l), f.PatternMessage[l])
		}
		v.Set(fieldName(i, "options.count"), strconv.Itoa(len(f.Options)))
		for j, o := range f.Options {
			set(optionName(i, j, "value"), o.Value)
			for _, l := range langs {
				set(optionName(i, j, "label."+l), o.Label[l])
			}
		}
	}
	return v
}

func formatFloat(f *float64) string {
	if f == nil {
		return ""
	}
	return strconv.FormatFloat(*f, 'f', -1, 64)
}

// decodeService reads the form into a service. Values that are not even of
// the right type (letters in a number) come back as problems on their
// control, and the service is nil.
func decodeService(v url.Values, langs []string, def, currency string, T func(string, ...any) string) (*catalogue.Service, []catalogue.Problem) {
	var probs []catalogue.Problem
	intAt := func(name string) *int {
		s := strings.TrimSpace(v.Get(name))
		if s == "" {
			return nil
		}
		n, err := strconv.Atoi(s)
		if err != nil {
			probs = append(probs, catalogue.Problem{Path: name, Message: T("editor.error.whole_number", "Value", s)})
			return nil
		}
		return &n
	}
	floatAt := func(name string) *float64 {
		s := strings.TrimSpace(strings.ReplaceAll(v.Get(name), ",", "."))
		if s == "" {
			return nil
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			probs = append(probs, catalogue.Problem{Path: name, Message: T("editor.error.number", "Value", s)})
			return nil
		}
		return &f
	}
	list := func(base string) catalogue.TextList {
		t := catalogue.TextList{}
		for _, l := range langs {
			items := lines(v.Get(base + "." + l))
			translated := strings.TrimSpace(v.Get("title."+l)) != ""
			if len(items) > 0 || l == def || translated {
				if items == nil {
					items = []string{}
				}
				t[l] = items
			}
		}
		return t
	}
	s := &catalogue.Service{
		Slug:            strings.TrimSpace(v.Get("slug")),
		Kind:            v.Get("kind"),
		Topic:           v.Get("topic"),
		Department:      v.Get("department"),
		Audience:        web.NonNil(v["audience"]),
		LifeEvents:      web.NonNil(v["life_events"]),
		Channels:        web.NonNil(v["channels"]),
		Title:           readText(v, "title", langs, def, true),
		Summary:         readText(v, "summary", langs, def, true),
		Description:     readText(v, "description", langs, def, true),
		EligibilityText: readText(v, "eligibility_text", langs, def, false),
		LegalBasis:      readText(v, "legal_basis", langs, def, false),
		Output:          readText(v, "output", langs, def, false),
		Keywords:        list("keywords"),
		Documents:       list("documents"),
		Steps:           list("steps"),
		Related:         web.NonNil(words(v.Get("related"))),
	}
	s.ProcessingTimeDays = intAt("processing_time_days")
	if a := strings.TrimSpace(v.Get("fee.amount")); a != "" {
		m, ok := web.ParseMoney(a, currency, true)
		amount := m.Minor
		if !ok {
			probs = append(probs, catalogue.Problem{Path: "fee.amount", Message: T("editor.error.amount", "Value", a)})
		}
		s.Fee = &catalogue.Fee{Amount: amount, Currency: currency, When: v.Get("fee.when"), Unit: readText(v, "fee.unit", langs, def, false)}
	}
	// Either number given asks for a renewal; a missing one is then
	// reported by the catalogue's validation, on its own control.
	valid, remind := intAt("renewal.valid_for_days"), intAt("renewal.remind_days_before")
	if valid != nil || remind != nil {
		s.Renewal = &catalogue.Renewal{}
		if valid != nil {
			s.Renewal.ValidForDays = *valid
		}
		if remind != nil {
			s.Renewal.RemindDaysBefore = *remind
		}
	}
	if b := v.Get("booking"); b != "" {
		s.Booking = &catalogue.Booking{}
		if err := json.Unmarshal([]byte(b), s.Booking); err != nil {
			probs = append(probs, catalogue.Problem{Path: "booking", Message: T("editor.error.booking")})
		}
	}
	if r := strings.TrimSpace(v.Get("eligibility_rule")); r != "" {
		s.EligibilityRule = &r
	}
	if a := v.Get("assurance"); a != "" {
		s.Assurance = &a
	}
	s.Privacy = decodePrivacy(v, langs, def, intAt)
	n, _ := strconv.Atoi(v.Get("online_form.count"))
	if n > 0 {
		s.OnlineForm = &catalogue.OnlineForm{Fields: []catalogue.Field{}}
	}
	for i := range min(n, maxFormFields) {
		f := catalogue.Field{
			Name:           strings.TrimSpace(v.Get(fieldName(i, "name"))),
			Type:           v.Get(fieldName(i, "type")),
			Required:       v.Get(fieldName(i, "required")) != "",
			Label:          readText(v, fieldName(i, "label"), langs, def, true),
			Help:           readText(v, fieldName(i, "help"), langs, def, false),
			PatternMessage: readText(v, fieldName(i, "pattern_message"), langs, def, false),
			Min:            floatAt(fieldName(i, "min")),
			Max:            floatAt(fieldName(i, "max")),
			MaxLength:      intAt(fieldName(i, "max_length")),
			MaxSizeMB:      floatAt(fieldName(i, "max_size_mb")),
		}
		if accept := words(v.Get(fieldName(i, "accept"))); len(accept) > 0 {
			f.Accept = accept
		}
		if p := v.Get(fieldName(i, "pattern")); p != "" {
			f.Pattern = &p
		}
		if b := strings.TrimSpace(v.Get(fieldName(i, "min_date"))); b != "" {
			f.MinDate = &b
		}
		if b := strings.TrimSpace(v.Get(fieldName(i, "max_date"))); b != "" {
			f.MaxDate = &b
		}
		m, _ := strconv.Atoi(v.Get(fieldName(i, "options.count")))
		for j := range min(m, maxOptions) {
			o := catalogue.Option{Value: strings.TrimSpace(v.Get(optionName(i, j, "value"))), Label: readText(v, optionName(i, j, "label"), langs, def, false)}
			if o.Value == "" && o.Label == nil {
				continue // an empty row added and left empty
			}
			if o.Label == nil {
				o.Label = catalogue.Text{def: ""}
			}
			f.Options = append(f.Options, o)
		}
		s.OnlineForm.Fields = append(s.OnlineForm.Fields, f)
	}
	if len(probs) > 0 {
		return nil, probs
	}
	return s, nil
}

// Bounds on what one form may hold, so that a forged count cannot make the
// server loop for long.
const (
	maxFormFields = 200
	maxOptions    = 500
)

// formAction applies a form-builder button to the values: add, remove or
// move a field, add an option. It reports false for any other action.
func formAction(v url.Values, action string) bool {
	n, _ := strconv.Atoi(v.Get("online_form.count"))
	verb, arg, _ := strings.Cut(action, ":")
	i, err := strconv.Atoi(arg)
	if verb != "add_field" && (err != nil || i < 0 || i >= n) {
		return false
	}
	switch verb {
	case "add_field":
		if n >= maxFormFields {
			return true
		}
		v.Set("online_form.count", strconv.Itoa(n+1))
		v.Set(fieldName(n, "type"), "text")
		v.Set(fieldName(n, "options.count"), "0")
	case "add_option":
		m, _ := strconv.Atoi(v.Get(fieldName(i, "options.count")))
		if m < maxOptions {
			v.Set(fieldName(i, "options.count"), strconv.Itoa(m+1))
		}
	case "remove_field":
		for j := i; j < n-1; j++ {
			moveField(v, j+1, j)
		}
		clearField(v, n-1)
		v.Set("online_form.count", strconv.Itoa(n-1))
	case "up", "down":
		j := i - 1
		if verb == "down" {
			j = i + 1
		}
		if j < 0 || j >= n {
			return true
		}
		moveField(v, i, n) // n is free: use it to swap
		moveField(v, j, i)
		moveField(v, n, j)
	default:
		return false
	}
	return true
}

// moveField renames the values of field from to field to, replacing them.
func moveField(v url.Values, from, to int) {
	clearField(v, to)
	src := fmt.Sprintf("%s[%d].", formPrefix, from)
	dst := fmt.Sprintf("%s[%d].", formPrefix, to)
	for _, k := range sortedValueKeys(v, src) {
		v[dst+strings.TrimPrefix(k, src)] = v[k]
		delete(v, k)
	}
}

func clearField(v url.Values, i int) {
	for _, k := range sortedValueKeys(v, fmt.Sprintf("%s[%d].", formPrefix, i)) {
		delete(v, k)
	}
}

// serviceGroups lays out the service editor for the values v.
func (s *Handler) serviceGroups(v url.Values, d *web.Directory, lang, compare string, T func(string, ...any) string) []edGroup {
	langs := d.Authority.Languages
	def := d.DefaultLang
	name := func(l string) string { return web.LanguageName(l) }
	missing := T("editor.translation_missing")
	text := func(base, typ string, rows int) edGroup {
		return pairGroup(v, base, T("editor.field."+base), T("editor.hint."+base), typ, rows, langs, def, compare, name, missing)
	}

	var topics, departments, events []edOption
	for _, t := range d.Topics {
		title, _ := t.Title.In(lang, def)
		topics = append(topics, edOption{Value: t.Slug, Label: title})
	}
	for _, dp := range d.Departments {
		n, _ := dp.Name.In(lang, def)
		departments = append(departments, edOption{Value: dp.Slug, Label: n})
	}
	for _, e := range d.LifeEvents {
		title, _ := e.Title.In(lang, def)
		events = append(events, edOption{Value: e.Slug, Label: title})
	}
	opts := func(prefix string, values ...string) []edOption {
		var out []edOption
		for _, val := range values {
			out = append(out, edOption{Value: val, Label: T(prefix + val)})
		}
		return out
	}

	about := edGroup{ID: "group-about", Legend: T("editor.group.about"), Fields: []edField{
		{ID: fieldID("slug"), Name: "slug", Label: T("editor.field.slug"), Type: "readonly", Value: v.Get("slug")},
		selectField("topic", T("editor.field.topic"), v.Get("topic"), append([]edOption{{Value: "", Label: T("editor.choose")}}, topics...)),
		selectField("department", T("editor.field.department"), v.Get("department"), append([]edOption{{Value: "", Label: T("editor.choose")}}, departments...)),
		checkboxesField("audience", T("editor.field.audience"), v["audience"], opts("audience.", catalogue.AudienceResident, catalogue.AudienceBusiness)),
		checkboxesField("life_events", T("editor.field.life_events"), v["life_events"], events),
	}}
	groups := []edGroup{about,
		text("title", "text", 0), text("summary", "textarea", 3),
	}
	desc := text("description", "textarea", 14)
	desc.Actions = []edAction{{Value: "preview_markdown", Label: T("editor.action.preview_markdown")}}
	groups = append(groups, desc,
		text("eligibility_text", "textarea", 3), text("documents", "textarea", 5), text("steps", "textarea", 5),
		text("keywords", "textarea", 3), text("legal_basis", "text", 0), text("output", "text", 0))

	kind := selectField("kind", T("editor.field.kind"), v.Get("kind"), opts("editor.transaction.", catalogue.Transactions...))
	kind.Hint = T("editor.hint.kind")
	how := edGroup{ID: "group-how", Legend: T("editor.group.how"), Fields: []edField{
		kind,
		checkboxesField("channels", T("editor.field.channels"), v["channels"], opts("service.channel.", catalogue.Channels...)),
		{ID: fieldID("processing_time_days"), Name: "processing_time_days", Label: T("editor.field.processing_time_days"), Hint: T("editor.hint.processing_time_days"), Type: "number", Value: v.Get("processing_time_days")},
		{ID: fieldID("fee.amount"), Name: "fee.amount", Label: T("editor.field.fee_amount", "Currency", d.Authority.Currency), Hint: T("editor.hint.fee_amount"), Type: "text", Value: v.Get("fee.amount")},
		selectField("fee.when", T("editor.field.fee_when"), v.Get("fee.when"), append([]edOption{{Value: "", Label: T("editor.choose")}}, opts("service.fee_when.", catalogue.FeeOnApplication, catalogue.FeeOnApproval)...)),
		{ID: fieldID("renewal.valid_for_days"), Name: "renewal.valid_for_days", Label: T("editor.field.renewal_valid_for_days"), Hint: T("editor.hint.renewal_valid_for_days"), Type: "number", Value: v.Get("renewal.valid_for_days")},
		{ID: fieldID("renewal.remind_days_before"), Name: "renewal.remind_days_before", Label: T("editor.field.renewal_remind_days_before"), Hint: T("editor.hint.renewal_remind_days_before"), Type: "number", Value: v.Get("renewal.remind_days_before")},
		selectField("assurance", T("editor.field.assurance"), v.Get("assurance"), append([]edOption{{Value: "", Label: T("editor.assurance.none_form")}}, opts("editor.assurance.", catalogue.AssuranceNone, catalogue.AssuranceLow, catalogue.AssuranceSubstantial, catalogue.AssuranceHigh)...)),
	}}
	if b := v.Get("booking"); b != "" {
		how.Fields = append(how.Fields, edField{ID: fieldID("booking"), Name: "booking", Type: "hidden", Value: b})
	}
	unit := text("fee.unit", "text", 0)
	var questions []string
	for _, q := range d.ProfileQuestions {
		questions = append(questions, q.Name+" ("+q.Type+")")
	}
	rule := edGroup{ID: "group-rule", Legend: T("editor.field.eligibility_rule"), Fields: []edField{
		{ID: fieldID("eligibility_rule"), Name: "eligibility_rule", Label: T("editor.field.eligibility_rule"), Hint: T("editor.hint.eligibility_rule", "Questions", strings.Join(questions, ", ")), Type: "text", Value: v.Get("eligibility_rule")},
	}, Actions: []edAction{{Value: "check", Label: T("editor.action.check")}}}
	related := edGroup{ID: "group-related", Legend: T("editor.field.related"), Fields: []edField{
		{ID: fieldID("related"), Name: "related", Label: T("editor.field.related"), Hint: T("editor.hint.related"), Type: "textarea", Rows: 3, Value: v.Get("related")},
	}}
	groups = append(groups, how, unit, rule, related)
	groups = append(groups, s.formBuilderGroups(v, langs, def, compare, T)...)
	groups = append(groups, privacyGroups(v, text, T)...)
	return groups
}

// formBuilderGroups lays out the online form builder: one group per field.
func (s *Handler) formBuilderGroups(v url.Values, langs []string, def, compare string, T func(string, ...any) string) []edGroup {
	n, _ := strconv.Atoi(v.Get("online_form.count"))
	n = min(n, maxFormFields)
	name := func(l string) string { return web.LanguageName(l) }
	missing := T("editor.translation_missing")
	var types []edOption
	for _, t := range catalogue.FieldTypes {
		types = append(types, edOption{Value: t, Label: t})
	}
	var out []edGroup
	for i := range n {
		label := v.Get(fieldName(i, "label."+def))
		g := edGroup{ID: fieldID(fmt.Sprintf("%s[%d]", formPrefix, i)), Legend: T("editor.form.field_legend", "Number", i+1, "Label", label)}
		g.Fields = []edField{
			{ID: fieldID(fieldName(i, "name")), Name: fieldName(i, "name"), Label: T("editor.form.name"), Hint: T("editor.form.name_hint"), Type: "text", Value: v.Get(fieldName(i, "name"))},
			selectField(fieldName(i, "type"), T("editor.form.type"), v.Get(fieldName(i, "type")), types),
			{ID: fieldID(fieldName(i, "required")), Name: fieldName(i, "required"), Label: T("editor.form.required"), Type: "checkbox", Value: "1", Checked: v.Get(fieldName(i, "required")) != ""},
		}
		for _, part := range []string{"label", "help", "pattern_message"} {
			pg := pairGroup(v, fieldName(i, part), "", "", "text", 0, langs, def, compare, name, missing)
			for _, f := range pg.Fields {
				if f.Type != "hidden" {
					f.Label = T("editor.form."+part) + " – " + f.Label
				}
				g.Fields = append(g.Fields, f)
			}
		}
		for _, k := range []string{"min", "max", "max_length", "pattern", "min_date", "max_date", "accept", "max_size_mb"} {
			g.Fields = append(g.Fields, edField{ID: fieldID(fieldName(i, k)), Name: fieldName(i, k), Label: T("editor.form." + k), Type: "text", Value: v.Get(fieldName(i, k))})
		}
		g.Fields = append(g.Fields, edField{ID: fieldID(fieldName(i, "options.count")), Name: fieldName(i, "options.count"), Type: "hidden", Value: v.Get(fieldName(i, "options.count"))})
		m, _ := strconv.Atoi(v.Get(fieldName(i, "options.count")))
		for j := range min(m, maxOptions) {
			g.Fields = append(g.Fields, edField{ID: fieldID(optionName(i, j, "value")), Name: optionName(i, j, "value"), Label: T("editor.form.option_value", "Number", j+1), Type: "text", Value: v.Get(optionName(i, j, "value"))})
			pg := pairGroup(v, optionName(i, j, "label"), "", "", "text", 0, langs, def, compare, name, missing)
			for _, f := range pg.Fields {
				if f.Type != "hidden" {
					f.Label = T("editor.form.option_label", "Number", j+1) + " – " + f.Label
				}
				g.Fields = append(g.Fields, f)
			}
		}
		g.Actions = []edAction{
			{Value: fmt.Sprintf("add_option:%d", i), Label: T("editor.action.add_option")},
			{Value: fmt.Sprintf("up:%d", i), Label: T("editor.action.up")},
			{Value: fmt.Sprintf("down:%d", i), Label: T("editor.action.down")},
			{Value: fmt.Sprintf("remove_field:%d", i), Label: T("editor.action.remove_field")},
		}
		out = append(out, g)
	}
	out = append(out, edGroup{ID: "group-form", Legend: T("editor.group.form"), Hint: T("editor.hint.form"),
		Fields:  []edField{{ID: fieldID("online_form.count"), Name: "online_form.count", Type: "hidden", Value: strconv.Itoa(n)}},
		Actions: []edAction{{Value: "add_field", Label: T("editor.action.add_field")}}})
	return out
}
