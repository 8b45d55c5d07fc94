package apply

import (
	"errors"
	"slices"

	"github.com/gofiber/fiber/v2"

	"sportello/applications"
	"sportello/applications/forms"
	"sportello/catalogue"
	"sportello/portal/web"
)

// applyContinue takes a posted form: POST /services/{slug}/apply. "Save and
// come back later" keeps the input as the signed-in person's draft;
// "Continue" checks every answer on the server, keeps the uploads that
// passed (within the pending quota: over it, nothing is kept and the form
// is refused with applications.ErrPendingQuota), and goes on to "check your
// answers", or shows the form again with the problems and the answers as
// typed.
func (s *Handler) applyContinue(c *fiber.Ctx) error {
	d, svc, err := s.applyForm(c)
	if svc == nil {
		return err
	}
	values, meta, files, err := readApplyForm(c)
	if err != nil {
		return err
	}
	values = applyInputs(svc.OnlineForm, values)
	token := meta.Get(inputToken)
	if !applications.ValidToken(token) {
		return web.NewError(fiber.StatusBadRequest, "apply.error.token", nil)
	}
	v := web.ViewerOf(c)
	ctx := c.UserContext()
	behalf, err := s.applyFor(c, svc.Slug, meta.Get(inputFor))
	if err != nil {
		return err
	}

	if meta.Get(inputAction) == actionSave && behalf.Value == "" {
		if !ownAccount(c) {
			return web.NewError(fiber.StatusBadRequest, "apply.error.draft_sign_in", nil)
		}
		if err := s.apps.SaveDraft(ctx, v.PersonID, svc.Slug, web.LangOf(c), values); err != nil {
			if errors.Is(err, applications.ErrInvalid) {
				return web.NewError(fiber.StatusRequestEntityTooLarge, "apply.error.draft_too_large", err)
			}
			return err
		}
		return c.Redirect("/account/applications?saved="+svc.Slug, fiber.StatusSeeOther)
	}

	ps := s.apps.Pending()
	o := pendingOwnerOf(c)
	pend, err := ps.Load(ctx, token, o, svc.Slug)
	switch {
	case errors.Is(err, applications.ErrPendingTaken):
		// The token is someone else's, or its record expired: never write
		// over it.
		return web.NewError(fiber.StatusBadRequest, "apply.error.token", err)
	case errors.Is(err, applications.ErrNoPending):
		// Only a token the server issued to this person or session starts
		// a form: one the client made up would let it start as many as it
		// likes.
		pend, err = ps.Start(ctx, token, o, svc.Slug)
		if errors.Is(err, applications.ErrTokenNotIssued) {
			return web.NewError(fiber.StatusBadRequest, "apply.error.token", err)
		}
		if err != nil {
			return err
		}
	case err != nil:
		return err
	case pend.Reference != "":
		return c.Redirect(stepURL(c, svc.Slug, "confirmation", token), fiber.StatusSeeOther)
	}

	// A new upload replaces the kept files of its field; no upload keeps
	// them, unless the person asked to remove them.
	use := forms.Files{}
	kept := ps.Files(ctx, pend)
	fresh := map[string]bool{}
	for _, f := range svc.OnlineForm.Fields {
		if f.Type != forms.TypeFile {
			continue
		}
		switch in := chosenFiles(files[f.Name]); {
		case len(in) > 0:
			use[f.Name], fresh[f.Name] = in, true
		case slices.Contains(meta[inputRemove], f.Name):
			if err := ps.Drop(ctx, pend, f.Name); err != nil {
				return err
			}
		default:
			use[f.Name] = kept[f.Name]
		}
	}
	res, err := s.forms.Validate(ctx, svc.OnlineForm, values, use)
	if err != nil {
		return err
	}
	for field := range fresh {
		if _, bad := res.ErrorFor(field); bad {
			continue
		}
		if err := ps.Drop(ctx, pend, field); err != nil {
			return err
		}
		for _, af := range res.Files {
			if af.Field != field {
				continue
			}
			if err := ps.Keep(ctx, pend, field, forms.FileInput{Filename: af.Filename, Size: af.Size, Open: af.Open}); err != nil {
				return err
			}
		}
	}
	contact, contactErrs, err := s.applyContactCheck(c, svc.OnlineForm, meta, res.Answers)
	if err != nil {
		return err
	}
	if behalf.Rep.ID != 0 {
		// The application is the principal's: the council writes to them.
		contact = applications.Contact{Name: behalf.Rep.PrincipalName}
	}
	pend.Values, pend.Contact, pend.For = values, contact, behalf.Value
	if err := ps.Save(ctx, pend); err != nil {
		return err
	}
	if res.OK() && len(contactErrs) == 0 {
		return c.Redirect(stepURL(c, svc.Slug, "check", token), fiber.StatusSeeOther)
	}
	page := s.applyFormPage(c, d, svc, token, values, res.Errors, pend)
	page.onBehalf(c, behalf)
	if page.Applicant != nil {
		page.Applicant.Name, page.Applicant.Email = meta.Get(inputContactName), meta.Get(inputContactEmail)
		for _, fe := range contactErrs {
			msg := ErrorText(c, fe)
			if fe.Field == "name" {
				page.Applicant.NameError = msg
				page.Errors = append(page.Errors, ErrorLink{Href: "#contact-name", Message: msg})
			} else {
				page.Applicant.EmailError = msg
				page.Errors = append(page.Errors, ErrorLink{Href: "#contact-email", Message: msg})
			}
		}
		if len(res.Errors) == 0 {
			page.Title = web.T(c, "apply.error_title_prefix") + " " + page.Title
		}
	}
	c.Status(fiber.StatusUnprocessableEntity)
	return web.Render(c, "apply/form", page)
}

