package onbehalf

import (
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"sportello/acting"
	"sportello/catalogue"
	"sportello/portal/web"
)

// actingIndexPage is templates/acting/index.html's data.
type actingIndexPage struct {
	web.Page
	Notice        string // translation key of what was just done
	Organisations []orgRow
	ActForMe      []repRow // the people who may act for the viewer
	IActFor       []repRow // the people the viewer may act for
	Form          grantForm
	Errors        []errorLink
}

type orgRow struct {
	Name, URL, Role string
	Confirmed       bool
}

// repRow is a representation as the hub lists it.
type repRow struct {
	ID       int64
	Name     string // the other side
	Email    string
	Services string // "All services" or the titles
	Until    string
	UntilISO string
	Pending  bool // not accepted yet
	Expired  bool
	Paper    bool
	EndURL   string
	EndLabel string // the button's accessible name
}

// grantForm is the form that authorises someone.
type grantForm struct {
	Name, Email, Until string
	Scope              string // "all" or "chosen"
	Services           []serviceChoice
	NameError          string
	EmailError         string
	ScopeError         string
	UntilError         string
}

type serviceChoice struct {
	Slug    string
	Title   web.Localised
	Checked bool
}

// actingIndex is "Acting for someone else": GET /account/acting.
func (h *Handler) actingIndex(c *fiber.Ctx) error {
	page, err := h.indexPage(c, grantForm{Scope: "all"})
	if err != nil {
		return err
	}
	switch n := c.Query("done"); n {
	case "granted", "ended", "accepted", "registered", "joined", "left":
		page.Notice = "acting.done." + n
	}
	return web.Render(c, "acting/index", page)
}

func (h *Handler) indexPage(c *fiber.Ctx, f grantForm) (actingIndexPage, error) {
	c.Set(fiber.HeaderCacheControl, "no-store")
	v, ctx := viewer(c), c.UserContext()
	page := actingIndexPage{Page: web.NewPage(c, "acting.index.title")}
	orgs, err := h.acting.Memberships(ctx, v.PersonID)
	if err != nil {
		return page, err
	}
	for _, m := range orgs {
		page.Organisations = append(page.Organisations, orgRow{
			Name: m.Name, URL: organisationURL(m.ID), Role: web.T(c, "acting.role."+m.Role), Confirmed: m.Confirmed(),
		})
	}
	mine, err := h.acting.Of(ctx, v.PersonID)
	if err != nil {
		return page, err
	}
	for _, r := range mine {
		row := h.repRowOf(c, r, r.RepresentativeName)
		row.Email = r.RepresentativeEmail
		page.ActForMe = append(page.ActForMe, row)
	}
	theirs, err := h.acting.For(ctx, v.PersonID)
	if err != nil {
		return page, err
	}
	for _, r := range theirs {
		page.IActFor = append(page.IActFor, h.repRowOf(c, r, r.PrincipalName))
	}
	f.Services = h.serviceChoices(c, f.Services)
	page.Form = f
	return page, nil
}

func (h *Handler) repRowOf(c *fiber.Ctx, r acting.Representation, name string) repRow {
	lang := web.LangOf(c)
	row := repRow{
		ID: r.ID, Name: name, Services: h.servicesText(c, r.Services),
		Until: h.ISODate(lang, r.Until), UntilISO: r.Until,
		Pending: r.Representative == 0, Paper: r.Source == acting.SourcePaper,
		Expired: r.Representative != 0 && !r.CurrentOn(h.Today().Format("2006-01-02")),
		EndURL:  IndexPath + "/representations/" + strconv.FormatInt(r.ID, 10) + "/end",
	}
	if row.Name == "" {
		row.Name = r.RepresentativeEmail
	}
	row.EndLabel = web.T(c, "acting.end_named", "Name", row.Name)
	return row
}

// servicesText says which services a representation covers.
func (h *Handler) servicesText(c *fiber.Ctx, slugs []string) string {
	if len(slugs) == 0 {
		return web.T(c, "acting.services.all")
	}
	d, lang := h.Directory(), web.LangOf(c)
	titles := make([]string, 0, len(slugs))
	for _, s := range slugs {
		if sum, ok := d.ServiceOf[s]; ok {
			titles = append(titles, d.Loc(sum.Title, lang).Text)
		}
	}
	return strings.Join(titles, ", ")
}

// serviceChoices are the services with an online form, in title order, as
// checkboxes; checked are the slugs ticked.
func (h *Handler) serviceChoices(c *fiber.Ctx, checked []serviceChoice) []serviceChoice {
	d, lang := h.Directory(), web.LangOf(c)
	var all []*catalogue.ServiceSummary
	for _, sum := range d.ServiceOf {
		if sum.Online {
			all = append(all, sum)
		}
	}
	var online []serviceChoice
	for _, sum := range d.InLang(lang, all) {
		online = append(online, serviceChoice{
			Slug: sum.Slug, Title: d.Loc(sum.Title, lang),
			Checked: slices.ContainsFunc(checked, func(s serviceChoice) bool { return s.Slug == sum.Slug }),
		})
	}
	return online
}

func organisationURL(id int64) string { return OrganisationsPath + "/" + strconv.FormatInt(id, 10) }
