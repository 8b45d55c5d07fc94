package mail

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"sportello/accounts"
	"sportello/catalogue"
	"sportello/notify"
	"sportello/portal/web"
)

// The portal pages the mails link to.
func applicationPath(ref string) string { return "/account/applications/" + url.PathEscape(ref) }
func payPath(ref string) string         { return "/applications/" + url.PathEscape(ref) + "/pay" }
func receiptPath(id string) string      { return "/account/payments/" + url.PathEscape(id) + "/receipt" }
func confirmPath(token string) string {
	return "/account/notifications/confirm/" + url.PathEscape(token)
}

const (
	// respondAnchor is the answer form on the application's page.
	respondAnchor = "#respond-heading"
	supportPath   = "/account/support"
)

// application is what the mails about one application share: its
// reference, its service, and the service's kind of transaction, whose
// words the site uses ("Report PN-…", "we aim to fix it by…").
type application struct {
	ref     string
	service string // the title, in the letter's language
	kind    string // catalogue.Transaction*
	title   string // "Application PN-4KX7-9QJM", "Report PN-…"
}

func (w *writer) application() (application, error) {
	slug := w.data("service")
	a := application{ref: w.data("ref")}
	if a.ref == "" {
		return a, w.missing("ref")
	}
	a.service = w.serviceTitle(slug)
	a.kind = catalogue.TransactionOf(w.r.sh.Directory().KindOf(slug))
	a.title = w.t(web.KindKey(a.kind, "title"), "Reference", a.ref)
	return a, nil
}

// key is the key of the site's message for a's kind ("confirmation.due").
func (a application) key(message string) string { return web.KindKey(a.kind, message) }

// about lists the reference and the service, then more.
func (w *writer) about(a application, more ...fact) {
	w.facts(append([]fact{
		{w.t("mail.fact.reference"), a.ref},
		{w.t("mail.fact.service"), a.service},
	}, more...)...)
}

func (w *writer) missing(key string) error {
	return fmt.Errorf("mail: %s %q has no %s", w.n.Kind, w.n.Key, key)
}

// received: "Application PN-4KX7-9QJM received", what happens next, and
// when, in the words of the service's kind.
func (w *writer) received() error {
	a, err := w.application()
	if err != nil {
		return err
	}
	w.l.Subject = w.t("mail.received.subject."+a.kind, "Reference", a.ref)
	w.l.Heading = w.t("mail.received.heading." + a.kind)
	if a.kind == catalogue.TransactionPay {
		// The site's "we have your details, now pay" comes before the
		// payment; this mail comes after it.
		w.para(w.t("mail.received.review_pay"))
	} else {
		w.para(w.t(a.key("confirmation.review")))
	}
	w.about(a)
	if due := w.data("due"); due != "" {
		w.para(w.t(a.key("confirmation.due"), "Date", w.date(due)))
	} else {
		w.para(w.t(a.key("confirmation.no_set_time")))
	}
	if w.signedIn() {
		w.para(w.t(a.key("confirmation.follow")))
		w.action(w.t(a.key("confirmation.see")), applicationPath(a.ref))
	}
	w.para(w.t(a.key("confirmation.keep_reference")))
	return nil
}

// infoRequested: the caseworker's question and where to answer it.
func (w *writer) infoRequested() error {
	a, err := w.application()
	if err != nil {
		return err
	}
	w.l.Subject = w.t("mail.info.subject", "Title", a.title)
	w.l.Heading = w.t("mail.info.heading")
	w.para(w.t("mail.info.lead"))
	w.about(a)
	w.quote(w.t("mail.info.question"), w.n.Data["question"])
	if w.signedIn() {
		w.para(w.t("mail.info.answer"))
		w.action(w.t("mail.info.action"), applicationPath(a.ref)+respondAnchor)
	} else {
		w.para(w.t("mail.info.answer_anonymous", "Reference", a.ref))
	}
	return nil
}