// chosenFiles drops the empty part a browser sends for a file input left
// empty.
func chosenFiles(in []forms.FileInput) []forms.FileInput {
	var out []forms.FileInput
	for _, f := range in {
		if f.Filename != "" || f.Size != 0 {
			out = append(out, f)
		}
	}
	return out
}

// applyContactCheck checks the optional contact details of an application
// made without signing in, with the same rules as a form's name and email
// questions. Where the form asks for the applicant's name or email itself,
// that answer is the contact detail, and it is not asked again. A
// signed-in person's contact details are their account's.
func (s *Handler) applyContactCheck(c *fiber.Ctx, svcForm *catalogue.OnlineForm, meta forms.Values, answers forms.Answers) (applications.Contact, []forms.FieldError, error) {
	if k := known(c); k != nil {
		return *k, nil, nil
	}
	nameField, emailField := forms.ApplicantFields(svcForm)
	maxName := 200
	form := &catalogue.OnlineForm{}
	values := forms.Values{}
	if nameField == "" {
		form.Fields = append(form.Fields, catalogue.Field{Name: "name", Type: forms.TypeText, MaxLength: &maxName})
		values["name"] = []string{meta.Get(inputContactName)}
	}
	if emailField == "" {
		form.Fields = append(form.Fields, catalogue.Field{Name: "email", Type: forms.TypeEmail})
		values["email"] = []string{meta.Get(inputContactEmail)}
	}
	var contact applications.Contact
	var errs []forms.FieldError
	if len(form.Fields) > 0 {
		res, err := s.forms.Validate(c.UserContext(), form, values, nil)
		if err != nil {
			return applications.Contact{}, nil, err
		}
		if a := res.Answers.Get("name"); a != nil {
			contact.Name = a.Text
		}
		if a := res.Answers.Get("email"); a != nil {
			contact.Email = a.Text
		}
		errs = res.Errors
	}
	if a := answers.Get(nameField); a != nil && nameField != "" {
		contact.Name = a.Text
	}
	if a := answers.Get(emailField); a != nil && emailField != "" {
		contact.Email = a.Text
	}
	return contact, errs, nil
}
