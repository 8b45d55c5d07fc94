package booking

import (
	"errors"
	"net/url"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"sportello/appointments"
	"sportello/catalogue"
	"sportello/portal/web"
)

// apptView is an appointment as the resident's pages show it.
type apptView struct {
	ID          int64
	URL         string // its page: in the account, or the mailed link
	Service     string
	ServiceURL  string
	Office      officeView
	When        string
	WhenISO     string
	Minutes     int
	Status      string // appointments.Status
	StatusLabel string
	Open        bool // may still be moved or cancelled
	Bring       []string
	ICSURL      string
	MoveURL     string
	CancelURL   string
}

// showPage is templates/appointments/show.html's data.
type showPage struct {
	web.Page
	Appt apptView
	// Done is the notice after a change: booked, moved or cancelled.
	Done      string
	Anonymous bool // reached by the mailed link
	Error     string
}

// indexPage is templates/appointments/index.html's data.
type indexPage struct {
	web.Page
	Next []apptView
	Past []apptView
}

// reach is the appointment of the request and the path of its page: the
// signed-in resident's own (GET /account/appointments/{id}) at the level
// its service asks, or the one the mailed link names
// (/appointments/manage/{token}). Anything else is not found.
func (h *Handler) reach(c *fiber.Ctx) (*appointments.Appointment, string, error) {
	ctx := c.UserContext()
	if tok := c.Params("token"); tok != "" {
		a, err := h.store.ByToken(ctx, tok)
		if err != nil {
			return nil, "", err
		}
		if a.PersonID != 0 {
			return nil, "", errNotFound
		}
		return a, ManagePath + "/" + url.PathEscape(tok), nil
	}
	v := web.ViewerOf(c)
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if v == nil || err != nil {
		return nil, "", errNotFound
	}
	a, err := h.store.Get(ctx, id)
	if err != nil {
		return nil, "", err
	}
	if a.PersonID != v.PersonID {
		return nil, "", errNotFound
	}
	if sum, ok := h.Directory().ServiceOf[a.Service]; ok && level(sum) != catalogue.AssuranceNone && !h.auth.Satisfies(v, level(sum)) {
		returnTo := AccountURL(a.ID)
		if c.Method() == fiber.MethodGet {
			returnTo = c.OriginalURL()
		}
		return nil, "", &web.StepUp{Level: level(sum), ReturnTo: returnTo}
	}
	return a, AccountURL(a.ID), nil
}

// view writes a for the page at base.
func (h *Handler) view(c *fiber.Ctx, a *appointments.Appointment, base string) apptView {
	lang := web.LangOf(c)
	d := h.Directory()
	v := apptView{
		ID: a.ID, URL: base, Service: a.Service, ServiceURL: web.ServiceURL(a.Service), Minutes: a.Minutes,
		When:    h.dayLabel(c, a.Start.In(h.TimeZone).Format("2006-01-02")) + ", " + h.clock(c, a.Start),
		WhenISO: a.Start.UTC().Format("2006-01-02T15:04:05Z"), Status: string(a.Status),
		StatusLabel: web.T(c, "appointments.status."+string(a.Status)), Open: a.Open(h.store.Now()),
		ICSURL: base + "/calendar.ics", MoveURL: base + "/move", CancelURL: base + "/cancel",
	}
	var booking *catalogue.Booking
	if sum, ok := d.ServiceOf[a.Service]; ok {
		v.Service, _ = d.Text(sum.Title, lang)
		booking = sum.Booking
		if booking != nil {
			v.Bring, _ = booking.Bring.In(lang, d.DefaultLang)
		}
	} else {
		v.Open = false // a service no longer booked: the council will get in touch
	}
	if dep, ok := d.DepartmentOf[a.Office]; ok {
		v.Office = h.officeOf(c, dep, booking, "")
	} else {
		v.Office = officeView{Name: a.Office}
	}
	return v
}

// appointmentIndex lists the signed-in resident's appointments: GET
// /account/appointments.
func (h *Handler) appointmentIndex(c *fiber.Ctx) error {
	v := web.ViewerOf(c)
	list, err := h.store.ForPerson(c.UserContext(), v.PersonID)
	if err != nil {
		return err
	}
	p := indexPage{Page: web.NewPage(c, "appointments.index.title")}
	now := h.store.Now()
	for _, a := range list {
		av := h.view(c, a, AccountURL(a.ID))
		if a.End().After(now) && a.Status != appointments.Cancelled {
			p.Next = append(p.Next, av)
		} else {
			p.Past = append(p.Past, av)
		}
	}
	return web.Render(c, "appointments/index", p)
}

// appointmentShow is one appointment, with what to bring, the calendar
// file, and moving and cancelling while it is open: GET
// /account/appointments/{id}, /appointments/manage/{token}.
func (h *Handler) appointmentShow(c *fiber.Ctx) error {
	a, base, err := h.reach(c)
	if err != nil {
		return err
	}
	p := showPage{Page: web.NewPage(c, "appointments.show.title"), Appt: h.view(c, a, base), Anonymous: c.Params("token") != ""}
	switch d := c.Query("done"); d {
	case "booked", "moved", "cancelled":
		p.Done = d
	}
	if p.Done == "booked" {
		p.Title = web.T(c, "appointments.show.booked_title")
	}
	return web.Render(c, "appointments/show", p)
}

