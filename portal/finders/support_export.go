package finders

import (
	"github.com/gofiber/fiber/v2"

	"sportello/portal/yourdata"
)

// SavedAnswers words saved support-finder answers (their JSON) in the
// request's language, question by question as the account's support page
// shows them, for "Your data".
func (s *Handler) SavedAnswers(c *fiber.Ctx, raw string) ([]yourdata.QA, error) {
	f, err := s.finders(c.UserContext())
	if err != nil {
		return nil, err
	}
	iv := walk(f.rules, decodeAnswers(f.rules, raw))
	rows := s.answerRows(c, iv, false)
	out := make([]yourdata.QA, 0, len(rows))
	for i, q := range iv.path {
		if i < len(rows) {
			out = append(out, yourdata.QA{Name: q.Name, Question: rows[i].Question, Answer: rows[i].Answer})
		}
	}
	return out, nil
}
