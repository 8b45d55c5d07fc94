package onbehalf

import (
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"sportello/acting"
	"sportello/notify"
	"sportello/portal/web"
)

// Bounds of an authorisation.
const (
	maxName       = 200
	maxGrantYears = 10
)

// representativeGrant authorises someone to act for the signed-in person:
// POST /account/acting/representatives. The person named is mailed a link
// that they accept once signed in. Every problem is shown at once, beside
// its field and in a summary, with what was typed.
func (h *Handler) representativeGrant(c *fiber.Ctx) error {
	v := viewer(c)
	f := grantForm{
		Name:  strings.TrimSpace(c.FormValue("name")),
		Email: strings.TrimSpace(c.FormValue("email")),
		Until: strings.TrimSpace(c.FormValue("until")),
		Scope: c.FormValue("scope"),
	}
	var errs []errorLink
	switch n := utf8.RuneCountInString(f.Name); {
	case n == 0:
		f.NameError = web.T(c, "acting.error.name_missing")
	case n > maxName:
		f.NameError = web.T(c, "acting.error.name_long", "Max", maxName)
	}
	if f.NameError != "" {
		errs = append(errs, errorLink{Href: "#grant-name", Message: f.NameError})
	}
	addr, err := notify.ParseAddress(f.Email)
	switch {
	case err != nil:
		f.EmailError = web.T(c, "acting.error.email")
	case v.Email != "" && strings.EqualFold(addr, v.Email):
		f.EmailError = web.T(c, "acting.error.email_own")
	}
	if f.EmailError != "" {
		errs = append(errs, errorLink{Href: "#grant-email", Message: f.EmailError})
	}
	sc := h.checkScope(c, "grant", f.Scope, f.Until)
	f.Services, f.ScopeError, f.UntilError = sc.choices, sc.scopeError, sc.untilError
	errs = append(errs, sc.errors...)
	if len(errs) > 0 {
		page, err := h.indexPage(c, f)
		if err != nil {
			return err
		}
		page.Errors = errs
		page.Title = web.T(c, "apply.error_title_prefix") + " " + page.Title
		c.Status(fiber.StatusUnprocessableEntity)
		return web.Render(c, "acting/index", page)
	}
	_, _, err = h.acting.Grant(c.UserContext(), acting.Grant{
		Principal: v.PersonID, PrincipalName: v.Name, RepresentativeName: f.Name, RepresentativeEmail: addr,
		Services: sc.services, Until: f.Until, Lang: web.LangOf(c),
	})
	if err != nil {
		return err
	}
	h.Log.InfoContext(c.UserContext(), "representative authorised", "principal", v.PersonID, "services", len(sc.services), "until", f.Until)
	return c.Redirect(IndexPath+"?done=granted", fiber.StatusSeeOther)
}

// untilError checks the last day of an authorisation (YYYY-MM-DD, as a
// date input sends it): today at the earliest, ten years ahead at most.
func (h *Handler) untilError(c *fiber.Ctx, until string) string {
	if until == "" {
		return web.T(c, "acting.error.until_missing")
	}
	day, err := time.Parse(time.DateOnly, until)
	if err != nil {
		return web.T(c, "acting.error.until_invalid")
	}
	today := h.Today()
	switch {
	case day.Before(today):
		return web.T(c, "acting.error.until_past")
	case day.After(today.AddDate(maxGrantYears, 0, 0)):
		return web.T(c, "acting.error.until_far", "Years", maxGrantYears)
	}
	return ""
}

// representationEnd ends a representation, by either side: POST
// /account/acting/representations/{id}/end. Anyone else's is a 404.
func (h *Handler) representationEnd(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil || id <= 0 {
		return notFound()
	}
	err = h.acting.End(c.UserContext(), int64(id), viewer(c).PersonID, false)
	if errors.Is(err, acting.ErrNotFound) {
		return notFound()
	}
	if err != nil {
		return err
	}
	return c.Redirect(IndexPath+"?done=ended", fiber.StatusSeeOther)
}
