package staff

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"sportello/acting"
	"sportello/applications"
	"sportello/portal/apply"
	"sportello/portal/pay"
	"sportello/portal/web"
)

// staffApplicationPage is templates/staff/show.html's data.
type staffApplicationPage struct {
	web.Page
	Staff    bool // shared parts word things for staff, not the applicant
	App      apply.Header
	Answers  []apply.Answer
	Files    []apply.FileLink
	Events   []apply.Event
	Audit    []staffAuditRow
	Next     []staffOption // the statuses the member of staff may move it to
	From     string        // its status as shown, sent back with a change
	Note     string
	NoteErr  string
	ToErr    string
	Errors   []apply.ErrorLink
	Notice   string
	Question string
	// For names the organisation it was made for, SentBy the representative
	// who sent it for the applicant; "" when none.
	For, SentBy string
	// Payments is the fee's part of the page (payment_section.go), shown
	// when the application has a fee.
	Payments pay.StaffSection
}

type staffAuditRow struct {
	When   string
	At     string
	Actor  string
	Action string
	Detail string
}

func staffFileURL(id string) string { return "/staff/files/" + id }

// staffApplicationShow shows an application to a member of staff, with its
// audit log, and the changes of status they may make: GET
// /staff/applications/{ref}. The view itself is recorded in the audit log.
func (s *Handler) staffApplicationShow(c *fiber.Ctx) error {
	page, err := s.staffApplicationPage(c)
	if err != nil {
		return err
	}
	if c.Query("done") == "changed" {
		page.Notice = "staff.notice.changed"
	}
	return web.Render(c, "staff/show", page)
}

func (s *Handler) staffApplicationPage(c *fiber.Ctx) (staffApplicationPage, error) {
	ref, err := applications.ParseReference(c.Params("ref"))
	if err != nil {
		return staffApplicationPage{}, err
	}
	actor := staffActor(c)
	ctx := c.UserContext()
	app, err := s.apps.ForStaff(ctx, actor, ref)
	if err != nil {
		return staffApplicationPage{}, err
	}
	audit, err := s.apps.Audit(ctx, ref)
	if err != nil {
		return staffApplicationPage{}, err
	}
	names, err := s.actorNames(ctx, app, audit)
	if err != nil {
		return staffApplicationPage{}, err
	}
	actorName := func(role string, personID int64) string { return staffActorName(c, role, personID, names) }
	d := s.Directory()
	p := web.NewPage(c, "")
	head := s.apply.HeaderOf(c, d, app, "/staff/applications/")
	p.Title = web.T(c, web.KindKey(head.Kind, "title"), "Reference", app.Reference.String())
	page := staffApplicationPage{
		Page:    p,
		Staff:   true,
		App:     head,
		Answers: s.apply.AnswersOf(c, d, app.Answers, staffFileURL),
		Files:   apply.Files(c, app.Files, staffFileURL),
		Events:  s.apply.EventsOf(c, head.Kind, app.Events, staffFileURL, func(e applications.Event) string { return actorName(e.ActorRole, e.ActorPersonID) }),
		From:    string(app.Status),
	}
	if app.Status == applications.StatusMoreInfoNeeded {
		page.Question = apply.Question(app)
	}
	org, ok, err := s.organisation(c, app.OrganisationID)
	if err != nil {
		return staffApplicationPage{}, err
	}
	if ok {
		page.For = web.T(c, "staff.organisation", "Name", org.Name, "TaxID", org.TaxID)
	}
	if app.SubmittedBy != 0 {
		page.SentBy = web.T(c, "staff.representative_unnamed")
		if name := names[app.SubmittedBy]; name != "" {
			page.SentBy = web.T(c, "staff.representative", "Name", name)
		}
	}
	if app.Fee != nil {
		if page.Payments, err = s.pay.StaffSectionOf(c, app); err != nil {
			return staffApplicationPage{}, err
		}
	}
	for _, st := range applications.Next(app.Status, actor.Role) {
		page.Next = append(page.Next, staffOption{Value: string(st), Label: web.T(c, staffActionKey(head.Kind, st))})
	}
	for i := len(audit) - 1; i >= 0; i-- { // newest first
		e := audit[i]
		page.Audit = append(page.Audit, staffAuditRow{
			When:   s.DateTime(web.LangOf(c), e.At),
			At:     e.At.UTC().Format(time.RFC3339),
			Actor:  actorName(e.ActorRole, e.ActorPersonID),
			Action: web.T(c, "staff.audit."+e.Action),
			Detail: s.staffAuditDetail(c, e),
		})
	}
	return page, nil
}

// staffActionKey is the translation key of the button that moves an
// application to st: a decision is worded for the service's kind ("Approve"
// an application, "Mark as dealt with" a report, "Confirm the booking").
func staffActionKey(kind string, st applications.Status) string {
	if st == applications.StatusApproved || st == applications.StatusRejected {
		return web.KindKey(kind, "action."+string(st))
	}
	return "staff.action." + string(st)
}

// organisation returns organisation id, or false when there is none or it
// is not known (no organisations, or one since deleted).
func (s *Handler) organisation(c *fiber.Ctx, id int64) (acting.Organisation, bool, error) {
	if id == 0 || s.orgs == nil {
		return acting.Organisation{}, false, nil
	}
	org, err := s.orgs.Organisation(c.UserContext(), id)
	if errors.Is(err, acting.ErrNotFound) {
		return acting.Organisation{}, false, nil
	}
	return org, err == nil, err
}

// actorNames names the people in an application's history and audit log,
// and who sent it for the applicant.
func (s *Handler) actorNames(ctx context.Context, app *applications.Application, audit []applications.AuditEntry) (map[int64]string, error) {
	if s.people == nil {
		return nil, nil
	}
	ids := []int64{app.SubmittedBy}
	for _, e := range app.Events {
		ids = append(ids, e.ActorPersonID)
	}
	for _, e := range audit {
		ids = append(ids, e.ActorPersonID)
	}
	slices.Sort(ids)
	ids = slices.DeleteFunc(slices.Compact(ids), func(id int64) bool { return id == 0 })
	if len(ids) == 0 {
		return nil, nil
	}
	return s.people.Names(ctx, ids)
}

// staffActorName names who did something, for staff: their name and role
// ("Jordi Puig (caseworker)"), or the role alone when nobody signed in did
// it (the applicant without an account, the system) or the name is unknown.
func staffActorName(c *fiber.Ctx, role string, personID int64, names map[int64]string) string {
	roleName := web.T(c, "applications.role."+role)
	if name := names[personID]; name != "" {
		return web.T(c, "staff.person_role", "Name", name, "Role", strings.ToLower(roleName))
	}
	return roleName
}

// staffAuditDetail says what an audit entry's detail records in words: a
// change of status reads "In review → Approved".
func (s *Handler) staffAuditDetail(c *fiber.Ctx, e applications.AuditEntry) string {
	if d, ok := applications.ParseRetentionDetail(e.Detail); ok && e.Action == applications.AuditRetention {
		lang := web.LangOf(c)
		return web.T(c, "staff.audit.retention_detail", "Days", web.Number(lang, int64(d.Days)),
			"Date", s.ISODate(lang, d.Closed), "Count", d.Files)
	}
	if e.Action != applications.AuditChangeStatus {
		return e.Detail
	}
	from, to, ok := strings.Cut(e.Detail, " -> ")
	if !ok {
		return e.Detail
	}
	return web.T(c, apply.StatusKey(applications.Status(from))) + " → " + web.T(c, apply.StatusKey(applications.Status(to)))
}
