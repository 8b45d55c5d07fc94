package counter

import (
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"sportello/applications/forms"
	"sportello/assist"
	"sportello/catalogue"
	"sportello/portal/web"
)

func (s *Handler) recordForm() *catalogue.OnlineForm {
	langs := catalogue.Field{Name: fieldLang, Type: forms.TypeRadio, Required: true,
		Label: s.text("assist.field.lang"), Help: s.text("assist.field.lang_hint")}
	for _, l := range catalogue.Languages {
		langs.Options = append(langs.Options, catalogue.Option{Value: l, Label: catalogue.Text{"en": web.LanguageName(l)}})
	}
	fields := append([]catalogue.Field{s.reasonField()}, s.identifierFields(true)...)
	return &catalogue.OnlineForm{Fields: append(fields, langs)}
}

// residentRecordShow is the form to record a resident: GET
// /staff/assist/residents/new.
func (s *Handler) residentRecordShow(c *fiber.Ctx) error {
	// templates/counter/record.html: recording a resident the register
	// does not hold yet.
	return web.Render(c, "counter/record", s.formPageOf(c, "assist.record.title", s.recordForm(), forms.Values{fieldLang: {web.LangOf(c)}}, nil))
}

// residentRecord records the resident and starts helping them: POST
// /staff/assist/residents. One identifier at least (national ID number,
// email or date of birth) must be given, to find them again; one already
// recorded is refused, with a link to find them.
func (s *Handler) residentRecord(c *fiber.Ctx) error {
	form := s.recordForm()
	values, res, err := s.posted(c, form)
	if err != nil {
		return err
	}
	errs := res.Errors
	r := residentOf(res)
	if a := res.Answers.Get(fieldLang); a != nil && len(a.Choices) == 1 {
		r.Lang = a.Choices[0].Value
	}
	if len(errs) == 0 && r.NationalID == "" && r.Email == "" && r.BirthDate == "" {
		errs = append(errs, forms.FieldError{Field: fieldNationalID, Key: "assist.error.no_identifier_record"})
	}
	if len(errs) == 0 {
		v, err := s.as.Record(c.UserContext(), staffOf(c), answerText(res, fieldReason), r)
		switch {
		case err == nil:
			return c.Redirect(VisitURL(v.ID)+"?done=recorded", fiber.StatusSeeOther)
		case errors.Is(err, assist.ErrConflict):
			field := fieldEmail
			if r.NationalID != "" {
				field = fieldNationalID
			}
			errs = append(errs, forms.FieldError{Field: field, Key: "assist.error.already_recorded"})
		default:
			return err
		}
	}
	c.Status(fiber.StatusUnprocessableEntity)
	return web.Render(c, "counter/record", s.formPageOf(c, "assist.record.title", form, values, errs))
}

// formID reads an id posted by one of the counter's own forms.
func formID(raw string) (int64, error) {
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		return 0, web.NewError(fiber.StatusBadRequest, "", err)
	}
	return id, nil
}
