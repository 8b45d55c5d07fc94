package mail

import (
	"fmt"
	"net/url"

	"sportello/notify"
)

// The links of the invitations (portal/onbehalf).
func joinPath(token string) string   { return "/account/organisations/join/" + url.PathEscape(token) }
func acceptPath(token string) string { return "/account/acting/accept/" + url.PathEscape(token) }

// invitationValidDays is acting.InvitationTTL in days, as the mails say it.
const invitationValidDays = 14

// secret is the link's token of an invitation; the worker blanks it once
// sent, so a retry after that has nothing to send.
func (w *writer) secret() (string, error) {
	token := w.data("token")
	if token == "" {
		return "", fmt.Errorf("%w: the invitation's link was already sent", notify.ErrObsolete)
	}
	return token, nil
}

// organisationInvite: someone invites the reader to join an organisation
// on the council's site, with the link that accepts.
func (w *writer) organisationInvite() error {
	token, err := w.secret()
	if err != nil {
		return err
	}
	org := w.data("organisation")
	if org == "" {
		return w.missing("organisation")
	}
	w.l.Subject = w.t("mail.org_invite.subject", "Name", org)
	w.l.Heading = w.t("mail.org_invite.heading", "Name", org)
	w.para(w.t("mail.org_invite.lead", "Name", org))
	w.facts(fact{w.t("acting.organisation"), org}, fact{w.t("acting.role"), w.t("acting.role." + w.data("role"))})
	w.para(w.t("mail.invite.sign_in"))
	w.action(w.t("mail.org_invite.action"), joinPath(token))
	w.para(w.t("mail.invite.valid", "Count", invitationValidDays))
	w.para(w.t("mail.invite.ignore"))
	return nil
}

// representationInvite: a resident authorised the reader to act for them,
// with the link that accepts.
func (w *writer) representationInvite() error {
	token, err := w.secret()
	if err != nil {
		return err
	}
	name := w.data("principal")
	if name == "" {
		return w.missing("principal")
	}
	w.l.Subject = w.t("mail.rep_invite.subject", "Name", name)
	w.l.Heading = w.t("mail.rep_invite.heading", "Name", name)
	w.para(w.t("mail.rep_invite.lead", "Name", name))
	if until := w.data("until"); until != "" {
		w.facts(fact{w.t("acting.until"), w.date(until)})
	}
	w.para(w.t("mail.invite.sign_in"))
	w.action(w.t("mail.rep_invite.action"), acceptPath(token))
	w.para(w.t("mail.invite.valid", "Count", invitationValidDays))
	w.para(w.t("mail.invite.ignore"))
	return nil
}
