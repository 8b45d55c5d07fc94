package staff

import (
	"net/url"
	"slices"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"sportello/applications"
	"sportello/catalogue"
	"sportello/portal/apply"
	"sportello/portal/web"
)

// staffQueuePage is templates/staff/queue.html's data.
type staffQueuePage struct {
	web.Page
	Filter      staffFilter
	Services    []staffOption
	Departments []staffOption
	Statuses    []staffOption
	Rows        []apply.Row
	Total       int
	PageNo      int
	Pages       int
	PrevURL     string
	NextURL     string
}

type staffFilter struct {
	Service    string
	Department string
	Status     string
	Overdue    bool
	Page       int
}

type staffOption struct {
	Value    string
	Label    string
	Lang     string
	Selected bool
}

// staffQueueSize is how many applications one page of the queue shows.
const staffQueueSize = 25

// staffStatuses are the statuses the queue filters by, in the order the
// status machine names them (a draft never reaches the queue).
func staffStatuses() []applications.Status {
	var out []applications.Status
	for _, t := range applications.Transitions() {
		for _, st := range []applications.Status{t.From, t.To} {
			if st != applications.StatusDraft && !slices.Contains(out, st) {
				out = append(out, st)
			}
		}
	}
	return out
}

// Values of the queue's status filter besides the statuses themselves.
// Without one, the queue shows what needs a caseworker.
const (
	statusNeedsAction = ""
	statusAny         = "all"
)

// staffQueue lists the applications to work through, due soonest first,
// filtered by service, department, status and overdue: GET /staff. It
// starts with the applications that need a caseworker.
func (s *Handler) staffQueue(c *fiber.Ctx) error {
	d := s.Directory()
	p := web.NewPage(c, "staff.queue.title")
	f := staffFilter{
		Service: c.Query("service"), Department: c.Query("department"), Status: c.Query("status"),
		Overdue: web.Truthy(c.Query("overdue")), Page: web.PageNumber(c.Query("page")),
	}
	if _, ok := d.ServiceOf[f.Service]; !ok {
		f.Service = ""
	}
	if _, ok := d.DepartmentOf[f.Department]; !ok {
		f.Department = ""
	}
	q := applications.Filter{Service: f.Service, Overdue: f.Overdue, Page: f.Page, PageSize: staffQueueSize}
	switch {
	case f.Status == statusAny:
	case slices.Contains(staffStatuses(), applications.Status(f.Status)):
		q.Status = applications.Status(f.Status)
	default:
		f.Status, q.Statuses = statusNeedsAction, applications.CouncilsTurn()
	}
	if f.Department != "" {
		q.Services = []string{}
		for i := range d.Services {
			if d.Services[i].Department == f.Department {
				q.Services = append(q.Services, d.Services[i].Slug)
			}
		}
	}
	res, err := s.apps.Queue(c.UserContext(), q)
	if err != nil {
		return err
	}
	page := staffQueuePage{Page: p, Filter: f, Total: res.Total, PageNo: res.Page, Pages: res.Pages()}
	for _, sum := range d.InLang(p.Lang, onlineSummaries(d)) {
		t := d.Loc(sum.Title, p.Lang)
		page.Services = append(page.Services, staffOption{Value: sum.Slug, Label: t.Text, Lang: t.Lang, Selected: sum.Slug == f.Service})
	}
	for i := range d.Departments {
		dep := &d.Departments[i]
		n := d.Loc(dep.Name, p.Lang)
		page.Departments = append(page.Departments, staffOption{Value: dep.Slug, Label: n.Text, Lang: n.Lang, Selected: dep.Slug == f.Department})
	}
	page.Statuses = []staffOption{
		{Value: statusNeedsAction, Label: web.T(c, "staff.queue.needs_action"), Selected: f.Status == statusNeedsAction},
		{Value: statusAny, Label: web.T(c, "staff.queue.any_status"), Selected: f.Status == statusAny},
	}
	for _, st := range staffStatuses() {
		page.Statuses = append(page.Statuses, staffOption{Value: string(st), Label: web.T(c, apply.StatusKey(st)), Selected: string(st) == f.Status})
	}
	forOrg := map[int64]string{} // "For Forno Ferri SL", each organisation looked up once
	for _, sum := range res.Items {
		row := s.apply.RowOf(c, d, sum, "/staff/applications/")
		row.Applicant = sum.Contact.Name
		if row.Applicant == "" {
			row.Applicant = web.T(c, "staff.applicant.unnamed")
		}
		label, seen := forOrg[sum.OrganisationID]
		if !seen {
			org, ok, err := s.organisation(c, sum.OrganisationID)
			if err != nil {
				return err
			}
			if ok {
				label = web.T(c, "acting.banner.organisation", "Name", org.Name)
			}
			forOrg[sum.OrganisationID] = label
		}
		row.For = label
		page.Rows = append(page.Rows, row)
	}
	if res.Page > 1 {
		page.PrevURL = f.url(res.Page - 1)
	}
	if res.Page < res.Pages() {
		page.NextURL = f.url(res.Page + 1)
	}
	return web.Render(c, "staff/queue", page)
}

func onlineSummaries(d *web.Directory) []*catalogue.ServiceSummary {
	var out []*catalogue.ServiceSummary
	for i := range d.Services {
		if d.Services[i].Online {
			out = append(out, &d.Services[i])
		}
	}
	return out
}

// url is the queue with the filter at page n.
func (f staffFilter) url(n int) string {
	v := url.Values{}
	if f.Service != "" {
		v.Set("service", f.Service)
	}
	if f.Department != "" {
		v.Set("department", f.Department)
	}
	if f.Status != "" {
		v.Set("status", f.Status)
	}
	if f.Overdue {
		v.Set("overdue", "1")
	}
	if n > 1 {
		v.Set("page", strconv.Itoa(n))
	}
	if len(v) == 0 {
		return "/staff"
	}
	return "/staff?" + v.Encode()
}
