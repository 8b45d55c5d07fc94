package catalogue

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/currency"
)

// Channels a service can be used through.
const (
	ChannelOnline   = "online"
	ChannelInPerson = "in_person"
	ChannelPhone    = "phone"
	ChannelPost     = "post"
)

// Channels lists every channel, in the order pages show them.
var Channels = []string{ChannelOnline, ChannelInPerson, ChannelPhone, ChannelPost}

// FieldTypes lists every online form field type.
var FieldTypes = []string{
	"text", "textarea", "email", "tel", "date", "integer", "money",
	"select", "radio", "checkbox", "file", "address", "location", "vehicle_registration",
}

var (
	audiences  = []string{AudienceResident, AudienceBusiness}
	assurances = []string{AssuranceNone, AssuranceLow, AssuranceSubstantial, AssuranceHigh}
	feeWhens   = []string{FeeOnApplication, FeeOnApproval}

	slugPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	namePattern = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
)

// protectedWords are the words that make a profile question one about a
// protected characteristic. Eligibility must never depend on ethnicity, race,
// sex, gender, religion or nationality, so the catalogue cannot even ask.
var protectedWords = map[string]string{
	"ethnic": "ethnicity", "ethnicity": "ethnicity", "ethnicities": "ethnicity", "ethnically": "ethnicity",
	"race": "race", "races": "race", "racial": "race",
	"sex": "sex", "sexes": "sex",
	"gender": "gender", "genders": "gender", "gendered": "gender",
	"religion": "religion", "religions": "religion", "religious": "religion", "faith": "religion",
	"nationality": "nationality", "nationalities": "nationality",
}

// Validate checks a parsed catalogue against every rule of FORMAT.md and
// returns a *ValidationError listing all problems, or nil.
func Validate(c *Catalogue) error {
	v := validator{c: c}
	v.run()
	return v.err()
}

type validator struct {
	// c.Services is nil when a Reader checks a file, one service at a
	// time: a rule across services works from the slug set v.services,
	// or from what nextService notes of each service.
	c *Catalogue
	problems

	defaultLang string
	langs       map[string]bool
	// langsOK and currencyOK are false when the authority's languages or
	// currency are wrong: that is one problem, not one for every text or fee.
	langsOK, currencyOK bool
	// questionsOK is false when a profile question is broken; rules are then
	// not compiled, as each would report the same broken question.
	questionsOK bool
	topics      map[string]bool
	departments map[string]bool
	lifeEvents  map[string]bool
	services    map[string]bool
}

func (v *validator) run() {
	c := v.c
	v.start(len(c.Services), func(i int) string { return c.Services[i].Slug })
	for i := range c.Services {
		if !v.nextService(i, &c.Services[i]) {
			break
		}
	}
	v.finish()
}

// start checks everything but the services, given their slugs, which the
// references of other entries are checked against. Then nextService checks
// each service, and finish what refers to services; a catalogue file too
// large to hold is checked so, one service at a time (Reader).
func (v *validator) start(nServices int, serviceSlug func(int) string) {
	c := v.c
	if c.Format != FormatVersion {
		v.add("format", "must be %q, not %q; this version of Sportello reads only that format", FormatVersion, c.Format)
	}
	v.authority(&c.Authority)

	v.topics = v.slugs("topics", len(c.Topics), func(i int) string { return c.Topics[i].Slug })
	v.departments = v.slugs("departments", len(c.Departments), func(i int) string { return c.Departments[i].Slug })
	v.lifeEvents = v.slugs("life_events", len(c.LifeEvents), func(i int) string { return c.LifeEvents[i].Slug })
	v.services = v.slugs("services", nServices, serviceSlug)
	v.slugs("journeys", len(c.Journeys), func(i int) string { return c.Journeys[i].Slug })
	v.slugs("business_types", len(c.BusinessTypes), func(i int) string { return c.BusinessTypes[i].Slug })

	for i, t := range c.Topics {
		p := index("topics", i)
		v.text(member(p, "title"), t.Title, true)
		v.text(member(p, "description"), t.Description, false)
	}
	for i, d := range c.Departments {
		v.text(member(index("departments", i), "name"), d.Name, true)
		v.office(index("departments", i), &c.Departments[i])
	}
	for i, e := range c.LifeEvents {
		p := index("life_events", i)
		v.oneOf(member(p, "audience"), e.Audience, audiences)
		v.text(member(p, "title"), e.Title, true)
	}
	v.questions()
}

