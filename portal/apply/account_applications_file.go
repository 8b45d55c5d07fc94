package apply

import (
	"slices"

	"github.com/gofiber/fiber/v2"

	"sportello/applications"
	"sportello/portal/web"
)

// accountApplicationFile sends a file of one of the person's applications as
// a download: GET /account/files/{id}. Another person's file is a 404, like
// one that does not exist.
func (s *Handler) accountApplicationFile(c *fiber.Ctx) error {
	v := web.ViewerOf(c)
	f, err := s.apps.File(c.UserContext(), v.PersonID, c.Params("id"))
	if err != nil {
		return err
	}
	// The file is as protected as its application.
	apps, err := s.apps.ListForApplicant(c.UserContext(), v.PersonID)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(apps, func(a applications.Summary) bool { return a.ID == f.ApplicationID })
	if i < 0 {
		return applications.ErrNotFound
	}
	if err := s.access.Level(c, apps[i].ServiceSlug, apps[i].Reference.String()); err != nil {
		return err
	}
	return s.access.SendFile(c, f)
}
