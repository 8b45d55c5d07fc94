// Package reportstaff is the caseworkers' pages of reports at a place
// (package reports), at /staff/reports: the reports in a list and on a
// map, filtered by service and status, and each report, whose status they
// set with a note that its reporter and supporters are mailed.
package reportstaff

import (
	"github.com/gofiber/fiber/v2"

	"sportello/applications"
	"sportello/portal/web"
	"sportello/reports"
)

// Path is the list of reports.
const Path = "/staff/reports"

// Handler serves the staff's report pages.
type Handler struct {
	*web.Shared
	reports reports.Store
	maps    *web.Map
}

// New returns the handler; m draws the map of the list (nil: none).
func New(sh *web.Shared, rs reports.Store, m *web.Map) *Handler {
	return &Handler{Shared: sh, reports: rs, maps: m}
}

// Routes mounts the pages behind staffOnly: caseworkers and administrators.
func (h *Handler) Routes(r fiber.Router, staffOnly fiber.Handler) {
	r.Get(Path, staffOnly, h.reportIndex)
	r.Get(Path+"/:id", staffOnly, h.reportShow)
	r.Post(Path+"/:id/status", staffOnly, h.reportStatus)
}

// actor is the signed-in member of staff as the report's history records
// them.
func actor(c *fiber.Ctx) applications.Actor {
	v := web.ViewerOf(c)
	role := applications.RoleAdmin
	if v.Has(web.RoleCaseworker) {
		role = applications.RoleCaseworker
	}
	return applications.Actor{PersonID: v.PersonID, Role: role}
}
