package apply

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"sportello/applications"
	"sportello/portal/pay"
	"sportello/portal/web"
)

// applyConfirmationPage is templates/apply/confirmation.html's data.
type applyConfirmationPage struct {
	web.Page
	Service   applyService
	Reference string
	Due       string // the date a decision is due, "" when the service has no set time
	SignedIn  bool
	DetailURL string
	Email     string // where updates go, for an anonymous application
	PayURL    string // where to pay a fee due on application; "" when none is
	// Unpaid: the application waits for its fee and has not reached the
	// council: the page says so instead of "sent".
	Unpaid bool
	// Counter is the printable confirmation of a form sent at the counter.
	Counter *counterConfirmation
}

// counterConfirmation is what the counter's confirmation adds: the
// resident's name, the way back to the visit and, for a fee due on
// application, to taking it.
type counterConfirmation struct {
	Name       string
	VisitURL   string
	PaymentURL string
}

// applyConfirmation shows the reference of a sent application: GET
// /services/{slug}/apply/confirmation?token=. Only the browser (or person)
// that sent it can see it.
func (s *Handler) applyConfirmation(c *fiber.Ctx) error {
	d, svc, err := s.applyOnlineService(c)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	token := c.Query("token")
	pend, err := s.apps.Pending().Load(c.UserContext(), token, pendingOwnerOf(c), svc.Slug)
	if errors.Is(err, applications.ErrNoPending) || err == nil && pend.Reference == "" {
		return web.NewError(fiber.StatusNotFound, "apply.error.no_confirmation", err)
	}
	if err != nil {
		return err
	}
	p := web.NewPage(c, web.KindKey(svc.Kind, "confirmation.title"))
	if behalf, err := s.applyFor(c, svc.Slug, pend.For); err == nil {
		p.Acting = behalf.label(c)
	}
	page := applyConfirmationPage{
		Page:      p,
		Service:   s.applyServiceView(d, svc, p.Lang),
		Reference: pend.Reference,
		SignedIn:  ownAccount(c),
		Email:     pend.Contact.Email,
	}
	if pend.DueDate != "" {
		page.Due = s.ISODate(p.Lang, pend.DueDate)
	}
	if ct := counterOf(c); ct != nil {
		page.Counter = &counterConfirmation{Name: ct.Name, VisitURL: ct.Base}
		if page.Service.OnApplication && ct.PaymentURL != nil {
			// Nothing reaches the council before the fee: the page says
			// so, and leads to taking it.
			page.Counter.PaymentURL = ct.PaymentURL(pend.Reference)
			page.Title = web.T(c, "apply.confirmation.unpaid_title")
		}
	}
	if page.SignedIn {
		page.DetailURL = "/account/applications/" + pend.Reference
		if page.Service.OnApplication {
			// The application reaches the council once its fee is paid.
			ref, err := applications.ParseReference(pend.Reference)
			if err != nil {
				return err
			}
			app, err := s.access.Application(c, ref)
			if err != nil {
				return err
			}
			if app.Status == applications.StatusAwaitingPayment {
				page.Unpaid, page.PayURL = true, pay.PayURL(pend.Reference)
				page.Title = web.T(c, "apply.confirmation.unpaid_title")
			}
		}
	}

	return web.Render(c, "apply/confirmation", page)
}
