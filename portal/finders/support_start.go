package finders

import (
	"github.com/gofiber/fiber/v2"

	"sportello/portal/web"
)

// supportStartPage is templates/support/start.html.
type supportStartPage struct {
	web.Page
	StartURL    string
	InProgress  bool // the session holds answers: offer to carry on
	ContinueURL string
	SignedIn    bool
	IdleMinutes int // how long a session lasts without activity
}

// supportStart introduces the support finder: GET /support-finder. It has
// no form, so an anonymous visitor gets no session until the first
// question.
func (s *Handler) supportStart(c *fiber.Ctx) error {
	f, iv, err := s.interviewOf(c)
	if err != nil {
		return err
	}
	page := supportStartPage{Page: web.NewPage(c, "support.start.title")}
	page.SignedIn = page.Viewer != nil
	page.IdleMinutes = int(s.auth.Config().IdleTimeout.Minutes())
	if q, _ := f.rules.NextQuestion(nil); q != nil {
		page.StartURL = supportQuestionPath(q.Name, false)
	}
	if len(iv.keep) > 0 {
		page.InProgress = true
		page.ContinueURL = iv.nextURL(false)
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return web.Render(c, "support/start", page)
}

// supportRestart forgets the answers in the session: POST
// /support-finder/restart. Answers saved in the account stay until deleted
// there.
func (s *Handler) supportRestart(c *fiber.Ctx) error {
	if err := s.auth.SetSessionValue(c, supportSessionKey, ""); err != nil {
		return web.NewError(fiber.StatusInternalServerError, "", err)
	}
	return c.Redirect(supportStartPath, fiber.StatusSeeOther)
}