// nextService checks the i-th service. It returns false when the problems
// are full: a file of a million broken services is told so by the first
// ones, and checking the rest only takes time.
func (v *validator) nextService(i int, s *Service) bool {
	if v.full() {
		v.more++
		return false
	}
	v.service(index("services", i), s)
	return true
}

func (v *validator) finish() {
	c := v.c
	for i := range c.Journeys {
		v.journey(index("journeys", i), &c.Journeys[i])
	}
	for i := range c.BusinessTypes {
		v.businessType(index("business_types", i), &c.BusinessTypes[i])
	}
}

func (v *validator) authority(a *Authority) {
	const p = "authority"
	v.langs = make(map[string]bool, len(a.Languages))
	if len(a.Languages) == 0 {
		v.add(member(p, "languages"), "must list at least one language, from %s", strings.Join(Languages, ", "))
	}
	for i, l := range a.Languages {
		lp := index(member(p, "languages"), i)
		switch {
		case !slices.Contains(Languages, l):
			v.add(lp, "%q is not a language Sportello has; use %s", l, strings.Join(Languages, ", "))
		case v.langs[l]:
			v.add(lp, "%q is listed twice; list each language once", l)
		}
		v.langs[l] = true
	}
	v.defaultLang = a.DefaultLanguage
	v.langsOK = v.problems.count() == 0
	if !v.langs[a.DefaultLanguage] {
		v.add(member(p, "default_language"), "must be one of authority.languages (%s), not %q", strings.Join(a.Languages, ", "), a.DefaultLanguage)
		v.langsOK = false
	}
	v.currencyOK = true
	if _, err := currency.ParseISO(a.Currency); err != nil || a.Currency != strings.ToUpper(a.Currency) {
		v.add(member(p, "currency"), "must be an ISO 4217 currency code in capitals, such as \"EUR\", not %q", a.Currency)
		v.currencyOK = false
	}
	v.text(member(p, "name"), a.Name, true)
	if a.Privacy != nil {
		v.councilPrivacy(member(p, "privacy"), a.Privacy)
	}
	if a.Accessibility != nil {
		v.accessibility(member(p, "accessibility"), a.Accessibility)
	}
}

// slugs checks the syntax and uniqueness of one kind's slugs and returns the
// set of them, for reference checks.
func (v *validator) slugs(kind string, n int, slug func(int) string) map[string]bool {
	set := make(map[string]bool, n)
	first := make(map[string]int, n)
	for i := range n {
		s, p := slug(i), member(index(kind, i), "slug")
		switch {
		case s == "":
			v.add(p, "is missing; give it a slug of lowercase letters, digits and hyphens, like \"order-a-new-bin\"")
		case !slugPattern.MatchString(s):
			v.add(p, "%q must be lowercase letters, digits and single hyphens, like \"order-a-new-bin\"", s)
		case set[s]:
			v.add(p, "%q is already the slug of %s; slugs must be unique", s, index(kind, first[s]))
		default:
			first[s] = i
		}
		set[s] = true
	}
	return set
}

// text checks a translated text: the default language present and not empty,
// and only languages the authority declares.
func (v *validator) text(path string, t Text, required bool) {
	if t == nil {
		if required {
			v.add(path, "is missing; give at least the %s text, like {%q: \"...\"}", v.defaultLang, v.defaultLang)
		}
		return
	}
	if !v.langsOK {
		return
	}
	if strings.TrimSpace(t[v.defaultLang]) == "" {
		v.add(member(path, v.defaultLang), "is missing or empty; every text needs one in the default language %q", v.defaultLang)
	}
	name := lastMember(path)
	for _, l := range sortedKeys(t) {
		if !v.langs[l] {
			v.add(member(path, l), "%q is not in authority.languages; add it there or remove this translation", l)
		}
		v.textSize(member(path, l), t[l], shortTexts[name])
	}
}

// shortTexts are the members whose texts are shown in lists and headings,
// which MaxShortText bounds.
var shortTexts = map[string]bool{"title": true, "name": true, "label": true, "unit": true}

// textSize checks a text against MaxShortText or MaxTextBytes. Reading a
// file checks the second already; an entry saved in the editor is checked
// here only.
func (v *validator) textSize(path, s string, short bool) {
	switch n := utf8.RuneCountInString(s); {
	case short && n > MaxShortText:
		v.add(path, "is %d characters long; a title, name or label may have at most %d", n, MaxShortText)
	case len(s) > MaxTextBytes:
		v.add(path, "is %s long; a text may be at most %s", sizeText(len(s)), sizeText(MaxTextBytes))
	}
}

