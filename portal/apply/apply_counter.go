package apply

import (
	"net/url"

	"github.com/gofiber/fiber/v2"

	"sportello/applications"
	"sportello/applications/forms"
	"sportello/catalogue"
	"sportello/portal/web"
)

// Counter is a form filled in by a member of staff with the resident at
// the counter (portal/assist). The counter's routes set it on the request
// (WithCounter), and the same pages of the journey — the form, check your
// answers, sending, the confirmation — then work for the resident rather
// than for whoever is signed in: the resident's name and email are the
// contact, nothing is saved as a draft, the resident's identity was checked
// at the counter instead of by a sign-in, and the application is sent as
// theirs (applications.SubmitInput.Counter).
type Counter struct {
	// Base starts the journey's URLs: the visit's page,
	// "/staff/assist/visits/{id}".
	Base     string
	PersonID int64 // the resident's sign-in once linked; else 0
	Name     string
	Email    string
	Lang     string // the language of the resident's mail; "" the page's
	// Submit is what the application is sent with.
	Submit *applications.Counter
	// PaymentURL is where the member of staff takes a fee due on
	// application, given the reference.
	PaymentURL func(ref string) string
}

const localCounter = "apply.counter"

// WithCounter makes the request's journey the counter's.
func WithCounter(c *fiber.Ctx, ct *Counter) { c.Locals(localCounter, ct) }

func counterOf(c *fiber.Ctx) *Counter {
	ct, _ := c.Locals(localCounter).(*Counter)
	return ct
}

// CounterRoutes mounts the journey again under prefix (which holds the
// counter's own parameters), behind guards, which must check the member of
// staff and set the Counter.
func (s *Handler) CounterRoutes(r fiber.Router, prefix string, guards ...fiber.Handler) {
	with := func(h fiber.Handler) []fiber.Handler { return append(append([]fiber.Handler{}, guards...), h) }
	r.Get(prefix+"/services/:slug/apply", with(s.applyShow)...)
	r.Post(prefix+"/services/:slug/apply", with(s.applyContinue)...)
	r.Get(prefix+"/services/:slug/apply/check", with(s.applyCheck)...)
	r.Post(prefix+"/services/:slug/apply/submit", with(s.applySubmit)...)
	r.Get(prefix+"/services/:slug/apply/confirmation", with(s.applyConfirmation)...)
}

// CounterFormURL is the form of service slug at the counter of base.
func CounterFormURL(base, slug string) string {
	return base + "/services/" + url.PathEscape(slug) + "/apply"
}

// formURL is the form of service slug in the request's journey.
func formURL(c *fiber.Ctx, slug string) string {
	if ct := counterOf(c); ct != nil {
		return CounterFormURL(ct.Base, slug)
	}
	return applyFormURL(slug)
}

// stepURL is applyStepURL in the request's journey.
func stepURL(c *fiber.Ctx, slug, step, token string) string {
	u := formURL(c, slug)
	if step != "" {
		u += "/" + step
	}
	if token != "" {
		u += "?token=" + url.QueryEscape(token)
	}
	return u
}

// known is who the form is for, when the council knows them already: the
// signed-in person (their verified email only), or the resident at the
// counter. nil for someone not signed in.
func known(c *fiber.Ctx) *applications.Contact {
	if ct := counterOf(c); ct != nil {
		return &applications.Contact{Name: ct.Name, Email: ct.Email}
	}
	if v := web.ViewerOf(c); v != nil {
		contact := applications.Contact{Name: v.Name}
		if v.EmailVerified {
			contact.Email = v.Email
		}
		return &contact
	}
	return nil
}

// ownAccount reports whether the form is the signed-in person's own: their
// drafts, their earlier answers, their checkout.
func ownAccount(c *fiber.Ctx) bool { return counterOf(c) == nil && web.ViewerOf(c) != nil }

// counterOffers are what the counter knows of the resident, for a new
// form: their name and email.
func counterOffers(ct *Counter) []forms.Offer {
	return forms.Known{Name: ct.Name, Email: ct.Email}.Offers()
}

// residentName is the name of the resident at the counter, "" elsewhere.
func residentName(c *fiber.Ctx) string {
	if ct := counterOf(c); ct != nil {
		return ct.Name
	}
	return ""
}

// Field is one question ready to render with the "apply.field" template.
type Field = applyField

// FieldsOf renders the questions of a form that is not a service's (the
// counter's own forms) exactly as a service's form renders them, with the
// values typed and the errors found, and the error summary's links.
func (s *Handler) FieldsOf(c *fiber.Ctx, form *catalogue.OnlineForm, values forms.Values, errs []forms.FieldError) ([]Field, []ErrorLink) {
	d := s.Directory()
	return s.applyFields(c, d, form, values, errs, nil), applyErrorLinks(c, d, form, errs)
}

// ReadForm reads a posted form for the validator: the answers, and the
// page's own inputs (names starting with "_").
func ReadForm(c *fiber.Ctx) (values, meta forms.Values, err error) {
	values, meta, _, err = readApplyForm(c)
	return values, meta, err
}

// ActorForApplicant names, for the applicant, who made each change of an
// application with events: they did, the council did, it happened
// automatically, or a member of staff sent it with them at the counter
// ("Submitted at the counter by Aina Puig").
func (s *Handler) ActorForApplicant(c *fiber.Ctx, events []applications.Event) func(applications.Event) string {
	var names map[int64]string
	var ids []int64
	var me int64
	if v := web.ViewerOf(c); v != nil {
		me = v.PersonID
	}
	for _, e := range events {
		if e.ActorRole == applications.RoleCounter && e.ActorPersonID != 0 ||
			e.ActorRole == applications.RoleApplicant && e.ActorPersonID != 0 && e.ActorPersonID != me {
			ids = append(ids, e.ActorPersonID)
		}
	}
	if len(ids) > 0 && s.People != nil {
		var err error
		if names, err = s.People.Names(c.UserContext(), ids); err != nil {
			s.Log.ErrorContext(c.UserContext(), "apply: naming the staff who sent a form at the counter", "err", err)
		}
	}
	return func(e applications.Event) string {
		switch e.ActorRole {
		case applications.RoleApplicant:
			// Someone else on the applicant's side (a representative, a
			// member of the organisation, the applicant seen by them) is
			// named.
			if n := names[e.ActorPersonID]; n != "" && e.ActorPersonID != me {
				return n
			}
			return web.T(c, "applications.actor.you")
		case applications.RoleSystem:
			return web.T(c, "applications.actor.system")
		case applications.RoleCounter:
			if n := names[e.ActorPersonID]; n != "" {
				return web.T(c, "assist.actor.counter", "Name", n)
			}
			return web.T(c, "assist.actor.counter_unnamed")
		}
		return web.T(c, "applications.actor.council")
	}
}
