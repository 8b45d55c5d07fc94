// Package outbox shows staff the notifications that could not be sent
// (package notify), at /staff/notifications, and lets them put one back
// for another try once the cause is mended.
package outbox

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"sportello/notify"
	"sportello/portal/web"
)

// Path is the page of failed notifications.
const Path = "/staff/notifications"

// Outbox is what the page reads and changes: notify.Store.
type Outbox interface {
	Failed(ctx context.Context, limit int) ([]notify.Failure, error)
	Retry(ctx context.Context, id int64) error
}

// Handler serves the failed notifications' page.
type Handler struct {
	*web.Shared
	outbox Outbox
}

// New returns the page's handler.
func New(sh *web.Shared, o Outbox) *Handler { return &Handler{Shared: sh, outbox: o} }

// Routes mounts the page behind staffOnly (caseworkers and admins).
func (h *Handler) Routes(r fiber.Router, staffOnly fiber.Handler) {
	r.Get(Path, staffOnly, h.failedIndex)
	r.Post(Path+"/:id/retry", staffOnly, h.failedRetry)
}
