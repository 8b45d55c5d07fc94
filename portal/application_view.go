package portal

import (
	"mime"
	"time"

	"github.com/gofiber/fiber/v2"

	"sportello/applications"
	"sportello/applications/forms"
	"sportello/catalogue"
	"sportello/portal/web"
)

// applyFileLink is an uploaded file to download.
type applyFileLink struct {
	URL  string
	Name string
	Size string
}

// appEvent is one change of status in an application's history.
type appEvent struct {
	When   string
	At     string // RFC 3339, for <time datetime>
	Actor  string
	From   string // translation keys of the statuses
	To     string
	Note   string
	Files  []applyFileLink
	Staff  bool // made by the council (a request for more information, a decision)
	First  bool // the submission
	Status string
}

// appStatusKey is the translation key of a status's name.
func appStatusKey(st applications.Status) string { return web.ApplicationStatusKey(string(st)) }

// appDue says when a decision is due, counting down: "Due in 3 days",
// "Due today", "Overdue", "No set time"; "" while the council is not the
// one to act (a decision was made, or it waits for the applicant or a
// payment), as the store counts overdue.
func (s *Server) appDue(lang, due string, st applications.Status, overdue bool) string {
	tr := s.site.Translator
	if st != applications.StatusSubmitted && st != applications.StatusInReview {
		return ""
	}
	if due == "" {
		return tr.T(lang, "applications.due.none")
	}
	d, err := time.Parse(time.DateOnly, due)
	if err != nil {
		return ""
	}
	today, _ := time.Parse(time.DateOnly, time.Now().In(s.cfg.TimeZone).Format(time.DateOnly))
	days := int(d.Sub(today).Hours() / 24)
	switch {
	case overdue || days < 0:
		return tr.T(lang, "applications.due.overdue", "Date", s.appISODate(lang, due))
	case days == 0:
		return tr.T(lang, "applications.due.today")
	}
	return tr.T(lang, "applications.due.in", "Count", days, "Date", s.appISODate(lang, due))
}

// appAnswers reads an application's answers back, files as download links.
func (s *Server) appAnswers(c *fiber.Ctx, d *directory, answers forms.Answers, fileURL func(id string) string) []applyAnswer {
	disp := s.appDisplay(c, d)
	lang := web.LangOf(c)
	out := make([]applyAnswer, 0, len(answers))
	for i := range answers {
		a := &answers[i]
		label, lfb := d.text(a.Label, lang)
		av := applyAnswer{Label: label, LabelLang: lfb}
		if a.Type == forms.TypeFile && len(a.Files) > 0 {
			for _, f := range a.Files {
				av.Files = append(av.Files, applyFileLink{URL: fileURL(f.ID), Name: f.Name, Size: applyFileSize(c, f.Size)})
			}
		} else {
			av.Lines = disp.Answer(a)
		}
		out = append(out, av)
	}
	return out
}

// appFiles lists files as download links.
func appFiles(c *fiber.Ctx, files []applications.File, fileURL func(id string) string) []applyFileLink {
	out := make([]applyFileLink, 0, len(files))
	for _, f := range files {
		out = append(out, applyFileLink{URL: fileURL(f.ID), Name: f.Filename, Size: applyFileSize(c, f.Size)})
	}
	return out
}

// appEvents is an application's history, oldest first. actor names who
// made each change for the reader.
func (s *Server) appEvents(c *fiber.Ctx, events []applications.Event, fileURL func(id string) string, actor func(applications.Event) string) []appEvent {
	out := make([]appEvent, 0, len(events))
	for _, e := range events {
		out = append(out, appEvent{
			When:   s.appDateTime(c, e.At),
			At:     e.At.UTC().Format(time.RFC3339),
			Actor:  actor(e),
			From:   appStatusKey(e.From),
			To:     appStatusKey(e.To),
			Note:   e.Note,
			Files:  appFiles(c, e.Files, fileURL),
			Staff:  e.ActorRole == applications.RoleCaseworker || e.ActorRole == applications.RoleAdmin,
			First:  e.From == applications.StatusDraft,
			Status: string(e.To),
		})
	}
	return out
}

// appDateTime writes a moment as a date and a time in the council's time
// zone, named ("27 March 2026 09:30 CET").
func (s *Server) appDateTime(c *fiber.Ctx, t time.Time) string {
	return s.appDate(c, t) + " " + t.In(s.cfg.TimeZone).Format("15:04 MST")
}

// appQuestion is the council's latest request for more information.
func appQuestion(app *applications.Application) string {
	for i := len(app.Events) - 1; i >= 0; i-- {
		if e := app.Events[i]; e.To == applications.StatusMoreInfoNeeded {
			return e.Note
		}
	}
	return ""
}

// applicantApplication is the signed-in person's application ref; another
// person's is not found. It is only given to someone signed in at the level
// its service asks: an application sent after a substantial sign-in holds
// what that sign-in protects.
func (s *Server) applicantApplication(c *fiber.Ctx, ref applications.Reference) (*applications.Application, error) {
	v := appViewer(c)
	if v == nil {
		return nil, applications.ErrNotFound
	}
	app, err := s.apps.ForApplicant(c.UserContext(), v.PersonID, ref)
	if err != nil {
		return nil, err
	}
	if err := s.applicantLevel(c, app.ServiceSlug, app.Reference.String()); err != nil {
		return nil, err
	}
	return app, nil
}

// applicantLevel asks for a new sign-in (a stepUp) when the viewer's is
// below the level of the service of their application ref. A page asked
// for with GET is where sign-in comes back to; after a form, it is the
// application's page.
func (s *Server) applicantLevel(c *fiber.Ctx, serviceSlug, ref string) error {
	level := catalogue.AssuranceLow
	if sum, ok := s.directory().services[serviceSlug]; ok && sum.Assurance != "" {
		level = sum.Assurance
	}
	if s.auth.Satisfies(appViewer(c), level) {
		return nil
	}
	returnTo := "/account/applications/" + ref
	if c.Method() == fiber.MethodGet {
		returnTo = c.OriginalURL()
	}
	return &stepUp{level: level, returnTo: returnTo}
}

// stepUp is the answer to someone whose sign-in is below the level a page
// needs: handleError sends them to sign in again at it, coming back to
// returnTo.
type stepUp struct{ level, returnTo string }

func (e *stepUp) Error() string { return "the sign-in is below the level of assurance " + e.level }

// appSendFile sends an uploaded file as a download, never shown inline: its
// type is the one found from the content at upload, and nosniff stops a
// browser from guessing another.
func (s *Server) appSendFile(c *fiber.Ctx, f *applications.File) error {
	rc, err := s.apps.Open(f)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, f.ContentType)
	disposition := mime.FormatMediaType("attachment", map[string]string{"filename": f.Filename})
	if disposition == "" {
		disposition = "attachment"
	}
	c.Set(fiber.HeaderContentDisposition, disposition)
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	// Fiber closes the file once it is sent.
	return c.SendStream(rc, int(f.Size))
}
