package outbox

import (
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"sportello/portal/web"
	"sportello/store"
)

// failedRetry puts a failed notification back in the outbox for one more
// try: POST /staff/notifications/{id}/retry.
func (h *Handler) failedRetry(c *fiber.Ctx) error {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil {
		return web.NewError(fiber.StatusNotFound, "", err)
	}
	err = h.outbox.Retry(c.UserContext(), id)
	switch {
	case errors.Is(err, store.ErrNotFound):
		// Someone else tried it again first, or it went meanwhile.
		return c.Redirect(Path+"?done=gone", fiber.StatusSeeOther)
	case err != nil:
		return err
	}
	var who int64
	if v := web.ViewerOf(c); v != nil {
		who = v.PersonID
	}
	h.Log.InfoContext(c.UserContext(), "outbox: a failed notification was put back to be tried again", "notification", id, "staff", who)
	return c.Redirect(Path+"?done=retried", fiber.StatusSeeOther)
}
