package apply

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"sportello/acting"
	"sportello/catalogue"
	"sportello/portal/web"
)

// For whom a form is filled in: the signed-in person themselves, an
// organisation they are a member of ("for Forno Ferri SL"), or a person
// they represent ("acting for Marta Vidal"). The choice is made at the
// start (?for=), carried by the form (inputFor), kept with the form in
// progress (PendingForm.For) and checked again at every step, so that a
// representation ended meanwhile stops the application.

// inputFor is the form's hidden input of the choice.
const inputFor = "_for"

// The choice's values: forSelf, forOrg+id, forPerson+the principal's id.
const (
	forSelf   = "me"
	forOrg    = "org-"
	forPerson = "person-"
)

// onBehalf is a checked choice.
type onBehalf struct {
	Value string // "" for the person themselves
	Org   acting.Organisation
	Rep   acting.Representation
}

// label is the banner of the form's pages; "" for oneself.
func (b onBehalf) label(c *fiber.Ctx) string {
	switch {
	case b.Rep.ID != 0:
		return web.T(c, "acting.banner.person", "Name", b.Rep.PrincipalName)
	case b.Org.ID != 0:
		return web.T(c, "acting.banner.organisation", "Name", b.Org.Name)
	}
	return ""
}

// applyFor checks the choice value for service slug: an organisation the
// viewer is a member of and whose tax ID is confirmed, or a person they
// may act for on this service today. Anything else is a 404, as the
// organisation or person would be on their own pages.
func (s *Handler) applyFor(c *fiber.Ctx, slug, value string) (onBehalf, error) {
	notFound := web.NewError(fiber.StatusNotFound, "", nil)
	switch {
	case value == "" || value == forSelf:
		return onBehalf{}, nil
	case web.ViewerOf(c) == nil:
		return onBehalf{}, notFound
	case strings.HasPrefix(value, forOrg):
		id, err := strconv.ParseInt(strings.TrimPrefix(value, forOrg), 10, 64)
		if err != nil {
			return onBehalf{}, notFound
		}
		org, _, ok, err := s.access.Member(c, id)
		if err != nil {
			return onBehalf{}, err
		}
		if !ok || !org.Confirmed() {
			return onBehalf{}, notFound
		}
		return onBehalf{Value: value, Org: org}, nil
	case strings.HasPrefix(value, forPerson):
		id, err := strconv.ParseInt(strings.TrimPrefix(value, forPerson), 10, 64)
		if err != nil {
			return onBehalf{}, notFound
		}
		rep, ok, err := s.access.ActFor(c, id, slug)
		if err != nil {
			return onBehalf{}, err
		}
		if !ok {
			return onBehalf{}, notFound
		}
		return onBehalf{Value: value, Rep: rep}, nil
	}
	return onBehalf{}, notFound
}

// applyForPage is templates/apply/for.html's data: whom the form is for.
type applyForPage struct {
	web.Page
	Service web.Localised
	Action  string
	Choices []forChoice
}

type forChoice struct {
	Value, Label, Hint string
	Checked            bool
}

// applyForChoices are the choices the viewer has for svc: themselves,
// their confirmed organisations, and the people they may act for on it.
// Only themselves: nil.
func (s *Handler) applyForChoices(c *fiber.Ctx, svc *catalogue.Service) ([]forChoice, error) {
	v := web.ViewerOf(c)
	if v == nil || s.access.Acting == nil {
		return nil, nil
	}
	choices := []forChoice{{Value: forSelf, Label: web.T(c, "acting.apply.self", "Name", v.Name), Checked: true}}
	orgs, err := s.access.Acting.Memberships(c.UserContext(), v.PersonID)
	if err != nil {
		return nil, err
	}
	for _, m := range orgs {
		if m.Confirmed() {
			choices = append(choices, forChoice{
				Value: forOrg + strconv.FormatInt(m.ID, 10), Label: web.T(c, "acting.banner.organisation", "Name", m.Name),
				Hint: web.T(c, "acting.apply.org_hint"),
			})
		}
	}
	reps, err := s.access.Representing(c)
	if err != nil {
		return nil, err
	}
	seen := map[int64]bool{}
	for _, r := range reps {
		if r.Covers(svc.Slug) && !seen[r.Principal] {
			seen[r.Principal] = true
			choices = append(choices, forChoice{
				Value: forPerson + strconv.FormatInt(r.Principal, 10), Label: web.T(c, "acting.banner.person", "Name", r.PrincipalName),
				Hint: web.T(c, "acting.apply.person_hint", "Date", s.ISODate(web.LangOf(c), r.Until)),
			})
		}
	}
	if len(choices) == 1 {
		return nil, nil
	}
	return choices, nil
}

// applyForShow asks whom the form is for, when the viewer may apply for
// someone else: GET /services/{slug}/apply without ?for=. The answer comes
// back as ?for= (a GET form: choosing changes nothing).
func (s *Handler) applyForShow(c *fiber.Ctx, d *web.Directory, svc *catalogue.Service, choices []forChoice) error {
	p := web.NewPage(c, "acting.apply.title")
	page := applyForPage{Page: p, Service: d.Loc(svc.Title, p.Lang), Action: applyFormURL(svc.Slug), Choices: choices}
	return web.Render(c, "apply/for", page)
}
