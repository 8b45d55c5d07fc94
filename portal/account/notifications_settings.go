package account

import (
	"slices"

	"github.com/gofiber/fiber/v2"

	"sportello/notify"
	"sportello/portal/web"
)

// notificationsSettings saves which kinds the person receives and the
// language of their mail: POST /account/notifications/settings. A kind
// that cannot be turned off, or a language not offered, is refused: the
// form never sends them.
func (s *Handler) notificationsSettings(c *fiber.Ctx) error {
	v := web.ViewerOf(c)
	ctx := c.UserContext()
	var receive []notify.Kind
	for _, raw := range c.Request().PostArgs().PeekMulti("receive") {
		k := notify.Kind(raw)
		if !k.Optional() || k == notify.SupportAlert {
			return web.NewError(fiber.StatusBadRequest, "", nil)
		}
		receive = append(receive, k)
	}
	lang := c.FormValue("lang")
	if lang != "" && !slices.Contains(web.SiteOf(c).Languages, lang) {
		return s.refuse(c, "#lang-auto", "notifications.error.lang", func(p *notificationsPage, msg string) { p.LangErr = msg })
	}
	// Support alerts are chosen in their own form; what the mail's
	// unsubscribe link turned off stays off (SaveChoices keeps it).
	var off []notify.Kind
	for _, k := range notify.OptionalKinds() {
		if k != notify.SupportAlert && !slices.Contains(receive, k) {
			off = append(off, k)
		}
	}
	if err := s.notes.SaveChoices(ctx, v.PersonID, lang, off); err != nil {
		return err
	}
	return done(c, "settings")
}
