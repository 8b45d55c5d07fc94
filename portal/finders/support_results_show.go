package finders

import (
	"context"
	"errors"
	"net/url"
	"slices"

	"github.com/gofiber/fiber/v2"

	"sportello/catalogue"
	"sportello/catalogue/eligibility"
	"sportello/portal/auth"
	"sportello/portal/web"
)

// supportResults is what the answers lead to, shared by the results page
// and the account page.
type supportResults struct {
	Lang   string
	Groups []supportGroup
	Count  int
	// Related is "other services that may help": services whose rule
	// depends on the answers and that only the answers the resident did
	// not know, or would rather not give, would decide.
	Related web.CardList
}

// supportGroup is the matches of one topic.
type supportGroup struct {
	ID      string // for aria-labelledby
	Topic   web.Localised
	Matches []supportMatch
}

// supportMatch is one service the resident may be able to get.
type supportMatch struct {
	Title    web.Localised
	URL      string
	Reason   string // "because you are 70 and you live in Porta Nova", in the page's language
	ApplyURL string
	Online   bool
	Kind     string // of online transaction: the words of the link to the form
	Cost     string
}

// supportResultsPage is templates/support/results.html.
type supportResultsPage struct {
	web.Page
	Results    supportResults
	AnswersURL string
	// CanSave is true for a signed-in resident when answers can be kept in
	// the account; SignInURL is how an anonymous one gets there.
	CanSave   bool
	SignInURL string
	Saved     bool   // the account already holds saved answers
	Error     string // the consent box was not ticked
	// IdleMinutes is how long a session lasts without activity.
	IdleMinutes int
}

// supportResultsShow shows the services the answers point to: GET
// /support-finder/results.
func (s *Handler) supportResultsShow(c *fiber.Ctx) error {
	return s.renderSupportResults(c, "")
}

func (s *Handler) renderSupportResults(c *fiber.Ctx, errMsg string) error {
	f, iv, ok, err := s.answeredInterview(c)
	if !ok {
		return err
	}
	p := web.NewPage(c, "support.results.title")
	if errMsg != "" {
		p.Title = web.T(c, "support.error.title_prefix") + " " + p.Title
	}
	results, err := s.supportResults(c.UserContext(), f, iv.answers, p.Lang)
	if err != nil {
		return err
	}
	page := supportResultsPage{
		Page:        p,
		Results:     results,
		AnswersURL:  supportAnswersPath,
		Error:       errMsg,
		IdleMinutes: int(s.auth.Config().IdleTimeout.Minutes()),
	}
	saved := s.saved
	switch {
	case p.Viewer != nil && saved != nil:
		page.CanSave = true
		_, err := saved.SavedAnswers(c.UserContext(), p.Viewer.PersonID)
		switch {
		case err == nil:
			page.Saved = true
		case !errors.Is(err, catalogue.ErrNotFound):
			return web.NewError(fiber.StatusInternalServerError, "", err)
		}
	case p.Viewer == nil && saved != nil:
		page.SignInURL = auth.LoginURL(supportResultsPath, "")
	}
	return web.Render(c, "support/results", page)
}

// supportResults evaluates answers and arranges the matches by topic, in
// the catalogue's topic order, each topic's services alphabetically.
func (s *Handler) supportResults(ctx context.Context, f *finders, answers eligibility.Answers, lang string) (supportResults, error) {
	d := s.Directory()
	matches := f.rules.Evaluate(answers)
	out := supportResults{Lang: lang, Count: len(matches)}
	byTopic := map[string][]*catalogue.ServiceSummary{}
	reasons := map[string]string{}
	for _, m := range matches {
		sum, ok := d.ServiceOf[m.Slug]
		if !ok {
			continue // archived since the rules were compiled
		}
		byTopic[sum.Topic] = append(byTopic[sum.Topic], sum)
		reasons[m.Slug] = SayReason(s.Site.Translator, lang, d.DefaultLang, m.Reason())
	}
	for i := range d.Topics {
		t := &d.Topics[i]
		list := byTopic[t.Slug]
		if len(list) == 0 {
			continue
		}
		g := supportGroup{ID: "topic-" + t.Slug, Topic: d.Loc(t.Title, lang)}
		for _, sum := range d.InLang(lang, list) {
			g.Matches = append(g.Matches, supportMatch{
				Title:    d.Loc(sum.Title, lang),
				URL:      web.ServiceURL(sum.Slug),
				Reason:   reasons[sum.Slug],
				ApplyURL: applyURL(sum),
				Online:   sum.Online,
				Kind:     sum.Kind,
				Cost:     d.Cost(sum.Fee, lang),
			})
		}
		out.Groups = append(out.Groups, g)
	}
	// Not services without a rule that share a life event with a match:
	// that put "Buy a burial plot" before a 70-year-old. Only what the
	// answers make possible.
	var related []*catalogue.ServiceSummary
	for _, slug := range f.rules.MayBe(answers) {
		if sum, ok := d.ServiceOf[slug]; ok && slices.Contains(sum.Audience, catalogue.AudienceResident) {
			related = append(related, sum)
		}
	}
	var err error
	out.Related, err = d.Cards(ctx, lang, d.InLang(lang, related))
	return out, err
}

// applyURL goes straight to a service's online form, or to its page when it
// has none (the page says how to apply).
func applyURL(sum *catalogue.ServiceSummary) string {
	if sum.Online {
		return "/services/" + url.PathEscape(sum.Slug) + "/apply"
	}
	return web.ServiceURL(sum.Slug)
}