// lastMember is the last member name of a path: "title" for
// "services[3].title".
func lastMember(path string) string {
	return path[strings.LastIndexByte(path, '.')+1:]
}

func (v *validator) textList(path string, t TextList) {
	if t == nil || !v.langsOK {
		return
	}
	if _, ok := t[v.defaultLang]; !ok {
		v.add(member(path, v.defaultLang), "is missing; a translated list needs one in the default language %q (it may be empty: [])", v.defaultLang)
	}
	for _, l := range sortedKeys(t) {
		if !v.langs[l] {
			v.add(member(path, l), "%q is not in authority.languages; add it there or remove this translation", l)
		}
		for i, s := range t[l] {
			if strings.TrimSpace(s) == "" {
				v.add(index(member(path, l), i), "is empty; remove it or write the text")
			}
			v.textSize(index(member(path, l), i), s, false)
		}
	}
}

func (v *validator) oneOf(path, value string, allowed []string) {
	if !slices.Contains(allowed, value) {
		v.add(path, "must be one of %s, not %q", quoteAll(allowed), value)
	}
}

// enumList checks a list of values from a fixed set: not empty, known, no repeats.
func (v *validator) enumList(path string, values []string, allowed []string) {
	if len(values) == 0 {
		v.add(path, "must list at least one of %s", quoteAll(allowed))
	}
	v.refs(path, values, func(s string) bool { return slices.Contains(allowed, s) },
		func(s string) string { return fmt.Sprintf("must be one of %s, not %q", quoteAll(allowed), s) })
}

// refs checks each value of a list with known, and that none is repeated.
func (v *validator) refs(path string, values []string, known func(string) bool, unknown func(string) string) {
	seen := make(map[string]bool, len(values))
	for i, s := range values {
		p := index(path, i)
		switch {
		case !known(s):
			v.add(p, "%s", unknown(s))
		case seen[s]:
			v.add(p, "%q is listed twice; list it once", s)
		}
		seen[s] = true
	}
}

func (v *validator) slugRefs(path string, values []string, set map[string]bool, kind string) {
	v.refs(path, values, func(s string) bool { return set[s] },
		func(s string) string {
			return fmt.Sprintf("%q is not the slug of any of the catalogue's %s; check the spelling or add it", s, kind)
		})
}

func (v *validator) questions() {
	before := v.problems.count()
	defer func() { v.questionsOK = v.problems.count() == before }()
	seen := make(map[string]int)
	for i, q := range v.c.ProfileQuestions {
		p := index("profile_questions", i)
		switch {
		case !namePattern.MatchString(q.Name):
			v.add(member(p, "name"), "%q must start with a lowercase letter and use only lowercase letters, digits and _, like \"household_size\"", q.Name)
		case isRuleKeyword(q.Name):
			v.add(member(p, "name"), "%q is a word of the rule language; choose another name", q.Name)
		default:
			if j, dup := seen[q.Name]; dup {
				v.add(member(p, "name"), "%q is already the name of profile_questions[%d]; names must be unique", q.Name, j)
			}
			seen[q.Name] = i
		}
		if q.Type != QuestionInteger && q.Type != QuestionBoolean {
			v.add(member(p, "type"), "must be \"integer\" or \"boolean\", not %q", q.Type)
		}
		if q.Type != QuestionInteger && (q.Min != nil || q.Max != nil) {
			v.add(p, "min and max apply only to integer questions; remove them")
		}
		if q.Min != nil && q.Max != nil && *q.Min > *q.Max {
			v.add(member(p, "min"), "%d is more than max %d; swap them", *q.Min, *q.Max)
		}
		if q.AllowUnknown != "" && q.AllowUnknown != UnknownDontKnow && q.AllowUnknown != UnknownRatherNotSay {
			v.add(member(p, "allow_unknown"), "must be %q or %q, not %q; leave it out when the question must be answered", UnknownDontKnow, UnknownRatherNotSay, q.AllowUnknown)
		}
		v.text(member(p, "label"), q.Label, true)
		if what := protectedTopic(q.Name, strings.ReplaceAll(q.Name, "_", " "), q.Label[v.defaultLang], q.Label["en"]); what != "" {
			v.add(p, "asks about %s; Sportello refuses questions about ethnicity, race, sex, gender, religion or nationality, so that no eligibility rule can depend on them", what)
		}
	}
}

