package counter

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"sportello/applications/forms"
	"sportello/assist"
	"sportello/catalogue"
	"sportello/portal/apply"
	"sportello/portal/web"
)

// findPage is templates/counter/find.html's data: finding a resident in
// the counter's register, and what was found.
type findPage struct {
	formPage
	Searched bool
	Found    []residentRow
	Reason   string // carried to "Help this resident"
}

// residentRow is a resident found.
type residentRow struct {
	ID         int64
	Name       string
	BirthDate  string
	NationalID string
	Email      string
	SignedIn   bool // linked to a sign-in
}

const (
	fieldReason     = "reason"
	fieldNationalID = "national_id"
	fieldEmail      = "email"
	fieldName       = "name"
	fieldBirthDate  = "birth_date"
	fieldLang       = "lang"
)

func (s *Handler) reasonField() catalogue.Field {
	maxReason := assist.MaxReason
	return catalogue.Field{Name: fieldReason, Type: forms.TypeTextarea, Required: true, MaxLength: &maxReason,
		Label: s.text("assist.field.reason"), Help: s.text("assist.field.reason_hint")}
}

// identifierFields are the ways the council identifies a resident.
func (s *Handler) identifierFields(nameRequired bool) []catalogue.Field {
	maxID, maxName := 20, 200
	pattern, today := `[A-Za-z0-9 .\-]+`, "today"
	return []catalogue.Field{
		{Name: fieldName, Type: forms.TypeText, Required: nameRequired, MaxLength: &maxName, Label: s.text("assist.field.name")},
		{Name: fieldBirthDate, Type: forms.TypeDate, MaxDate: &today, Label: s.text("assist.field.birth_date"), Help: s.text("assist.field.birth_date_hint")},
		{Name: fieldNationalID, Type: forms.TypeText, MaxLength: &maxID, Pattern: &pattern, PatternMessage: s.text("assist.error.national_id"),
			Label: s.text("assist.field.national_id"), Help: s.text("assist.field.national_id_hint")},
		{Name: fieldEmail, Type: forms.TypeEmail, Label: s.text("assist.field.email")},
	}
}

func (s *Handler) findForm() *catalogue.OnlineForm {
	return &catalogue.OnlineForm{Fields: append([]catalogue.Field{s.reasonField()}, s.identifierFields(false)...)}
}

// residentFindShow is the counter's start page: GET /staff/assist.
func (s *Handler) residentFindShow(c *fiber.Ctx) error {
	return web.Render(c, "counter/find", findPage{formPage: s.formPageOf(c, "assist.find.title", s.findForm(), forms.Values{}, nil)})
}

// residentFind searches the register: POST /staff/assist/find. The search
// itself is logged with its reason; the identifiers are posted, never put
// in a URL.
func (s *Handler) residentFind(c *fiber.Ctx) error {
	form := s.findForm()
	values, res, err := s.posted(c, form)
	if err != nil {
		return err
	}
	errs := res.Errors
	r := residentOf(res)
	q := assist.Query{NationalID: r.NationalID, Email: r.Email, Name: r.Name, BirthDate: r.BirthDate}
	if len(errs) == 0 {
		switch {
		case q.NationalID != "" || q.Email != "" || q.Name != "" && q.BirthDate != "":
		case q.Name != "":
			errs = append(errs, forms.FieldError{Field: fieldBirthDate, Input: fieldBirthDate + "-day", Key: "assist.error.name_needs_birth_date"})
		default:
			errs = append(errs, forms.FieldError{Field: fieldNationalID, Key: "assist.error.no_identifier"})
		}
	}
	page := findPage{formPage: s.formPageOf(c, "assist.find.title", form, values, errs)}
	if len(errs) > 0 {
		c.Status(fiber.StatusUnprocessableEntity)
		return web.Render(c, "counter/find", page)
	}
	found, err := s.as.Find(c.UserContext(), staffOf(c), answerText(res, fieldReason), q)
	if err != nil {
		return err
	}
	page.Searched, page.Reason = true, answerText(res, fieldReason)
	for _, r := range found {
		row := residentRow{ID: r.ID, Name: r.Name, NationalID: r.NationalID, Email: r.Email, SignedIn: r.PersonID != 0}
		if r.BirthDate != "" {
			row.BirthDate = s.ISODate(page.Lang, r.BirthDate)
		}
		page.Found = append(page.Found, row)
	}
	return web.Render(c, "counter/find", page)
}

// residentOf is the resident a form's identifier fields describe.
func residentOf(res *forms.Result) assist.Resident {
	return assist.Resident{Name: answerText(res, fieldName), BirthDate: answerText(res, fieldBirthDate),
		NationalID: answerText(res, fieldNationalID), Email: answerText(res, fieldEmail)}
}

// posted reads and checks a posted form of the counter's own.
func (s *Handler) posted(c *fiber.Ctx, form *catalogue.OnlineForm) (forms.Values, *forms.Result, error) {
	c.Set(fiber.HeaderCacheControl, "no-store")
	values, _, err := apply.ReadForm(c)
	if err != nil {
		return nil, nil, err
	}
	res, err := s.forms.Validate(c.UserContext(), form, values, nil)
	return values, res, err
}

func answerText(res *forms.Result, field string) string {
	if a := res.Answers.Get(field); a != nil {
		return a.Text
	}
	return ""
}

// visitStart starts helping a resident found: POST /staff/assist/visits,
// with the resident and the reason the search gave.
func (s *Handler) visitStart(c *fiber.Ctx) error {
	id, err := formID(c.FormValue("resident"))
	if err != nil {
		return err
	}
	v, err := s.as.StartVisit(c.UserContext(), staffOf(c), c.FormValue(fieldReason), id)
	if errors.Is(err, assist.ErrInvalid) {
		return web.NewError(fiber.StatusUnprocessableEntity, "assist.error.reason", err)
	}
	if err != nil {
		return err
	}
	return c.Redirect(VisitURL(v.ID), fiber.StatusSeeOther)
}
