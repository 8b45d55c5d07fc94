// Package forms checks the answers a person submits to a service's online
// form (catalogue.OnlineForm) on the server, whatever the browser let
// through, and turns them into typed, normalised Answers.
//
// It knows nothing about HTTP: the portal adapts a multipart form into Values
// and Files, and shows each FieldError's Key translated into the reader's
// language (the messages are in portal/web/locales/forms.<lang>.json).
//
// Input names. Most fields are one input named like the field. Three types
// are several inputs, named field-name, a hyphen and a part, because field
// names never contain a hyphen:
//
//   - date: "<name>-day", "<name>-month", "<name>-year", three text inputs as
//     GOV.UK renders them, because people type dates in many orders and
//     a date picker is hard to use with a screen reader. A single "<name>"
//     value of the form YYYY-MM-DD (an <input type="date">, a draft) is also
//     accepted when none of the three parts is given.
//   - address: "<name>-line1", "<name>-line2", "<name>-town",
//     "<name>-postcode". When the field is required, line 1 and the postcode
//     are.
//   - location (a place without a postal address: a spot in the road):
//     "<name>-line1", the street or place, and "<name>-line2", the nearest
//     house number or a landmark; "<name>-lat" and "<name>-lng", the
//     coordinates in decimal degrees, which the map fills in (or a person
//     types). A required location needs the street or the coordinates.
//   - checkbox: "<name>" repeated, one value per ticked option; a checkbox
//     field without options is a single declaration box whose value is "yes".
//
// A FieldError's Input is the id of the input the error summary links to:
// the field name, or "<name>-day" and the like for the parts above. For
// radios and checkboxes it is the field name, so the first option's input
// carries the field name as its id, as GOV.UK does.
//
// Money is typed in the authority currency's major units, with at most two
// decimals, and kept in minor units. "." or "," followed by exactly three
// digits groups thousands, followed by one or two digits marks the decimals,
// so "1.200,50", "1,200.50" and "1200.5" are all 120050 cents; the currency
// symbol or code may be typed and is ignored. Integers accept the same
// grouping.
package forms

import (
	"context"
	"fmt"
	"io"
	"sync"
	"time"

	"sportello/catalogue"
)

// Values are the submitted text inputs, by input name, as url.Values and
// multipart.Form.Value hold them.
type Values map[string][]string

// Get returns the first value of name, or "".
func (v Values) Get(name string) string {
	if vs := v[name]; len(vs) > 0 {
		return vs[0]
	}
	return ""
}

// FileInput is one uploaded file. Size is what the HTTP layer counted
// (multipart.FileHeader.Size); Open may be called more than once.
type FileInput struct {
	Filename string
	Size     int64
	Open     func() (io.ReadCloser, error)
}

// Files are the uploaded files, by input name.
type Files map[string][]FileInput

// FieldError is one problem with one field's answer. Key is a translation
// key (form.error.*); Args are its template data. Input is the id of the
// input to focus from the error summary: the field name, or for a date or an
// address the part that is wrong ("collection_date-day"). Inputs lists every
// input the problem is about, to mark each (a date missing its month and
// year: both), when it is more than Input. Message, when set, is the
// catalogue's own wording of the problem (a field's pattern_message), in
// each language, shown instead of Key's.
type FieldError struct {
	Field   string
	Input   string
	Inputs  []string
	Key     string
	Args    map[string]any
	Message catalogue.Text
}

func (e FieldError) Error() string {
	return fmt.Sprintf("field %s: %s %v", e.Field, e.Key, e.Args)
}

// AcceptedFile is an uploaded file that passed the checks, for the
// applications store to keep. ContentType is the type found by looking at
// the content, never the one the browser claimed. It is the Index-th file of
// Field's answer.
type AcceptedFile struct {
	Field       string
	Index       int
	Filename    string
	ContentType string
	Size        int64
	Open        func() (io.ReadCloser, error)
}

// Result is the outcome of Validate. Answers holds every field of the form
// in form order, also the ones with errors (as far as they could be read),
// so that a page can redisplay them.
type Result struct {
	Answers Answers
	Errors  []FieldError
	Files   []AcceptedFile
}

// OK reports whether every answer is valid.
func (r *Result) OK() bool { return len(r.Errors) == 0 }

// ErrorFor returns the error of a field, if any, for showing it inline.
func (r *Result) ErrorFor(field string) (FieldError, bool) {
	for _, e := range r.Errors {
		if e.Field == field {
			return e, true
		}
	}
	return FieldError{}, false
}

