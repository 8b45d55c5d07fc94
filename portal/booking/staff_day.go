package booking

import (
	"errors"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"sportello/appointments"
	"sportello/catalogue"
	"sportello/portal/web"
)

// staffPage is templates/appointments/staff.html's data: one office's
// day, counter by counter.
type staffPage struct {
	web.Page
	Offices  []staffOffice
	Office   officeView
	Day      string // written out
	DayISO   string
	PrevURL  string
	NextURL  string
	Counters []staffCounter
	Blocks   []staffBlock
	Count    int // appointments booked, arrived or missed
	Done     string
	Errors   []errorLink
	Block    blockForm
}

type staffOffice struct {
	Slug, Name string
	Selected   bool
}

type staffCounter struct {
	Number int
	Rows   []staffRow
}

type staffRow struct {
	ID          int64
	Time        string
	Service     string
	Name        string
	Contact     string // the email of someone who booked without signing in
	Status      string
	StatusLabel string
	MarkURL     string
	CancelURL   string // "" once the appointment can no longer be cancelled
	Label       string // the buttons' accessible names start with it
}

type staffBlock struct {
	Counter   int
	From, To  string
	Note      string
	RemoveURL string
}

// blockForm is the form to block a time, as typed.
type blockForm struct {
	Counter      string
	Counters     []int
	From, To     string
	Note         string
	CounterError string
	FromError    string
	ToError      string
}

// staffOffices are the offices some published service is booked at, by
// name.
func (h *Handler) staffOffices(c *fiber.Ctx) []*catalogue.Department {
	d := h.Directory()
	var out []*catalogue.Department
	for _, s := range d.Services {
		if s.Booking == nil {
			continue
		}
		for _, slug := range s.Booking.Offices {
			if dep, ok := d.DepartmentOf[slug]; ok && !slices.Contains(out, dep) {
				out = append(out, dep)
			}
		}
	}
	lang := web.LangOf(c)
	slices.SortFunc(out, func(a, b *catalogue.Department) int {
		x, _ := d.Text(a.Name, lang)
		y, _ := d.Text(b.Name, lang)
		return strings.Compare(x, y)
	})
	return out
}

func staffURL(office, day string) string {
	return StaffPath + "?office=" + url.QueryEscape(office) + "&day=" + url.QueryEscape(day)
}

// staffDay is an office's day: GET /staff/appointments?office=&day=
// (default the first office, today).
func (h *Handler) staffDay(c *fiber.Ctx) error {
	p, err := h.staffPage(c, c.Query("office"), c.Query("day"))
	if err != nil {
		return err
	}
	switch d := c.Query("done"); d {
	case "marked", "cancelled", "blocked", "unblocked":
		p.Done = d
	}
	return web.Render(c, "appointments/staff", p)
}

