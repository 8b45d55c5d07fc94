// Package access is where the portal decides which application a request
// may see, and so which of its files, payments and receipts: the
// applicant's own; one made for an organisation, by every member of that
// organisation (and by them only); and one a person made for themselves, by
// their representative while the representation holds (accepted, not
// ended, not past its date) and covers the application's service. Anyone else is told
// it does not exist (404). The viewer must be signed in at the level the
// service asks, and files are sent only as downloads. Every page that
// shows an application, a file, a payment or a receipt goes through here.
package access

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"time"

	"sportello/acting"
	"sportello/applications"
	"sportello/catalogue"
	"sportello/portal/auth"
	"sportello/portal/web"

	"github.com/gofiber/fiber/v2"
)

// Access answers for the applications a signed-in person may see.
type Access struct {
	*web.Shared
	Apps *applications.Store
	Auth *auth.Auth
	// Acting knows organisations and representations; nil lets each
	// person see their own applications only.
	Acting acting.Store
}

// Relation is how the viewer stands to an application they may see.
type Relation struct {
	Own bool
	// Organisation is the one the application was made for, when the
	// viewer sees it as its member (zero otherwise).
	Organisation acting.Organisation
	// For is the representation by which the viewer sees it, acting for
	// its applicant (zero otherwise).
	For acting.Representation
}

// Label is the banner of a page the viewer sees through rel, "" for
// their own.
func (rel Relation) Label(c *fiber.Ctx) string {
	switch {
	case rel.For.ID != 0:
		return web.T(c, "acting.banner.person", "Name", rel.For.PrincipalName)
	case rel.Organisation.ID != 0:
		return web.T(c, "acting.banner.organisation", "Name", rel.Organisation.Name)
	}
	return ""
}

// Application is an application ref the signed-in person may see (see
// the package's comment); any other is not found. It is only given to
// someone signed in at the level its service asks: an application sent
// after a substantial sign-in holds what that sign-in protects.
func (a *Access) Application(c *fiber.Ctx, ref applications.Reference) (*applications.Application, error) {
	app, _, err := a.ApplicationFor(c, ref)
	return app, err
}

// ApplicationFor is Application with how the viewer stands to it.
func (a *Access) ApplicationFor(c *fiber.Ctx, ref applications.Reference) (*applications.Application, Relation, error) {
	v := web.ViewerOf(c)
	if v == nil {
		return nil, Relation{}, applications.ErrNotFound
	}
	app, err := a.Apps.ByReference(c.UserContext(), ref)
	if err != nil {
		return nil, Relation{}, err
	}
	rel, err := a.relation(c.UserContext(), v.PersonID, app.PersonID, app.OrganisationID, app.ServiceSlug)
	if err != nil {
		return nil, Relation{}, err
	}
	if err := a.Level(c, app.ServiceSlug, app.Reference.String()); err != nil {
		return nil, Relation{}, err
	}
	return app, rel, nil
}

// File is a file of an application the signed-in person may see, with
// the same checks; any other is not found.
func (a *Access) File(c *fiber.Ctx, id string) (*applications.File, error) {
	v := web.ViewerOf(c)
	if v == nil {
		return nil, applications.ErrNotFound
	}
	f, err := a.Apps.FileByID(c.UserContext(), id)
	if err != nil {
		return nil, err
	}
	app, err := a.Apps.ApplicationByID(c.UserContext(), f.ApplicationID)
	if err != nil {
		return nil, err
	}
	if _, err := a.relation(c.UserContext(), v.PersonID, app.PersonID, app.OrganisationID, app.ServiceSlug); err != nil {
		return nil, err
	}
	if err := a.Level(c, app.ServiceSlug, app.Reference.String()); err != nil {
		return nil, err
	}
	return f, nil
}

// relation decides whether viewer may see an application of applicant,
// made for org (0: none), for service; ErrNotFound when not.
func (a *Access) relation(ctx context.Context, viewer, applicant, org int64, service string) (Relation, error) {
	if viewer == 0 {
		return Relation{}, applications.ErrNotFound
	}
	if applicant == viewer {
		return Relation{Own: true}, nil
	}
	if a.Acting == nil {
		return Relation{}, applications.ErrNotFound
	}
	if org != 0 {
		// An organisation's application is its members' business only: a
		// representative of the member who sent it does not see it.
		switch _, err := a.Acting.Role(ctx, org, viewer); {
		case err == nil:
			o, err := a.Acting.Organisation(ctx, org)
			return Relation{Organisation: o}, err
		case isNotFound(err):
			return Relation{}, applications.ErrNotFound
		default:
			return Relation{}, err
		}
	}
	if applicant != 0 {
		reps, err := a.Acting.Current(ctx, viewer, applicant, a.today())
		if err != nil {
			return Relation{}, err
		}
		for _, r := range reps {
			if r.Covers(service) {
				return Relation{For: r}, nil
			}
		}
	}
	return Relation{}, applications.ErrNotFound
}

