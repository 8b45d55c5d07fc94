package finders

import (
	"bytes"
	"encoding/json"
	"maps"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"sportello/catalogue"
	"sportello/catalogue/eligibility"
	"sportello/portal/web"
)

// The support finder's paths.
const (
	supportStartPath   = "/support-finder"
	supportAnswersPath = "/support-finder/answers"
	supportResultsPath = "/support-finder/results"
	supportRestartPath = "/support-finder/restart"
	supportSavePath    = "/support-finder/save"
	supportAccountPath = "/account/support"
	supportDeletePath  = "/account/support/delete"
)

// supportSessionKey is where the answers are kept in the browser's
// server-side session: a JSON object of question name to answer
// ({"age":70,"resident":true}), nothing else. It ends with the session.
const supportSessionKey = "support.answers"

func supportQuestionPath(name string, change bool) string {
	p := "/support-finder/questions/" + url.PathEscape(name)
	if change {
		p += "?change=1"
	}
	return p
}

// interview is where a resident is in the support finder: the questions
// asked so far in the order they were asked, their answers, and the next
// question (nil when no rule is left undecided).
type interview struct {
	path    []*catalogue.ProfileQuestion
	answers eligibility.Answers // the answers to path: what the result rests on
	next    *catalogue.ProfileQuestion
	// keep is what the session keeps: the answers to path and, while the
	// interview is not finished, the other answers given before (a change
	// from the summary may ask one new question, and the answers after it
	// still count once it is answered).
	keep eligibility.Answers
}

// walk replays the interview from the start over given answers, asking
// NextQuestion each time as the pages do. Once no rule is undecided, the
// answers the replay did not reach (they stopped mattering when another
// answer changed) are dropped, so the session keeps only what the result
// depends on.
func walk(r *eligibility.Rules, given eligibility.Answers) interview {
	var iv interview
	iv.answers, iv.path, iv.next = r.Replay(given)
	if iv.next == nil {
		iv.keep = iv.answers
	} else {
		iv.keep = maps.Clone(given)
	}
	return iv
}

func (iv interview) done() bool { return iv.next == nil }

// index is the position of the question named name in the interview: its
// place in path, len(path) for the next question, -1 when it is not on the
// way (never asked, or no longer relevant).
func (iv interview) index(name string) int {
	for i, q := range iv.path {
		if q.Name == name {
			return i
		}
	}
	if iv.next != nil && iv.next.Name == name {
		return len(iv.path)
	}
	return -1
}

// nextURL is where the interview continues: the next question, or the
// summary of the answers when there is none.
func (iv interview) nextURL(change bool) string {
	if iv.next == nil {
		return supportAnswersPath
	}
	return supportQuestionPath(iv.next.Name, change)
}

// decodeAnswers reads answers kept as JSON; unreadable data reads as no
// answers (the resident starts again rather than sees an error).
func decodeAnswers(r *eligibility.Rules, data string) eligibility.Answers {
	return r.DecodeAnswers(data)
}

func encodeAnswers(a eligibility.Answers) (string, error) {
	if len(a) == 0 {
		return "", nil
	}
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(a); err != nil {
		return "", err
	}
	return strings.TrimSpace(buf.String()), nil
}

// sessionInterview returns the interview of the answers in the browser's
// session, replayed over the current rules.
func (s *Handler) sessionInterview(c *fiber.Ctx, f *finders) (interview, error) {
	raw, err := s.auth.SessionValue(c, supportSessionKey)
	if err != nil {
		return interview{}, web.NewError(fiber.StatusInternalServerError, "", err)
	}
	return walk(f.rules, decodeAnswers(f.rules, raw)), nil
}

func (s *Handler) setSessionAnswers(c *fiber.Ctx, a eligibility.Answers) error {
	data, err := encodeAnswers(a)
	if err != nil {
		return web.NewError(fiber.StatusInternalServerError, "", err)
	}
	if err := s.auth.SetSessionValue(c, supportSessionKey, data); err != nil {
		return web.NewError(fiber.StatusInternalServerError, "", err)
	}
	return nil
}