func (h *Handler) staffPage(c *fiber.Ctx, office, day string) (staffPage, error) {
	p := staffPage{Page: web.NewPage(c, "appointments.staff.title")}
	offices := h.staffOffices(c)
	if len(offices) == 0 {
		return p, errNotFound
	}
	dep := offices[0]
	for _, o := range offices {
		if o.Slug == office {
			dep = o
		}
	}
	if office != "" && dep.Slug != office {
		return p, errNotFound
	}
	for _, o := range offices {
		name, _ := h.Directory().Text(o.Name, p.Lang)
		p.Offices = append(p.Offices, staffOffice{Slug: o.Slug, Name: name, Selected: o == dep})
	}
	d, err := time.Parse(time.DateOnly, day)
	if err != nil {
		d = h.Today()
	}
	p.DayISO = d.Format(time.DateOnly)
	p.Day = h.dayLabel(c, p.DayISO)
	p.Office = h.officeOf(c, dep, nil, "")
	p.PrevURL = staffURL(dep.Slug, d.AddDate(0, 0, -1).Format(time.DateOnly))
	p.NextURL = staffURL(dep.Slug, d.AddDate(0, 0, 1).Format(time.DateOnly))
	p.Title = web.T(c, "appointments.staff.heading", "Office", p.Office.Name, "Day", p.Day)
	list, blocks, err := h.store.OfficeDay(c.UserContext(), dep.Slug, p.DayISO)
	if err != nil {
		return p, err
	}
	p.Counters = make([]staffCounter, dep.CountersOf())
	for i := range p.Counters {
		p.Counters[i].Number = i + 1
		p.Block.Counters = append(p.Block.Counters, i+1)
	}
	for _, a := range list {
		if a.Status == appointments.Cancelled || a.Counter < 1 {
			continue
		}
		for len(p.Counters) < a.Counter { // the office has fewer counters now
			p.Counters = append(p.Counters, staffCounter{Number: len(p.Counters) + 1})
		}
		title := a.Service
		if sum, ok := h.Directory().ServiceOf[a.Service]; ok {
			title, _ = h.Directory().Text(sum.Title, p.Lang)
		}
		when := h.clock(c, a.Start) + "–" + h.clock(c, a.End())
		name := a.Name
		if name == "" {
			name = web.T(c, "appointments.staff.no_name")
		}
		row := staffRow{
			ID: a.ID, Time: when, Service: title, Name: name, Contact: a.Email, Status: string(a.Status),
			StatusLabel: web.T(c, "appointments.status."+string(a.Status)), MarkURL: StaffPath + "/" + strconv.FormatInt(a.ID, 10) + "/mark",
			Label: when + " " + name,
		}
		if a.Open(h.store.Now()) {
			row.CancelURL = StaffPath + "/" + strconv.FormatInt(a.ID, 10) + "/cancel"
		}
		p.Counters[a.Counter-1].Rows = append(p.Counters[a.Counter-1].Rows, row)
		p.Count++
	}
	for _, b := range blocks {
		p.Blocks = append(p.Blocks, staffBlock{Counter: b.Counter, From: h.clock(c, b.Start), To: h.clock(c, b.End), Note: b.Note,
			RemoveURL: StaffPath + "/blocks/" + strconv.FormatInt(b.ID, 10) + "/remove"})
	}
	return p, nil
}

// staffMark marks an appointment arrived, missed, or booked again: POST
// /staff/appointments/{id}/mark with status, office and day.
func (h *Handler) staffMark(c *fiber.Ctx) error {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil {
		return errNotFound
	}
	office, day := c.FormValue("office"), c.FormValue("day")
	st := appointments.Status(c.FormValue("status"))
	err = h.store.Mark(c.UserContext(), office, id, st, web.ViewerOf(c).PersonID)
	if errors.Is(err, appointments.ErrInvalid) {
		return web.NewError(fiber.StatusUnprocessableEntity, "appointments.error.status", err)
	}
	if err != nil {
		return err
	}
	h.Log.InfoContext(c.UserContext(), "appointment marked", "appointment", id, "status", st, "staff", web.ViewerOf(c).PersonID)
	return c.Redirect(staffURL(office, day)+"&done=marked#appointment-"+strconv.FormatInt(id, 10), fiber.StatusSeeOther)
}

// staffCancel cancels an appointment for its resident (who phoned, or the
// office must close): POST /staff/appointments/{id}/cancel with office and
// day. The resident gets the same mail as when they cancel.
func (h *Handler) staffCancel(c *fiber.Ctx) error {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil {
		return errNotFound
	}
	office, day := c.FormValue("office"), c.FormValue("day")
	staff := web.ViewerOf(c).PersonID
	_, err = h.store.CancelAt(c.UserContext(), office, id, staff)
	switch {
	case errors.Is(err, appointments.ErrNotFound):
		return errNotFound
	case errors.Is(err, appointments.ErrClosed):
		return web.NewError(fiber.StatusUnprocessableEntity, "appointments.error.closed", err)
	case err != nil:
		return err
	}
	h.Log.InfoContext(c.UserContext(), "appointment cancelled by staff", "appointment", id, "staff", staff)
	return c.Redirect(staffURL(office, day)+"&done=cancelled", fiber.StatusSeeOther)
}

