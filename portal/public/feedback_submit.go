package public

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"sportello/portal/web"
)

// Page feedback is anonymous, so it is limited per client address, across
// the instances: enough for a family behind one router, too few for a
// script.
const (
	FeedbackMax    = 20
	feedbackWindow = time.Hour
)

var feedbackRateLimit = web.RateLimit{
	Name: "feedback", Max: FeedbackMax, Window: feedbackWindow,
	Refuse: func(c *fiber.Ctx) error {
		return web.NewError(fiber.StatusTooManyRequests, "feedback.error.rate_limited", nil)
	},
}

// feedbackLimited applies the page feedback limiter.
func (s *Handler) feedbackLimited(c *fiber.Ctx) error {
	if s.feedback == nil {
		return fiber.ErrNotFound
	}
	return s.feedbackLimit(c)
}

// honeypotField is a text input people never see nor fill in; a form that
// arrives with it filled was filled in by a robot.
const honeypotField = "website"

// feedbackSubmit counts the answer and keeps the comment. Nothing about who
// sent it is stored.
func (s *Handler) feedbackSubmit(c *fiber.Ctx) error {
	p, err := s.newFeedbackPage(c)
	if err != nil {
		return err
	}
	p.Useful = c.FormValue("useful")
	p.Comment = cleanComment(c.FormValue("comment"))
	if c.FormValue(honeypotField) != "" {
		// Answer as if it worked, so the robot learns nothing.
		p.Sent = true
		return web.Render(c, "editor/feedback_form", p)
	}
	if p.Useful != "yes" && p.Useful != "no" {
		p.Errors = append(p.Errors, web.FormProblem{ID: "feedback-useful-yes", Message: web.T(c, "feedback.error.useful")})
	}
	if n := utf8.RuneCountInString(p.Comment); n > MaxFeedbackComment {
		p.Errors = append(p.Errors, web.FormProblem{ID: "feedback-comment", Message: web.T(c, "feedback.error.too_long", "Max", web.Number(p.Lang, MaxFeedbackComment), "N", web.Number(p.Lang, int64(n)))})
	}
	if len(p.Errors) > 0 {
		c.Status(fiber.StatusUnprocessableEntity)
		return web.Render(c, "editor/feedback_form", p)
	}
	if err := s.feedback.AddFeedback(c.UserContext(), c.Params("slug"), p.Useful == "yes", p.Lang, p.Comment, time.Now()); err != nil {
		return err
	}
	p.Sent, p.Comment = true, ""
	return web.Render(c, "editor/feedback_form", p)
}

// cleanComment removes control characters (keeping line breaks) and
// surrounding space.
func cleanComment(s string) string {
	s = strings.ToValidUTF8(s, "")
	s = strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' {
			return r
		}
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return -1
		}
		return r
	}, s)
	return strings.TrimSpace(s)
}