// Options configure a Validator.
type Options struct {
	// Currency is the ISO 4217 code of the authority's currency (the
	// catalogue's authority.currency); money answers are in its major units
	// with at most 2 decimals. Default "EUR".
	Currency string
	// MaxFileSize caps every uploaded file, in bytes, whatever a field's
	// max_size_mb says. Default 25 MiB.
	MaxFileSize int64
	// MaxFilesPerField caps how many files one file field takes. Default 10.
	MaxFilesPerField int
	// Location is the council's time zone, in which "today" of a date
	// field's min_date and max_date is counted. Default UTC.
	Location *time.Location
	// Now is the clock. Default time.Now.
	Now func() time.Time
	// InArea reports whether a location's coordinates are in the council's
	// area; nil accepts any place on Earth.
	InArea func(lat, lng float64) bool
}

// Defaults.
const (
	DefaultCurrency         = "EUR"
	DefaultMaxFileSize      = 25 << 20
	DefaultMaxFilesPerField = 10
)

// Validator validates answers against forms. It is safe for concurrent use
// and meant to live as long as the server: it keeps each pattern it has
// compiled, keyed by the pattern's text, so that a pattern is compiled once
// however many forms and requests use it, and a catalogue reload costs only
// its new patterns.
type Validator struct {
	opts     Options
	patterns sync.Map // pattern text -> *compiledPattern
}

// NewValidator returns a Validator, filling in the defaults of opts.
func NewValidator(opts Options) *Validator {
	if opts.Currency == "" {
		opts.Currency = DefaultCurrency
	}
	if opts.MaxFileSize <= 0 {
		opts.MaxFileSize = DefaultMaxFileSize
	}
	if opts.MaxFilesPerField <= 0 {
		opts.MaxFilesPerField = DefaultMaxFilesPerField
	}
	if opts.Location == nil {
		opts.Location = time.UTC
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Validator{opts: opts}
}

// Options returns the options in effect, defaults filled in.
func (v *Validator) Options() Options { return v.opts }

// Validate checks values and files against form. Problems with the answers
// are in Result.Errors, in field order: one per field, but for an address,
// which has one per part that is wrong, all reported at once; the error
// return is for what the person cannot fix: an upload that cannot be read,
// a cancelled context, a pattern that is not RE2 (the catalogue's validation
// rejects those at import).
func (v *Validator) Validate(ctx context.Context, form *catalogue.OnlineForm, values Values, files Files) (*Result, error) {
	if form == nil {
		return nil, fmt.Errorf("forms: the service has no online form")
	}
	res := &Result{Answers: make(Answers, 0, len(form.Fields))}
	for i := range form.Fields {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		f := &form.Fields[i]
		a := Answer{Field: f.Name, Type: f.Type, Label: f.Label}
		var fe *FieldError
		var more []FieldError // an address's problems
		var err error
		switch f.Type {
		case TypeText, TypeTextarea:
			fe, err = v.text(f, values, &a)
		case TypeEmail:
			fe = email(f, values, &a)
		case TypeTel:
			fe = tel(f, values, &a)
		case TypeDate:
			fe = v.date(f, values, &a)
		case TypeInteger:
			fe = integer(f, values, &a)
		case TypeMoney:
			fe = v.money(f, values, &a)
		case TypeSelect, TypeRadio:
			fe = choice(f, values, &a)
		case TypeCheckbox:
			fe = checkbox(f, values, &a)
		case TypeFile:
			var accepted []AcceptedFile
			accepted, fe, err = v.file(f, files, &a)
			if fe == nil {
				res.Files = append(res.Files, accepted...)
			}
		case TypeAddress:
			more = address(f, values, &a)
		case TypeLocation:
			more = location(f, values, &a, v.opts.InArea)
		case TypeVehicleRegistration:
			fe, err = v.vehicleRegistration(f, values, &a)
		default:
			err = fmt.Errorf("forms: field %q has type %q, which this version of Sportello does not know; fix the catalogue", f.Name, f.Type)
		}
		if err != nil {
			return nil, err
		}
		if fe != nil {
			more = append(more, *fe)
		}
		for _, e := range more {
			e.Field = f.Name
			if e.Input == "" {
				e.Input = f.Name
			}
			res.Errors = append(res.Errors, e)
		}
		res.Answers = append(res.Answers, a)
	}
	return res, nil
}

// Field types, as in FORMAT.md.
const (
	TypeText                = "text"
	TypeTextarea            = "textarea"
	TypeEmail               = "email"
	TypeTel                 = "tel"
	TypeDate                = "date"
	TypeInteger             = "integer"
	TypeMoney               = "money"
	TypeSelect              = "select"
	TypeRadio               = "radio"
	TypeCheckbox            = "checkbox"
	TypeFile                = "file"
	TypeAddress             = "address"
	TypeLocation            = "location"
	TypeVehicleRegistration = "vehicle_registration"
)
