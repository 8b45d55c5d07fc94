package yourdata

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"

	"sportello/acting"
	"sportello/appointments"
	"sportello/portal/web"
	"sportello/reports"
)

// more is the parts of a person's data kept by the appointments, acting
// and reports areas.
type more struct {
	Appointments []*appointments.Appointment
	Memberships  []acting.Membership
	Given        []acting.Representation // the person is the principal
	Received     []acting.Representation // the person is the representative
	Supported    []reports.Report
}

// collectMore asks the appointments, acting and reports areas for their
// part; an area the portal has not (nil) gives nothing.
func (s *Handler) collectMore(ctx context.Context, id int64) (more, error) {
	var m more
	var err error
	if s.Appointments != nil {
		if m.Appointments, err = s.Appointments.ForPerson(ctx, id); err != nil {
			return m, err
		}
	}
	if s.Acting != nil {
		if m.Memberships, err = s.Acting.Memberships(ctx, id); err != nil {
			return m, err
		}
		if m.Given, err = s.Acting.Of(ctx, id); err != nil {
			return m, err
		}
		if m.Received, err = s.Acting.For(ctx, id); err != nil {
			return m, err
		}
	}
	if s.Supported != nil {
		if m.Supported, err = s.Supported.Supported(ctx, id); err != nil {
			return m, err
		}
	}
	return m, nil
}

type appointmentRow struct {
	Service       web.Localised
	Office        web.Localised
	When, WhenISO string
	Status        string // translation key
}

type membershipRow struct {
	Name, TaxID, Role string // Role: translation key
}

// representationTable is one of the page's two tables of representations.
type representationTable struct {
	ID      string // "given" or "received": its heading is representations-ID, its table ID-table
	Caption string // translation key
	Rows    []representationRow
}

type representationRow struct {
	Who, Until, Status string // Status: translation key
	Services           []web.Localised
}

type supportedRow struct {
	Reference, Status string // Status: translation key
	Service           web.Localised
}

// moreView fills the page's parts of m in the request's language.
func (s *Handler) moreView(c *fiber.Ctx, m more, page *dataPage) {
	lang := page.Lang
	d := s.Directory()
	for _, a := range m.Appointments {
		row := appointmentRow{Service: serviceTitle(d, a.Service, lang), Office: web.Localised{Text: a.Office},
			When: s.DateTime(lang, a.Start), WhenISO: a.Start.UTC().Format(time.RFC3339), Status: "appointments.status." + string(a.Status)}
		if dep, ok := d.DepartmentOf[a.Office]; ok {
			row.Office = d.Loc(dep.Name, lang)
		}
		page.Appointments = append(page.Appointments, row)
	}
	for _, ms := range m.Memberships {
		page.Memberships = append(page.Memberships, membershipRow{Name: ms.Name, TaxID: ms.TaxID, Role: "yourdata.organisations.role." + ms.Role})
	}
	rep := func(r acting.Representation, who string) representationRow {
		row := representationRow{Who: who, Until: r.Until, Status: "yourdata.represent.status." + repStatus(r)}
		if r.Until != "" {
			if day, err := time.Parse(time.DateOnly, r.Until); err == nil {
				row.Until = s.Date(lang, day)
			}
		}
		for _, slug := range r.Services {
			row.Services = append(row.Services, serviceTitle(d, slug, lang))
		}
		return row
	}
	given := representationTable{ID: "given", Caption: "yourdata.represent.given"}
	for _, r := range m.Given {
		who := r.RepresentativeName
		if who == "" {
			who = r.RepresentativeEmail
		}
		given.Rows = append(given.Rows, rep(r, who))
	}
	received := representationTable{ID: "received", Caption: "yourdata.represent.received"}
	for _, r := range m.Received {
		received.Rows = append(received.Rows, rep(r, r.PrincipalName))
	}
	page.Representations = [2]representationTable{given, received}
	for _, r := range m.Supported {
		page.Supported = append(page.Supported, supportedRow{Reference: r.Reference.String(), Service: serviceTitle(d, r.ServiceSlug, lang),
			Status: "reports.status." + string(r.Status)})
	}
}

// repStatus is a representation's state: waiting (not yet accepted),
// ended or active.
func repStatus(r acting.Representation) string {
	switch {
	case !r.EndedAt.IsZero():
		return "ended"
	case r.AcceptedAt.IsZero():
		return "waiting"
	}
	return "active"
}

// The file's parts of m.
type exportAppointment struct {
	Service      string    `json:"service"`
	ServiceTitle string    `json:"service_title"`
	Office       string    `json:"office"`
	Start        time.Time `json:"start"`
	Minutes      int       `json:"minutes"`
	Status       string    `json:"status"`
	BookedAt     time.Time `json:"booked_at"`
}

type exportMembership struct {
	Organisation string    `json:"organisation"`
	TaxID        string    `json:"tax_id"`
	Role         string    `json:"role"`
	CreatedAt    time.Time `json:"organisation_registered_at"`
}

type exportRepresentation struct {
	Principal      string     `json:"principal"`
	Representative string     `json:"representative"`
	Email          string     `json:"representative_email,omitempty"`
	Services       []string   `json:"services"` // empty: every service
	Until          string     `json:"until"`
	Status         string     `json:"status"`
	Source         string     `json:"source"`
	CreatedAt      time.Time  `json:"created_at"`
	AcceptedAt     *time.Time `json:"accepted_at"`
}

type exportSupported struct {
	Reference    string `json:"reference"`
	Service      string `json:"service"`
	ServiceTitle string `json:"service_title"`
	Status       string `json:"status"`
}

func (s *Handler) exportMore(doc *exportDoc, m more, title func(string) string) {
	doc.Appointments, doc.Organisations = []exportAppointment{}, []exportMembership{}
	doc.RepresentationsGiven, doc.RepresentationsReceived = []exportRepresentation{}, []exportRepresentation{}
	doc.ReportsSupported = []exportSupported{}
	for _, a := range m.Appointments {
		doc.Appointments = append(doc.Appointments, exportAppointment{Service: a.Service, ServiceTitle: title(a.Service), Office: a.Office,
			Start: a.Start.UTC(), Minutes: a.Minutes, Status: string(a.Status), BookedAt: a.Created.UTC()})
	}
	for _, ms := range m.Memberships {
		doc.Organisations = append(doc.Organisations, exportMembership{Organisation: ms.Name, TaxID: ms.TaxID, Role: ms.Role, CreatedAt: ms.CreatedAt.UTC()})
	}
	rep := func(r acting.Representation) exportRepresentation {
		x := exportRepresentation{Principal: r.PrincipalName, Representative: r.RepresentativeName, Email: r.RepresentativeEmail,
			Services: r.Services, Until: r.Until, Status: repStatus(r), Source: r.Source, CreatedAt: r.CreatedAt.UTC(), AcceptedAt: timeOrNull(r.AcceptedAt)}
		if x.Services == nil {
			x.Services = []string{}
		}
		return x
	}
	for _, r := range m.Given {
		doc.RepresentationsGiven = append(doc.RepresentationsGiven, rep(r))
	}
	for _, r := range m.Received {
		doc.RepresentationsReceived = append(doc.RepresentationsReceived, rep(r))
	}
	for _, r := range m.Supported {
		doc.ReportsSupported = append(doc.ReportsSupported, exportSupported{Reference: r.Reference.String(), Service: r.ServiceSlug,
			ServiceTitle: title(r.ServiceSlug), Status: string(r.Status)})
	}
}
