package apply

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"sportello/applications"
	"sportello/portal/web"
)

// accountApplicationsPage is templates/applications/index.html's data: a
// person's applications and drafts.
type accountApplicationsPage struct {
	web.Page
	Saved        web.Localised // the service whose draft was just saved
	Applications []Row
	Drafts       []appDraftRow
}

// Row is one application in a list.
type Row struct {
	URL        string
	Reference  string
	Service    web.Localised
	Kind       string // of the service's transaction: the words of the row
	Status     string // translation key
	StatusCode string
	Submitted  string
	Due        string
	Overdue    bool
	Applicant  string // staff lists only
	// For says whom the viewer sees it for ("Acting for Marta Vidal",
	// "For Forno Ferri SL"); "" for their own.
	For string
}

type appDraftRow struct {
	URL     string
	Service web.Localised
	Saved   string
	Until   string // when the sweep deletes it
}

// appServiceTitle is a service's title for a list; a service since removed
// from the catalogue shows its slug.
func appServiceTitle(d *web.Directory, slug, lang string) web.Localised {
	if sum, ok := d.ServiceOf[slug]; ok {
		return d.Loc(sum.Title, lang)
	}
	return web.Localised{Text: slug}
}

// accountApplicationsIndex lists the signed-in person's applications, newest
// first, with their status and when a decision is due, and their drafts:
// GET /account/applications.
func (s *Handler) accountApplicationsIndex(c *fiber.Ctx) error {
	v := web.ViewerOf(c)
	c.Set(fiber.HeaderCacheControl, "no-store")
	d := s.Directory()
	ctx := c.UserContext()
	list, err := s.access.Applications(c)
	if err != nil {
		return err
	}
	drafts, err := s.apps.Drafts(ctx, v.PersonID)
	if err != nil {
		return err
	}
	p := web.NewPage(c, "applications.index.title")
	page := accountApplicationsPage{Page: p}
	if slug := c.Query("saved"); slug != "" {
		if _, ok := d.ServiceOf[slug]; ok {
			page.Saved = appServiceTitle(d, slug, p.Lang)
		}
	}
	for _, a := range list {
		row := s.RowOf(c, d, a.Summary, "/account/applications/")
		row.For = a.Label(c)
		page.Applications = append(page.Applications, row)
	}
	for _, dr := range drafts {
		if _, ok := d.ServiceOf[dr.ServiceSlug]; !ok {
			continue // the service left the catalogue; nothing to come back to
		}
		page.Drafts = append(page.Drafts, appDraftRow{
			URL: applyFormURL(dr.ServiceSlug), Service: appServiceTitle(d, dr.ServiceSlug, p.Lang), Saved: s.Date(web.LangOf(c), dr.UpdatedAt),
			Until: s.Date(web.LangOf(c), dr.Expires()),
		})
	}
	return web.Render(c, "applications/index", page)
}

func (s *Handler) RowOf(c *fiber.Ctx, d *web.Directory, a applications.Summary, prefix string) Row {
	lang := web.LangOf(c)
	kind := d.KindOf(a.ServiceSlug)
	return Row{
		URL:        prefix + a.Reference.String(),
		Reference:  a.Reference.String(),
		Service:    appServiceTitle(d, a.ServiceSlug, lang),
		Kind:       kind,
		Status:     KindStatusKey(kind, a.Status),
		StatusCode: string(a.Status),
		Submitted:  s.Date(web.LangOf(c), a.SubmittedAt),
		Due:        s.appDue(lang, a.Deadline, strings.HasPrefix(prefix, staffPrefix)),
		Overdue:    a.Overdue,
	}
}
