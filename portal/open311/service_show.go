package open311

import (
	"encoding/xml"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"sportello/applications/forms"
	"sportello/catalogue"
)

// definition is a service's definition: its form's questions the standard
// fields of a service request do not answer, as attributes.
type definition struct {
	XMLName    xml.Name    `json:"-" xml:"service_definition"`
	Code       string      `json:"service_code" xml:"service_code"`
	Attributes []attribute `json:"attributes" xml:"attributes>attribute"`
}

type attribute struct {
	Variable            bool    `json:"variable" xml:"variable"`
	Code                string  `json:"code" xml:"code"`
	Datatype            string  `json:"datatype" xml:"datatype"`
	Required            bool    `json:"required" xml:"required"`
	DatatypeDescription string  `json:"datatype_description" xml:"datatype_description"`
	Order               int     `json:"order" xml:"order"`
	Description         string  `json:"description" xml:"description"`
	Values              []value `json:"values,omitempty" xml:"values>value,omitempty"`
}

type value struct {
	Key  string `json:"key" xml:"key"`
	Name string `json:"name" xml:"name"`
}

// The specification's datatypes.
const (
	typeString          = "string"
	typeNumber          = "number"
	typeDatetime        = "datetime"
	typeText            = "text"
	typeSingleValueList = "singlevaluelist"
	typeMultiValueList  = "multivaluelist"
)

// serviceShow is a service's definition: GET
// /open311/v2/services/{service_code}.{json,xml}.
func (h *Handler) serviceShow(c *fiber.Ctx, format string) error {
	code := c.Params("service_code")
	svc, ok, err := h.reportable(c.UserContext(), code)
	if err != nil {
		return err
	}
	if !ok {
		return h.fail(c, fiber.StatusNotFound, "service_code "+code+" not found: GET services."+format+" lists the service codes.")
	}
	lang, d := h.lang(c), h.Directory()
	text := func(t catalogue.Text) string { s, _ := t.In(lang, d.DefaultLang); return s }
	def := definition{Code: svc.Slug, Attributes: []attribute{}}
	for i, f := range attributeFields(svc.OnlineForm) {
		a := attribute{Variable: true, Code: f.Name, Required: f.Required, Order: i + 1,
			Description: text(f.Label), DatatypeDescription: text(f.Help)}
		a.Datatype = datatypeOf(f)
		switch f.Type {
		case forms.TypeDate:
			a.DatatypeDescription = join(a.DatatypeDescription, "A date, YYYY-MM-DD (a W3C date and time is read as its date).")
		case forms.TypeInteger:
			a.DatatypeDescription = join(a.DatatypeDescription, "A whole number"+bounds(f)+".")
		case forms.TypeMoney:
			a.DatatypeDescription = join(a.DatatypeDescription, "An amount in "+d.Authority.Currency+", at most two decimals"+bounds(f)+".")
		}
		for _, o := range f.Options {
			a.Values = append(a.Values, value{Key: o.Value, Name: text(o.Label)})
		}
		if f.Type == forms.TypeCheckbox && len(f.Options) == 0 {
			a.Values = []value{{Key: forms.CheckedValue, Name: text(f.Label)}}
		}
		def.Attributes = append(def.Attributes, a)
	}
	return h.send(c, format, def, def)
}

func join(a, b string) string {
	if a == "" {
		return b
	}
	return a + " " + b
}

func bounds(f *catalogue.Field) string {
	s := ""
	if f.Min != nil {
		s += ", at least " + strconv.FormatFloat(*f.Min, 'f', -1, 64)
	}
	if f.Max != nil {
		s += ", at most " + strconv.FormatFloat(*f.Max, 'f', -1, 64)
	}
	return s
}

func datatypeOf(f *catalogue.Field) string {
	switch f.Type {
	case forms.TypeTextarea:
		return typeText
	case forms.TypeInteger, forms.TypeMoney:
		return typeNumber
	case forms.TypeDate:
		return typeDatetime
	case forms.TypeSelect, forms.TypeRadio:
		return typeSingleValueList
	case forms.TypeCheckbox:
		if len(f.Options) == 0 {
			return typeSingleValueList
		}
		return typeMultiValueList
	}
	return typeString
}

// standardFields are the form's fields a service request's own parameters
// answer: the place (lat, long, address_string), the first textarea
// (description), the first e-mail (email) and telephone (phone) fields;
// and the file fields, which the API does not fill (media_url is a link,
// not a file).
type standardFields struct {
	place, description, email, phone *catalogue.Field
}

func standardOf(form *catalogue.OnlineForm) standardFields {
	s := standardFields{place: placeField(form)}
	for i := range form.Fields {
		f := &form.Fields[i]
		switch {
		case f.Type == forms.TypeTextarea && s.description == nil:
			s.description = f
		case f.Type == forms.TypeEmail && s.email == nil:
			s.email = f
		case f.Type == forms.TypeTel && s.phone == nil:
			s.phone = f
		}
	}
	return s
}

func (s standardFields) has(f *catalogue.Field) bool {
	return f == s.place || f == s.description || f == s.email || f == s.phone
}

// attributeFields are the form's fields a client answers as attributes:
// all but the standard ones, the files and any further place.
func attributeFields(form *catalogue.OnlineForm) []*catalogue.Field {
	std := standardOf(form)
	var out []*catalogue.Field
	for i := range form.Fields {
		f := &form.Fields[i]
		if std.has(f) || f.Type == forms.TypeFile || f.Type == forms.TypeLocation || f.Type == forms.TypeAddress {
			continue
		}
		out = append(out, f)
	}
	return out
}
