package forms

import (
	"strconv"
	"strings"

	"sportello/catalogue"
)

// Answers are a form's answers in form order. Each carries its question's
// type and label (and the labels of the options chosen), so that an
// application still reads correctly after the catalogue has changed the
// form it was made with.
type Answers []Answer

// Answer is the normalised answer to one field. Which members are set
// depends on Type:
//
//   - text, textarea, email, tel, vehicle_registration: Text
//   - date: Text, as YYYY-MM-DD
//   - integer: Number; money: Number in minor units (cents) and Currency
//   - select, radio: Text (the option value) and Choices (that option)
//   - checkbox: Choices, the ticked options in option order; a checkbox
//     without options (a declaration): Checked
//   - address: Address; location: Address with Line1 and Line2 only, and
//     Point when the pin was put or the coordinates typed
//   - file: Files
//
// An optional field left empty has none of them set.
type Answer struct {
	Field    string         `json:"field"`
	Type     string         `json:"type"`
	Label    catalogue.Text `json:"label"`
	Text     string         `json:"text,omitempty"`
	Number   *int64         `json:"number,omitempty"`
	Currency string         `json:"currency,omitempty"`
	Choices  []Choice       `json:"choices,omitempty"`
	Checked  bool           `json:"checked,omitempty"`
	Address  *Address       `json:"address,omitempty"`
	Point    *Point         `json:"point,omitempty"`
	Files    []FileRef      `json:"files,omitempty"`
}

// Choice is a chosen option, with its label as the form showed it.
type Choice struct {
	Value string         `json:"value"`
	Label catalogue.Text `json:"label"`
}

// Address is a postal address, as four inputs.
type Address struct {
	Line1    string `json:"line1"`
	Line2    string `json:"line2,omitempty"`
	Town     string `json:"town,omitempty"`
	Postcode string `json:"postcode"`
}

// Lines returns the address's non-empty lines, postcode and town together.
func (a *Address) Lines() []string {
	var lines []string
	for _, s := range []string{a.Line1, a.Line2, strings.TrimSpace(a.Postcode + " " + a.Town)} {
		if s != "" {
			lines = append(lines, s)
		}
	}
	return lines
}

// Point is a place in WGS 84 decimal degrees.
type Point struct {
	Lat float64 `json:"lat"`
	Lng float64 `json:"lng"`
}

// FileRef is an uploaded file in an answer. ID is set by the applications
// store when it keeps the file; it is "" in a Result.
type FileRef struct {
	ID          string `json:"id,omitempty"`
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
}

// Get returns the answer to field, or nil.
func (as Answers) Get(field string) *Answer {
	for i := range as {
		if as[i].Field == field {
			return &as[i]
		}
	}
	return nil
}

// Empty reports whether the answer holds nothing: an optional field left
// empty.
func (a *Answer) Empty() bool {
	return a.Text == "" && a.Number == nil && len(a.Choices) == 0 && !a.Checked && a.Address == nil && a.Point == nil && len(a.Files) == 0
}

// Values turns answers back into input values, to fill the form again when
// the person changes an answer from the "check your answers" page. Files
// cannot be given back to a browser and are left out.
func (as Answers) Values() Values {
	v := Values{}
	for i := range as {
		a := &as[i]
		switch a.Type {
		case TypeDate:
			if y, m, d, ok := splitISODate(a.Text); ok {
				v[a.Field+"-day"] = []string{d}
				v[a.Field+"-month"] = []string{m}
				v[a.Field+"-year"] = []string{y}
			}
		case TypeInteger:
			if a.Number != nil {
				v[a.Field] = []string{strconv.FormatInt(*a.Number, 10)}
			}
		case TypeMoney:
			if a.Number != nil {
				v[a.Field] = []string{formatMinor(*a.Number, ".")}
			}
		case TypeCheckbox:
			if a.Checked {
				v[a.Field] = []string{CheckedValue}
			}
			for _, c := range a.Choices {
				v[a.Field] = append(v[a.Field], c.Value)
			}
		case TypeLocation:
			if a.Address != nil {
				v[a.Field+"-line1"] = []string{a.Address.Line1}
				v[a.Field+"-line2"] = []string{a.Address.Line2}
			}
			if a.Point != nil {
				v[a.Field+"-lat"] = []string{strconv.FormatFloat(a.Point.Lat, 'f', -1, 64)}
				v[a.Field+"-lng"] = []string{strconv.FormatFloat(a.Point.Lng, 'f', -1, 64)}
			}
		case TypeAddress:
			if a.Address != nil {
				v[a.Field+"-line1"] = []string{a.Address.Line1}
				v[a.Field+"-line2"] = []string{a.Address.Line2}
				v[a.Field+"-town"] = []string{a.Address.Town}
				v[a.Field+"-postcode"] = []string{a.Address.Postcode}
			}
		case TypeFile:
		default:
			if a.Text != "" {
				v[a.Field] = []string{a.Text}
			}
		}
	}
	return v
}

// CheckedValue is the value of a declaration checkbox (one without options).
const CheckedValue = "yes"

// splitISODate returns the parts of YYYY-MM-DD without leading zeros on day
// and month, as a person would type them.
func splitISODate(s string) (year, month, day string, ok bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return "", "", "", false
	}
	return s[:4], strings.TrimLeft(s[5:7], "0"), strings.TrimLeft(s[8:], "0"), true
}

// formatMinor writes an amount in cents as major units: 12050 -> "120.50",
// 12000 -> "120".
func formatMinor(minor int64, decimalSep string) string {
	sign := ""
	if minor < 0 {
		sign = "-"
		minor = -minor
	}
	whole := strconv.FormatInt(minor/100, 10)
	if minor%100 == 0 {
		return sign + whole
	}
	cents := strconv.FormatInt(minor%100, 10)
	if len(cents) == 1 {
		cents = "0" + cents
	}
	return sign + whole + decimalSep + cents
}
