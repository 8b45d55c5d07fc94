package holidays

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"sportello/calendar"
	"sportello/portal/web"
)

// holidayRemove takes a holiday off the list: POST
// /staff/holidays/{date}/remove. A day that is no longer listed (removed
// by someone else meanwhile) says so.
func (h *Handler) holidayRemove(c *fiber.Ctx) error {
	date := c.Params("date")
	if _, err := calendar.ParseDate(date); err != nil {
		return web.NewError(fiber.StatusNotFound, "", err)
	}
	back := yearURL(calendar.YearOf(date))
	err := h.holidays.Remove(c.UserContext(), date)
	switch {
	case errors.Is(err, calendar.ErrNotFound):
		return c.Redirect(back+"&done=gone", fiber.StatusSeeOther)
	case err != nil:
		return err
	}
	h.Log.InfoContext(c.UserContext(), "holiday removed", "date", date, "admin", viewerID(c))
	return c.Redirect(back+"&done=removed", fiber.StatusSeeOther)
}
