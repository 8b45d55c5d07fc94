// Package booking is the portal's side of appointments (package
// appointments): residents choose an office, a day and a time for a
// bookable service and book it, signed in or, for a service of assurance
// "none", with an email and a link to manage it; they see their
// appointments in the account, move or cancel them and add them to their
// calendar; caseworkers see each office's day by counter, mark who came,
// and block times.
package booking

import (
	"errors"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"sportello/appointments"
	"sportello/catalogue"
	"sportello/portal/auth"
	"sportello/portal/web"
)

// Paths.
const (
	AccountPath = "/account/appointments"
	ManagePath  = "/appointments/manage"
	StaffPath   = "/staff/appointments"
)

// BookPath is where booking service slug starts.
func BookPath(slug string) string { return web.ServiceURL(slug) + "/book" }

// ManageURL is the page of an appointment booked without signing in.
func ManageURL(token string) string { return ManagePath + "/" + url.PathEscape(token) }

// AccountURL is the page of a signed-in resident's appointment.
func AccountURL(id int64) string { return AccountPath + "/" + strconv.FormatInt(id, 10) }

// Handler serves the booking pages, the resident's appointments and the
// staff's day.
type Handler struct {
	*web.Shared
	store appointments.Store
	auth  *auth.Auth
}

// New returns the handler.
func New(sh *web.Shared, store appointments.Store, a *auth.Auth) *Handler {
	return &Handler{Shared: sh, store: store, auth: a}
}

// Routes mounts the pages; staffOnly guards the caseworkers' day.
func (h *Handler) Routes(r fiber.Router, staffOnly fiber.Handler) {
	// Booking: office → day → time → details → the appointment's page.
	r.Get("/services/:slug/book", h.officeChoose)
	r.Get("/services/:slug/book/:office", h.dayChoose)
	r.Get("/services/:slug/book/:office/:day", h.timeChoose)
	r.Get("/services/:slug/book/:office/:day/details", h.auth.FormPage(), h.detailsShow)
	r.Post("/services/:slug/book/:office/:day/details", h.appointmentBook)

	// One appointment, reached from the account or by the link mailed to
	// someone who booked without signing in.
	r.Get(AccountPath, h.auth.RequireSignIn(), h.appointmentIndex)
	for _, base := range []string{AccountPath + "/:id", ManagePath + "/:token"} {
		// The mailed link's pages have forms for someone not signed in.
		guard := []fiber.Handler{h.auth.FormPage()}
		if base != ManagePath+"/:token" {
			guard = []fiber.Handler{h.auth.RequireSignIn()}
		}
		r.Get(base, append(guard, h.appointmentShow)...)
		r.Get(base+"/calendar.ics", append(guard, h.appointmentCalendar)...)
		r.Get(base+"/move", append(guard, h.moveDays)...)
		r.Get(base+"/move/:day", append(guard, h.moveTimes)...)
		r.Post(base+"/move", append(guard, h.appointmentMove)...)
		r.Post(base+"/cancel", append(guard, h.appointmentCancel)...)
	}

	// The caseworkers' day at an office.
	r.Get(StaffPath, staffOnly, h.staffDay)
	r.Post(StaffPath+"/:id/mark", staffOnly, h.staffMark)
	r.Post(StaffPath+"/:id/cancel", staffOnly, h.staffCancel)
	r.Post(StaffPath+"/blocks", staffOnly, h.blockAdd)
	r.Post(StaffPath+"/blocks/:id/remove", staffOnly, h.blockRemove)
}

// offer is the bookable service slug at office, from the catalogue in
// memory; ErrNotFound for a service that is not booked, or not there.
func (h *Handler) offer(slug, office string) (appointments.Offer, *catalogue.ServiceSummary, error) {
	d := h.Directory()
	sum, ok := d.ServiceOf[slug]
	if !ok || sum.Booking == nil {
		return appointments.Offer{}, nil, appointments.ErrNotFound
	}
	o := appointments.Offer{Service: slug, Booking: sum.Booking}
	if office == "" {
		return o, sum, nil
	}
	dep, ok := d.DepartmentOf[office]
	if !ok || !slices.Contains(sum.Booking.Offices, office) {
		return appointments.Offer{}, nil, appointments.ErrNotFound
	}
	o.Office = dep
	return o, sum, nil
}

// level is the assurance a service's booking needs: its form's, low when
// it has none.
func level(sum *catalogue.ServiceSummary) string {
	if sum.Assurance == "" {
		return catalogue.AssuranceLow
	}
	return sum.Assurance
}

// mayBook asks for a sign-in (a web.StepUp) when the service needs one
// the viewer lacks.
func (h *Handler) mayBook(c *fiber.Ctx, sum *catalogue.ServiceSummary) error {
	lvl := level(sum)
	if lvl == catalogue.AssuranceNone || h.auth.Satisfies(web.ViewerOf(c), lvl) {
		return nil
	}
	returnTo := c.OriginalURL()
	if c.Method() != fiber.MethodGet {
		returnTo = BookPath(sum.Slug)
	}
	return &web.StepUp{Level: lvl, ReturnTo: returnTo}
}

// officeView is an office as the pages show it.
type officeView struct {
	Slug, Name, Address, Hours, URL string
	NameLang                        string // the name's language when not the page's
}

func (h *Handler) officeOf(c *fiber.Ctx, d *catalogue.Department, b *catalogue.Booking, url string) officeView {
	name, fallback := h.Directory().Text(d.Name, web.LangOf(c))
	return officeView{Slug: d.Slug, Name: name, NameLang: fallback, Address: d.Address, Hours: web.OpeningHours(web.LangOf(c), d.HoursFor(b)), URL: url}
}

// dayLabel writes a council date as "Tuesday 3 March 2026".
func (h *Handler) dayLabel(c *fiber.Ctx, day string) string {
	d, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return day
	}
	return web.T(c, "holidays.weekday."+strconv.Itoa(int(d.Weekday()))) + " " + h.ISODate(web.LangOf(c), day)
}

// clock writes the time of day of t on the council's clock.
func (h *Handler) clock(c *fiber.Ctx, t time.Time) string {
	l := t.In(h.TimeZone)
	return web.Clock(web.LangOf(c), l.Hour(), l.Minute())
}

type errorLink struct{ Href, Message string }

// notFound is the one answer for an appointment or a page a request may
// not see.
var errNotFound = appointments.ErrNotFound

func isNotFound(err error) bool { return errors.Is(err, appointments.ErrNotFound) }
