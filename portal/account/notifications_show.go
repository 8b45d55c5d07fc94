package account

import (
	"slices"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"sportello/notify"
	"sportello/portal/web"
	"sportello/supportalerts"
)

// logPageSize is how many notifications a page of the log shows.
const logPageSize = 20

// notificationsPage is templates/account/notifications.html.
type notificationsPage struct {
	web.Page
	Errors []errorLink
	Notice string // translation key of what was just done
	// The address mail goes to, and where it comes from.
	Address  addressView
	Pending  *pendingView
	Email    string // the "use another address" field, as typed
	EmailErr string
	// What they receive.
	Kinds     []kindChoice
	Always    []notify.Kind
	MailLangs []langChoice
	LangErr   string
	Alerts    alertsView
	Log       []logRow
	LogInfo   logInfo
}

// errorLink is one line of the error summary.
// errorLink is one line of the error summary ("apply.error_summary", which
// also shows the question a form's problem is about: none here).
type errorLink struct{ Href, Question, Lang, Message string }

type addressView struct {
	Current string
	// Source is "confirmed" (by a link), "provider" (verified by the
	// identity provider) or "none".
	Source      string
	Provider    string
	ConfirmedOn string
	// Claim is the provider's verified address, offered back when another
	// one is in use.
	Claim string
}

type pendingView struct{ Email, Until string }

type kindChoice struct {
	Kind    notify.Kind
	Checked bool
}

type langChoice struct {
	Code, Name string // Code "" is "the language I use on the site"
	Checked    bool
}

type alertsView struct {
	On, HasAnswers bool
	Since          string
	SavedOn        string
	Known          []web.Localised
	Error          string
}

type logRow struct {
	Kind     notify.Kind
	Subject  string
	Status   string
	Reason   string // translation key, "" when none
	Address  string
	When     string
	WhenISO  string
	Resolved bool // sent
}

type logInfo struct {
	Total, Shown, Page, Pages int
	PrevURL, NextURL          string
}

// notificationsShow shows "Emails from the council": GET
// /account/notifications.
func (s *Handler) notificationsShow(c *fiber.Ctx) error {
	page, err := s.page(c)
	if err != nil {
		return err
	}
	switch d := c.Query("done"); d {
	case "settings", "sent", "confirmed", "forgot", "alerts_on", "alerts_off", "deleted":
		page.Notice = "notifications.done." + d
	}
	return web.Render(c, "account/notifications", page)
}

// page builds the page for the signed-in person: what the forms show when
// nothing was typed.
func (s *Handler) page(c *fiber.Ctx) (notificationsPage, error) {
	c.Set(fiber.HeaderCacheControl, "no-store")
	ctx := c.UserContext()
	v := web.ViewerOf(c)
	p := notificationsPage{Page: web.NewPage(c, "notifications.title")}
	lang := p.Lang
	to, st, err := s.notes.Recipient(ctx, v.PersonID, lang)
	if err != nil {
		return p, err
	}
	p.Address = s.addressOf(c, v, to, st)
	pending, ok, err := s.notes.PendingConfirmation(ctx, v.PersonID)
	if err != nil {
		return p, err
	}
	if ok {
		p.Pending = &pendingView{Email: pending.Email, Until: s.DateTime(lang, pending.Expires)}
	}
	for _, k := range notify.Kinds {
		switch {
		case k == notify.SupportAlert:
			// Its own section: it needs saved answers and consent.
		case k.Optional():
			p.Kinds = append(p.Kinds, kindChoice{Kind: k, Checked: st.Receives(k)})
		default:
			p.Always = append(p.Always, k)
		}
	}
	p.MailLangs = []langChoice{{Code: "", Checked: st.Lang == ""}}
	for _, l := range web.SiteOf(c).Languages {
		p.MailLangs = append(p.MailLangs, langChoice{Code: l, Name: web.LanguageName(l), Checked: st.Lang == l})
	}
	as, err := s.alerts.Status(ctx, v.PersonID)
	if err != nil {
		return p, err
	}
	p.Alerts = s.alertsOf(lang, as)
	if err := s.fillLog(c, &p); err != nil {
		return p, err
	}
	return p, nil
}

func (s *Handler) addressOf(c *fiber.Ctx, v *web.Viewer, to notify.Recipient, st notify.Settings) addressView {
	a := addressView{Current: to.Address, Source: "none"}
	switch {
	case to.Address == "":
	case st.Email == to.Address && !st.EmailConfirmedAt.IsZero():
		a.Source = "confirmed"
		a.ConfirmedOn = s.Date(web.LangOf(c), st.EmailConfirmedAt)
		if v.EmailVerified && v.Email != "" && v.Email != to.Address {
			a.Claim = v.Email
		}
	default:
		a.Source = "provider"
	}
	switch a.Provider = s.auth.Config().ProviderName; {
	case s.auth.DemoSignIn():
		a.Provider = web.T(c, "account.demo_provider")
	case a.Provider == "":
		a.Provider = web.T(c, "notifications.address.your_provider")
	}
	return a
}

func (s *Handler) alertsOf(lang string, as supportalerts.Status) alertsView {
	out := alertsView{On: as.On, HasAnswers: as.HasAnswers}
	if as.On {
		out.Since = s.Date(lang, as.OptedInAt)
	}
	if as.HasAnswers {
		out.SavedOn = s.Date(lang, as.AnswersSavedAt)
	}
	d := s.Directory()
	for _, slug := range as.Known {
		if sum, ok := d.ServiceOf[slug]; ok {
			out.Known = append(out.Known, d.Loc(sum.Title, lang))
		}
	}
	return out
}

// fillLog reads the page of the log the query asks for (?page=N).
func (s *Handler) fillLog(c *fiber.Ctx, p *notificationsPage) error {
	n, err := strconv.Atoi(c.Query("page", "1"))
	if err != nil || n < 1 {
		n = 1
	}
	v := web.ViewerOf(c)
	lp, err := s.notes.Log(c.UserContext(), v.PersonID, logPageSize, (n-1)*logPageSize)
	if err != nil {
		return err
	}
	pages := max(1, (lp.Total+logPageSize-1)/logPageSize)
	p.LogInfo = logInfo{Total: lp.Total, Shown: len(lp.Entries), Page: min(n, pages), Pages: pages}
	if n > 1 {
		p.LogInfo.PrevURL = NotificationsPath + "?page=" + strconv.Itoa(min(n, pages+1)-1) + "#log"
	}
	if n < pages {
		p.LogInfo.NextURL = NotificationsPath + "?page=" + strconv.Itoa(n+1) + "#log"
	}
	for _, e := range lp.Entries {
		when := e.At
		if !e.SentAt.IsZero() {
			when = e.SentAt
		}
		row := logRow{
			Kind: e.Kind, Subject: e.Subject, Status: e.Status, Address: e.Address,
			When: s.DateTime(p.Lang, when), WhenISO: when.UTC().Format(time.RFC3339),
			Resolved: e.Status == notify.StatusSent,
		}
		if e.Status == notify.StatusSkipped {
			row.Reason = "notifications.reason.other"
			if slices.Contains([]string{"no_address", "turned_off", "obsolete"}, e.Reason) {
				row.Reason = "notifications.reason." + e.Reason
			}
		}
		p.Log = append(p.Log, row)
	}
	return nil
}