// statusChanged: the new status, with the caseworker's note.
func (w *writer) statusChanged() error {
	a, err := w.application()
	if err != nil {
		return err
	}
	status := w.data("status")
	if status == "" {
		return w.missing("status")
	}
	label := w.t(web.ApplicationStatusKey(status))
	w.l.Subject = w.t("mail.status.subject", "Title", a.title, "Status", label)
	w.l.Heading = a.title
	w.para(w.t("mail.status.lead"))
	w.about(a, fact{w.t("mail.fact.status"), label})
	w.quote(w.t("mail.note"), w.n.Data["note"])
	w.seeIt(a)
	return nil
}

// decision: the outcome, in the kind's words ("Approved", "Dealt with"),
// with the caseworker's note.
func (w *writer) decision() error {
	a, err := w.application()
	if err != nil {
		return err
	}
	var outcome string
	switch status := w.data("status"); status {
	case "approved", "rejected":
		outcome = w.t(a.key("status." + status))
	case "":
		return w.missing("status")
	default:
		outcome = w.t(web.ApplicationStatusKey(status))
	}
	w.l.Subject = w.t("mail.decision.subject", "Title", a.title, "Outcome", outcome)
	w.l.Heading = a.title
	w.para(w.t("mail.decision.lead"))
	w.about(a, fact{w.t("mail.fact.outcome"), outcome})
	w.quote(w.t("mail.note"), w.n.Data["note"])
	if w.signedIn() {
		w.para(w.t("mail.decision.next"))
	}
	w.seeIt(a)
	return nil
}

// seeIt links to the application in the account, for who has one.
func (w *writer) seeIt(a application) {
	if w.signedIn() {
		w.action(w.t(a.key("confirmation.see")), applicationPath(a.ref))
	} else {
		w.para(w.t(a.key("confirmation.keep_reference")))
	}
}

// paymentReceived: the amount, and the receipt.
func (w *writer) paymentReceived() error {
	a, err := w.application()
	if err != nil {
		return err
	}
	amount, err := w.amount()
	if err != nil {
		return err
	}
	w.l.Subject = w.t("mail.payment_received.subject", "Title", a.title, "Amount", amount)
	w.l.Heading = w.t("mail.payment_received.heading")
	w.para(w.t(a.key("pay.received"), "Amount", amount))
	w.about(a, fact{w.t("mail.fact.amount"), amount})
	w.receipt()
	return nil
}

// receipt links to the payment's receipt, for who has an account.
func (w *writer) receipt() {
	if id := w.data("payment"); id != "" && w.signedIn() {
		w.action(w.t("mail.receipt"), receiptPath(id))
	}
}

// paymentFailed: nothing was taken; where to try again.
func (w *writer) paymentFailed() error {
	a, err := w.application()
	if err != nil {
		return err
	}
	w.l.Subject = w.t("mail.payment_failed.subject", "Title", a.title)
	w.l.Heading = w.t("mail.payment_failed.heading")
	if w.data("reason") == "expired" {
		w.para(w.t("mail.payment_failed.expired"))
	} else {
		w.para(w.t("mail.payment_failed.failed"))
	}
	w.about(a)
	if w.signedIn() {
		w.para(w.t("mail.payment_failed.again"))
		w.action(w.t("payments.try_again"), payPath(a.ref))
	} else {
		w.para(w.t(a.key("confirmation.keep_reference")))
	}
	return nil
}

// refundMade: how much, and when it shows.
func (w *writer) refundMade() error {
	a, err := w.application()
	if err != nil {
		return err
	}
	amount, err := w.amount()
	if err != nil {
		return err
	}
	w.l.Subject = w.t("mail.refund.subject", "Title", a.title, "Amount", amount)
	w.l.Heading = w.t("mail.refund.heading")
	w.para(w.t("mail.refund.lead", "Amount", amount))
	w.about(a, fact{w.t("mail.fact.amount"), amount})
	w.para(w.t("mail.refund.when"))
	w.receipt()
	return nil
}