// appointmentCalendar is the appointment as a calendar file: GET
// …/calendar.ics.
func (h *Handler) appointmentCalendar(c *fiber.Ctx) error {
	a, base, err := h.reach(c)
	if err != nil {
		return err
	}
	v := h.view(c, a, base)
	host := h.BaseURL
	if u, err := url.Parse(h.BaseURL); err == nil && u.Host != "" {
		host = u.Hostname()
	}
	desc := web.T(c, "appointments.ics.description", "URL", h.Absolute(base))
	for i, b := range v.Bring {
		if i == 0 {
			desc += "\n\n" + web.T(c, "appointments.bring.heading")
		}
		desc += "\n- " + b
	}
	loc := v.Office.Name
	if v.Office.Address != "" {
		loc += ", " + v.Office.Address
	}
	c.Set(fiber.HeaderContentType, "text/calendar; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="appointment-`+strconv.FormatInt(a.ID, 10)+`.ics"`)
	return c.Send(appointments.ICS(a, appointments.Event{Host: host, Summary: v.Service, Location: loc, Description: desc, URL: h.Absolute(base)}))
}

// appointmentCancel cancels it: POST …/cancel.
func (h *Handler) appointmentCancel(c *fiber.Ctx) error {
	a, base, err := h.reach(c)
	if err != nil {
		return err
	}
	if _, err := h.store.Cancel(c.UserContext(), a.ID); err != nil {
		if errors.Is(err, appointments.ErrClosed) {
			return h.closed(c, a, base)
		}
		return err
	}
	h.Log.InfoContext(c.UserContext(), "appointment cancelled", "appointment", a.ID)
	return c.Redirect(base+"?done=cancelled", fiber.StatusSeeOther)
}

// closed says the appointment can no longer be changed (409).
func (h *Handler) closed(c *fiber.Ctx, a *appointments.Appointment, base string) error {
	p := showPage{Page: web.NewPage(c, "appointments.show.title"), Appt: h.view(c, a, base), Anonymous: c.Params("token") != ""}
	p.Error = web.T(c, "appointments.error.closed")
	c.Status(fiber.StatusConflict)
	return web.Render(c, "appointments/show", p)
}

// moveDays lists the days to move it to: GET …/move.
func (h *Handler) moveDays(c *fiber.Ctx) error {
	a, base, err := h.reach(c)
	if err != nil {
		return err
	}
	o, sum, err := h.offer(a.Service, a.Office)
	if err != nil {
		return err
	}
	if !a.Open(h.store.Now()) {
		return h.closed(c, a, base)
	}
	p := h.stepPage(c, "appointments.move.title", sum)
	p.Moving, p.Office, p.BackURL = true, h.officeOf(c, o.Office, o.Booking, ""), base
	if err := h.fillDays(c, &p, o, base+"/move"); err != nil {
		return err
	}
	return web.Render(c, "appointments/days", p)
}

// moveTimes lists a day's free times to move it to: GET …/move/{day}.
func (h *Handler) moveTimes(c *fiber.Ctx) error {
	a, base, err := h.reach(c)
	if err != nil {
		return err
	}
	p, err := h.movePage(c, a, base, c.Params("day"))
	if err != nil {
		return err
	}
	return web.Render(c, "appointments/times", p)
}

func (h *Handler) movePage(c *fiber.Ctx, a *appointments.Appointment, base, day string) (stepPage, error) {
	o, sum, err := h.offer(a.Service, a.Office)
	if err != nil {
		return stepPage{}, err
	}
	p := h.stepPage(c, "appointments.move.title", sum)
	p.Moving, p.PostTimes, p.Office = true, true, h.officeOf(c, o.Office, o.Booking, "")
	p.BackURL, p.Action = base+"/move", base+"/move"
	return p, h.fillTimes(c, &p, o, day, "")
}

// appointmentMove moves it to the time chosen: POST …/move.
func (h *Handler) appointmentMove(c *fiber.Ctx) error {
	a, base, err := h.reach(c)
	if err != nil {
		return err
	}
	o, _, err := h.offer(a.Service, a.Office)
	if err != nil {
		return err
	}
	day := c.FormValue("day")
	start, ok := h.chosenTime(c.FormValue("time"), day)
	if !ok {
		p, err := h.movePage(c, a, base, day)
		if err != nil {
			return err
		}
		timeError(c, &p, "appointments.error.time_missing", fiber.StatusUnprocessableEntity)
		return web.Render(c, "appointments/times", p)
	}
	_, err = h.store.Move(c.UserContext(), a.ID, o, start)
	switch {
	case errors.Is(err, appointments.ErrClosed):
		return h.closed(c, a, base)
	case errors.Is(err, appointments.ErrTaken), errors.Is(err, appointments.ErrNotOffered):
		p, perr := h.movePage(c, a, base, day)
		if isNotFound(perr) {
			return c.Redirect(base+"/move", fiber.StatusSeeOther)
		}
		if perr != nil {
			return perr
		}
		timeError(c, &p, "appointments.error.taken", fiber.StatusConflict)
		return web.Render(c, "appointments/times", p)
	case err != nil:
		return err
	}
	h.Log.InfoContext(c.UserContext(), "appointment moved", "appointment", a.ID)
	return c.Redirect(base+"?done=moved", fiber.StatusSeeOther)
}
