package staff

import (
	"github.com/gofiber/fiber/v2"

	"sportello/applications"
	"sportello/portal/web"
)

// staffActor is the signed-in member of staff as the applications store
// records them: as a caseworker when they are one, else as an administrator.
func staffActor(c *fiber.Ctx) applications.Actor {
	v := web.ViewerOf(c)
	role := applications.RoleAdmin
	if v.Has(web.RoleCaseworker) {
		role = applications.RoleCaseworker
	}
	return applications.Actor{PersonID: v.PersonID, Role: role}
}
