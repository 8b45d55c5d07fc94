package mail

// paymentLink: a member of staff at the counter sent the link to pay an
// application's fee. Paying needs a sign-in with the address this mail
// went to (or the national ID the counter recorded), which also brings the
// application into the resident's account (package assist).
func (w *writer) paymentLink() error {
	a, err := w.application()
	if err != nil {
		return err
	}
	amount, err := w.amount()
	if err != nil {
		return err
	}
	w.l.Subject = w.t("mail.payment_link.subject", "Title", a.title)
	w.l.Heading = w.t("mail.payment_link.heading")
	w.para(w.t("mail.payment_link.intro", "Amount", amount))
	w.about(a, fact{w.t("mail.fact.amount"), amount})
	w.para(w.t("mail.payment_link.sign_in"))
	w.action(w.t("mail.payment_link.action"), payPath(a.ref))
	return nil
}
