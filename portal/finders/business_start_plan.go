package finders

import (
	"net/url"

	"github.com/gofiber/fiber/v2"

	"sportello/catalogue"
	"sportello/catalogue/eligibility"
	"sportello/portal/web"
)

// businessPlanPage is templates/business/plan.html.
type businessPlanPage struct {
	web.Page
	Choice      web.Localised
	Steps       []businessStepView
	TotalFee    string // "" when everything is free
	LongestWait int    // days; 0 when no permit has a set time
	Answers     []businessAnswerView
	ChangeURL   string
	StartURL    string
	// SaveTo are the organisations the plan may be saved to, with Query,
	// the plan's answers as they are saved.
	SaveTo []PlanTarget
	Query  string
}

type businessStepView struct {
	Number   int
	Title    web.Localised
	Services []businessPermitView
}

// businessPermitView is one permit of a step.
type businessPermitView struct {
	Title    web.Localised
	URL      string
	ApplyURL string
	Online   bool
	Kind     string // of online transaction: the words of the link to the form
	Cost     string // "" when free
	Days     int
	HasDays  bool // false: no set processing time
}

type businessAnswerView struct {
	Question web.Localised
	Answer   string // translated yes, no or not sure
}

// businessStartPlan shows the business's own step-by-step list: GET
// /business/start/plan?what=…&sells_food=yes&…. Every question must be
// answered (yes, no or not sure); a permit answered "not sure" stays in the
// plan.
func (s *Handler) businessStartPlan(c *fiber.Ctx) error {
	f, err := s.finders(c.UserContext())
	if err != nil {
		return err
	}
	d := s.Directory()
	lang := web.LangOf(c)
	ch, ok := s.businessChoiceOf(f, c.Query("what"), lang)
	if !ok {
		c.Status(fiber.StatusUnprocessableEntity)
		return s.renderBusinessStart(c, f, "", web.T(c, "business_start.error.what"))
	}
	qs, err := f.business.Questions(ch.Value)
	if err != nil {
		return err
	}
	answers := map[string]bool{}
	given := url.Values{}
	var views []businessAnswerView
	for _, q := range qs {
		v := c.Query(q.Key)
		if !validBusinessAnswer(v) {
			c.Status(fiber.StatusUnprocessableEntity)
			return s.renderBusinessQuestions(c, ch, qs, true)
		}
		given.Set(q.Key, v)
		if v != businessUnsure {
			answers[q.Key] = v == businessYes
		}
		views = append(views, businessAnswerView{Question: d.Loc(q.Text, lang), Answer: web.T(c, "business_start.answer."+v)})
	}
	plan, err := f.business.Plan(ch.Value, answers)
	if err != nil {
		return err
	}
	page := s.businessPlanPage(c, ch, plan, views, businessURL(businessQuestionsPath, ch.Value, given))
	if s.PlanTargets != nil && web.ViewerOf(c) != nil {
		if page.SaveTo, err = s.PlanTargets(c); err != nil {
			return err
		}
		given.Set("what", ch.Value)
		page.Query = given.Encode()
	}
	return web.Render(c, "business/plan", page)
}

// businessPlanPage lays out plan, made for the business type ch with the
// answers shown; changeURL goes back to the questions.
func (s *Handler) businessPlanPage(c *fiber.Ctx, ch businessChoice, plan eligibility.Plan, answers []businessAnswerView, changeURL string) businessPlanPage {
	d := s.Directory()
	lang := web.LangOf(c)
	page := businessPlanPage{
		Page:        web.NewPage(c, ""),
		Choice:      ch.Title,
		LongestWait: plan.LongestWaitDays,
		Answers:     answers,
		ChangeURL:   changeURL,
		StartURL:    businessStartPath,
	}
	page.Title = web.T(c, "business_start.plan.title", "Choice", ch.Title.Text)
	if plan.TotalFeeCents > 0 {
		page.TotalFee = web.Money{Minor: plan.TotalFeeCents, Currency: plan.Currency}.Format(lang)
	}
	for _, st := range plan.Steps {
		sv := businessStepView{Number: st.Number, Title: d.Loc(st.Title, lang)}
		for _, svc := range st.Services {
			pv := businessPermitView{
				Title:  d.Loc(svc.Title, lang),
				URL:    web.ServiceURL(svc.Slug),
				Online: svc.Online(),
				Kind:   svc.Kind,
				Cost:   d.Cost(svc.Fee, lang),
			}
			pv.ApplyURL = pv.URL
			if pv.Online {
				pv.ApplyURL = web.ServiceURL(svc.Slug) + "/apply"
			}
			if svc.ProcessingTimeDays != nil {
				pv.Days, pv.HasDays = *svc.ProcessingTimeDays, true
			}
			sv.Services = append(sv.Services, pv)
		}
		page.Steps = append(page.Steps, sv)
	}
	return page
}

// BusinessTypePlan is the business permit finder's plan page for a draft
// business type inside cat, as the finder would plan it for a business not
// yet sure of any answer: every question, and every step with all its
// permits. The editor's preview shows it.
func (s *Handler) BusinessTypePlan(c *fiber.Ctx, cat *catalogue.Catalogue, b *catalogue.BusinessType) (any, web.Page, error) {
	plan, err := eligibility.NewBusinessFinder(cat).Plan(b.Slug, nil)
	if err != nil {
		return nil, web.Page{}, err
	}
	d := s.Directory()
	unsure := web.T(c, "business_start.answer."+businessUnsure)
	answers := make([]businessAnswerView, len(b.Questions))
	for i, q := range b.Questions {
		answers[i] = businessAnswerView{Question: d.Loc(q.Text, web.LangOf(c)), Answer: unsure}
	}
	page := s.businessPlanPage(c, businessChoiceFor(d, b, web.LangOf(c)), plan, answers, "")
	return page, page.Page, nil
}
