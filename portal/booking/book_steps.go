package booking

import (
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"sportello/applications/forms"
	"sportello/appointments"
	"sportello/catalogue"
	"sportello/portal/web"
)

// stepPage is the data of each step of booking (templates/appointments/
// offices, days, times, details), and of moving an appointment, which
// reuses the days and times.
type stepPage struct {
	web.Page
	Service    string // the service's title
	ServiceURL string
	Offices    []officeView
	Office     officeView
	Days       []dayView
	Day        string // the day chosen, written out
	DayISO     string
	Times      []timeView
	// Action is where the times' form goes: the details (GET) when
	// booking, the move (POST) when moving.
	Action     string
	PostTimes  bool
	BackURL    string
	Moving     bool
	Taken      bool // the time chosen has just been taken
	Errors     []errorLink
	TimeError  string
	Form       detailsForm
	When       string // the time chosen, written out
	Minutes    int
	Bring      []string
	SignedIn   bool
	SignInNote bool // a service of assurance none: signing in is offered
}

type dayView struct {
	ISO, Label, URL string
	Free            int
}

type timeView struct {
	Value, Label, ID string
	Checked          bool
}

// detailsForm is the contact the resident gives, as typed.
type detailsForm struct {
	Time       string // Unix seconds of the start
	Name       string
	NameError  string
	Email      string
	EmailError string
}

const maxName = 120

func (h *Handler) stepPage(c *fiber.Ctx, titleKey string, sum *catalogue.ServiceSummary) stepPage {
	p := stepPage{Page: web.NewPage(c, titleKey), ServiceURL: web.ServiceURL(sum.Slug)}
	p.Service, _ = h.Directory().Text(sum.Title, p.Lang)
	p.Title = web.T(c, titleKey, "Service", p.Service)
	p.SignedIn = p.Viewer != nil
	return p
}

// officeChoose lists the offices a service is booked at: GET
// /services/{slug}/book. One office goes straight to its days.
func (h *Handler) officeChoose(c *fiber.Ctx) error {
	o, sum, err := h.offer(c.Params("slug"), "")
	if err != nil {
		return err
	}
	if err := h.mayBook(c, sum); err != nil {
		return err
	}
	if len(o.Booking.Offices) == 1 {
		return c.Redirect(BookPath(sum.Slug)+"/"+o.Booking.Offices[0], fiber.StatusSeeOther)
	}
	p := h.stepPage(c, "appointments.offices.title", sum)
	p.BackURL = p.ServiceURL
	for _, slug := range o.Booking.Offices {
		if d, ok := h.Directory().DepartmentOf[slug]; ok {
			p.Offices = append(p.Offices, h.officeOf(c, d, o.Booking, BookPath(sum.Slug)+"/"+slug))
		}
	}
	return web.Render(c, "appointments/offices", p)
}

// dayChoose lists the days with free times at an office: GET
// /services/{slug}/book/{office}.
func (h *Handler) dayChoose(c *fiber.Ctx) error {
	o, sum, err := h.offer(c.Params("slug"), c.Params("office"))
	if err != nil {
		return err
	}
	if err := h.mayBook(c, sum); err != nil {
		return err
	}
	p := h.stepPage(c, "appointments.days.title", sum)
	p.Office = h.officeOf(c, o.Office, o.Booking, "")
	p.BackURL = BookPath(sum.Slug)
	if len(o.Booking.Offices) == 1 {
		p.BackURL = p.ServiceURL
	}
	if err := h.fillDays(c, &p, o, BookPath(sum.Slug)+"/"+o.Office.Slug); err != nil {
		return err
	}
	return web.Render(c, "appointments/days", p)
}

// fillDays lists the days with a free time, each linking to base/{day}.
func (h *Handler) fillDays(c *fiber.Ctx, p *stepPage, o appointments.Offer, base string) error {
	days, err := h.store.Days(c.UserContext(), o)
	if err != nil {
		return err
	}
	for _, d := range days {
		if n := d.FreeCount(); n > 0 {
			p.Days = append(p.Days, dayView{ISO: d.Day, Label: h.dayLabel(c, d.Day), URL: base + "/" + d.Day, Free: n})
		}
	}
	return nil
}

