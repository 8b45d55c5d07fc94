package reportstaff

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"sportello/catalogue"
	"sportello/portal/web"
	"sportello/reports"
)

// indexPage is templates/reports/staff_index.html's data.
type indexPage struct {
	web.Page
	Service  string
	Status   string
	Services []option
	Statuses []option
	Rows     []row
	Total    int
	Shown    int
	Map      *web.MapView
}

type option struct {
	Value, Label, Lang string
	Selected           bool
}

// row is one report of the list; Lat and Lng, when set, place it on the
// map (assets/map.js reads them from the row).
type row struct {
	URL, Reference     string
	Service, Lang      string
	Where              string
	Lat, Lng           string
	Status, StatusCode string
	Reported           string
	Supporters         int
}

// listSize is how many reports the list and the map show at most.
const listSize = 200

// reportIndex lists the reports, newest first, filtered by service and
// status: GET /staff/reports?service=&status=. The list is the page; the
// map draws the same rows.
func (h *Handler) reportIndex(c *fiber.Ctx) error {
	d := h.Directory()
	p := web.NewPage(c, "reports.staff.title")
	page := indexPage{Page: p, Service: c.Query("service"), Status: c.Query("status")}
	f := reports.Filter{Limit: listSize}
	// The report-kind services, in the order of their titles.
	var kind []*catalogue.ServiceSummary
	for i := range d.Services {
		if sum := &d.Services[i]; sum.Online && catalogue.TransactionOf(sum.Kind) == catalogue.TransactionReport {
			kind = append(kind, sum)
		}
	}
	for _, sum := range d.InLang(p.Lang, kind) {
		t := d.Loc(sum.Title, p.Lang)
		page.Services = append(page.Services, option{Value: sum.Slug, Label: t.Text, Lang: t.Lang, Selected: sum.Slug == page.Service})
	}
	if page.Service != "" {
		if _, ok := d.ServiceOf[page.Service]; !ok {
			page.Service = ""
		} else {
			f.Services = []string{page.Service}
		}
	}
	for _, st := range reports.Statuses {
		page.Statuses = append(page.Statuses, option{Value: string(st), Label: web.T(c, "reports.status."+string(st)), Selected: string(st) == page.Status})
	}
	if st := reports.Status(page.Status); st.Valid() {
		f.Statuses = []reports.Status{st}
	} else {
		page.Status = ""
	}
	list, total, err := h.reports.List(c.UserContext(), f)
	if err != nil {
		return err
	}
	page.Total, page.Shown = total, len(list)
	for _, r := range list {
		rw := row{
			URL: Path + "/" + strconv.FormatInt(r.ID, 10), Reference: r.Reference.String(), Where: r.Address,
			Status: web.T(c, "reports.status."+string(r.Status)), StatusCode: string(r.Status),
			Reported: h.Date(p.Lang, r.CreatedAt), Supporters: r.Supporters,
		}
		if sum, ok := d.ServiceOf[r.ServiceSlug]; ok {
			rw.Service, rw.Lang = d.Text(sum.Title, p.Lang)
		} else {
			rw.Service = r.ServiceSlug
		}
		if r.Point != nil {
			rw.Lat, rw.Lng = strconv.FormatFloat(r.Point.Lat, 'f', 6, 64), strconv.FormatFloat(r.Point.Lng, 'f', 6, 64)
		}
		page.Rows = append(page.Rows, rw)
	}
	if h.maps != nil && len(page.Rows) > 0 {
		page.Map = web.MapViewOf(c, *h.maps, "reports-map", web.T(c, "reports.staff.map.label"), web.T(c, "reports.staff.map.hint"))
	}
	return web.Render(c, "reports/staff_index", page)
}
