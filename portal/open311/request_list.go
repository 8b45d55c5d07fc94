package open311

import (
	"context"
	"encoding/xml"
	"errors"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"sportello/applications"
	"sportello/catalogue"
	"sportello/reports"
)

// request is a service request as anyone may read it: where, what, how far
// the council has got. Nothing about who sent it.
type request struct {
	ID                string   `json:"service_request_id" xml:"service_request_id"`
	Status            string   `json:"status" xml:"status"`
	StatusNotes       string   `json:"status_notes" xml:"status_notes"`
	ServiceName       string   `json:"service_name" xml:"service_name"`
	ServiceCode       string   `json:"service_code" xml:"service_code"`
	Description       string   `json:"description" xml:"description"`
	AgencyResponsible string   `json:"agency_responsible" xml:"agency_responsible"`
	ServiceNotice     string   `json:"service_notice" xml:"service_notice"`
	RequestedDatetime string   `json:"requested_datetime" xml:"requested_datetime"`
	UpdatedDatetime   string   `json:"updated_datetime" xml:"updated_datetime"`
	ExpectedDatetime  string   `json:"expected_datetime" xml:"expected_datetime"`
	Address           string   `json:"address" xml:"address"`
	AddressID         string   `json:"address_id" xml:"address_id"`
	Zipcode           string   `json:"zipcode" xml:"zipcode"`
	Lat               *float64 `json:"lat,omitempty" xml:"lat,omitempty"`
	Long              *float64 `json:"long,omitempty" xml:"long,omitempty"`
	MediaURL          string   `json:"media_url" xml:"media_url"`
}

type xmlRequests struct {
	XMLName  xml.Name  `xml:"service_requests"`
	Requests []request `xml:"request"`
}

// The specification's defaults: the last 90 days, at most 1000.
const (
	defaultSpan = 90 * 24 * time.Hour
	maxRequests = reports.MaxLimit
	maxIDs      = 100
)

// requestList lists reports: GET /open311/v2/requests.{json,xml}, newest
// first. service_request_id (a comma-separated list) selects those alone;
// otherwise service_code, status (open, closed) and start_date, end_date
// (W3C date and time) filter, by default the last 90 days, at most 1000.
func (h *Handler) requestList(c *fiber.Ctx, format string) error {
	ctx := c.UserContext()
	lang := h.lang(c)
	list := []request{}
	if ids := splitList(c.Query("service_request_id")); len(ids) > 0 {
		if len(ids) > maxIDs {
			return h.fail(c, fiber.StatusBadRequest, "service_request_id lists too many ids: ask for at most 100 at once.")
		}
		for _, id := range ids {
			r, err := h.byReference(ctx, id)
			if errors.Is(err, reports.ErrNotFound) {
				continue
			}
			if err != nil {
				return err
			}
			list = append(list, h.requestOf(r, lang))
		}
		return h.send(c, format, list, xmlRequests{Requests: list})
	}
	f := reports.Filter{Limit: maxRequests}
	var problems []string
	offered, err := h.offered(ctx)
	if err != nil {
		return err
	}
	for _, code := range splitList(c.Query("service_code")) {
		if !slices.Contains(offered, code) {
			problems = append(problems, "service_code "+code+" is not a service: GET services."+format+" lists them.")
		}
		f.Services = append(f.Services, code)
	}
	if len(f.Services) == 0 {
		if len(offered) == 0 {
			return h.send(c, format, list, xmlRequests{Requests: list})
		}
		f.Services = offered
	}
	for _, st := range splitList(c.Query("status")) {
		switch strings.ToLower(st) {
		case "open":
			f.Statuses = append(f.Statuses, reports.StatusOpen, reports.StatusInProgress)
		case "closed":
			f.Statuses = append(f.Statuses, reports.StatusFixed)
		default:
			problems = append(problems, "status "+st+" is not one: send open or closed.")
		}
	}
	if f.From, err = w3cParam(c.Query("start_date")); err != nil {
		problems = append(problems, "start_date must be a W3C date and time with its time zone, like 2026-12-01T00:00:00Z.")
	}
	if f.Until, err = w3cParam(c.Query("end_date")); err != nil {
		problems = append(problems, "end_date must be a W3C date and time with its time zone, like 2026-12-31T23:59:59+01:00.")
	}
	if len(problems) > 0 {
		return h.failAll(c, fiber.StatusBadRequest, problems)
	}
	switch {
	case f.From.IsZero() && f.Until.IsZero():
		f.From = time.Now().Add(-defaultSpan)
	case f.From.IsZero():
		f.From = f.Until.Add(-defaultSpan)
	case f.Until.IsZero():
		f.Until = f.From.Add(defaultSpan)
	}
	if !f.Until.IsZero() {
		f.Until = f.Until.Add(time.Millisecond) // end_date is inclusive, Filter.Until is not
	}
	if !f.Until.IsZero() && f.From.After(f.Until) {
		return h.fail(c, fiber.StatusBadRequest, "start_date is after end_date: swap them.")
	}
	found, _, err := h.opts.Reports.List(ctx, f)
	if err != nil {
		return err
	}
	for i := range found {
		list = append(list, h.requestOf(&found[i], lang))
	}
	return h.send(c, format, list, xmlRequests{Requests: list})
}

