package apply

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"sportello/applications"
	"sportello/applications/forms"
	"sportello/portal/web"
)

// FileLink is an uploaded file to download.
type FileLink struct {
	URL  string
	Name string
	Size string
}

// Event is one change of status in an application's history.
type Event struct {
	When   string
	At     string // RFC 3339, for <time datetime>
	Actor  string
	From   string // translation keys of the statuses
	To     string
	Note   string
	Files  []FileLink
	Staff  bool // made by the council (a request for more information, a decision)
	First  bool // the submission
	Status string
}

// StatusKey is the translation key of a status's name.
func StatusKey(st applications.Status) string { return web.ApplicationStatusKey(string(st)) }

// KindStatusKey is the translation key of a status's name for a service of
// a kind of transaction: a decision reads "Approved" for an application,
// "Dealt with" for a report, "Confirmed" for a booking.
func KindStatusKey(kind string, st applications.Status) string {
	if st == applications.StatusApproved || st == applications.StatusRejected {
		return web.KindKey(kind, "status."+string(st))
	}
	return StatusKey(st)
}

// appDue says when a decision is due, in the council's working days, as
// the store counts them (applications.Deadline): "3 working days left",
// "Due today", "2 working days overdue", "No set time"; while the council
// waits for the applicant's answer, that the clock is stopped, to the
// applicant ("waiting for your answer") or to staff ("waiting for the
// applicant's answer"), with the days left when they answer. "" when the
// days do not matter any more (a decision was made) or not yet (it waits
// for a payment).
func (s *Handler) appDue(lang string, d applications.Deadline, staff bool) string {
	tr := s.Site.Translator
	date := func() string { return s.ISODate(lang, d.Due) }
	switch {
	case !d.Running && !d.Paused:
		return ""
	case d.Due == "":
		return tr.T(lang, "applications.due.none")
	case d.Paused:
		key := "applications.due.paused"
		if staff {
			key = "applications.due.paused_staff"
		}
		if d.Left > 0 {
			return tr.T(lang, key+"_left", "Count", d.Left)
		}
		return tr.T(lang, key)
	case d.Left < 0:
		return tr.T(lang, "applications.due.late", "Count", -d.Left, "Date", date())
	case d.Overdue:
		return tr.T(lang, "applications.due.overdue", "Date", date())
	case d.Left == 0:
		return tr.T(lang, "applications.due.today")
	}
	return tr.T(lang, "applications.due.left", "Count", d.Left, "Date", date())
}

// staffPrefix starts the links of the staff's pages, which RowOf and
// HeaderOf are given for staff.
const staffPrefix = "/staff/"

// appAnswers reads an application's answers back, files as download links.
func (s *Handler) AnswersOf(c *fiber.Ctx, d *web.Directory, answers forms.Answers, fileURL func(id string) string) []Answer {
	disp := s.appDisplay(c, d)
	lang := web.LangOf(c)
	out := make([]Answer, 0, len(answers))
	for i := range answers {
		a := &answers[i]
		label, lfb := d.Text(a.Label, lang)
		av := Answer{Label: label, LabelLang: lfb}
		if a.Type == forms.TypeFile && len(a.Files) > 0 {
			for _, f := range a.Files {
				av.Files = append(av.Files, FileLink{URL: fileURL(f.ID), Name: f.Name, Size: applyFileSize(c, f.Size)})
			}
		} else {
			av.Lines = disp.Answer(a)
		}
		out = append(out, av)
	}
	return out
}

// Files lists files as download links.
func Files(c *fiber.Ctx, files []applications.File, fileURL func(id string) string) []FileLink {
	out := make([]FileLink, 0, len(files))
	for _, f := range files {
		out = append(out, FileLink{URL: fileURL(f.ID), Name: f.Filename, Size: applyFileSize(c, f.Size)})
	}
	return out
}

// EventsOf is an application's history, oldest first, in the words of its
// service's kind. actor names who made each change for the reader.
func (s *Handler) EventsOf(c *fiber.Ctx, kind string, events []applications.Event, fileURL func(id string) string, actor func(applications.Event) string) []Event {
	out := make([]Event, 0, len(events))
	for _, e := range events {
		out = append(out, Event{
			When:   s.DateTime(web.LangOf(c), e.At),
			At:     e.At.UTC().Format(time.RFC3339),
			Actor:  actor(e),
			From:   KindStatusKey(kind, e.From),
			To:     KindStatusKey(kind, e.To),
			Note:   e.Note,
			Files:  Files(c, e.Files, fileURL),
			Staff:  e.ActorRole == applications.RoleCaseworker || e.ActorRole == applications.RoleAdmin,
			First:  e.From == applications.StatusDraft,
			Status: string(e.To),
		})
	}
	return out
}

// Question is the council's latest request for more information.
func Question(app *applications.Application) string {
	for i := len(app.Events) - 1; i >= 0; i-- {
		if e := app.Events[i]; e.To == applications.StatusMoreInfoNeeded {
			return e.Note
		}
	}
	return ""
}
