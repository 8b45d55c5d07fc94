package reportstaff

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"sportello/catalogue"
	"sportello/portal/apply"
	"sportello/portal/web"
	"sportello/reports"
)

// showPage is templates/reports/staff_show.html's data.
type showPage struct {
	web.Page
	ID          int64
	Reference   string
	Service     string
	ServiceLang string
	Where       string
	Pin         string // "41.21900, 1.72600"; "" without one
	PinURL      string // the place on OpenStreetMap's site, for a caseworker's own map
	Description string
	Status      string
	Reported    string
	Due         string
	Supporters  int
	Photos      []photo
	History     []event
	AppURL      string
	Action      string
	BackURL     string
	// The status form, with what was chosen and typed when it was refused.
	Options []option
	Note    string
	Error   string
	ErrorOn string // "status" or "note": the input the error is about
	Done    bool
	Errors  []apply.ErrorLink
}

type photo struct{ Name, URL string }

type event struct {
	At, From, To, Note string
}

// reportShow shows one report with its status form: GET
// /staff/reports/{id}.
func (h *Handler) reportShow(c *fiber.Ctx) error {
	page, err := h.showPage(c)
	if err != nil {
		return err
	}
	page.Done = c.Query("done") == "1"
	return web.Render(c, "reports/staff_show", page)
}

// showPage reads the report of the request's :id; ErrNotFound for a
// malformed or unknown one.
func (h *Handler) showPage(c *fiber.Ctx) (*showPage, error) {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil || id <= 0 {
		return nil, catalogue.ErrNotFound
	}
	r, err := h.reports.Get(c.UserContext(), id)
	if err != nil {
		return nil, err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	d := h.Directory()
	p := web.NewPage(c, "")
	p.Title = web.T(c, "kind.report.title", "Reference", r.Reference.String())
	page := &showPage{
		Page: p, ID: r.ID, Reference: r.Reference.String(), Where: r.Address, Description: r.Description,
		Status: web.T(c, "reports.status."+string(r.Status)), Reported: h.DateTime(p.Lang, r.CreatedAt),
		Supporters: r.Supporters, AppURL: "/staff/applications/" + r.Reference.String(),
		Action: Path + "/" + strconv.FormatInt(r.ID, 10) + "/status", BackURL: Path,
	}
	if sum, ok := d.ServiceOf[r.ServiceSlug]; ok {
		page.Service, page.ServiceLang = d.Text(sum.Title, p.Lang)
	} else {
		page.Service = r.ServiceSlug
	}
	if r.DueDate != "" {
		page.Due = h.ISODate(p.Lang, r.DueDate)
	}
	if r.Point != nil {
		lat, lng := strconv.FormatFloat(r.Point.Lat, 'f', 5, 64), strconv.FormatFloat(r.Point.Lng, 'f', 5, 64)
		page.Pin = lat + ", " + lng
		page.PinURL = "https://www.openstreetmap.org/?mlat=" + lat + "&mlon=" + lng + "#map=19/" + lat + "/" + lng
	}
	for _, ph := range r.Photos {
		page.Photos = append(page.Photos, photo{Name: ph.Filename, URL: "/staff/files/" + ph.FileID})
	}
	for _, e := range r.Events {
		page.History = append(page.History, event{
			At: h.DateTime(p.Lang, e.At), From: web.T(c, "reports.status."+string(e.From)),
			To: web.T(c, "reports.status."+string(e.To)), Note: e.Note,
		})
	}
	for _, st := range reports.Statuses {
		if reports.Allowed(r.Status, st) {
			page.Options = append(page.Options, option{Value: string(st), Label: web.T(c, "reports.status."+string(st))})
		}
	}
	return page, nil
}
