package forms

import (
	"regexp"
	"strings"
	"unicode"

	"sportello/catalogue"
)

// spanishPlate matches the number plates on Spain's roads, written without
// spaces or hyphens:
//
//   - since 2000: 4 digits and 3 consonants, no vowels, Ñ or Q ("1234BCD"),
//     with a letter before them on mopeds (C), trailers (R), historic (H),
//     special (E) and temporary (P, S, T, V) plates;
//   - 1971 to 2000: the province's 1 or 2 letters, 4 digits, 1 or 2 letters
//     ("M1234AB", "PM1234A");
//   - before 1971: the province's letters and up to 6 digits ("B123456").
//
// A council elsewhere, or a form that must take foreign plates, gives the
// field its own pattern.
var spanishPlate = regexp.MustCompile(`^(?:[CEHPRSTV]?[0-9]{4}[BCDFGHJKLMNPRSTVWXYZ]{3}|[A-Z]{1,2}[0-9]{4}[A-Z]{1,2}|[A-Z]{1,2}[0-9]{1,6})$`)

// vehicleRegistration checks a number plate, written the way people copy
// it ("1234 bcd", "M-1234-AB"): spaces, hyphens and dots are dropped and
// letters put in capitals. The field's pattern, when it has one, is matched
// against that instead of the Spanish plates.
func (v *Validator) vehicleRegistration(f *catalogue.Field, values Values, a *Answer) (*FieldError, error) {
	s := strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '-' || r == '·' || r == '.' {
			return -1
		}
		return unicode.ToUpper(r)
	}, clean(values.Get(f.Name), false))
	a.Text = s
	if s == "" {
		if f.Required {
			return fieldErr(KeyRequiredVehicle, nil), nil
		}
		return nil, nil
	}
	ok := spanishPlate.MatchString(s)
	if f.Pattern != nil {
		p, err := v.pattern(*f.Pattern)
		if err != nil {
			return nil, err
		}
		ok = p.re.MatchString(s)
	}
	if !ok {
		return &FieldError{Key: KeyVehicle, Message: f.PatternMessage}, nil
	}
	return nil, nil
}
