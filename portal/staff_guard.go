package portal

import (
	"github.com/gofiber/fiber/v2"

	"sportello/applications"
	"sportello/portal/auth"
	"sportello/portal/web"
)

// staffOnly lets caseworkers and administrators through. Anonymous visitors
// are sent to sign in; anyone else signed in gets a 403 page that says who
// the pages are for and where their own applications are.
func (s *Server) staffOnly(c *fiber.Ctx) error {
	v := appViewer(c)
	if v == nil {
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.Redirect(auth.LoginURL(c.OriginalURL(), ""), fiber.StatusSeeOther)
	}
	if !v.Has(web.RoleCaseworker) && !v.Has(web.RoleAdmin) {
		return web.NewError(fiber.StatusForbidden, "staff.error.forbidden", nil)
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Next()
}

// staffActor is the signed-in member of staff as the applications store
// records them: as a caseworker when they are one, else as an administrator.
func staffActor(c *fiber.Ctx) applications.Actor {
	v := appViewer(c)
	role := applications.RoleAdmin
	if v.Has(web.RoleCaseworker) {
		role = applications.RoleCaseworker
	}
	return applications.Actor{PersonID: v.PersonID, Role: role}
}
