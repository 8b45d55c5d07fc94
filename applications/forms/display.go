package forms

import (
	"strconv"
	"strings"

	"sportello/catalogue"
)

// Translate translates a UI key into lang with template data given as name,
// value pairs: the signature of (*web.Translator).T, so the portal passes
// that method.
type Translate func(lang, key string, pairs ...any) string

// Display formats answers for reading back, on the "check your answers" page
// and in the back office, in one language.
type Display struct {
	Lang     string // the reader's language
	Fallback string // the catalogue's default language, for untranslated labels
	T        Translate
	// Money formats an amount in minor units; the portal passes its own
	// formatter so amounts read the same everywhere. When nil, amounts are
	// written "120.50 EUR".
	Money func(minor int64, currency, lang string) string
}

// Label returns the question of an answer in the reader's language.
func (d Display) Label(a *Answer) string {
	s, _ := a.Label.In(d.Lang, d.Fallback)
	return s
}

// Answer returns an answer as lines of text, one per line of an address,
// ticked option or file: "Not provided" for an optional field left empty.
// The lines are plain text for the template to escape.
func (d Display) Answer(a *Answer) []string {
	if a == nil || a.Empty() {
		return []string{d.T(d.Lang, KeyNotProvided)}
	}
	switch a.Type {
	case TypeDate:
		if y, m, day, ok := splitISODate(a.Text); ok {
			return []string{d.T(d.Lang, KeyDateFormat, "Day", day, "Month", d.T(d.Lang, KeyMonthPrefix+m), "Year", y)}
		}
	case TypeInteger:
		if a.Number != nil {
			return []string{strconv.FormatInt(*a.Number, 10)}
		}
	case TypeMoney:
		if a.Number != nil {
			if d.Money != nil {
				return []string{d.Money(*a.Number, a.Currency, d.Lang)}
			}
			return []string{formatMinor(*a.Number, ".") + " " + a.Currency}
		}
	case TypeCheckbox:
		if a.Checked {
			return []string{d.T(d.Lang, KeyDeclared)}
		}
	case TypeAddress, TypeLocation:
		if a.Address != nil {
			return a.Address.Lines()
		}
	case TypeFile:
		sep := ","
		if d.Lang == "en" {
			sep = "."
		}
		lines := make([]string, 0, len(a.Files))
		for _, f := range a.Files {
			size, mb := formatSize(f.Size, sep)
			key := KeyFileSizeKB
			if mb {
				key = KeyFileSizeMB
			}
			lines = append(lines, d.T(d.Lang, KeyFileListing, "Name", f.Name, "Size", d.T(d.Lang, key, "Size", size)))
		}
		return lines
	}
	if len(a.Choices) > 0 {
		lines := make([]string, 0, len(a.Choices))
		for _, c := range a.Choices {
			s, _ := c.Label.In(d.Lang, d.Fallback)
			lines = append(lines, s)
		}
		return lines
	}
	return strings.Split(a.Text, "\n")
}

// Known is what the portal knows about the person filling in a form.
type Known struct {
	Name  string
	Email string // only when the identity provider verified it
}

// nameFields are the names under which forms ask for the applicant's own
// name. Fields for other people ("partner1_name", "child_name") are not
// filled in.
var nameFields = map[string]bool{"name": true, "full_name": true, "applicant_name": true, "your_name": true}

// emailFields are the names under which forms ask for the applicant's own
// email; a "landlord_email" is someone else's.
var emailFields = map[string]bool{"email": true, "your_email": true, "contact_email": true, "applicant_email": true}

// ApplicantFields returns the names of the form's own questions for the
// applicant's name and email, "" where it has none, so that a page does not
// ask for them a second time.
func ApplicantFields(form *catalogue.OnlineForm) (name, email string) {
	if form == nil {
		return "", ""
	}
	for _, f := range form.Fields {
		switch {
		case name == "" && f.Type == TypeText && nameFields[f.Name]:
			name = f.Name
		case email == "" && f.Type == TypeEmail && emailFields[f.Name]:
			email = f.Name
		}
	}
	return name, email
}

// Prefill returns values with the empty answers the person's known details
// fit filled in: every email field with their email, and text fields named
// like the applicant's own name with their name. Answers already given are
// kept; values itself is not changed.
func Prefill(form *catalogue.OnlineForm, known Known, values Values) Values {
	out := make(Values, len(values)+2)
	for k, v := range values {
		out[k] = v
	}
	if form == nil {
		return out
	}
	for _, f := range form.Fields {
		if strings.TrimSpace(out.Get(f.Name)) != "" {
			continue
		}
		switch {
		case f.Type == TypeEmail && known.Email != "":
			out[f.Name] = []string{known.Email}
		case f.Type == TypeText && nameFields[f.Name] && known.Name != "":
			out[f.Name] = []string{known.Name}
		}
	}
	return out
}
