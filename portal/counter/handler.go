// Package counter holds the pages of assisted digital (/staff/assist): a
// member of staff at the counter finds or records a resident, says why they
// act for them (a visit), fills in any service's form with them through the
// same journey residents use online (apply.CounterRoutes), prints the
// confirmation, and takes the fee at the counter or emails a link to pay.
// Every action is logged with who and why (package assist).
package counter

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"sportello/applications"
	"sportello/applications/forms"
	"sportello/assist"
	"sportello/catalogue"
	"sportello/payments"
	"sportello/portal/apply"
	"sportello/portal/web"
)

// Path is the counter's start page.
const Path = "/staff/assist"

// Handler serves the counter's pages.
type Handler struct {
	*web.Shared
	as    *assist.Store
	apps  *applications.Store
	pay   *payments.Service
	apply *apply.Handler
	forms *forms.Validator
}

// New returns the counter's handler.
func New(sh *web.Shared, as *assist.Store, apps *applications.Store, pay *payments.Service, ap *apply.Handler, fv *forms.Validator) *Handler {
	return &Handler{Shared: sh, as: as, apps: apps, pay: pay, apply: ap, forms: fv}
}

// Routes mounts the counter's pages behind staffOnly (counter staff,
// caseworkers, administrators).
func (s *Handler) Routes(r fiber.Router, staffOnly fiber.Handler) {
	r.Get(Path, staffOnly, s.residentFindShow)
	r.Post(Path+"/find", staffOnly, s.residentFind)
	r.Get(Path+"/residents/new", staffOnly, s.residentRecordShow)
	r.Post(Path+"/residents", staffOnly, s.residentRecord)
	r.Post(Path+"/visits", staffOnly, s.visitStart)
	visit := Path + "/visits/:visit"
	r.Get(visit, staffOnly, s.visitShow)
	r.Get(visit+"/start", staffOnly, s.visitStartForm)
	r.Get(visit+"/applications/:ref/payment", staffOnly, s.paymentRecordShow)
	r.Post(visit+"/applications/:ref/payment", staffOnly, s.paymentRecord)
	r.Post(visit+"/applications/:ref/payment-link", staffOnly, s.paymentLinkSend)
	// The service's form, check your answers, sending and the printable
	// confirmation: the residents' own pages, for the visit's resident.
	s.apply.CounterRoutes(r, visit, staffOnly, s.withVisit)
}

// staffOf is the signed-in member of staff.
func staffOf(c *fiber.Ctx) assist.Staff {
	v := web.ViewerOf(c)
	return assist.Staff{PersonID: v.PersonID, Name: v.Name}
}

// VisitURL is a visit's page.
func VisitURL(id int64) string { return Path + "/visits/" + strconv.FormatInt(id, 10) }

func paymentURL(visit int64, ref string) string {
	return VisitURL(visit) + "/applications/" + ref + "/payment"
}

// visitOf is the request's :visit, the signed-in member of staff's own:
// anyone else's, or none, is a 404.
func (s *Handler) visitOf(c *fiber.Ctx) (assist.Visit, error) {
	id, err := strconv.ParseInt(c.Params("visit"), 10, 64)
	if err != nil || id <= 0 {
		return assist.Visit{}, catalogue.ErrNotFound
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return s.as.Visit(c.UserContext(), staffOf(c).PersonID, id)
}

// withVisit makes the service's journey the visit's resident's.
func (s *Handler) withVisit(c *fiber.Ctx) error {
	v, err := s.visitOf(c)
	if err != nil {
		return err
	}
	apply.WithCounter(c, &apply.Counter{
		Base:     VisitURL(v.ID),
		PersonID: v.Resident.PersonID,
		Name:     v.Resident.Name,
		Email:    v.Resident.Email,
		Lang:     v.Resident.Lang,
		Submit:   s.as.Counter(v),
		PaymentURL: func(ref string) string {
			return paymentURL(v.ID, ref)
		},
	})
	return c.Next()
}

// text is a message in every language, as a catalogue text, for the
// counter's own forms, which render like a service's.
func (s *Handler) text(key string) catalogue.Text {
	out := catalogue.Text{}
	for _, l := range catalogue.Languages {
		out[l] = s.Site.Translator.T(l, key)
	}
	return out
}

// formPage is what every page of the counter's own forms has: the page,
// its questions rendered as a service's are, and the error summary.
type formPage struct {
	web.Page
	Fields []apply.Field
	Errors []apply.ErrorLink
}

// formPageOf builds a form page titled titleKey with values and errors;
// with errors, the title says there is a problem.
func (s *Handler) formPageOf(c *fiber.Ctx, titleKey string, form *catalogue.OnlineForm, values forms.Values, errs []forms.FieldError) formPage {
	c.Set(fiber.HeaderCacheControl, "no-store")
	p := formPage{Page: web.NewPage(c, titleKey)}
	p.Fields, p.Errors = s.apply.FieldsOf(c, form, values, errs)
	if len(errs) > 0 {
		p.Title = web.T(c, "apply.error_title_prefix") + " " + p.Title
	}
	return p
}
