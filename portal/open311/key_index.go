package open311

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"sportello/portal/web"
	"sportello/reports"
)

// keysPage is templates/open311/keys.html's data.
type keysPage struct {
	web.Page
	Endpoint string // the API's address, for the developers to be told
	Rows     []keyRow
	// Done is the notice after a change: "revoked".
	Done string
	// Issued is the key just made, shown this once; "" otherwise.
	Issued     string
	IssuedName string
	Name       string // the name typed
	NameError  string
	Errors     []errorLink
}

type keyRow struct {
	Name       string
	Prefix     string
	Created    string
	LastUsed   string // "" when never
	Revoked    string // "" while in use
	RevokeURL  string
	RevokeName string // the button's accessible name, with the key's
}

type errorLink struct{ Href, Message string }

// maxKeyName bounds the name of a key.
const maxKeyName = 100

// keyIndex lists the API keys with a form to issue one: GET
// /staff/open311-keys.
func (h *Handler) keyIndex(c *fiber.Ctx) error {
	page, err := h.keysPage(c)
	if err != nil {
		return err
	}
	if c.Query("done") == "revoked" {
		page.Done = "revoked"
	}
	return web.Render(c, "open311/keys", page)
}

func (h *Handler) keysPage(c *fiber.Ctx) (keysPage, error) {
	// The page may show a key once: no cache keeps it.
	c.Set(fiber.HeaderCacheControl, "no-store")
	p := keysPage{Page: web.NewPage(c, "open311.keys.title"), Endpoint: h.BaseURL + V2}
	keys, err := h.opts.Keys.List(c.UserContext())
	if err != nil {
		return p, err
	}
	for _, k := range keys {
		row := keyRow{Name: k.Name, Prefix: k.Prefix + "…", Created: h.DateTime(p.Lang, k.CreatedAt)}
		if !k.LastUsedAt.IsZero() {
			row.LastUsed = h.DateTime(p.Lang, k.LastUsedAt)
		}
		if k.Revoked() {
			row.Revoked = h.DateTime(p.Lang, k.RevokedAt)
		} else {
			row.RevokeURL = keyURL(k) + "/revoke"
			row.RevokeName = web.T(c, "open311.keys.revoke_named", "Name", k.Name)
		}
		p.Rows = append(p.Rows, row)
	}
	return p, nil
}

func keyURL(k reports.APIKey) string { return KeysPath + "/" + strconv.FormatInt(k.ID, 10) }

// viewerID is the signed-in administrator's person id.
func viewerID(c *fiber.Ctx) int64 {
	if v := web.ViewerOf(c); v != nil {
		return v.PersonID
	}
	return 0
}
