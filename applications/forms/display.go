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
		var lines []string
		if a.Address != nil {
			lines = a.Address.Lines()
		}
		if a.Point != nil {
			lines = append(lines, d.T(d.Lang, KeyLocationPin, "Lat", strconv.FormatFloat(a.Point.Lat, 'f', 5, 64), "Lng", strconv.FormatFloat(a.Point.Lng, 'f', 5, 64)))
		}
		if len(lines) > 0 {
			return lines
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

// ApplicantFields returns the names of the form's own questions for the
// applicant's name and email (MeaningOf), "" where it has none, so that a
// page does not ask for them a second time.
func ApplicantFields(form *catalogue.OnlineForm) (name, email string) {
	if form == nil {
		return "", ""
	}
	for _, f := range form.Fields {
		switch m := MeaningOf(f.Name, f.Type); {
		case name == "" && m == MeaningName:
			name = f.Name
		case email == "" && m == MeaningEmail:
			email = f.Name
		}
	}
	return name, email
}

// Prefill returns values with the empty answers the person's known details
// fit filled in: every email field with their email, and text fields named
// like the applicant's own name with their name (Fill, with the account as
// the only source).
func Prefill(form *catalogue.OnlineForm, known Known, values Values) Values {
	out, _ := Fill(form, known.Offers(), values)
	return out
}

// Offers are the known details as offers from the account.
func (k Known) Offers() []Offer {
	var out []Offer
	account := Source{Kind: SourceAccount}
	if k.Name != "" {
		out = append(out, Offer{Meaning: MeaningName, Answer: Answer{Type: TypeText, Text: k.Name}, Source: account})
	}
	if k.Email != "" {
		out = append(out, Offer{Meaning: MeaningEmail, Answer: Answer{Type: TypeEmail, Text: k.Email}, Source: account})
	}
	return out
}
