// Package access is where the portal decides which application a request
// may see: the applicant's own, signed in at the level its service asks, and
// its files only as downloads. Every page that shows an application, a file,
// a payment or a receipt to its applicant goes through here.
package access

import (
	"mime"
	"sportello/applications"
	"sportello/catalogue"
	"sportello/portal/auth"
	"sportello/portal/web"

	"github.com/gofiber/fiber/v2"
)

// Access answers for the applications of the signed-in person.
type Access struct {
	*web.Shared
	Apps *applications.Store
	Auth *auth.Auth
}

// Application is the signed-in person's application ref; another
// person's is not found. It is only given to someone signed in at the level
// its service asks: an application sent after a substantial sign-in holds
// what that sign-in protects.
func (a *Access) Application(c *fiber.Ctx, ref applications.Reference) (*applications.Application, error) {
	v := web.ViewerOf(c)
	if v == nil {
		return nil, applications.ErrNotFound
	}
	app, err := a.Apps.ForApplicant(c.UserContext(), v.PersonID, ref)
	if err != nil {
		return nil, err
	}
	if err := a.Level(c, app.ServiceSlug, app.Reference.String()); err != nil {
		return nil, err
	}
	return app, nil
}

// Level asks for a new sign-in (a web.StepUp) when the viewer's is
// below the level of the service of their application ref. A page asked
// for with GET is where sign-in comes back to; after a form, it is the
// application's page.
func (a *Access) Level(c *fiber.Ctx, serviceSlug, ref string) error {
	level := catalogue.AssuranceLow
	if sum, ok := a.Directory().ServiceOf[serviceSlug]; ok && sum.Assurance != "" {
		level = sum.Assurance
	}
	if a.Auth.Satisfies(web.ViewerOf(c), level) {
		return nil
	}
	returnTo := "/account/applications/" + ref
	if c.Method() == fiber.MethodGet {
		returnTo = c.OriginalURL()
	}
	return &web.StepUp{Level: level, ReturnTo: returnTo}
}

// SendFile sends an uploaded file as a download, never shown inline: its
// type is the one found from the content at upload, and nosniff stops a
// browser from guessing another.
func (a *Access) SendFile(c *fiber.Ctx, f *applications.File) error {
	rc, err := a.Apps.Open(c.UserContext(), f)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, f.ContentType)
	disposition := mime.FormatMediaType("attachment", map[string]string{"filename": f.Filename})
	if disposition == "" {
		disposition = "attachment"
	}
	c.Set(fiber.HeaderContentDisposition, disposition)
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	// Fiber closes the reader once it is sent.
	return c.SendStream(rc, int(f.Size))
}
