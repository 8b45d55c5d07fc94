package finders

import (
	"github.com/gofiber/fiber/v2"

	"sportello/portal/web"
)

// supportAnswersPage is templates/support/answers.html: "check your
// answers", each with a link to change it.
type supportAnswersPage struct {
	web.Page
	Answers    []supportAnswerRow
	ResultsURL string
	BackURL    string
}

// supportAnswerRow is one answer in a summary list.
type supportAnswerRow struct {
	Question  web.Localised
	Answer    string
	ChangeURL string // "" where answers cannot be changed (the account page)
}

// supportAnswersShow shows the answers given: GET /support-finder/answers.
// Until every question that matters is answered it sends the browser to the
// next one.
func (s *Handler) supportAnswersShow(c *fiber.Ctx) error {
	_, iv, ok, err := s.answeredInterview(c)
	if !ok {
		return err
	}
	page := supportAnswersPage{
		Page:       web.NewPage(c, "support.answers.title"),
		Answers:    s.answerRows(c, iv, true),
		ResultsURL: supportResultsPath,
		BackURL:    supportStartPath,
	}
	if n := len(iv.path); n > 0 {
		page.BackURL = supportQuestionPath(iv.path[n-1].Name, false)
	}
	return web.Render(c, "support/answers", page)
}

func (s *Handler) answerRows(c *fiber.Ctx, iv interview, changeable bool) []supportAnswerRow {
	d := s.Directory()
	lang := web.LangOf(c)
	rows := make([]supportAnswerRow, 0, len(iv.path))
	for _, q := range iv.path {
		row := supportAnswerRow{Question: d.Loc(q.Label, lang), Answer: answerText(c, q, iv.answers[q.Name])}
		if changeable {
			row.ChangeURL = supportQuestionPath(q.Name, true)
		}
		rows = append(rows, row)
	}
	return rows
}
