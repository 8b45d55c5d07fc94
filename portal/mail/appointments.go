package mail

import (
	"context"
	"strconv"
	"time"

	"sportello/notify"
	"sportello/portal/booking"
)

// AppointmentLinks make the token of the link that manages an appointment
// booked without signing in (*appointments.DB does).
type AppointmentLinks interface {
	ManageToken(ctx context.Context, id int64) (string, error)
}

// appointment: booked, moved, cancelled or tomorrow. When and where, what
// to bring, and the page to see, move or cancel it and get its calendar
// file: the account's, or for someone who booked without signing in the
// link that is their key to it.
func (w *writer) appointment(ctx context.Context) error {
	id, err := strconv.ParseInt(w.data("id"), 10, 64)
	if err != nil {
		return w.missing("id")
	}
	start, err := time.Parse(time.RFC3339, w.data("start"))
	if err != nil {
		return w.missing("start")
	}
	minutes, _ := strconv.Atoi(w.data("minutes"))
	event := map[notify.Kind]string{
		notify.AppointmentBooked: "booked", notify.AppointmentMoved: "moved",
		notify.AppointmentCancelled: "cancelled", notify.AppointmentReminder: "reminder",
	}[w.n.Kind]
	when := w.r.sh.DateTime(w.lang, start)
	slug := w.data("service")
	service := w.serviceTitle(slug)
	d := w.r.sh.Directory()
	where := w.data("office")
	if dep, ok := d.DepartmentOf[where]; ok {
		where, _ = d.Text(dep.Name, w.lang)
		if dep.Address != "" {
			where += ", " + dep.Address
		}
	}
	w.l.Subject = w.t("mail.appointment."+event+".subject", "When", when, "Service", service)
	w.l.Heading = w.t("mail.appointment." + event + ".heading")
	w.para(w.t("mail.appointment."+event+".lead", "Service", service))
	w.facts(
		fact{w.t("mail.fact.service"), service},
		fact{w.t("mail.appointment.when"), when + " (" + w.t("appointments.minutes", "Minutes", minutes) + ")"},
		fact{w.t("mail.appointment.where"), where},
	)
	if event == "cancelled" {
		w.action(w.t("mail.appointment.again"), booking.BookPath(slug))
		return nil
	}
	if sum, ok := d.ServiceOf[slug]; ok && sum.Booking != nil {
		if bring, _ := sum.Booking.Bring.In(w.lang, d.DefaultLang); len(bring) > 0 {
			w.para(w.t("appointments.bring.heading"))
			for _, b := range bring {
				w.para("• " + b)
			}
		}
	}
	page := booking.AccountURL(id)
	if !w.signedIn() {
		if w.r.appointments == nil {
			w.para(w.t("mail.appointment.contact"))
			return nil
		}
		tok, err := w.r.appointments.ManageToken(ctx, id)
		if err != nil {
			return err
		}
		page = booking.ManageURL(tok)
	}
	w.para(w.t("mail.appointment.change"))
	w.action(w.t("mail.appointment.action"), page)
	w.para(w.t("mail.appointment.calendar", "URL", w.r.link(page+"/calendar.ics", w.lang)))
	return nil
}
