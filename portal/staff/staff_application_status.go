package staff

import (
	"slices"

	"github.com/gofiber/fiber/v2"

	"sportello/applications"
	"sportello/applications/forms"
	"sportello/catalogue"
	"sportello/portal/apply"
	"sportello/portal/web"
)

// maxStaffNote bounds a note a member of staff writes with a change.
const maxStaffNote = 5000

// staffApplicationStatus changes an application's status with a note: POST
// /staff/applications/{ref}/status. Moving to more_info_needed is a request
// for more information, whose note is the question the applicant reads; a
// request and a rejection need a note, since the applicant is owed a
// reason.
func (s *Handler) staffApplicationStatus(c *fiber.Ctx) error {
	ref, err := applications.ParseReference(c.Params("ref"))
	if err != nil {
		return err
	}
	actor := staffActor(c)
	from := applications.Status(c.FormValue("from"))
	to := applications.Status(c.FormValue("to"))
	limit := maxStaffNote
	form := &catalogue.OnlineForm{Fields: []catalogue.Field{{
		Name: "note", Type: forms.TypeTextarea, MaxLength: &limit,
		Required: to == applications.StatusMoreInfoNeeded || to == applications.StatusRejected,
	}}}
	res, err := s.forms.Validate(c.UserContext(), form, forms.Values{"note": {c.FormValue("note")}}, nil)
	if err != nil {
		return err
	}
	toErr := ""
	if !slices.Contains(applications.Next(from, actor.Role), to) {
		toErr = web.T(c, "staff.error.choose")
	}
	if toErr != "" || !res.OK() {
		page, err := s.staffApplicationPage(c)
		if err != nil {
			return err
		}
		if page.From != string(from) {
			// It moved on while the form was open: show it as it is now.
			return c.Redirect(page.App.Action, fiber.StatusSeeOther)
		}
		page.Note, page.ToErr = c.FormValue("note"), toErr
		if toErr != "" {
			page.Errors = append(page.Errors, apply.ErrorLink{Href: "#to", Message: toErr})
		}
		if fe, bad := res.ErrorFor("note"); bad {
			page.NoteErr = web.T(c, "staff.error.note")
			if fe.Key != forms.KeyRequired {
				page.NoteErr = apply.ErrorText(c, fe)
			}
			page.Errors = append(page.Errors, apply.ErrorLink{Href: "#note", Message: page.NoteErr})
		}
		for i := range page.Next {
			page.Next[i].Selected = page.Next[i].Value == string(to)
		}
		page.Title = web.T(c, "apply.error_title_prefix") + " " + page.Title
		c.Status(fiber.StatusUnprocessableEntity)
		return web.Render(c, "staff/show", page)
	}
	note := res.Answers.Get("note").Text
	if to == applications.StatusMoreInfoNeeded {
		err = s.apps.RequestMoreInfo(c.UserContext(), ref, actor, note)
	} else {
		err = s.apps.ChangeStatus(c.UserContext(), ref, actor, from, to, note)
	}
	if err != nil {
		return err
	}
	return c.Redirect("/staff/applications/"+ref.String()+"?done=changed", fiber.StatusSeeOther)
}
