package open311

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"sportello/portal/web"
)

// keyRevoke stops a key from working: POST /staff/open311-keys/{id}/revoke.
// A system still using it is then refused (403) from its next request.
func (h *Handler) keyRevoke(c *fiber.Ctx) error {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil {
		return web.NewError(fiber.StatusNotFound, "", err)
	}
	if err := h.opts.Keys.Revoke(c.UserContext(), id, viewerID(c)); err != nil {
		return err
	}
	h.Log.InfoContext(c.UserContext(), "open311 key revoked", "key", id, "admin", viewerID(c))
	return c.Redirect(KeysPath+"?done=revoked", fiber.StatusSeeOther)
}
