package yourdata

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"sportello/applications"
	"sportello/notify"
	"sportello/portal/apply"
	"sportello/portal/counter"
	"sportello/portal/web"
)

// dataPage is templates/account/data.html: everything the council holds
// about the signed-in person.
type dataPage struct {
	web.Page
	Profile    profileView
	SignIns    []signInRow
	Apps       []appView
	Drafts     []keptForm
	InProgress []keptForm
	Payments   []paymentRow
	Support    *supportView
	Mail       mailView
	Log        []logRow
	// ActedFor is who acted for the person at the counter, and why.
	ActedFor []counter.LogRow
	// The appointments, organisations, representations given and
	// received, and reports supported (data_more.go).
	Appointments []appointmentRow
	Memberships  []membershipRow
	// Representations are those the person gave, then those they
	// received.
	Representations [2]representationTable
	Supported       []supportedRow
}

type profileView struct {
	Name, Email      string
	EmailVerified    bool
	RoleKeys         []string
	Provider, Issuer string
	Subject          string
	Created, Last    string
}

type signInRow struct {
	When, WhenISO, LastActive, Level string
	Active                           bool
}

type appView struct {
	Index     int // for the ids of its parts
	Reference string
	URL       string
	Service   web.Localised
	Status    string // translation key
	Submitted string
	Contact   applications.Contact
	Answers   []apply.Answer
	Files     []apply.FileLink
	Events    []apply.Event
	Kept      string // until when it is kept, in words; "" when the catalogue does not say
}

type keptForm struct {
	Service      web.Localised
	URL          string
	Saved, Until string
	Files        int
}

type paymentRow struct {
	When, Reference, Amount, Status string
	Service                         web.Localised
	ReceiptURL                      string
}

type supportView struct {
	SavedOn      string
	Answers      []QA
	AlertsOn     bool
	AlertsSince  string
	AlertsKnown  int
	AnswersCount int
}

type mailView struct {
	Address, Confirmed, Lang string
	Pending, PendingUntil    string
	Off                      []notify.Kind
	Alerts                   bool
}

type logRow struct {
	When, WhenISO, Subject, To, Status string
	Kind                               notify.Kind
}

// dataShow shows everything: GET /account/data.
func (s *Handler) dataShow(c *fiber.Ctx) error {
	p, err := s.collect(c)
	if err != nil {
		return err
	}
	page := dataPage{Page: web.NewPage(c, "yourdata.title")}
	lang := page.Lang
	d := s.Directory()
	page.Profile = s.profileView(c, p)
	page.ActedFor = counter.LogRows(c, s.Shared, p.ActedFor, true)
	for _, si := range p.SignIns {
		page.SignIns = append(page.SignIns, signInRow{When: s.DateTime(lang, si.SignedInAt), WhenISO: si.SignedInAt.UTC().Format(time.RFC3339),
			LastActive: s.DateTime(lang, si.LastActiveAt), Level: "auth.level." + s.auth.LevelOfACR(si.ACR), Active: si.Active})
	}
	for i := range p.Apps.Applications {
		page.Apps = append(page.Apps, s.appView(c, d, i, &p.Apps.Applications[i]))
	}
	for _, dr := range p.Apps.Drafts {
		page.Drafts = append(page.Drafts, keptForm{Service: serviceTitle(d, dr.ServiceSlug, lang), URL: "/services/" + dr.ServiceSlug + "/apply",
			Saved: s.Date(lang, dr.UpdatedAt), Until: s.Date(lang, dr.Expires())})
	}
	for _, f := range p.Apps.InProgress {
		page.InProgress = append(page.InProgress, keptForm{Service: serviceTitle(d, f.Slug, lang),
			Saved: s.DateTime(lang, f.UpdatedAt), Until: s.DateTime(lang, f.UpdatedAt.Add(applications.PendingTTL)), Files: len(f.Files)})
	}
	for _, pp := range p.Payments {
		row := paymentRow{When: s.Date(lang, pp.CreatedAt), Reference: pp.Reference, Service: serviceTitle(d, pp.ServiceSlug, lang),
			Amount: web.Money{Minor: pp.Amount, Currency: pp.Currency}.Format(lang), Status: web.PaymentStatusKey(pp.Status)}
		if pp.Settled() {
			row.ReceiptURL = receiptURL(pp.ID)
		}
		page.Payments = append(page.Payments, row)
	}
	if page.Support, err = s.supportView(c, p); err != nil {
		return err
	}
	page.Mail = s.mailView(lang, p)
	for _, n := range p.Mail.Log {
		when := n.At
		if !n.SentAt.IsZero() {
			when = n.SentAt
		}
		page.Log = append(page.Log, logRow{When: s.DateTime(lang, when), WhenISO: when.UTC().Format(time.RFC3339),
			Kind: n.Kind, Subject: n.Subject, To: n.Address, Status: n.Status})
	}
	s.moreView(c, p.More, &page)
	return web.Render(c, "account/data", page)
}

