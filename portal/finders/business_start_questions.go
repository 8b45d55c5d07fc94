package finders

import (
	"net/url"

	"github.com/gofiber/fiber/v2"

	"sportello/catalogue/eligibility"
	"sportello/portal/web"
)

// Answers to a business question; "unsure" keeps the permit in the plan.
const (
	businessYes    = "yes"
	businessNo     = "no"
	businessUnsure = "unsure"
)

// businessQuestionsPage is templates/business/questions.html.
type businessQuestionsPage struct {
	web.Page
	What      string
	Choice    web.Localised
	Questions []businessQuestionView
	Errors    []businessQuestionView // the questions left unanswered, for the error summary
	BackURL   string
	Action    string
}

// businessQuestionView is one yes/no question with what was answered.
type businessQuestionView struct {
	Key   string
	Text  web.Localised
	Value string
	Error string
}

// businessStartQuestions asks the questions that decide which permits the
// business needs: GET /business/start/questions?what=journey:open-a-restaurant.
// With nothing to ask it goes straight to the plan.
func (s *Handler) businessStartQuestions(c *fiber.Ctx) error {
	f, err := s.finders(c.UserContext())
	if err != nil {
		return err
	}
	lang := web.LangOf(c)
	what := c.Query("what")
	ch, ok := s.businessChoiceOf(f, what, lang)
	if !ok {
		c.Status(fiber.StatusUnprocessableEntity)
		return s.renderBusinessStart(c, f, "", web.T(c, "business_start.error.what"))
	}
	qs, err := f.business.Questions(ch.Value)
	if err != nil {
		return err
	}
	if len(qs) == 0 {
		return c.Redirect(businessURL(businessPlanPath, ch.Value, nil), fiber.StatusSeeOther)
	}
	return s.renderBusinessQuestions(c, ch, qs, false)
}

// renderBusinessQuestions shows the questions with the answers in the
// query; withErrors marks the unanswered ones.
func (s *Handler) renderBusinessQuestions(c *fiber.Ctx, ch businessChoice, qs []eligibility.BusinessQuestion, withErrors bool) error {
	d := s.Directory()
	p := web.NewPage(c, "")
	page := businessQuestionsPage{
		What:    ch.Value,
		Choice:  ch.Title,
		BackURL: businessStartPath + "?" + url.Values{"what": {ch.Value}}.Encode(),
		Action:  businessPlanPath,
	}
	for _, q := range qs {
		v := businessQuestionView{Key: q.Key, Text: d.Loc(q.Text, p.Lang), Value: c.Query(q.Key)}
		if !validBusinessAnswer(v.Value) {
			v.Value = ""
			if withErrors {
				v.Error = web.T(c, "business_start.error.answer")
				page.Errors = append(page.Errors, v)
			}
		}
		page.Questions = append(page.Questions, v)
	}
	p.Title = web.T(c, "business_start.questions.title", "Choice", ch.Title.Text)
	if len(page.Errors) > 0 {
		p.Title = web.T(c, "support.error.title_prefix") + " " + p.Title
	}
	page.Page = p
	return web.Render(c, "business/questions", page)
}

func validBusinessAnswer(v string) bool {
	return v == businessYes || v == businessNo || v == businessUnsure
}