// requestShow is one report: GET /open311/v2/requests/{id}.{json,xml}, in
// a list of one as the specification has it.
func (h *Handler) requestShow(c *fiber.Ctx, format string) error {
	r, err := h.byReference(c.UserContext(), c.Params("service_request_id"))
	if errors.Is(err, reports.ErrNotFound) {
		return h.fail(c, fiber.StatusNotFound, "service_request_id "+c.Params("service_request_id")+" not found.")
	}
	if err != nil {
		return err
	}
	list := []request{h.requestOf(r, h.lang(c))}
	return h.send(c, format, list, xmlRequests{Requests: list})
}

// tokenRequest is the answer to GET tokens/{token}.
type tokenRequest struct {
	ID    string `json:"service_request_id" xml:"service_request_id"`
	Token string `json:"token" xml:"token"`
}

type xmlTokens struct {
	XMLName  xml.Name       `xml:"service_requests"`
	Requests []tokenRequest `xml:"request"`
}

// tokenShow turns the token a POST answered into the report's id: GET
// /open311/v2/tokens/{token}.{json,xml}. Reports are made at once, so the
// id is always there.
func (h *Handler) tokenShow(c *fiber.Ctx, format string) error {
	token := c.Params("token")
	if !applications.ValidToken(token) {
		return h.fail(c, fiber.StatusNotFound, "token not found.")
	}
	r, err := h.opts.Reports.ByToken(c.UserContext(), token)
	if err == nil {
		r, err = h.offeredReport(c.UserContext(), r)
	}
	if errors.Is(err, reports.ErrNotFound) {
		return h.fail(c, fiber.StatusNotFound, "token not found.")
	}
	if err != nil {
		return err
	}
	out := []tokenRequest{{ID: string(r.Reference), Token: token}}
	return h.send(c, format, out, xmlTokens{Requests: out})
}

// offered are the codes of the services the API offers.
func (h *Handler) offered(ctx context.Context) ([]string, error) {
	var codes []string
	for _, sum := range h.Directory().Services {
		_, ok, err := h.reportable(ctx, sum.Slug)
		if err != nil {
			return nil, err
		}
		if ok {
			codes = append(codes, sum.Slug)
		}
	}
	return codes, nil
}

// byReference is the report of reference ref if its service is one the
// API offers; ErrNotFound otherwise.
func (h *Handler) byReference(ctx context.Context, ref string) (*reports.Report, error) {
	r, err := h.opts.Reports.ByReference(ctx, applications.Reference(ref))
	if err != nil {
		return nil, err
	}
	return h.offeredReport(ctx, r)
}

// offeredReport is r if its service is one the API offers, so that the
// API never shows a report of a service it does not list.
func (h *Handler) offeredReport(ctx context.Context, r *reports.Report) (*reports.Report, error) {
	_, ok, err := h.reportable(ctx, r.ServiceSlug)
	switch {
	case err != nil:
		return nil, err
	case !ok:
		return nil, reports.ErrNotFound
	}
	return r, nil
}

// requestOf is what anyone may read of r.
func (h *Handler) requestOf(r *reports.Report, lang string) request {
	d := h.Directory()
	text := func(t catalogue.Translated) string { s, _ := t.In(lang, d.DefaultLang); return s }
	out := request{
		ID:                string(r.Reference),
		Status:            "open",
		ServiceCode:       r.ServiceSlug,
		Description:       Mask(r.Description),
		ServiceNotice:     h.notice(r),
		RequestedDatetime: h.w3c(r.CreatedAt),
		UpdatedDatetime:   h.w3c(r.UpdatedAt),
		Address:           r.Address,
	}
	if r.Status == reports.StatusFixed {
		out.Status = "closed"
	}
	if n := len(r.Events); n > 0 {
		out.StatusNotes = Mask(r.Events[n-1].Note)
	}
	if sum := d.ServiceOf[r.ServiceSlug]; sum != nil {
		out.ServiceName = text(sum.Title)
		if dep := d.DepartmentOf[sum.Department]; dep != nil {
			out.AgencyResponsible = text(dep.Name)
		}
	}
	if r.DueDate != "" {
		if day, err := time.ParseInLocation(time.DateOnly, r.DueDate, h.TimeZone); err == nil {
			out.ExpectedDatetime = h.w3c(day.Add(24*time.Hour - time.Second))
		}
	}
	if r.Point != nil {
		lat, lng := r.Point.Lat, r.Point.Lng
		out.Lat, out.Long = &lat, &lng
	}
	return out
}

// Personal details a resident may have typed into a description meant for
// the council: e-mail addresses and phone numbers (nine digits or more,
// so that a date is not one, with spaces, dots, dashes, brackets or a
// leading +).
var (
	emailPattern = regexp.MustCompile(`[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}`)
	phonePattern = regexp.MustCompile(`\+?\(?\d[\d\s().-]{5,}\d`)
)

// Mask hides the e-mail addresses and phone numbers in a text the API
// publishes. What a description says of the problem stays; whom to call
// about it is the council's to know.
func Mask(s string) string {
	s = emailPattern.ReplaceAllString(s, "[email removed]")
	return phonePattern.ReplaceAllStringFunc(s, func(m string) string {
		digits := 0
		for _, r := range m {
			if r >= '0' && r <= '9' {
				digits++
			}
		}
		if digits < 9 {
			return m
		}
		return "[phone removed]"
	})
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// w3cParam reads a W3C date and time (RFC 3339, with its time zone); a
// date alone is its day's start in UTC. Zero when s is empty.
func w3cParam(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return time.Parse(time.DateOnly, s)
}
