// Package devmail shows the development mailbox at /dev-mail: the mail
// Sportello would have sent, when it runs without a mail server outside
// production. The portal mounts it only then.
package devmail

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"sportello/notify"
	"sportello/portal/web"
)

// Path is where the mailbox is shown; the demo banner links to it.
const Path = "/dev-mail"

// Mailbox is what the pages read: notify.DevMailbox.
type Mailbox interface {
	List(ctx context.Context, limit int) ([]notify.DevMail, error)
	Get(ctx context.Context, id int64) (notify.DevMail, error)
}

// Handler serves the development mailbox.
type Handler struct {
	*web.Shared
	box Mailbox
}

// New returns the mailbox's pages.
func New(sh *web.Shared, box Mailbox) *Handler { return &Handler{Shared: sh, box: box} }

// Routes mounts the mailbox. It asks for no sign-in, like the demo sign-in
// it goes with: anyone who can reach a development Sportello can read the
// mail it kept.
func (h *Handler) Routes(r fiber.Router) {
	r.Get(Path, h.devMailIndex)
	r.Get(Path+"/:id", h.devMailShow)
	r.Get(Path+"/:id/html", h.devMailHTML)
}