// groupedNumber is a number written with thousands separators ("1,200",
// "1.200"): people type incomes that way.
var groupedNumber = regexp.MustCompile(`^\d{1,3}([.,']\d{3})+$`)

// inputUnknown is the box an integer question that allows it ticks for
// "I don't know" or "I'd rather not say"; a yes/no question has it as its
// third radio, the answer's value.
const inputUnknown = "unknown"

// parseAnswer reads a form answer to q: raw is the answer input, unknown
// whether the resident ticked "I don't know" (or "I'd rather not say").
// The error is a translation key and its pairs, for the message next to
// the field.
func parseAnswer(q *catalogue.ProfileQuestion, raw string, unknown bool) (any, string, []any) {
	if q.AllowUnknown != "" && (raw == inputUnknown || unknown && strings.TrimSpace(raw) == "") {
		return eligibility.NotKnown, "", nil
	}
	switch q.Type {
	case catalogue.QuestionBoolean:
		switch raw {
		case "yes":
			return true, "", nil
		case "no":
			return false, "", nil
		}
		if q.AllowUnknown != "" {
			return nil, "support.error.boolean_unknown." + q.AllowUnknown, nil
		}
		return nil, "support.error.boolean", nil
	case catalogue.QuestionInteger:
		v := strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "", "€", "").Replace(strings.TrimSpace(raw))
		if v == "" {
			if q.AllowUnknown != "" {
				return nil, "support.error.integer_empty_unknown." + q.AllowUnknown, nil
			}
			return nil, "support.error.integer_empty", nil
		}
		if groupedNumber.MatchString(v) {
			v = strings.NewReplacer(".", "", ",", "", "'", "").Replace(v)
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return nil, "support.error.integer_whole", nil
		}
		if q.Min != nil && n < *q.Min || q.Max != nil && n > *q.Max {
			return nil, rangeKey(q), rangePairs(q)
		}
		return int(n), "", nil
	}
	return nil, "support.error.boolean", nil
}

func rangeKey(q *catalogue.ProfileQuestion) string {
	switch {
	case q.Min != nil && q.Max != nil:
		return "support.error.integer_range"
	case q.Min != nil:
		return "support.error.integer_min"
	case q.Max != nil:
		return "support.error.integer_max"
	}
	return "support.error.integer_whole"
}

func rangePairs(q *catalogue.ProfileQuestion) []any {
	var pairs []any
	if q.Min != nil {
		pairs = append(pairs, "Min", *q.Min)
	}
	if q.Max != nil {
		pairs = append(pairs, "Max", *q.Max)
	}
	return pairs
}

// answerText is an answer to q as the summary shows it.
func answerText(c *fiber.Ctx, q *catalogue.ProfileQuestion, v any) string {
	if v == eligibility.NotKnown {
		return web.T(c, unknownKey(q))
	}
	switch v := v.(type) {
	case bool:
		if v {
			return web.T(c, "support.yes")
		}
		return web.T(c, "support.no")
	case int:
		return strconv.Itoa(v)
	}
	return ""
}

// interviewOf is the finders of the directory's catalogue version and the
// request's interview with them.
func (s *Handler) interviewOf(c *fiber.Ctx) (*finders, interview, error) {
	f, err := s.finders(c.UserContext())
	if err != nil {
		return nil, interview{}, err
	}
	iv, err := s.sessionInterview(c, f)
	return f, iv, err
}

// answeredInterview is interviewOf once every question that matters is
// answered; until then it sends the browser to the next question and
// reports false.
func (s *Handler) answeredInterview(c *fiber.Ctx) (*finders, interview, bool, error) {
	f, iv, err := s.interviewOf(c)
	if err != nil {
		return nil, iv, false, err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	if !iv.done() {
		return nil, iv, false, c.Redirect(iv.nextURL(false), fiber.StatusSeeOther)
	}
	return f, iv, true, nil
}

// unknownKey is the words of q's "I don't know" or "I'd rather not say".
func unknownKey(q *catalogue.ProfileQuestion) string {
	if q.AllowUnknown == catalogue.UnknownRatherNotSay {
		return "support.unknown.rather_not_say"
	}
	return "support.unknown.dont_know"
}
