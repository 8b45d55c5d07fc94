package forms

import (
	"strings"
	"time"

	"sportello/catalogue"
)

// Ask once: what a person already told the council (in their account, an
// earlier application, the support finder's saved answers) is offered in
// the next form, filled in and editable, with a note saying where it came
// from. A field is offered a value only when its meaning is the same, and
// the meaning is read from the field's name and type by the convention of
// docs/catalogue-format.md ("Fields that are filled in for you").

// Meaning is what a field asks about the person filling in the form.
type Meaning string

// The meanings a form's field may have.
const (
	MeaningName          Meaning = "name"           // text: name, full_name, applicant_name, your_name
	MeaningEmail         Meaning = "email"          // email: email, your_email, contact_email, applicant_email
	MeaningPhone         Meaning = "phone"          // tel: phone, your_phone, mobile, contact_phone
	MeaningHomeAddress   Meaning = "home_address"   // address: address, home_address
	MeaningPostalAddress Meaning = "postal_address" // address: postal_address
	MeaningHouseholdSize Meaning = "household_size" // integer: household_size
)

// meanings are the names under which forms ask about the applicant
// themselves, by type. Fields about someone or somewhere else
// ("partner1_name", "location", "property_address") have none.
var meanings = map[string]map[string]Meaning{
	TypeText:    {"name": MeaningName, "full_name": MeaningName, "applicant_name": MeaningName, "your_name": MeaningName},
	TypeEmail:   {"email": MeaningEmail, "your_email": MeaningEmail, "contact_email": MeaningEmail, "applicant_email": MeaningEmail},
	TypeTel:     {"phone": MeaningPhone, "your_phone": MeaningPhone, "mobile": MeaningPhone, "contact_phone": MeaningPhone},
	TypeAddress: {"address": MeaningHomeAddress, "home_address": MeaningHomeAddress, "postal_address": MeaningPostalAddress},
	TypeInteger: {"household_size": MeaningHouseholdSize},
}

// MeaningOf is the meaning of a field named name of type typ, "" when it
// has none.
func MeaningOf(name, typ string) Meaning { return meanings[typ][name] }

// Source is where an offered value comes from.
type Source struct {
	Kind      string    // SourceAccount, SourceApplication or SourceSupportFinder
	Reference string    // the application's, for SourceApplication
	At        time.Time // when it was given; zero for the account
}

// Sources of offered values.
const (
	SourceAccount       = "account"
	SourceApplication   = "application"
	SourceSupportFinder = "support_finder"
)

// Offer is a value the council already has for a meaning: an answer as a
// form keeps it (its Field is not used), and where it comes from.
type Offer struct {
	Meaning Meaning
	Answer  Answer
	Source  Source
}

// Fill returns values with each empty field whose meaning an offer has
// filled in, the first such offer winning, and where each filled field's
// value came from, by field name. Answers already given are kept; values
// itself is not changed.
func Fill(form *catalogue.OnlineForm, offers []Offer, values Values) (Values, map[string]Source) {
	out := make(Values, len(values)+4)
	for k, v := range values {
		out[k] = v
	}
	from := map[string]Source{}
	if form == nil {
		return out, from
	}
	for _, f := range form.Fields {
		m := MeaningOf(f.Name, f.Type)
		if m == "" || given(out, f) {
			continue
		}
		for _, o := range offers {
			if o.Meaning != m || o.Answer.Empty() {
				continue
			}
			a := o.Answer
			a.Field, a.Type = f.Name, f.Type
			for k, v := range (Answers{a}).Values() {
				out[k] = v
			}
			from[f.Name] = o.Source
			break
		}
	}
	return out, from
}

// given reports whether values hold an answer to f.
func given(values Values, f catalogue.Field) bool {
	names := []string{f.Name}
	if f.Type == TypeAddress {
		names = []string{f.Name + "-line1", f.Name + "-line2", f.Name + "-town", f.Name + "-postcode"}
	}
	for _, n := range names {
		if strings.TrimSpace(values.Get(n)) != "" {
			return true
		}
	}
	return false
}

// OffersOf are the values answers hold for the meanings of their fields,
// each from source: the first answer of each meaning.
func OffersOf(answers Answers, source Source) []Offer {
	var out []Offer
	seen := map[Meaning]bool{}
	for _, a := range answers {
		m := MeaningOf(a.Field, a.Type)
		if m == "" || seen[m] || a.Empty() {
			continue
		}
		seen[m] = true
		out = append(out, Offer{Meaning: m, Answer: a, Source: source})
	}
	return out
}
