package apply

import (
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"sportello/applications"
	"sportello/portal/pay"
	"sportello/portal/web"
)

// accountApplicationPage is templates/applications/show.html's data: one of
// the person's applications.
type accountApplicationPage struct {
	Staff bool // always false: the shared parts speak to the applicant
	web.Page
	App         Header
	Answers     []Answer
	Files       []FileLink
	Events      []Event
	Question    string // the council's request for more information
	CanRespond  bool
	CanWithdraw bool
	Errors      []ErrorLink
	Respond     appRespondForm
	Withdraw    appWithdrawForm
	Notice      string // translation key of what just happened
	// Payments is the fee's part of the page (payment_section.go), shown
	// when the application has a fee.
	Payments pay.AccountSection
	// Report is how far the council has got with a report at a place
	// (apply_report.go); nil for other applications.
	Report *reportProgress
}

// Header is what an application page says first.
type Header struct {
	Reference  string
	Service    web.Localised
	ServiceURL string
	Kind       string // of the service's transaction: the words of the page
	Status     string // translation key
	StatusCode string
	Submitted  string
	Due        string
	Contact    applications.Contact
	Fee        string
	Action     string // the page's URL, for its forms
}

type appRespondForm struct {
	Message      string
	MessageError string
	FilesError   string
}

type appWithdrawForm struct {
	Reason      string
	ReasonError string
}

func FileURL(id string) string { return "/account/files/" + id }

// accountApplicationShow shows one of the person's applications: answers,
// files, history, and what they can do now: GET
// /account/applications/{ref}. Another person's reference is a 404, like a
// reference that does not exist.
func (s *Handler) accountApplicationShow(c *fiber.Ctx) error {
	page, err := s.accountApplicationPage(c)
	if err != nil {
		return err
	}
	switch c.Query("done") {
	case "withdrawn", "responded":
		page.Notice = web.KindKey(page.App.Kind, "notice."+c.Query("done"))
	}
	return web.Render(c, "applications/show", page)
}

func (s *Handler) accountApplicationPage(c *fiber.Ctx) (accountApplicationPage, error) {
	c.Set(fiber.HeaderCacheControl, "no-store")
	ref, err := applications.ParseReference(c.Params("ref"))
	if err != nil {
		return accountApplicationPage{}, err
	}
	app, err := s.access.Application(c, ref)
	if err != nil {
		return accountApplicationPage{}, err
	}
	d := s.Directory()
	p := web.NewPage(c, "")
	head := s.HeaderOf(c, d, app, "/account/applications/")
	page := accountApplicationPage{
		Page:    p,
		App:     head,
		Answers: s.AnswersOf(c, d, app.Answers, FileURL),
		Files:   Files(c, app.Files, FileURL),
		Events: s.EventsOf(c, head.Kind, app.Events, FileURL, func(e applications.Event) string {
			switch e.ActorRole {
			case applications.RoleApplicant:
				return web.T(c, "applications.actor.you")
			case applications.RoleSystem:
				return web.T(c, "applications.actor.system")
			}
			return web.T(c, "applications.actor.council")
		}),
	}
	page.Title = web.T(c, web.KindKey(head.Kind, "title"), "Reference", app.Reference.String())
	next := applications.Next(app.Status, applications.RoleApplicant)
	page.CanRespond = slices.Contains(next, applications.StatusInReview) && app.Status == applications.StatusMoreInfoNeeded
	page.CanWithdraw = slices.Contains(next, applications.StatusWithdrawn)
	if page.CanRespond {
		page.Question = Question(app)
	}
	if app.Fee != nil {
		if page.Payments, err = s.pay.AccountSectionOf(c, app); err != nil {
			return accountApplicationPage{}, err
		}
	}
	if page.Report, err = s.reportProgressOf(c, app); err != nil {
		return accountApplicationPage{}, err
	}
	return page, nil
}

func (s *Handler) HeaderOf(c *fiber.Ctx, d *web.Directory, app *applications.Application, prefix string) Header {
	lang := web.LangOf(c)
	kind := d.KindOf(app.ServiceSlug)
	h := Header{
		Reference:  app.Reference.String(),
		Service:    appServiceTitle(d, app.ServiceSlug, lang),
		Kind:       kind,
		Status:     KindStatusKey(kind, app.Status),
		StatusCode: string(app.Status),
		Submitted:  s.DateTime(web.LangOf(c), app.SubmittedAt),
		Due:        s.appDue(lang, app.Deadline, strings.HasPrefix(prefix, staffPrefix)),
		Contact:    app.Contact,
		Action:     prefix + app.Reference.String(),
	}
	if _, ok := d.ServiceOf[app.ServiceSlug]; ok {
		h.ServiceURL = web.ServiceURL(app.ServiceSlug)
	}
	if app.Fee != nil {
		h.Fee = web.Money{Minor: app.Fee.Amount, Currency: app.Fee.Currency}.Format(lang) + " (" + web.T(c, "service.fee_when."+app.Fee.When) + ")"
	}
	return h
}
