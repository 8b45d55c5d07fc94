package public

import (
	"github.com/gofiber/fiber/v2"

	"sportello/portal/web"
)

// feedbackPage is templates/editor/feedback_form.html: "Was this page
// useful?" for one service, its optional comment, and the thanks.
type feedbackPage struct {
	web.Page
	ServiceURL   string
	ServiceTitle string
	TitleLang    string // language of ServiceTitle when not the page's
	Action       string
	Useful       string // "yes", "no" or "" when not chosen yet
	Comment      string
	MaxComment   int
	Errors       []web.FormProblem
	Sent         bool
}

// MaxFeedbackComment bounds a comment, in characters.
const MaxFeedbackComment = 1000

// feedbackShow asks whether the service page was useful. The service page
// links here with ?useful=yes or no, so that the page itself stays one
// cached render with no form and no session.
func (s *Handler) feedbackShow(c *fiber.Ctx) error {
	p, err := s.newFeedbackPage(c)
	if err != nil {
		return err
	}
	switch u := c.Query("useful"); u {
	case "yes", "no":
		p.Useful = u
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set("X-Robots-Tag", "noindex")
	return web.Render(c, "editor/feedback_form", p)
}

func (s *Handler) newFeedbackPage(c *fiber.Ctx) (feedbackPage, error) {
	if s.feedback == nil {
		return feedbackPage{}, fiber.ErrNotFound
	}
	d := s.Directory()
	slug := c.Params("slug")
	sum, ok := d.ServiceOf[slug]
	if !ok {
		return feedbackPage{}, fiber.ErrNotFound
	}
	p := feedbackPage{Page: web.NewPage(c, "feedback.title"), ServiceURL: web.ServiceURL(slug), MaxComment: MaxFeedbackComment}
	p.ServiceTitle, p.TitleLang = d.Text(sum.Title, p.Lang)
	p.Action = web.ServiceURL(slug) + "/feedback"
	return p, nil
}
