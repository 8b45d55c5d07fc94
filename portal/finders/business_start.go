package finders

import (
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"sportello/catalogue"
	"sportello/portal/web"
)

// The business permit finder's paths. Its forms use GET: nothing is stored,
// and every step is a link a business can keep or share.
const (
	businessStartPath     = "/business/start"
	businessQuestionsPath = "/business/start/questions"
	businessPlanPath      = "/business/start/plan"
)

// Before business types were in the catalogue, a choice was a business
// journey ("journey:SLUG") or life event ("life-event:SLUG"); Porta Nova's
// business types kept those slugs, so links kept from then still work.
var legacyChoicePrefixes = []string{"journey:", "life-event:"}

// businessChoice is one thing a business may want to do: a business type
// of the catalogue.
type businessChoice struct {
	Value   string // the business type's slug
	Title   web.Localised
	Summary web.Localised
}

// businessStartPage is templates/business/start.html.
type businessStartPage struct {
	web.Page
	Choices []businessChoice
	Checked string
	Error   string
}

// businessStart asks what the business wants to do: GET /business/start.
func (s *Handler) businessStart(c *fiber.Ctx) error {
	f, err := s.finders(c.UserContext())
	if err != nil {
		return err
	}
	return s.renderBusinessStart(c, f, c.Query("what"), "")
}

func (s *Handler) renderBusinessStart(c *fiber.Ctx, f *finders, checked, errMsg string) error {
	p := web.NewPage(c, "business_start.title")
	if errMsg != "" {
		p.Title = web.T(c, "support.error.title_prefix") + " " + p.Title
	}
	return web.Render(c, "business/start", businessStartPage{
		Page: p, Choices: s.businessChoices(f, p.Lang), Checked: checked, Error: errMsg,
	})
}

// businessChoices lists the catalogue's business types, in its order.
func (s *Handler) businessChoices(f *finders, lang string) []businessChoice {
	d := s.Directory()
	types := f.business.Types()
	out := make([]businessChoice, len(types))
	for i, b := range types {
		out[i] = businessChoiceFor(d, b, lang)
	}
	return out
}

func businessChoiceFor(d *web.Directory, b *catalogue.BusinessType, lang string) businessChoice {
	return businessChoice{Value: b.Slug, Title: d.Loc(b.Title, lang), Summary: d.Loc(b.Summary, lang)}
}

// businessChoiceOf finds the business type named by the "what" parameter.
func (s *Handler) businessChoiceOf(f *finders, what, lang string) (businessChoice, bool) {
	for _, prefix := range legacyChoicePrefixes {
		what = strings.TrimPrefix(what, prefix)
	}
	b, ok := f.business.Type(what)
	if !ok {
		return businessChoice{}, false
	}
	return businessChoiceFor(s.Directory(), b, lang), true
}

func businessURL(path, what string, answers url.Values) string {
	q := url.Values{}
	for k, v := range answers {
		q[k] = v
	}
	q.Set("what", what)
	return path + "?" + q.Encode()
}