// timeChoose lists the free times of a day: GET
// /services/{slug}/book/{office}/{day}.
func (h *Handler) timeChoose(c *fiber.Ctx) error {
	o, sum, err := h.offer(c.Params("slug"), c.Params("office"))
	if err != nil {
		return err
	}
	if err := h.mayBook(c, sum); err != nil {
		return err
	}
	p, err := h.timesPage(c, o, sum, c.Params("day"), "")
	if err != nil {
		return err
	}
	return web.Render(c, "appointments/times", p)
}

// timesPage is the free times of day, with chosen checked.
func (h *Handler) timesPage(c *fiber.Ctx, o appointments.Offer, sum *catalogue.ServiceSummary, day, chosen string) (stepPage, error) {
	p := h.stepPage(c, "appointments.times.title", sum)
	p.Office = h.officeOf(c, o.Office, o.Booking, "")
	base := BookPath(sum.Slug) + "/" + o.Office.Slug
	p.BackURL, p.Action = base, base+"/"+day+"/details"
	return p, h.fillTimes(c, &p, o, day, chosen)
}

// fillTimes lists day's free times; a day without any is not found.
func (h *Handler) fillTimes(c *fiber.Ctx, p *stepPage, o appointments.Offer, day, chosen string) error {
	if _, err := time.Parse(time.DateOnly, day); err != nil {
		return errNotFound
	}
	ds, err := h.store.Day(c.UserContext(), o, day)
	if err != nil {
		return err
	}
	if len(ds.Slots) == 0 {
		return errNotFound
	}
	p.DayISO, p.Day, p.Minutes = day, h.dayLabel(c, day), o.Booking.DurationMinutes
	for _, s := range ds.Slots {
		if s.Free == 0 {
			continue
		}
		v := strconv.FormatInt(s.Start.Unix(), 10)
		p.Times = append(p.Times, timeView{Value: v, Label: h.clock(c, s.Start), ID: "time-" + v, Checked: v == chosen})
	}
	return nil
}

// chosenTime reads the time chosen, Unix seconds, on day.
func (h *Handler) chosenTime(value, day string) (time.Time, bool) {
	n, err := strconv.ParseInt(value, 10, 64)
	if err != nil {
		return time.Time{}, false
	}
	t := time.Unix(n, 0)
	return t, t.In(h.TimeZone).Format(time.DateOnly) == day
}

// detailsShow asks for the contact and shows what is being booked: GET
// /services/{slug}/book/{office}/{day}/details?time=. No time chosen, or
// one no longer free: the times again, saying so.
func (h *Handler) detailsShow(c *fiber.Ctx) error {
	o, sum, err := h.offer(c.Params("slug"), c.Params("office"))
	if err != nil {
		return err
	}
	if err := h.mayBook(c, sum); err != nil {
		return err
	}
	f := detailsForm{Time: c.Query("time")}
	if v := web.ViewerOf(c); v != nil {
		f.Name = v.Name
	}
	return h.details(c, o, sum, c.Params("day"), f, nil)
}

// details renders the details step, or the times step when f's time is
// not one of day's free times.
func (h *Handler) details(c *fiber.Ctx, o appointments.Offer, sum *catalogue.ServiceSummary, day string, f detailsForm, errs []errorLink) error {
	p, err := h.timesPage(c, o, sum, day, f.Time)
	if err != nil {
		return err
	}
	start, ok := h.chosenTime(f.Time, day)
	free := false
	for _, t := range p.Times {
		free = free || (ok && t.Value == f.Time)
	}
	if !free {
		key := "appointments.error.time_missing"
		if ok {
			key = "appointments.error.time_gone"
		}
		timeError(c, &p, key, fiber.StatusUnprocessableEntity)
		return web.Render(c, "appointments/times", p)
	}
	p.Title = web.T(c, "appointments.details.title", "Service", p.Service)
	p.BackURL = BookPath(sum.Slug) + "/" + o.Office.Slug + "/" + day + "?time=" + f.Time
	p.Form, p.Errors = f, errs
	p.When = h.dayLabel(c, day) + ", " + h.clock(c, start)
	p.Bring, _ = sum.Booking.Bring.In(p.Lang, h.Directory().DefaultLang)
	p.SignInNote = p.Viewer == nil
	if len(errs) > 0 {
		p.Title = web.T(c, "apply.error_title_prefix") + " " + p.Title
		c.Status(fiber.StatusUnprocessableEntity)
	}
	return web.Render(c, "appointments/details", p)
}

