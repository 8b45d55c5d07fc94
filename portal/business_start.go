package portal

import (
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"sportello/catalogue"
	"sportello/catalogue/eligibility"
	"sportello/portal/web"
)

// The business permit finder's paths. Its forms use GET: nothing is stored,
// and every step is a link a business can keep or share.
const (
	businessStartPath     = "/business/start"
	businessQuestionsPath = "/business/start/questions"
	businessPlanPath      = "/business/start/plan"
)

// What a business can plan for: a business journey ("journey:SLUG") or a
// business life event ("life-event:SLUG").
const (
	choiceJourney   = "journey:"
	choiceLifeEvent = "life-event:"
)

// businessChoice is one thing a business may want to do.
type businessChoice struct {
	Value   string
	Title   web.Localised
	Summary web.Localised
	journey *catalogue.Journey
	event   string // life event slug
}

// businessStartPage is templates/business/start.html.
type businessStartPage struct {
	web.Page
	Choices []businessChoice
	Checked string
	Error   string
}

// businessStart asks what the business wants to do: GET /business/start.
func (s *Server) businessStart(c *fiber.Ctx) error {
	f, err := s.finders(c.UserContext())
	if err != nil {
		return err
	}
	return s.renderBusinessStart(c, f, c.Query("what"), "")
}

func (s *Server) renderBusinessStart(c *fiber.Ctx, f *finders, checked, errMsg string) error {
	p := web.NewPage(c, "business_start.title")
	if errMsg != "" {
		p.Title = web.T(c, "support.error.title_prefix") + " " + p.Title
	}
	return web.Render(c, "business/start", businessStartPage{
		Page: p, Choices: s.businessChoices(f, p.Lang), Checked: checked, Error: errMsg,
	})
}

// businessChoices lists the business journeys, then the business life
// events, in catalogue order.
func (s *Server) businessChoices(f *finders, lang string) []businessChoice {
	d := s.Directory()
	var out []businessChoice
	for i := range d.Journeys {
		j := &d.Journeys[i]
		if j.Audience != catalogue.AudienceBusiness {
			continue
		}
		out = append(out, businessChoice{
			Value: choiceJourney + j.Slug, Title: d.Loc(j.Title, lang), Summary: d.Loc(j.Summary, lang),
			journey: f.journeys[j.Slug],
		})
	}
	for i := range d.LifeEvents {
		le := &d.LifeEvents[i]
		if le.Audience != catalogue.AudienceBusiness {
			continue
		}
		out = append(out, businessChoice{Value: choiceLifeEvent + le.Slug, Title: d.Loc(le.Title, lang), event: le.Slug})
	}
	return out
}

// businessChoiceOf finds the choice named by the "what" parameter.
func (s *Server) businessChoiceOf(f *finders, what, lang string) (businessChoice, bool) {
	if !strings.HasPrefix(what, choiceJourney) && !strings.HasPrefix(what, choiceLifeEvent) {
		return businessChoice{}, false
	}
	for _, ch := range s.businessChoices(f, lang) {
		if ch.Value == what && (ch.journey != nil || ch.event != "") {
			return ch, true
		}
	}
	return businessChoice{}, false
}

func (f *finders) businessQuestions(ch businessChoice) ([]eligibility.BusinessQuestion, error) {
	if ch.journey != nil {
		return f.business.Questions(ch.journey), nil
	}
	return f.business.LifeEventQuestions(ch.event)
}

func (f *finders) businessPlan(ch businessChoice, answers map[string]bool) (eligibility.Plan, error) {
	if ch.journey != nil {
		return f.business.Plan(ch.journey, answers)
	}
	return f.business.LifeEventPlan(ch.event, answers)
}

func businessURL(path, what string, answers url.Values) string {
	q := url.Values{}
	for k, v := range answers {
		q[k] = v
	}
	q.Set("what", what)
	return path + "?" + q.Encode()
}