// protectedTopic returns the protected characteristic any of the texts is
// about, or "".
func protectedTopic(texts ...string) string {
	for _, t := range texts {
		words := strings.FieldsFunc(strings.ToLower(t), func(r rune) bool {
			return !('a' <= r && r <= 'z') && r < 0x80
		})
		for _, w := range words {
			if what, ok := protectedWords[w]; ok {
				return what
			}
		}
	}
	return ""
}

func isRuleKeyword(s string) bool {
	switch s {
	case "true", "false", "nil", "and", "or", "not", "in", "matches", "contains",
		"startswith", "endswith", "let", "if", "else":
		return true
	}
	return false
}

func (v *validator) service(p string, s *Service) {
	if s.Kind != "" {
		v.oneOf(member(p, "kind"), s.Kind, Transactions)
	}
	if !v.topics[s.Topic] {
		v.add(member(p, "topic"), "%q is not the slug of any topic; use one of the catalogue's topics", s.Topic)
	}
	if !v.departments[s.Department] {
		v.add(member(p, "department"), "%q is not the slug of any department; use one of the catalogue's departments", s.Department)
	}
	v.enumList(member(p, "audience"), s.Audience, audiences)
	v.slugRefs(member(p, "life_events"), s.LifeEvents, v.lifeEvents, "life events")
	v.enumList(member(p, "channels"), s.Channels, Channels)
	if s.ProcessingTimeDays != nil && *s.ProcessingTimeDays < 0 {
		v.add(member(p, "processing_time_days"), "must be 0 or more, or null when there is no set time, not %d", *s.ProcessingTimeDays)
	}
	if s.Fee != nil {
		v.fee(member(p, "fee"), s.Fee)
	}
	if s.Renewal != nil {
		v.renewal(member(p, "renewal"), s)
	}
	if s.Booking != nil {
		v.booking(member(p, "booking"), s)
	}
	v.text(member(p, "title"), s.Title, true)
	v.text(member(p, "summary"), s.Summary, true)
	v.text(member(p, "description"), s.Description, true)
	v.text(member(p, "eligibility_text"), s.EligibilityText, false)
	v.text(member(p, "legal_basis"), s.LegalBasis, false)
	v.text(member(p, "output"), s.Output, false)
	v.textList(member(p, "keywords"), s.Keywords)
	v.textList(member(p, "documents"), s.Documents)
	v.textList(member(p, "steps"), s.Steps)
	v.translations(p, "service", serviceTexts(s))

	v.slugRefs(member(p, "related"), s.Related, v.services, "services")
	if slices.Contains(s.Related, s.Slug) {
		v.add(member(p, "related"), "lists the service itself; list only other services")
	}
	if s.EligibilityRule != nil && v.questionsOK {
		if _, err := CompileRules(v.c.ProfileQuestions, *s.EligibilityRule); err != nil {
			v.add(member(p, "eligibility_rule"), "%s", err)
		}
	}
	if s.Privacy != nil {
		v.privacy(member(p, "privacy"), s)
	}
	if s.OnlineForm == nil {
		if s.Assurance != nil {
			v.add(member(p, "assurance"), "must be null when the service has no online_form")
		}
		return
	}
	if !slices.Contains(s.Channels, ChannelOnline) {
		v.add(member(p, "channels"), "must include \"online\" because the service has an online_form")
	}
	if s.Assurance == nil {
		v.add(member(p, "assurance"), "is missing; a service with an online_form says who may use it: one of %s", quoteAll(assurances))
	} else {
		v.oneOf(member(p, "assurance"), *s.Assurance, assurances)
		// The payment page is for the signed-in applicant only, so an
		// anonymous application awaiting its fee could never be paid.
		if *s.Assurance == AssuranceNone && s.Fee != nil && s.Fee.Amount > 0 && s.Fee.When == FeeOnApplication {
			v.add(member(p, "assurance"), `a fee paid on application needs the applicant signed in: use "low" or higher, or charge on approval`)
		}
	}
	// The pages of a service to pay say "Payment received": its form must
	// take a payment.
	if s.Kind == TransactionPay && (s.Fee == nil || s.Fee.Amount == 0 || s.Fee.When != FeeOnApplication) {
		v.add(member(p, "kind"), `"pay" needs a fee paid on application, or the form would take no payment: give the service a fee with "when": "on_application", or choose another kind`)
	}
	v.form(member(p, "online_form"), s.OnlineForm)
}

