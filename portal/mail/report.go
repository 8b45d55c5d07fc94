package mail

// reportStatus: a report at a place moved on (open, in progress, fixed),
// with the note from the council. Its reporter is sent to the report in
// their account when they have one; someone who added theirs to it is not
// (the report is someone else's) and reads its reference instead.
func (w *writer) reportStatus() error {
	a, err := w.application()
	if err != nil {
		return err
	}
	status := w.data("status")
	if status == "" {
		return w.missing("status")
	}
	label := w.t("reports.status." + status)
	w.l.Subject = w.t("mail.report.subject", "Title", a.title, "Status", label)
	w.l.Heading = a.title
	role := "reporter"
	if w.data("role") == "supporter" {
		role = "supporter"
	}
	w.para(w.t("mail.report.lead." + role))
	if status == "fixed" {
		w.para(w.t("mail.report.fixed"))
	}
	w.about(a, fact{w.t("mail.fact.status"), label})
	w.quote(w.t("mail.note"), w.n.Data["note"])
	if role == "reporter" {
		w.seeIt(a)
	} else {
		w.para(w.t("mail.report.supporter_reference", "Reference", a.ref))
	}
	return nil
}
