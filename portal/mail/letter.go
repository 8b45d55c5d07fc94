package mail

import (
	"bytes"
	"embed"
	htmltemplate "html/template"
	"slices"
	"strings"
	texttemplate "text/template"

	"sportello/catalogue"
	"sportello/notify"
)

// The layouts: one for HTML, one for plain text, each showing any letter.
// They are embedded here rather than in templates/, whose files are the
// site's pages: the page engine would parse these too, and a page and a
// mail would share one namespace of {{define}} names.
//
//go:embed templates/layout.html templates/layout.txt
var layouts embed.FS

var (
	htmlLayout = htmltemplate.Must(htmltemplate.ParseFS(layouts, "templates/layout.html"))
	textLayout = texttemplate.Must(texttemplate.ParseFS(layouts, "templates/layout.txt"))
)

// letter is one mail before it is written out: what each kind fills in and
// the layouts show. Every text in it is plain (the HTML layout escapes it).
type letter struct {
	Lang     string
	Subject  string
	Council  string
	Heading  string
	Greeting string
	// Colon ends a label in the plain text: ":", or " :" in French
	// with a no-break space.
	Colon   string
	Blocks  []block
	SignOff string
	// The footer: why the person got it, that it is always sent (the kinds
	// one cannot turn off) or how to stop it, and how to reach the council.
	Why      string
	Always   string
	Stop     *link
	Settings *link
	NoReply  string
	Contact  string
}

// block is one part of a letter's body; one of its fields is set.
type block struct {
	Text   string // a paragraph
	Facts  []fact // label: value
	Quote  *quote // someone's words: a caseworker's question or note
	Items  []item // services, each with a line about it
	Action *link  // the one thing to do next
}

type fact struct{ Label, Value string }

type quote struct {
	Label string
	Lines []string
}

type item struct {
	Link link
	Text string
}

type link struct{ Text, URL string }

// write returns the letter as plain text and as HTML.
func (l *letter) write() (text, html string, err error) {
	var t, h bytes.Buffer
	if err := textLayout.Execute(&t, l); err != nil {
		return "", "", err
	}
	if err := htmlLayout.Execute(&h, l); err != nil {
		return "", "", err
	}
	return t.String(), h.String(), nil
}

// writer fills one notification's letter.
type writer struct {
	r    *Renderer
	n    notify.Notification
	to   notify.Recipient
	lang string
	l    *letter
}

func (r *Renderer) writer(n notify.Notification, to notify.Recipient) *writer {
	lang := to.Lang
	if !slices.Contains(catalogue.Languages, lang) {
		lang = r.sh.Directory().DefaultLang
	}
	w := &writer{r: r, n: n, to: to, lang: lang}
	a := r.sh.Site.Authority()
	council, _ := a.Name.In(lang, a.DefaultLanguage)
	w.l = &letter{Lang: lang, Council: council, SignOff: w.t("mail.signoff"), Colon: w.t("mail.colon")}
	if name := strings.TrimSpace(to.Name); name != "" {
		w.l.Greeting = w.t("mail.greeting", "Name", name)
	} else {
		w.l.Greeting = w.t("mail.greeting_anonymous")
	}
	return w
}

// t translates key into the letter's language.
func (w *writer) t(key string, pairs ...any) string { return w.r.tr.T(w.lang, key, pairs...) }

// data is the notification's value for key.
func (w *writer) data(key string) string { return strings.TrimSpace(w.n.Data[key]) }

func (w *writer) para(text string) { w.l.Blocks = append(w.l.Blocks, block{Text: text}) }

func (w *writer) facts(fs ...fact) { w.l.Blocks = append(w.l.Blocks, block{Facts: fs}) }

// quote shows someone's words as they wrote them, line by line; nothing
// when they wrote nothing.
func (w *writer) quote(label, words string) {
	words = strings.TrimSpace(strings.ReplaceAll(words, "\r\n", "\n"))
	if words == "" {
		return
	}
	w.l.Blocks = append(w.l.Blocks, block{Quote: &quote{Label: label, Lines: strings.Split(words, "\n")}})
}

// action links to the portal page at path.
func (w *writer) action(text, path string) {
	w.l.Blocks = append(w.l.Blocks, block{Action: &link{Text: text, URL: w.r.link(path, w.lang)}})
}

// signedIn reports whether the person has an account to follow things in:
// someone who applied without signing in has none, and is not sent there.
func (w *writer) signedIn() bool { return w.to.PersonID != 0 }

// whyKeys are the footer's reason for each kind.
var whyKeys = map[notify.Kind]string{
	notify.ApplicationReceived:  "mail.why.application",
	notify.InfoRequested:        "mail.why.application",
	notify.StatusChanged:        "mail.why.application",
	notify.Decision:             "mail.why.application",
	notify.PaymentReceived:      "mail.why.payment",
	notify.PaymentFailed:        "mail.why.payment",
	notify.RefundMade:           "mail.why.payment",
	notify.FormExpiring:         "mail.why.form",
	notify.RenewalDue:           "mail.why.renewal",
	notify.SupportAlert:         "mail.why.support",
	notify.EmailConfirm:         "mail.why.confirm",
	notify.ReportStatus:         "mail.why.report",
	notify.AppointmentBooked:    "mail.why.appointment",
	notify.AppointmentMoved:     "mail.why.appointment",
	notify.AppointmentCancelled: "mail.why.appointment",
	notify.AppointmentReminder:  "mail.why.appointment",
}

// footer says why the person got the mail and how to reach the council;
// Render adds how to stop it, for the kinds one may turn off.
func (w *writer) footer() {
	w.l.Why = w.t(whyKeys[w.n.Kind])
	if !w.n.Kind.Optional() && w.n.Kind != notify.EmailConfirm {
		w.l.Always = w.t("mail.always")
	}
	w.l.NoReply = w.t("mail.noreply")
	a := w.r.sh.Site.Authority()
	var contact []string
	for _, s := range []string{a.Phone, a.Email, a.Website} {
		if s != "" {
			contact = append(contact, s)
		}
	}
	if len(contact) > 0 {
		w.l.Contact = w.t("mail.contact", "Contact", strings.Join(contact, " · "))
	}
}

// date writes a YYYY-MM-DD date as lang writes dates ("3 de marzo de 2026").
func (w *writer) date(iso string) string { return w.r.sh.ISODate(w.lang, iso) }

// amount writes the notification's amount as lang writes money.
func (w *writer) amount() (string, error) {
	m, err := moneyOf(w.data("amount"), w.data("currency"))
	if err != nil {
		return "", err
	}
	return m.Format(w.lang), nil
}

// serviceTitle is the title of the service slug in the letter's language
// (the catalogue's default language when it has no translation); the slug
// itself for a service since removed from the catalogue.
func (w *writer) serviceTitle(slug string) string {
	d := w.r.sh.Directory()
	if s, ok := d.ServiceOf[slug]; ok {
		title, _ := d.Text(s.Title, w.lang)
		return title
	}
	return slug
}