// appointmentBook books the time: POST
// /services/{slug}/book/{office}/{day}/details. Every problem with the
// contact is said at once; a time taken meanwhile shows the times left.
func (h *Handler) appointmentBook(c *fiber.Ctx) error {
	o, sum, err := h.offer(c.Params("slug"), c.Params("office"))
	if err != nil {
		return err
	}
	if err := h.mayBook(c, sum); err != nil {
		return err
	}
	day := c.Params("day")
	v := web.ViewerOf(c)
	f := detailsForm{Time: c.FormValue("time"), Name: strings.TrimSpace(c.FormValue("name")), Email: strings.TrimSpace(c.FormValue("email"))}
	var errs []errorLink
	switch n := utf8.RuneCountInString(f.Name); {
	case n == 0:
		f.NameError = web.T(c, "appointments.error.name_missing")
	case n > maxName:
		f.NameError = web.T(c, "appointments.error.name_long", "Max", maxName, "Count", n)
	}
	if f.NameError != "" {
		errs = append(errs, errorLink{Href: "#name", Message: f.NameError})
	}
	req := appointments.Request{Offer: o, Name: f.Name, Lang: web.LangOf(c)}
	if v != nil {
		req.PersonID = v.PersonID
	} else {
		email, ok := forms.NormaliseEmail(f.Email)
		switch {
		case f.Email == "":
			f.EmailError = web.T(c, "appointments.error.email_missing")
		case !ok:
			f.EmailError = web.T(c, "appointments.error.email_invalid")
		}
		if f.EmailError != "" {
			errs = append(errs, errorLink{Href: "#email", Message: f.EmailError})
		}
		req.Email = email
	}
	start, ok := h.chosenTime(f.Time, day)
	if len(errs) > 0 || !ok {
		return h.details(c, o, sum, day, f, errs)
	}
	req.Start = start
	a, err := h.store.Book(c.UserContext(), req)
	switch {
	case errors.Is(err, appointments.ErrTaken), errors.Is(err, appointments.ErrNotOffered):
		return h.taken(c, o, sum, day)
	case err != nil:
		return err
	}
	h.Log.InfoContext(c.UserContext(), "appointment booked", "appointment", a.ID, "service", a.Service, "office", a.Office, "counter", a.Counter)
	if v != nil {
		return c.Redirect(AccountURL(a.ID)+"?done=booked", fiber.StatusSeeOther)
	}
	tok, err := h.store.ManageToken(c.UserContext(), a.ID)
	if err != nil {
		return err
	}
	return c.Redirect(ManageURL(tok)+"?done=booked", fiber.StatusSeeOther)
}

// taken says that the time chosen has just been taken (409), with the
// day's times still free, or the days when none is left that day.
func (h *Handler) taken(c *fiber.Ctx, o appointments.Offer, sum *catalogue.ServiceSummary, day string) error {
	p, err := h.timesPage(c, o, sum, day, "")
	if isNotFound(err) {
		p = h.stepPage(c, "appointments.days.title", sum)
		p.Office = h.officeOf(c, o.Office, o.Booking, "")
		p.BackURL, err = BookPath(sum.Slug), h.fillDays(c, &p, o, BookPath(sum.Slug)+"/"+o.Office.Slug)
	}
	if err != nil {
		return err
	}
	timeError(c, &p, "appointments.error.taken", fiber.StatusConflict)
	if p.DayISO == "" {
		p.Errors[0].Href = "#days"
		return web.Render(c, "appointments/days", p)
	}
	return web.Render(c, "appointments/times", p)
}

// timeError makes p the step that says what is wrong with the time chosen
// (the message key), answered with status: 422 for no time, 409 for one
// someone has just taken.
func timeError(c *fiber.Ctx, p *stepPage, key string, status int) {
	p.Taken, p.TimeError = status == fiber.StatusConflict, web.T(c, key)
	p.Errors = []errorLink{{Href: "#times", Message: p.TimeError}}
	p.Title = web.T(c, "apply.error_title_prefix") + " " + p.Title
	c.Status(status)
}