// formExpiring: a form in progress is deleted on a date unless sent.
func (w *writer) formExpiring() error {
	expires := w.data("expires")
	if expires == "" {
		return w.missing("expires")
	}
	slug := w.data("service")
	date := w.date(expires)
	w.l.Subject = w.t("mail.form_expiring.subject", "Date", date)
	w.l.Heading = w.t("mail.form_expiring.heading")
	w.para(w.t("mail.form_expiring.lead"))
	w.facts(fact{w.t("mail.fact.service"), w.serviceTitle(slug)}, fact{w.t("mail.fact.deleted_on"), date})
	w.para(w.t("mail.form_expiring.next", "Date", date))
	w.action(w.t("mail.form_expiring.action"), web.ServiceURL(slug)+"/apply")
	return nil
}

// renewalDue: a permit or licence ends soon; how to renew it.
func (w *writer) renewalDue() error {
	a, err := w.application()
	if err != nil {
		return err
	}
	ends := w.data("ends")
	if ends == "" {
		return w.missing("ends")
	}
	date := w.date(ends)
	w.l.Subject = w.t("mail.renewal.subject", "Date", date, "Service", a.service)
	w.l.Heading = w.t("mail.renewal.heading")
	w.para(w.t("mail.renewal.lead", "Reference", a.ref, "Date", date))
	w.about(a, fact{w.t("mail.fact.ends"), date})
	w.para(w.t("mail.renewal.next"))
	w.action(w.t("mail.renewal.action"), web.ServiceURL(w.data("service")))
	return nil
}

// supportAlert lists the services the person's saved answers now match,
// each with its reason in words. Answers deleted since, or services that
// no longer match, leave nothing to say: ErrObsolete.
func (w *writer) supportAlert(ctx context.Context) error {
	if !w.signedIn() {
		return fmt.Errorf("%w: a support alert for nobody", notify.ErrObsolete)
	}
	saved, err := w.r.answers.SavedAnswers(ctx, w.to.PersonID)
	if errors.Is(err, accounts.ErrNotFound) {
		return fmt.Errorf("%w: the answers behind the support alert were deleted", notify.ErrObsolete)
	}
	if err != nil {
		return err
	}
	reasons, err := w.r.matcher.Reasons(ctx, saved.Answers, w.lang)
	if err != nil {
		return err
	}
	var items []item
	for slug := range strings.FieldsSeq(w.data("services")) {
		reason, ok := reasons[slug]
		if !ok || w.r.sh.Directory().ServiceOf[slug] == nil {
			continue // no longer matches, or no longer published
		}
		items = append(items, item{
			Link: link{Text: w.serviceTitle(slug), URL: w.r.link(web.ServiceURL(slug), w.lang)},
			Text: w.t("support.results.reason", "Reason", reason),
		})
	}
	if len(items) == 0 {
		return fmt.Errorf("%w: none of the services of the support alert still match", notify.ErrObsolete)
	}
	w.l.Subject = w.t("mail.support.subject", "Count", len(items))
	w.l.Heading = w.t("mail.support.heading")
	w.para(w.t("mail.support.lead"))
	w.l.Blocks = append(w.l.Blocks, block{Items: items})
	w.para(w.t("mail.support.guidance"))
	w.action(w.t("mail.support.action"), supportPath)
	return nil
}

// emailConfirm: the link that confirms a new address, and how long it
// works.
func (w *writer) emailConfirm() error {
	token := w.data("token")
	if token == "" {
		// The worker blanks the token once sent: a retry after that
		// has nothing to send.
		return fmt.Errorf("%w: the confirmation link was already sent", notify.ErrObsolete)
	}
	w.l.Subject = w.t("mail.confirm.subject")
	w.l.Heading = w.t("mail.confirm.heading")
	w.para(w.t("mail.confirm.lead", "Address", w.to.Address))
	w.action(w.t("mail.confirm.action"), confirmPath(token))
	w.para(w.t("mail.confirm.valid", "Count", int(w.r.confirmFor.Hours())))
	return nil
}

// moneyOf reads an amount in minor units and its currency ("eur").
func moneyOf(amount, currency string) (web.Money, error) {
	minor, err := strconv.ParseInt(amount, 10, 64)
	if err != nil || currency == "" {
		return web.Money{}, fmt.Errorf("mail: the amount %q %q is not minor units and a currency", amount, currency)
	}
	return web.Money{Minor: minor, Currency: strings.ToUpper(currency)}, nil
}