func (v *validator) fee(p string, f *Fee) {
	if f.Amount < 0 {
		v.add(member(p, "amount"), "must be a whole number of cents, 0 or more")
	}
	if v.currencyOK && f.Currency != v.c.Authority.Currency {
		v.add(member(p, "currency"), "must be %q, the authority's currency, not %q", v.c.Authority.Currency, f.Currency)
	}
	v.oneOf(member(p, "when"), f.When, feeWhens)
	v.text(member(p, "unit"), f.Unit, false)
}

func (v *validator) renewal(p string, s *Service) {
	r := s.Renewal
	valid := r.ValidForDays >= 1 && r.ValidForDays <= MaxValidForDays
	if !valid {
		v.add(member(p, "valid_for_days"), "must be the number of days what the service grants lasts from its approval, 1 to %d, not %d", MaxValidForDays, r.ValidForDays)
	}
	switch {
	case r.RemindDaysBefore < 1:
		v.add(member(p, "remind_days_before"), "must be 1 or more: how many days before the end to remind the holder, not %d", r.RemindDaysBefore)
	case valid && r.RemindDaysBefore >= r.ValidForDays:
		v.add(member(p, "remind_days_before"), "must be less than valid_for_days (%d), or the reminder would come before what it reminds of was granted, not %d", r.ValidForDays, r.RemindDaysBefore)
	}
	if s.OnlineForm == nil {
		v.add(p, "needs an online_form: reminders go to the people whose online applications were approved; add a form or remove renewal")
	}
}

// entryText is one of the texts that an entry's translation into a
// language has all of or none of.
type entryText struct {
	name string // its path within the entry: "title", "questions[2].text"
	set  bool   // the text is there at all (optional texts may be null)
	has  func(lang string) bool
}

func textOf(name string, t Text) entryText {
	return entryText{name, t != nil, func(l string) bool { _, ok := t[l]; return ok }}
}

func serviceTexts(s *Service) []entryText {
	list := func(name string, t TextList) entryText {
		return entryText{name, t != nil, func(l string) bool { _, ok := t[l]; return ok }}
	}
	texts := []entryText{
		textOf("title", s.Title), textOf("summary", s.Summary), textOf("description", s.Description),
		textOf("eligibility_text", s.EligibilityText), textOf("legal_basis", s.LegalBasis), textOf("output", s.Output),
		list("keywords", s.Keywords), list("documents", s.Documents), list("steps", s.Steps),
	}
	if p := s.Privacy; p != nil {
		texts = append(texts, textOf("privacy.purpose", p.Purpose), textOf("privacy.shared_with", p.SharedWith), list("privacy.data", p.Data))
	}
	return texts
}

// translations checks that each non-default language of an entry (noun:
// "service") is complete or absent: a page half in Catalan and half in
// English is worse than one wholly in English.
func (v *validator) translations(p, noun string, texts []entryText) {
	if !v.langsOK {
		return
	}
	for _, l := range v.c.Authority.Languages {
		if l == v.defaultLang {
			continue
		}
		var have, missing []string
		for _, t := range texts {
			if !t.set {
				continue
			}
			if t.has(l) {
				have = append(have, t.name)
			} else {
				missing = append(missing, t.name)
			}
		}
		if len(have) > 0 && len(missing) > 0 {
			for _, m := range missing {
				v.add(member(p+"."+m, l), "is missing, but the %s has %s in %q; translate all of its texts into %q or none of them", noun, strings.Join(have, ", "), l, l)
			}
		}
	}
}

func (v *validator) form(p string, f *OnlineForm) {
	fp := member(p, "fields")
	if len(f.Fields) == 0 {
		v.add(fp, "must have at least one field; remove online_form if the service cannot be applied for online")
	}
	seen := make(map[string]int, len(f.Fields))
	for i := range f.Fields {
		x := &f.Fields[i]
		p := index(fp, i)
		if !namePattern.MatchString(x.Name) {
			v.add(member(p, "name"), "%q must start with a lowercase letter and use only lowercase letters, digits and _, like \"collection_date\"", x.Name)
		} else if j, dup := seen[x.Name]; dup {
			v.add(member(p, "name"), "%q is already the name of field %d; names must be unique within a form", x.Name, j)
		} else {
			seen[x.Name] = i
		}
		if !slices.Contains(FieldTypes, x.Type) {
			v.add(member(p, "type"), "must be one of %s, not %q", quoteAll(FieldTypes), x.Type)
		}
		v.text(member(p, "label"), x.Label, true)
		v.text(member(p, "help"), x.Help, false)
		v.field(p, x)
	}
}