func (s *Handler) profileView(c *fiber.Ctx, p personal) profileView {
	lang := web.LangOf(c)
	v := profileView{Name: p.Profile.Name, Email: p.Profile.Email, EmailVerified: p.Profile.EmailVerified,
		Issuer: p.Profile.Issuer, Subject: p.Profile.Subject,
		Created: s.DateTime(lang, p.Profile.CreatedAt), Last: s.DateTime(lang, p.Profile.SignedInAt)}
	for _, r := range p.Profile.Roles {
		v.RoleKeys = append(v.RoleKeys, "account.role."+r)
	}
	if len(v.RoleKeys) == 0 {
		v.RoleKeys = []string{"account.role.resident"}
	}
	switch v.Provider = s.auth.Config().ProviderName; {
	case s.auth.DemoSignIn():
		v.Provider = web.T(c, "account.demo_provider")
	case v.Provider == "":
		v.Provider = web.T(c, "notifications.address.your_provider")
	}
	return v
}

func (s *Handler) appView(c *fiber.Ctx, d *web.Directory, i int, a *applications.Application) appView {
	lang := web.LangOf(c)
	kind := d.KindOf(a.ServiceSlug)
	v := appView{
		Index: i + 1, Reference: a.Reference.String(), URL: "/account/applications/" + a.Reference.String(),
		Service: serviceTitle(d, a.ServiceSlug, lang), Status: apply.KindStatusKey(kind, a.Status),
		Contact: a.Contact,
		Answers: s.apply.AnswersOf(c, d, a.Answers, fileURL),
		Files:   apply.Files(c, a.Files, fileURL),
		Events:  s.apply.EventsOf(c, kind, a.Events, fileURL, s.apply.ActorForApplicant(c, a.Events)),
	}
	if !a.SubmittedAt.IsZero() {
		v.Submitted = s.DateTime(lang, a.SubmittedAt)
	}
	v.Kept = s.keptFor(c, a)
	return v
}

// keptFor says how long an application is kept, when the catalogue says:
// until a date once it is closed (its last change closed it), so many days
// after it closes while it is open.
func (s *Handler) keptFor(c *fiber.Ctx, a *applications.Application) string {
	if s.RetentionDays == nil {
		return ""
	}
	days, ok := s.RetentionDays(a.ServiceSlug)
	if !ok {
		return ""
	}
	if a.Status.Final() {
		return web.T(c, "yourdata.kept.until", "Date", s.Date(web.LangOf(c), a.UpdatedAt.AddDate(0, 0, days)))
	}
	return web.T(c, "yourdata.kept.days_after_closing", "Count", days)
}

func (s *Handler) supportView(c *fiber.Ctx, p personal) (*supportView, error) {
	if p.Saved == nil {
		return nil, nil
	}
	lang := web.LangOf(c)
	qas, err := s.supportAnswers(c, p.Saved.Answers)
	if err != nil {
		return nil, err
	}
	v := &supportView{SavedOn: s.Date(lang, p.Saved.ConsentedAt), Answers: qas, AlertsOn: p.Alerts.On, AlertsKnown: len(p.Alerts.Known)}
	if p.Alerts.On {
		v.AlertsSince = s.Date(lang, p.Alerts.OptedInAt)
	}
	return v, nil
}

func (s *Handler) mailView(lang string, p personal) mailView {
	st := p.Mail.Settings
	v := mailView{Address: addressInUse(p), Lang: st.Lang, Off: st.Off, Alerts: st.AlertsOn()}
	if st.Email != "" && !st.EmailConfirmedAt.IsZero() {
		v.Confirmed = s.Date(lang, st.EmailConfirmedAt)
	}
	if c := p.Mail.Pending; c != nil {
		v.Pending, v.PendingUntil = c.Email, s.DateTime(lang, c.Expires)
	}
	return v
}
