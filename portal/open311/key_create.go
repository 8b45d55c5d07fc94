package open311

import (
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"sportello/portal/web"
)

// keyCreate issues a key: POST /staff/open311-keys. The page that answers
// shows the key this once; only its hash is kept.
func (h *Handler) keyCreate(c *fiber.Ctx) error {
	ctx := c.UserContext()
	name := strings.TrimSpace(c.FormValue("name"))
	var problem string
	switch n := utf8.RuneCountInString(name); {
	case n == 0:
		problem = web.T(c, "open311.keys.error.name_missing")
	case n > maxKeyName:
		problem = web.T(c, "open311.keys.error.name_long", "Max", maxKeyName, "Count", n)
	}
	if problem != "" {
		page, err := h.keysPage(c)
		if err != nil {
			return err
		}
		page.Name, page.NameError = name, problem
		page.Errors = []errorLink{{Href: "#key-name", Message: problem}}
		page.Title = web.T(c, "apply.error_title_prefix") + " " + page.Title
		c.Status(fiber.StatusUnprocessableEntity)
		return web.Render(c, "open311/keys", page)
	}
	key, secret, err := h.opts.Keys.Issue(ctx, name, viewerID(c))
	if err != nil {
		return err
	}
	h.Log.InfoContext(ctx, "open311 key issued", "key", key.ID, "prefix", key.Prefix, "admin", viewerID(c))
	page, err := h.keysPage(c)
	if err != nil {
		return err
	}
	page.Issued, page.IssuedName = secret, key.Name
	return web.Render(c, "open311/keys", page)
}
