package finders

import (
	"maps"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"sportello/catalogue"
	"sportello/catalogue/eligibility"
	"sportello/portal/web"
)

// supportQuestionPage is templates/support/question.html: one profile
// question on its own page.
type supportQuestionPage struct {
	web.Page
	Name     string
	Question web.Localised
	Integer  bool
	Hint     string
	Action   string // the form's target, keeping ?change=1
	BackURL  string
	Number   int    // the question's place in the interview, from 1
	Value    string // what the field shows: the answer given, or what was typed
	Error    string // translated; "" when none
	// Unknown is the words of the question's "I don't know" or "I'd rather
	// not say", "" when it must be answered; UnknownChosen when it is the
	// answer.
	Unknown       string
	UnknownChosen bool
}

// supportQuestionShow shows a question: GET /support-finder/questions/:name.
// Only the questions already answered and the next one can be shown; any
// other (skipped because it cannot change the result) sends the browser on
// to where the interview is.
func (s *Handler) supportQuestionShow(c *fiber.Ctx) error {
	at, err := s.questionAsked(c)
	if at == nil {
		return err
	}
	iv, i, q, name := at.iv, at.i, at.q, at.name
	value := ""
	if v, ok := iv.answers[name]; ok {
		value = answerValue(v)
	}
	return s.renderSupportQuestion(c, iv, i, q, value, "")
}

// supportQuestionAnswer records an answer: POST
// /support-finder/questions/:name. A valid answer goes into the session and
// the browser moves on to the next question that can still change the
// result, or to the summary; an invalid one shows the question again with
// the error.
func (s *Handler) supportQuestionAnswer(c *fiber.Ctx) error {
	at, err := s.questionAsked(c)
	if at == nil {
		return err
	}
	f, iv, i, q, name := at.f, at.iv, at.i, at.q, at.name
	raw := c.FormValue("answer")
	v, key, pairs := parseAnswer(q, raw, c.FormValue(inputUnknown) != "")
	if key != "" {
		c.Status(fiber.StatusUnprocessableEntity)
		return s.renderSupportQuestion(c, iv, i, q, raw, web.T(c, key, pairs...))
	}
	given := maps.Clone(iv.keep)
	given[name] = v
	iv = walk(f.rules, given)
	if err := s.setSessionAnswers(c, iv.keep); err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Redirect(iv.nextURL(c.Query("change") != ""), fiber.StatusSeeOther)
}

// askedQuestion is where a question URL stands in the resident's interview.
type askedQuestion struct {
	f    *finders
	iv   interview
	i    int
	q    *catalogue.ProfileQuestion
	name string
}

// questionAsked places the request's question in the interview. It is nil
// when the question is not on the resident's way: the error then is the
// answer already given (a redirect or a 404).
func (s *Handler) questionAsked(c *fiber.Ctx) (*askedQuestion, error) {
	f, iv, err := s.interviewOf(c)
	if err != nil {
		return nil, err
	}
	name := c.Params("name")
	i := iv.index(name)
	if i < 0 {
		return nil, s.supportNotOnTheWay(c, f, iv, name)
	}
	return &askedQuestion{f: f, iv: iv, i: i, q: iv.question(i), name: name}, nil
}

// supportNotOnTheWay answers a question URL that is not part of this
// resident's interview: unknown questions are not found, the others lead
// back to where the interview is.
func (s *Handler) supportNotOnTheWay(c *fiber.Ctx, f *finders, iv interview, name string) error {
	known := false
	for _, q := range f.rules.Questions() {
		known = known || q.Name == name
	}
	if !known {
		return web.NewError(fiber.StatusNotFound, "", nil)
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Redirect(iv.nextURL(false), fiber.StatusSeeOther)
}

// question is the question at index i (see index).
func (iv interview) question(i int) *catalogue.ProfileQuestion {
	if i < len(iv.path) {
		return iv.path[i]
	}
	return iv.next
}

func (s *Handler) renderSupportQuestion(c *fiber.Ctx, iv interview, i int, q *catalogue.ProfileQuestion, value, errMsg string) error {
	d := s.Directory()
	p := web.NewPage(c, "")
	label := d.Loc(q.Label, p.Lang)
	p.Title = label.Text
	if errMsg != "" {
		p.Title = web.T(c, "support.error.title_prefix") + " " + p.Title
	}
	change := c.Query("change") != ""
	page := supportQuestionPage{
		Page:     p,
		Name:     q.Name,
		Question: label,
		Integer:  q.Type == catalogue.QuestionInteger,
		Action:   supportQuestionPath(q.Name, change),
		Number:   i + 1,
		Value:    value,
		Error:    errMsg,
	}
	switch {
	case change:
		page.BackURL = supportAnswersPath
	case i == 0:
		page.BackURL = supportStartPath
	default:
		page.BackURL = supportQuestionPath(iv.path[i-1].Name, false)
	}
	if page.Integer {
		page.Hint = web.T(c, rangeHintKey(q), rangePairs(q)...)
	}
	if q.AllowUnknown != "" {
		page.Unknown = web.T(c, unknownKey(q))
		page.UnknownChosen = value == inputUnknown
		if page.UnknownChosen && page.Integer {
			page.Value = ""
		}
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return web.Render(c, "support/question", page)
}

func rangeHintKey(q *catalogue.ProfileQuestion) string {
	switch {
	case q.Min != nil && q.Max != nil:
		return "support.hint.integer_range"
	case q.Min != nil:
		return "support.hint.integer_min"
	case q.Max != nil:
		return "support.hint.integer_max"
	}
	return "support.hint.integer"
}

// answerValue is an answer as a form field holds it.
func answerValue(v any) string {
	switch v := v.(type) {
	case bool:
		if v {
			return "yes"
		}
		return "no"
	case int:
		return strconv.Itoa(v)
	case string:
		if v == eligibility.NotKnown {
			return inputUnknown
		}
	}
	return ""
}
