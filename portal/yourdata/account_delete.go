package yourdata

import (
	"github.com/gofiber/fiber/v2"

	"sportello/accounts"
	"sportello/portal/web"
)

// deletePage is templates/account/delete.html: what deleting the account
// removes and what the council keeps, and the confirmation.
type deletePage struct {
	web.Page
	Errors       []errorLink
	ConfirmError string
	Kept         []keptApp
	Payments     int
	Open         int // applications still being dealt with
}

type errorLink struct{ Href, Message string }

// keptApp is an application the council keeps after the account is gone.
type keptApp struct {
	Service   web.Localised
	Reference string
	Until     string // in words
}

// accountDeleteShow explains what deleting the account does and asks to
// confirm it: GET /account/delete.
func (s *Handler) accountDeleteShow(c *fiber.Ctx) error {
	p, err := s.deletePage(c)
	if err != nil {
		return err
	}
	return web.Render(c, "account/delete", p)
}

func (s *Handler) deletePage(c *fiber.Ctx) (deletePage, error) {
	c.Set(fiber.HeaderCacheControl, "no-store")
	ctx, id := c.UserContext(), web.ViewerOf(c).PersonID
	p := deletePage{Page: web.NewPage(c, "yourdata.delete.title")}
	data, err := s.areas.Apps.PersonalData(ctx, id)
	if err != nil {
		return p, err
	}
	d := s.Directory()
	for i := range data.Applications {
		a := &data.Applications[i]
		k := keptApp{Service: serviceTitle(d, a.ServiceSlug, p.Lang), Reference: a.Reference.String(), Until: web.T(c, "yourdata.kept.by_law")}
		if kept := s.keptFor(c, a); kept != "" {
			k.Until = kept
		}
		if !a.Status.Final() {
			p.Open++
		}
		p.Kept = append(p.Kept, k)
	}
	pays, err := s.areas.Payments.ForPerson(ctx, id)
	if err != nil {
		return p, err
	}
	p.Payments = len(pays)
	return p, nil
}

// accountDelete deletes the signed-in person's account once they ticked
// the box: POST /account/delete. Every area's part goes in one
// transaction; every session of theirs ends, this one too.
func (s *Handler) accountDelete(c *fiber.Ctx) error {
	if c.FormValue("confirm") != "yes" {
		p, err := s.deletePage(c)
		if err != nil {
			return err
		}
		p.ConfirmError = web.T(c, "yourdata.delete.error.confirm")
		p.Errors = []errorLink{{Href: "#confirm", Message: p.ConfirmError}}
		p.Title = web.T(c, "yourdata.error_title_prefix") + " " + p.Title
		c.Status(fiber.StatusUnprocessableEntity)
		return web.Render(c, "account/delete", p)
	}
	v := web.ViewerOf(c)
	a := s.areas
	erasers := []accounts.Eraser{a.Alerts.ErasePerson, a.Notes.ErasePerson, a.Apps.ErasePerson, a.Payments.ErasePerson}
	if a.Reports != nil {
		erasers = append(erasers, a.Reports)
	}
	err := a.People.DeletePerson(c.UserContext(), v.PersonID, erasers...)
	if err != nil {
		return err
	}
	s.Log.Info("account deleted at its person's request", "request_id", c.Locals(web.LocalRequestID))
	if err := s.auth.EndSession(c); err != nil {
		return err
	}
	return c.Redirect(DeletedPath+"?lang="+web.LangOf(c), fiber.StatusSeeOther)
}

// accountDeletedShow says the account is gone and what was kept: GET
// /account/deleted. It shows the same to everyone: it holds nothing of
// anyone's.
func (s *Handler) accountDeletedShow(c *fiber.Ctx) error {
	return web.Render(c, "account/deleted", web.NewPage(c, "yourdata.deleted.title"))
}