// Label is the banner of a page about app the viewer may see: whom they
// see it for, "" when it is their own (or they may not see it).
func (a *Access) Label(c *fiber.Ctx, app *applications.Application) string {
	v := web.ViewerOf(c)
	if v == nil {
		return ""
	}
	rel, err := a.relation(c.UserContext(), v.PersonID, app.PersonID, app.OrganisationID, app.ServiceSlug)
	if err != nil {
		return ""
	}
	return rel.Label(c)
}

// ActFor returns the representation by which the viewer may act for
// principal on service today; false when there is none.
func (a *Access) ActFor(c *fiber.Ctx, principal int64, service string) (acting.Representation, bool, error) {
	v := web.ViewerOf(c)
	if v == nil || a.Acting == nil || principal == 0 || principal == v.PersonID {
		return acting.Representation{}, false, nil
	}
	reps, err := a.Acting.Current(c.UserContext(), v.PersonID, principal, a.today())
	if err != nil {
		return acting.Representation{}, false, err
	}
	for _, r := range reps {
		if r.Covers(service) {
			return r, true, nil
		}
	}
	return acting.Representation{}, false, nil
}

// Representing lists the representations by which the viewer may act
// today, for anyone.
func (a *Access) Representing(c *fiber.Ctx) ([]acting.Representation, error) {
	v := web.ViewerOf(c)
	if v == nil || a.Acting == nil {
		return nil, nil
	}
	reps, err := a.Acting.For(c.UserContext(), v.PersonID)
	if err != nil {
		return nil, err
	}
	today := a.today()
	return slices.DeleteFunc(reps, func(r acting.Representation) bool { return !r.CurrentOn(today) }), nil
}

// Member returns the confirmed organisation orgID when the viewer is a
// member of it; false otherwise.
func (a *Access) Member(c *fiber.Ctx, orgID int64) (acting.Organisation, string, bool, error) {
	v := web.ViewerOf(c)
	if v == nil || a.Acting == nil || orgID == 0 {
		return acting.Organisation{}, "", false, nil
	}
	role, err := a.Acting.Role(c.UserContext(), orgID, v.PersonID)
	if isNotFound(err) {
		return acting.Organisation{}, "", false, nil
	}
	if err != nil {
		return acting.Organisation{}, "", false, err
	}
	o, err := a.Acting.Organisation(c.UserContext(), orgID)
	return o, role, err == nil, err
}

// Listed is an application in the viewer's lists, with how they see it.
type Listed struct {
	applications.Summary
	Relation
}

// Applications lists every application the viewer may see, newest first:
// their own, those made for their organisations, and those of the people
// they act for that the representation covers.
func (a *Access) Applications(c *fiber.Ctx) ([]Listed, error) {
	v := web.ViewerOf(c)
	if v == nil {
		return nil, nil
	}
	ctx := c.UserContext()
	own, err := a.Apps.ListForApplicant(ctx, v.PersonID)
	if err != nil {
		return nil, err
	}
	seen := map[int64]bool{}
	var out []Listed
	add := func(s applications.Summary, rel Relation) {
		if !seen[s.ID] {
			seen[s.ID] = true
			out = append(out, Listed{Summary: s, Relation: rel})
		}
	}
	for _, s := range own {
		add(s, Relation{Own: true})
	}
	if a.Acting != nil {
		orgs, err := a.Acting.Memberships(ctx, v.PersonID)
		if err != nil {
			return nil, err
		}
		for _, m := range orgs {
			list, err := a.Apps.ListForOrganisation(ctx, m.ID)
			if err != nil {
				return nil, err
			}
			for _, s := range list {
				add(s, Relation{Organisation: m.Organisation})
			}
		}
		reps, err := a.Representing(c)
		if err != nil {
			return nil, err
		}
		for _, r := range reps {
			list, err := a.Apps.ListForApplicant(ctx, r.Principal)
			if err != nil {
				return nil, err
			}
			for _, s := range list {
				if s.OrganisationID == 0 && r.Covers(s.ServiceSlug) {
					add(s, Relation{For: r})
				}
			}
		}
	}
	slices.SortStableFunc(out, func(x, y Listed) int {
		return cmp.Or(y.CreatedAt.Compare(x.CreatedAt), cmp.Compare(x.ID, y.ID))
	})
	return out, nil
}

// today is the council's date, YYYY-MM-DD: a representation holds to the
// end of its last day there.
func (a *Access) today() string { return a.Today().Format(time.DateOnly) }

func isNotFound(err error) bool { return err != nil && errors.Is(err, acting.ErrNotFound) }

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
	return web.SendAttachment(c, rc, f.ContentType, f.Filename, f.Size)
}
