package forms

import (
	"math"
	"strconv"
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
// a bin in a park. It is the street or place and optionally the nearest
// house number or a landmark, kept as an Address with those two lines, and
// where the pin was put, kept as a Point; no postcode. A required location
// needs the street or the pin: without a map, nobody is asked to know their
// coordinates, and with one, nobody is asked to name the spot.
func location(f *catalogue.Field, values Values, a *Answer, inArea func(lat, lng float64) bool) []FieldError {
	ad := Address{
		Line1: clean(values.Get(f.Name+"-line1"), false),
		Line2: clean(values.Get(f.Name+"-line2"), false),
	}
	p, errs := point(f.Name, values, inArea)
	a.Point = p
	if ad == (Address{}) {
		if f.Required && p == nil && len(errs) == 0 {
			return []FieldError{{Key: KeyLocation, Input: f.Name + "-line1"}}
		}
		return errs
	}
	a.Address = &ad
	if ad.Line1 == "" && p == nil {
		errs = append(errs, FieldError{Key: KeyLocation, Input: f.Name + "-line1"})
	}
	for _, p := range []struct{ part, s string }{{"line1", ad.Line1}, {"line2", ad.Line2}} {
		if n := utf8.RuneCountInString(p.s); n > addressPartMaxLength {
			errs = append(errs, FieldError{Key: KeyTooLong, Input: f.Name + "-" + p.part, Args: map[string]any{"MaxLength": addressPartMaxLength, "Length": n}})
		}
	}
	return errs
}

// point reads a location's coordinates: none when both inputs are empty.
// A comma may mark the decimals, as Spanish, Catalan, Italian and French
// write them.
func point(name string, values Values, inArea func(lat, lng float64) bool) (*Point, []FieldError) {
	lat, lng := strings.TrimSpace(values.Get(name+"-lat")), strings.TrimSpace(values.Get(name+"-lng"))
	switch {
	case lat == "" && lng == "":
		return nil, nil
	case lat == "":
		return nil, []FieldError{{Key: KeyCoordsBoth, Input: name + "-lat"}}
	case lng == "":
		return nil, []FieldError{{Key: KeyCoordsBoth, Input: name + "-lng"}}
	}
	deg := func(s string, limit float64) (float64, bool) {
		v, err := strconv.ParseFloat(strings.Replace(s, ",", ".", 1), 64)
		return v, err == nil && !math.IsNaN(v) && v >= -limit && v <= limit
	}
	y, okLat := deg(lat, 90)
	x, okLng := deg(lng, 180)
	switch {
	case !okLat:
		return nil, []FieldError{{Key: KeyCoordsNumber, Input: name + "-lat"}}
	case !okLng:
		return nil, []FieldError{{Key: KeyCoordsNumber, Input: name + "-lng"}}
	case inArea != nil && !inArea(y, x):
		return nil, []FieldError{{Key: KeyCoordsOutside, Input: name + "-lat", Inputs: []string{name + "-lng"}}}
	}
	return &Point{Lat: y, Lng: x}, nil
}
