// Package mail is the portal's presentation for the mailbox: it writes each
// notification (notify.Kinds) as an email in its recipient's language, in
// plain text and HTML, with the words, formats, status labels and service
// titles the site's pages use (portal/web), and the one-click unsubscribe
// headers (RFC 8058) on the kinds a person may turn off. It implements
// notify.Renderer; it needs no Fiber.
//
// A mail says only what the person needs to know and links back to the
// portal for the rest: never the answers of a form, nor its files.
package mail

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"sportello/accounts"
	"sportello/notify"
	"sportello/portal/finders"
	"sportello/portal/unsubscribe"
	"sportello/portal/web"
)

// SavedAnswers reads the support-finder answers a resident saved
// (accounts.Answers has it): a support alert gives each service's reason
// from them.
type SavedAnswers interface {
	// SavedAnswers returns personID's saved answers, or accounts.ErrNotFound.
	SavedAnswers(ctx context.Context, personID int64) (accounts.SavedAnswers, error)
}

// Tokens make the token of an unsubscribe link (*notify.Store does).
type Tokens interface {
	UnsubscribeToken(ctx context.Context, personID int64, kind notify.Kind) (string, error)
}

// Options are what a Renderer reads from.
type Options struct {
	// Shared is the portal's: translations, number, money and date
	// formats, the council's name and contacts, and the catalogue (service
	// titles and kinds, and the rules a support alert explains).
	Shared *web.Shared
	// BaseURL starts every link ("https://portanova.example"); empty:
	// Shared.BaseURL.
	BaseURL string
	// Answers reads the answers behind support alerts.
	Answers SavedAnswers
	// Unsubscribe signs the one-click links of optional kinds.
	Unsubscribe Tokens
	// ConfirmFor is how long an email confirmation link works (the
	// account's settings decide it); default 24 hours.
	ConfirmFor time.Duration
	// Appointments sign the links of appointments booked without signing
	// in; nil: their mails give the council's contacts instead.
	Appointments AppointmentLinks
}

// Renderer writes notifications as emails. It is safe for concurrent use.
type Renderer struct {
	sh         *web.Shared
	tr         *web.Translator
	base       string
	answers    SavedAnswers
	tokens     Tokens
	matcher    *finders.Matcher
	confirmFor time.Duration
	// appointments sign the links of appointments (appointments.go).
	appointments AppointmentLinks
}

var _ notify.Renderer = (*Renderer)(nil)

// New returns the renderer of opts.
func New(opts Options) (*Renderer, error) {
	if opts.Shared == nil || opts.Shared.Site == nil || opts.Answers == nil || opts.Unsubscribe == nil {
		return nil, errors.New("mail: the portal's shared parts, the saved answers and the unsubscribe tokens are required")
	}
	base := strings.TrimSuffix(opts.BaseURL, "/")
	if base == "" {
		base = opts.Shared.BaseURL
	}
	if u, err := url.Parse(base); err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, fmt.Errorf("mail: the base URL %q is not an absolute http(s) address", base)
	}
	if opts.ConfirmFor <= 0 {
		opts.ConfirmFor = 24 * time.Hour
	}
	return &Renderer{
		sh:           opts.Shared,
		tr:           opts.Shared.Site.Translator,
		base:         base,
		answers:      opts.Answers,
		tokens:       opts.Unsubscribe,
		matcher:      finders.NewMatcher(opts.Shared, opts.Shared.Catalogue),
		confirmFor:   opts.ConfirmFor,
		appointments: opts.Appointments,
	}, nil
}

// Render writes n for to, in to's language.
func (r *Renderer) Render(ctx context.Context, n notify.Notification, to notify.Recipient) (notify.Message, error) {
	w := r.writer(n, to)
	var err error
	switch n.Kind {
	case notify.ApplicationReceived:
		err = w.received()
	case notify.InfoRequested:
		err = w.infoRequested()
	case notify.StatusChanged:
		err = w.statusChanged()
	case notify.Decision:
		err = w.decision()
	case notify.PaymentReceived:
		err = w.paymentReceived()
	case notify.PaymentFailed:
		err = w.paymentFailed()
	case notify.RefundMade:
		err = w.refundMade()
	case notify.FormExpiring:
		err = w.formExpiring()
	case notify.RenewalDue:
		err = w.renewalDue()
	case notify.SupportAlert:
		err = w.supportAlert(ctx)
	case notify.EmailConfirm:
		err = w.emailConfirm()
	case notify.ReportStatus:
		err = w.reportStatus()
	case notify.AppointmentBooked, notify.AppointmentMoved, notify.AppointmentCancelled, notify.AppointmentReminder:
		err = w.appointment(ctx)
	case notify.PaymentLink:
		err = w.paymentLink()
	case notify.OrganisationInvite:
		err = w.organisationInvite()
	case notify.RepresentationInvite:
		err = w.representationInvite()
	default:
		err = fmt.Errorf("mail: no mail for the kind %q", n.Kind)
	}
	if err != nil {
		return notify.Message{}, err
	}
	w.footer()
	w.l.Subject = oneLine(w.l.Subject)
	// The worker gives the message its ID (notify.MessageID), the same at
	// every try.
	msg := notify.Message{To: to.Address, Subject: w.l.Subject}
	if n.Kind.Optional() && to.PersonID != 0 {
		tok, err := r.tokens.UnsubscribeToken(ctx, to.PersonID, n.Kind)
		if err != nil {
			return notify.Message{}, err
		}
		stop := r.link(unsubscribe.Path(tok), w.lang)
		w.l.Stop = &link{Text: w.t("mail.stop." + string(n.Kind)), URL: stop}
		w.l.Settings = &link{Text: w.t("mail.settings"), URL: r.link(unsubscribe.SettingsPath, w.lang)}
		msg.Headers = map[string]string{
			"List-Unsubscribe":      "<" + stop + ">",
			"List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
		}
	}
	if msg.Text, msg.HTML, err = w.l.write(); err != nil {
		return notify.Message{}, err
	}
	return msg, nil
}

// link is the absolute address of a portal page, in lang.
func (r *Renderer) link(path, lang string) string { return r.base + web.WithLang(path, lang) }

// oneLine keeps a subject on one line, whatever its parts hold; the
// no-break spaces of a French date or amount stay.
func oneLine(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f || r == '\u2028' || r == '\u2029' {
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == ' ' }), " ")
}
