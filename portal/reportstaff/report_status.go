package reportstaff

import (
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"sportello/portal/apply"
	"sportello/portal/web"
	"sportello/reports"
)

// maxNote bounds a note: it goes into a mail.
const maxNote = 2000

// reportStatus sets a report's status with a note: POST
// /staff/reports/{id}/status. The reporter and everyone who added theirs
// are mailed in the same transaction (reports.Store.SetStatus). A status
// not chosen, not allowed from the current one, or a note too long shows
// the page again, 422, with what was typed.
func (h *Handler) reportStatus(c *fiber.Ctx) error {
	page, err := h.showPage(c)
	if err != nil {
		return err
	}
	to := reports.Status(c.FormValue("status"))
	note := strings.TrimSpace(c.FormValue("note"))
	page.Note = note
	href := "#status"
	allowed := false
	for i := range page.Options {
		if page.Options[i].Value == string(to) {
			page.Options[i].Selected, allowed = true, true
		}
	}
	switch {
	case !to.Valid():
		page.Error = web.T(c, "reports.staff.error.status")
	case !allowed:
		page.Error = web.T(c, "reports.staff.error.transition")
	case utf8.RuneCountInString(note) > maxNote:
		page.Error, href = web.T(c, "reports.staff.error.note", "Max", maxNote), "#note"
	default:
		err := h.reports.SetStatus(c.UserContext(), page.ID, to, actor(c), note)
		if errors.Is(err, reports.ErrInvalidTransition) {
			// Someone else changed it meanwhile.
			page.Error = web.T(c, "reports.staff.error.transition")
			break
		}
		if err != nil {
			return err
		}
		return c.Redirect(Path+"/"+strconv.FormatInt(page.ID, 10)+"?done=1", fiber.StatusSeeOther)
	}
	page.ErrorOn = strings.TrimPrefix(href, "#")
	page.Errors = []apply.ErrorLink{{Href: href, Message: page.Error}}
	page.Title = web.T(c, "apply.error_title_prefix") + " " + page.Title
	c.Status(fiber.StatusUnprocessableEntity)
	return web.Render(c, "reports/staff_show", page)
}
