// Package unsubscribe serves the links at the foot of the mails a person
// may turn off (RFC 8058): GET /unsubscribe/{token} says what will stop and
// asks to confirm; POST turns that kind of mail off, whether from the
// page's button or from a mail client's one-click request, which comes
// without a cookie and is exempt from the CSRF check (OneClick). The token
// is the capability: only notify's key makes one, for one person and one
// kind, and the most it can do is turn that kind off, which the person can
// undo in the account's settings.
package unsubscribe

import (
	"context"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"sportello/notify"
	"sportello/portal/web"
)

// The paths.
const (
	prefix = "/unsubscribe/"
	// SettingsPath is the account's notification settings, where a kind
	// turned off here is turned on again.
	SettingsPath = "/account/notifications"
)

// Path is the unsubscribe link of token.
func Path(token string) string { return prefix + url.PathEscape(token) }

// Store reads tokens and turns kinds off (*notify.Store).
type Store interface {
	CheckUnsubscribe(ctx context.Context, token string) (int64, notify.Kind, error)
	TurnOff(ctx context.Context, personID int64, kind notify.Kind) error
}

// Handler serves the unsubscribe pages.
type Handler struct {
	*web.Shared
	store Store
}

// New returns the unsubscribe pages' handler.
func New(sh *web.Shared, store Store) *Handler {
	return &Handler{Shared: sh, store: store}
}

// Routes mounts the pages. formPage gives the GET page its CSRF token
// (auth.FormPage): the person following the link is rarely signed in.
func (h *Handler) Routes(r fiber.Router, formPage fiber.Handler) {
	r.Get(prefix+":token", formPage, h.unsubscribeShow)
	r.Post(prefix+":token", h.unsubscribeConfirm)
}

// OneClick reports whether c is a one-click unsubscribe as mail clients
// send it (RFC 8058 §3.2): a POST to an unsubscribe link whose body is
// List-Unsubscribe=One-Click. It comes without cookies, so without a CSRF
// token; the CSRF check lets it through (auth.Auth.ExemptCSRF). That is
// safe because the link's token is the capability: a forged request must
// know it, and whoever knows it may turn that one kind off anyway.
func OneClick(c *fiber.Ctx) bool {
	return c.Method() == fiber.MethodPost && strings.HasPrefix(c.Path(), prefix) &&
		c.FormValue("List-Unsubscribe") == "One-Click"
}

// check reads the link's token: a bad one is a 404 page in the link's
// language.
func (h *Handler) check(c *fiber.Ctx) (int64, notify.Kind, error) {
	// The page's address holds the token: it goes to no other site.
	c.Set(fiber.HeaderReferrerPolicy, "no-referrer")
	c.Set(fiber.HeaderCacheControl, "no-store")
	id, kind, err := h.store.CheckUnsubscribe(c.UserContext(), c.Params("token"))
	if err != nil {
		return 0, "", web.NewError(fiber.StatusNotFound, "unsubscribe.error.not_found", err)
	}
	return id, kind, nil
}

// page is templates/unsubscribe/show.html's and done.html's data.
type page struct {
	web.Page
	Kind        string // notify.Kind
	What        string // which mails stop
	Action      string // the form's
	SettingsURL string
}

func (h *Handler) page(c *fiber.Ctx, kind notify.Kind, titleKey string) page {
	p := page{
		Page:        web.NewPage(c, ""),
		Kind:        string(kind),
		What:        web.T(c, "unsubscribe.what."+string(kind)),
		Action:      web.WithLang(Path(c.Params("token")), web.LangOf(c)),
		SettingsURL: SettingsPath,
	}
	p.Title = web.T(c, titleKey+"."+string(kind))
	return p
}
