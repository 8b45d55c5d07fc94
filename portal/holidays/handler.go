// Package holidays is the administrators' page of the council's public
// holidays (package calendar), at /staff/holidays: the national, regional
// and local holidays of each year, which decision dates skip, added and
// removed there.
package holidays

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"sportello/calendar"
	"sportello/portal/web"
)

// Path is the page of holidays.
const Path = "/staff/holidays"

// Holidays is what the page reads and changes: calendar.Store.
type Holidays interface {
	Year(ctx context.Context, year int) ([]calendar.Holiday, error)
	Add(ctx context.Context, h calendar.Holiday, by int64) error
	Remove(ctx context.Context, date string) error
}

// Handler serves the holidays' page.
type Handler struct {
	*web.Shared
	holidays Holidays
}

// New returns the page's handler.
func New(sh *web.Shared, h Holidays) *Handler { return &Handler{Shared: sh, holidays: h} }

// Routes mounts the page behind adminOnly: a holiday moves every decision
// date counted over it, so only administrators change the list.
func (h *Handler) Routes(r fiber.Router, adminOnly fiber.Handler) {
	r.Get(Path, adminOnly, h.holidayIndex)
	r.Post(Path, adminOnly, h.holidayAdd)
	r.Post(Path+"/:date/remove", adminOnly, h.holidayRemove)
}