func (v *validator) field(p string, x *Field) {
	choice := x.Type == "select" || x.Type == "radio" || x.Type == "checkbox"
	switch {
	case !choice && x.Options != nil:
		v.add(member(p, "options"), "apply only to select, radio and checkbox fields; remove them or change the type")
	case (x.Type == "select" || x.Type == "radio") && len(x.Options) == 0:
		v.add(member(p, "options"), "are missing; a %s field needs at least one option", x.Type)
	}
	values := make(map[string]int, len(x.Options))
	for i, o := range x.Options {
		op := index(member(p, "options"), i)
		if o.Value == "" {
			v.add(member(op, "value"), "is empty; give the option a value, like \"general\"")
		} else if j, dup := values[o.Value]; dup {
			v.add(member(op, "value"), "%q is already the value of option %d; values must be unique within a field", o.Value, j)
		} else {
			values[o.Value] = i
		}
		v.text(member(op, "label"), o.Label, true)
	}
	if x.Type != "file" {
		if x.Accept != nil {
			v.add(member(p, "accept"), "applies only to file fields; remove it or change the type")
		}
		if x.MaxSizeMB != nil {
			v.add(member(p, "max_size_mb"), "applies only to file fields; remove it or change the type")
		}
	}
	for i, m := range x.Accept {
		if !strings.Contains(m, "/") {
			v.add(index(member(p, "accept"), i), "%q is not a MIME type; use a type like \"application/pdf\" or \"image/*\"", m)
		}
	}
	if x.MaxSizeMB != nil && *x.MaxSizeMB <= 0 {
		v.add(member(p, "max_size_mb"), "must be more than 0, not %v", *x.MaxSizeMB)
	}
	if x.Min != nil && x.Max != nil && *x.Min > *x.Max {
		v.add(member(p, "min"), "%v is more than max %v; swap them", *x.Min, *x.Max)
	}
	if x.MaxLength != nil && *x.MaxLength <= 0 {
		v.add(member(p, "max_length"), "must be more than 0, not %d", *x.MaxLength)
	}
	if x.Pattern != nil {
		if _, err := regexp.Compile(*x.Pattern); err != nil {
			v.add(member(p, "pattern"), "is not a valid RE2 regular expression: %v", err)
		}
	}
	switch {
	case x.PatternMessage != nil && x.Pattern == nil && x.Type != "vehicle_registration":
		v.add(member(p, "pattern_message"), "applies only to a field with a pattern, or to a vehicle_registration field; add the pattern or remove the message")
	case x.PatternMessage != nil:
		v.text(member(p, "pattern_message"), x.PatternMessage, false)
	}
	v.dateBounds(p, x)
}

// dateBounds checks a field's min_date and max_date: on date fields only,
// each a DateBound, and the earliest before the latest (compared on any
// day, since both move together unless one is fixed).
func (v *validator) dateBounds(p string, x *Field) {
	var bounds [2]*DateBound
	for i, b := range []struct {
		name string
		s    *string
	}{{"min_date", x.MinDate}, {"max_date", x.MaxDate}} {
		if b.s == nil {
			continue
		}
		if x.Type != "date" {
			v.add(member(p, b.name), "applies only to date fields; remove it or change the type")
			continue
		}
		db, err := ParseDateBound(*b.s)
		if err != nil {
			v.add(member(p, b.name), "%v", err)
			continue
		}
		bounds[i] = &db
	}
	if bounds[0] == nil || bounds[1] == nil {
		return
	}
	if bounds[0].isDate != bounds[1].isDate {
		return // a fixed date against a moving one: right on some days, not others
	}
	today := time.Now().UTC().Truncate(24 * time.Hour)
	if bounds[0].On(today).After(bounds[1].On(today)) {
		v.add(member(p, "min_date"), "%q is after max_date %q; swap them", *x.MinDate, *x.MaxDate)
	}
}

func (v *validator) journey(p string, j *Journey) {
	v.oneOf(member(p, "audience"), j.Audience, audiences)
	v.text(member(p, "title"), j.Title, true)
	v.text(member(p, "summary"), j.Summary, false)
	if len(j.Steps) == 0 {
		v.add(member(p, "steps"), "must have at least one step")
	}
	for i, st := range j.Steps {
		sp := index(member(p, "steps"), i)
		v.text(member(sp, "title"), st.Title, true)
		if len(st.Services) == 0 {
			v.add(member(sp, "services"), "must list at least one service slug")
		}
		v.slugRefs(member(sp, "services"), st.Services, v.services, "services")
	}
}

func quoteAll(values []string) string {
	q := make([]string, len(values))
	for i, s := range values {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}
