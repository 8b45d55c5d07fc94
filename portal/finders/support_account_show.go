package finders

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"sportello/catalogue"
	"sportello/portal/web"
)

// supportAccountPage is templates/support/account.html.
type supportAccountPage struct {
	web.Page
	HasSaved   bool
	Incomplete bool // questions were added since the answers were saved
	Answers    []supportAnswerRow
	Results    supportResults
	JustSaved  bool
	Deleted    bool
	FinderURL  string
}

// supportAccountShow shows "Support you may be able to get" from the
// signed-in resident's saved answers: GET /account/support. The answers are
// evaluated again against the current catalogue each time, so a rule that
// changed shows its new outcome.
func (s *Handler) supportAccountShow(c *fiber.Ctx) error {
	v := web.ViewerOf(c)
	saved := s.saved
	if v == nil || saved == nil {
		return web.NewError(fiber.StatusNotFound, "", nil)
	}
	f, err := s.finders(c.UserContext())
	if err != nil {
		return err
	}
	page := supportAccountPage{
		Page:      web.NewPage(c, "support.account.title"),
		JustSaved: c.Query("saved") != "",
		Deleted:   c.Query("deleted") != "",
		FinderURL: supportStartPath,
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	a, err := saved.SavedAnswers(c.UserContext(), v.PersonID)
	switch {
	case errors.Is(err, catalogue.ErrNotFound):
		page.JustSaved = false
		return web.Render(c, "support/account", page)
	case err != nil:
		return web.NewError(fiber.StatusInternalServerError, "", err)
	}
	page.Deleted = false
	iv := walk(f.rules, decodeAnswers(f.rules, a.Answers))
	page.HasSaved = true
	page.Incomplete = !iv.done()
	page.Answers = s.answerRows(c, iv, false)
	if page.Results, err = s.supportResults(c.UserContext(), f, iv.answers, page.Lang); err != nil {
		return err
	}
	return web.Render(c, "support/account", page)
}
