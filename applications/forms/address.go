package forms

import (
	"strings"
	"unicode/utf8"

	"sportello/catalogue"
)

// address checks an address's parts and reports every part that is wrong
// at once, each on its own input, so that nobody puts right the first line
// only to be told then about the postcode.
func address(f *catalogue.Field, values Values, a *Answer) []FieldError {
	ad := Address{
		Line1:    clean(values.Get(f.Name+"-line1"), false),
		Line2:    clean(values.Get(f.Name+"-line2"), false),
		Town:     clean(values.Get(f.Name+"-town"), false),
		Postcode: strings.ToUpper(strings.Join(strings.Fields(clean(values.Get(f.Name+"-postcode"), false)), " ")),
	}
	part := func(p, key string, args map[string]any) FieldError {
		return FieldError{Key: key, Input: f.Name + "-" + p, Args: args}
	}
	if ad == (Address{}) {
		if f.Required {
			return []FieldError{part("line1", KeyAddressLine1, nil), part("postcode", KeyPostcode, nil)}
		}
		return nil
	}
	a.Address = &ad
	var errs []FieldError
	// Part of an address is not an address: once anything is given, line 1
	// and the postcode are needed, required field or not.
	if ad.Line1 == "" {
		errs = append(errs, part("line1", KeyAddressLine1, nil))
	}
	for _, p := range []struct{ part, s string }{{"line1", ad.Line1}, {"line2", ad.Line2}, {"town", ad.Town}} {
		if n := utf8.RuneCountInString(p.s); n > addressPartMaxLength {
			errs = append(errs, part(p.part, KeyTooLong, map[string]any{"MaxLength": addressPartMaxLength, "Length": n}))
		}
	}
	switch {
	case ad.Postcode == "":
		errs = append(errs, part("postcode", KeyPostcode, nil))
	case !validPostcode(ad.Postcode):
		errs = append(errs, part("postcode", KeyPostcodeBad, nil))
	}
	return errs
}

// location checks a place that has no postal address: a spot in the road,
// a bin in a park. It is the street or place, required when the field is,
// and optionally the nearest house number or a landmark; no postcode. It is
// kept as an Address with those two lines.
func location(f *catalogue.Field, values Values, a *Answer) []FieldError {
	ad := Address{
		Line1: clean(values.Get(f.Name+"-line1"), false),
		Line2: clean(values.Get(f.Name+"-line2"), false),
	}
	if ad == (Address{}) {
		if f.Required {
			return []FieldError{{Key: KeyLocation, Input: f.Name + "-line1"}}
		}
		return nil
	}
	a.Address = &ad
	var errs []FieldError
	if ad.Line1 == "" {
		errs = append(errs, FieldError{Key: KeyLocation, Input: f.Name + "-line1"})
	}
	for _, p := range []struct{ part, s string }{{"line1", ad.Line1}, {"line2", ad.Line2}} {
		if n := utf8.RuneCountInString(p.s); n > addressPartMaxLength {
			errs = append(errs, FieldError{Key: KeyTooLong, Input: f.Name + "-" + p.part, Args: map[string]any{"MaxLength": addressPartMaxLength, "Length": n}})
		}
	}
	return errs
}