// parseClock reads "09:30" (or "9:30") on day, on the council's clock.
func (h *Handler) parseClock(day, s string) (time.Time, bool) {
	s = strings.TrimSpace(strings.ReplaceAll(s, ".", ":"))
	hh, mm, ok := strings.Cut(s, ":")
	hour, herr := strconv.Atoi(hh)
	minute, merr := strconv.Atoi(mm)
	d, derr := time.Parse(time.DateOnly, day)
	if !ok || herr != nil || merr != nil || derr != nil || hour < 0 || hour > 24 || minute < 0 || minute > 59 || (hour == 24 && minute != 0) {
		return time.Time{}, false
	}
	return time.Date(d.Year(), d.Month(), d.Day(), hour, minute, 0, 0, h.TimeZone), true
}

// blockAdd blocks a time at a counter: POST /staff/appointments/blocks
// with office, day, counter, from, to and note. Every problem is said at
// once, beside its field.
func (h *Handler) blockAdd(c *fiber.Ctx) error {
	office, day := c.FormValue("office"), c.FormValue("day")
	p, err := h.staffPage(c, office, day)
	if err != nil {
		return err
	}
	f := blockForm{Counter: c.FormValue("counter"), From: strings.TrimSpace(c.FormValue("from")), To: strings.TrimSpace(c.FormValue("to")),
		Note: strings.TrimSpace(c.FormValue("note")), Counters: p.Block.Counters}
	var errs []errorLink
	counter, cerr := strconv.Atoi(f.Counter)
	if cerr != nil || counter < 1 || counter > len(f.Counters) {
		f.CounterError = web.T(c, "appointments.error.counter")
		errs = append(errs, errorLink{Href: "#block-counter", Message: f.CounterError})
	}
	from, fok := h.parseClock(p.DayISO, f.From)
	to, tok := h.parseClock(p.DayISO, f.To)
	grid := func(t time.Time) bool { return t.Minute()%catalogue.SlotMinutes == 0 }
	switch {
	case !fok:
		f.FromError = web.T(c, "appointments.error.from")
	case !grid(from):
		f.FromError = web.T(c, "appointments.error.grid", "Minutes", catalogue.SlotMinutes)
	}
	switch {
	case !tok:
		f.ToError = web.T(c, "appointments.error.to")
	case !grid(to):
		f.ToError = web.T(c, "appointments.error.grid", "Minutes", catalogue.SlotMinutes)
	case fok && !to.After(from):
		f.ToError = web.T(c, "appointments.error.to_before")
	}
	if f.FromError != "" {
		errs = append(errs, errorLink{Href: "#block-from", Message: f.FromError})
	}
	if f.ToError != "" {
		errs = append(errs, errorLink{Href: "#block-to", Message: f.ToError})
	}
	if utf8.RuneCountInString(f.Note) > maxName {
		errs = append(errs, errorLink{Href: "#block-note", Message: web.T(c, "appointments.error.note_long", "Max", maxName)})
	}
	if len(errs) > 0 {
		p.Block, p.Errors = f, errs
		p.Title = web.T(c, "apply.error_title_prefix") + " " + p.Title
		c.Status(fiber.StatusUnprocessableEntity)
		return web.Render(c, "appointments/staff", p)
	}
	if _, err := h.store.AddBlock(c.UserContext(), appointments.Block{Office: p.Office.Slug, Counter: counter, Start: from, End: to, Note: f.Note}, web.ViewerOf(c).PersonID); err != nil {
		return err
	}
	h.Log.InfoContext(c.UserContext(), "appointment times blocked", "office", p.Office.Slug, "counter", counter, "staff", web.ViewerOf(c).PersonID)
	return c.Redirect(staffURL(p.Office.Slug, p.DayISO)+"&done=blocked", fiber.StatusSeeOther)
}

// blockRemove frees a blocked time again: POST
// /staff/appointments/blocks/{id}/remove with office and day.
func (h *Handler) blockRemove(c *fiber.Ctx) error {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil {
		return errNotFound
	}
	office, day := c.FormValue("office"), c.FormValue("day")
	if err := h.store.RemoveBlock(c.UserContext(), office, id); err != nil {
		return err
	}
	return c.Redirect(staffURL(office, day)+"&done=unblocked", fiber.StatusSeeOther)
}
