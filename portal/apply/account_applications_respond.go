package apply

import (
	"github.com/gofiber/fiber/v2"

	"sportello/applications"
	"sportello/applications/forms"
	"sportello/catalogue"
	"sportello/portal/web"
)

// responseTypes are the files a person may send with an answer to a request
// for more information: documents and photos, what councils ask for.
func responseTypes() []string {
	return []string{"application/pdf", "image/jpeg", "image/png", forms.TypeDOCX, forms.TypeODT, "text/plain"}
}

// accountApplicationRespond sends the person's answer to a request for more
// information, a message and files, and puts the application back in
// review: POST /account/applications/{ref}/respond (multipart).
func (s *Handler) accountApplicationRespond(c *fiber.Ctx) error {
	ref, err := applications.ParseReference(c.Params("ref"))
	if err != nil {
		return err
	}
	// A member or a representative answers for the applicant.
	app, err := s.access.Application(c, ref)
	if err != nil {
		return err
	}
	values, _, files, err := readApplyForm(c)
	if err != nil {
		return err
	}
	limit := maxResponseMessage
	form := &catalogue.OnlineForm{Fields: []catalogue.Field{
		{Name: "message", Type: forms.TypeTextarea, MaxLength: &limit},
		{Name: "files", Type: forms.TypeFile, Accept: responseTypes()},
	}}
	res, err := s.forms.Validate(c.UserContext(), form, values, forms.Files{"files": chosenFiles(files["files"])})
	if err != nil {
		return err
	}
	message := res.Answers.Get("message").Text
	var errs []forms.FieldError
	errs = append(errs, res.Errors...)
	if res.OK() && message == "" && len(res.Files) == 0 {
		errs = append(errs, forms.FieldError{Field: "message", Input: "message", Key: "applications.error.respond_empty"})
	}
	if len(errs) > 0 {
		page, err := s.accountApplicationPage(c)
		if err != nil {
			return err
		}
		page.Respond.Message = values.Get("message")
		for _, fe := range errs {
			msg := ErrorText(c, fe)
			if fe.Field == "files" {
				page.Respond.FilesError = msg
				page.Errors = append(page.Errors, ErrorLink{Href: "#respond-files", Message: msg})
			} else {
				page.Respond.MessageError = msg
				page.Errors = append(page.Errors, ErrorLink{Href: "#respond-message", Message: msg})
			}
		}
		page.Title = web.T(c, "apply.error_title_prefix") + " " + page.Title
		c.Status(fiber.StatusUnprocessableEntity)
		return web.Render(c, "applications/show", page)
	}
	if err := s.apps.RespondFor(c.UserContext(), app.PersonID, web.ViewerOf(c).PersonID, ref, message, res.Files); err != nil {
		return err
	}
	return c.Redirect("/account/applications/"+ref.String()+"?done=responded", fiber.StatusSeeOther)
}
