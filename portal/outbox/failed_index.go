package outbox

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"sportello/notify"
	"sportello/portal/web"
)

// listSize bounds the page: more failures than this is an outage to mend,
// not a list to read.
const listSize = 200

// failedPage is templates/outbox/failed.html's data.
type failedPage struct {
	web.Page
	Rows []failedRow
	// Done is the notice after trying one again: "retried" or "gone".
	Done string
}

type failedRow struct {
	Kind      string // translated
	Ref       string
	RefURL    string // the application's staff page; "" without a reference
	To        string // masked
	Attempts  int
	Error     string
	Added     string
	RetryURL  string
	RetryName string // the button's accessible name, with the reference
}

// failedIndex lists the notifications that failed, the newest first: GET
// /staff/notifications.
func (h *Handler) failedIndex(c *fiber.Ctx) error {
	p := web.NewPage(c, "outbox.title")
	failed, err := h.outbox.Failed(c.UserContext(), listSize)
	if err != nil {
		return err
	}
	page := failedPage{Page: p}
	switch d := c.Query("done"); d {
	case "retried", "gone":
		page.Done = d
	}
	for _, f := range failed {
		row := failedRow{
			Kind: web.T(c, KindKey(f.Kind)), Ref: f.Ref, Attempts: f.Attempts, Error: f.Error,
			Added: h.DateTime(p.Lang, f.Created), RetryURL: Path + "/" + strconv.FormatInt(f.ID, 10) + "/retry",
		}
		if f.To != "" {
			row.To = notify.MaskAddress(f.To)
		}
		if f.Ref != "" {
			row.RefURL = "/staff/applications/" + f.Ref
		}
		row.RetryName = web.T(c, "outbox.retry_named", "Kind", row.Kind, "Ref", f.Ref)
		page.Rows = append(page.Rows, row)
	}
	return web.Render(c, "outbox/failed", page)
}

// KindKey is the message naming a kind of notification.
func KindKey(k notify.Kind) string { return "outbox.kind." + string(k) }
