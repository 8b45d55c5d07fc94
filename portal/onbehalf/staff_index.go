package onbehalf

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"sportello/acting"
	"sportello/portal/web"
)

// staffPage is templates/acting/staff.html's data: organisations to
// confirm, and the form recording a power of attorney on paper.
type staffPage struct {
	web.Page
	Notice      string
	Unconfirmed []staffOrgRow
	Papers      []paperRow
	Form        paperForm
	Errors      []errorLink
}

type staffOrgRow struct {
	Name, TaxID, Registered, ConfirmURL, ConfirmLabel string
}

// paperRow is a power of attorney recorded, with its document and the
// button that ends it.
type paperRow struct {
	Principal, Representative, Services, Until string
	DocumentURL, EndURL, EndLabel              string
}

type paperForm struct {
	Principal, Representative, Until string
	Scope                            string
	Services                         []serviceChoice
	PrincipalError                   string
	RepresentativeError              string
	ScopeError                       string
	UntilError                       string
	DocumentError                    string
}

// documentTypes are what a scanned power of attorney may be.
var documentTypes = []string{"application/pdf", "image/jpeg", "image/png"}

// staffIndex lists the organisations whose tax ID waits for a caseworker,
// and the form that records a power of attorney: GET /staff/acting.
func (h *Handler) staffIndex(c *fiber.Ctx) error {
	page, err := h.staffPageOf(c, paperForm{Scope: "all"})
	if err != nil {
		return err
	}
	switch n := c.Query("done"); n {
	case "confirmed", "recorded", "ended":
		page.Notice = "acting.done." + n
	}
	return web.Render(c, "acting/staff", page)
}

func (h *Handler) staffPageOf(c *fiber.Ctx, f paperForm) (staffPage, error) {
	c.Set(fiber.HeaderCacheControl, "no-store")
	page := staffPage{Page: web.NewPage(c, "acting.staff.title")}
	orgs, err := h.acting.Unconfirmed(c.UserContext())
	if err != nil {
		return page, err
	}
	for _, o := range orgs {
		page.Unconfirmed = append(page.Unconfirmed, staffOrgRow{
			Name: o.Name, TaxID: o.TaxID, Registered: h.Date(web.LangOf(c), o.CreatedAt),
			ConfirmURL:   StaffPath + "/organisations/" + itoa(o.ID) + "/confirm",
			ConfirmLabel: web.T(c, "acting.staff.confirm_named", "Name", o.Name),
		})
	}
	papers, err := h.acting.Papers(c.UserContext())
	if err != nil {
		return page, err
	}
	for _, r := range papers {
		url := StaffPath + "/representations/" + itoa(r.ID)
		page.Papers = append(page.Papers, paperRow{
			Principal: r.PrincipalName, Representative: r.RepresentativeName, Services: h.servicesText(c, r.Services),
			Until: h.ISODate(web.LangOf(c), r.Until), DocumentURL: url + "/document", EndURL: url + "/end",
			EndLabel: web.T(c, "acting.end_named", "Name", r.RepresentativeName),
		})
	}
	f.Services = h.serviceChoices(c, f.Services)
	page.Form = f
	return page, nil
}

// staffConfirm records that the caseworker checked an organisation's tax
// ID: POST /staff/acting/organisations/{id}/confirm.
func (h *Handler) staffConfirm(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil || id <= 0 {
		return notFound()
	}
	if err := h.acting.Confirm(c.UserContext(), int64(id), viewer(c).PersonID); errors.Is(err, acting.ErrNotFound) {
		return notFound()
	} else if err != nil {
		return err
	}
	h.Log.InfoContext(c.UserContext(), "organisation confirmed", "organisation", id, "staff", viewer(c).PersonID)
	return c.Redirect(StaffPath+"?done=confirmed", fiber.StatusSeeOther)
}

// staffRecordPaper records a power of attorney made on paper, with its
// scanned document: POST /staff/acting/representations (multipart). Both
// people are named by the verified address of their account.
func (h *Handler) staffRecordPaper(c *fiber.Ctx) error {
	ctx := c.UserContext()
	f := paperForm{
		Principal:      strings.TrimSpace(c.FormValue("principal")),
		Representative: strings.TrimSpace(c.FormValue("representative")),
		Until:          strings.TrimSpace(c.FormValue("until")),
		Scope:          c.FormValue("scope"),
	}
	var errs []errorLink
	principal, err := h.personOf(c, f.Principal)
	if err != nil {
		f.PrincipalError = err.Error()
		errs = append(errs, errorLink{Href: "#paper-principal", Message: f.PrincipalError})
	}
	rep, err := h.personOf(c, f.Representative)
	switch {
	case err != nil:
		f.RepresentativeError = err.Error()
	case principal.ID != 0 && rep.ID == principal.ID:
		f.RepresentativeError = web.T(c, "acting.error.self")
	}
	if f.RepresentativeError != "" {
		errs = append(errs, errorLink{Href: "#paper-representative", Message: f.RepresentativeError})
	}
	sc := h.checkScope(c, "paper", f.Scope, f.Until)
	f.Services, f.ScopeError, f.UntilError = sc.choices, sc.scopeError, sc.untilError
	errs = append(errs, sc.errors...)
	doc, name, ctype, derr := h.document(c)
	if derr != "" {
		f.DocumentError = derr
		errs = append(errs, errorLink{Href: "#paper-document", Message: f.DocumentError})
	}
	if doc != nil {
		defer doc.Close()
	}
	if len(errs) > 0 {
		page, err := h.staffPageOf(c, f)
		if err != nil {
			return err
		}
		page.Errors = errs
		page.Title = web.T(c, "apply.error_title_prefix") + " " + page.Title
		c.Status(fiber.StatusUnprocessableEntity)
		return web.Render(c, "acting/staff", page)
	}
	r, err := h.acting.RecordPaper(ctx, acting.Paper{
		Principal: principal, Representative: rep, Services: sc.services, Until: f.Until, StaffID: viewer(c).PersonID,
		DocumentName: name, DocumentType: ctype, Document: io.LimitReader(doc, h.MaxDocument),
	})
	if err != nil {
		return err
	}
	h.Log.InfoContext(ctx, "power of attorney recorded", "representation", r.ID, "staff", viewer(c).PersonID)
	return c.Redirect(StaffPath+"?done=recorded", fiber.StatusSeeOther)
}

// personOf finds the account of a verified address; its error is the
// message to show.
func (h *Handler) personOf(c *fiber.Ctx, email string) (acting.Person, error) {
	if email == "" {
		return acting.Person{}, errors.New(web.T(c, "acting.error.person_missing"))
	}
	p, err := h.acting.PersonByEmail(c.UserContext(), email)
	if errors.Is(err, acting.ErrNotFound) {
		return acting.Person{}, errors.New(web.T(c, "acting.error.person_unknown", "Email", email))
	}
	return p, err
}

// scopeCheck is the services and last day of an authorisation as read
// from its form.
type scopeCheck struct {
	services               []string // nil: every service
	choices                []serviceChoice
	scopeError, untilError string
	errors                 []errorLink
}

// checkScope reads and checks the services and the last day of an
// authorisation; prefix is the form's ids' ("grant", "paper").
func (h *Handler) checkScope(c *fiber.Ctx, prefix, scope, until string) scopeCheck {
	var sc scopeCheck
	sc.services, sc.scopeError = h.chosenServices(c, scope, form(c, "services"))
	for _, s := range sc.services {
		sc.choices = append(sc.choices, serviceChoice{Slug: s})
	}
	if sc.scopeError != "" {
		sc.errors = append(sc.errors, errorLink{Href: "#" + prefix + "-scope-all", Message: sc.scopeError})
	}
	if sc.untilError = h.untilError(c, until); sc.untilError != "" {
		sc.errors = append(sc.errors, errorLink{Href: "#" + prefix + "-until", Message: sc.untilError})
	}
	return sc
}

// chosenServices reads the scope of an authorisation: every service
// ("all", nil), or the online services ticked ("chosen"); the second
// result is the message of a problem.
func (h *Handler) chosenServices(c *fiber.Ctx, scope string, ticked []string) ([]string, string) {
	d := h.Directory()
	var services []string
	for _, slug := range ticked {
		if sum, ok := d.ServiceOf[slug]; ok && sum.Online {
			services = append(services, sum.Slug)
		}
	}
	switch scope {
	case "all":
		return nil, ""
	case "chosen":
		if len(services) == 0 {
			return services, web.T(c, "acting.error.services")
		}
		return services, ""
	}
	return services, web.T(c, "acting.error.scope")
}

// form returns every value of a form field, multipart or not.
func form(c *fiber.Ctx, name string) []string {
	if mf, err := c.MultipartForm(); err == nil {
		return mf.Value[name]
	}
	var out []string
	for _, v := range c.Request().PostArgs().PeekMulti(name) {
		out = append(out, string(v))
	}
	return out
}

// document opens the uploaded document, checked by its content; the last
// result is the message of a problem.
func (h *Handler) document(c *fiber.Ctx) (io.ReadCloser, string, string, string) {
	fh, err := c.FormFile("document")
	if err != nil || fh.Size == 0 {
		return nil, "", "", web.T(c, "acting.error.document_missing")
	}
	if fh.Size > h.MaxDocument {
		return nil, "", "", web.T(c, "acting.error.document_large", "Max", h.MaxDocument>>20)
	}
	f, err := fh.Open()
	if err != nil {
		return nil, "", "", web.T(c, "acting.error.document_missing")
	}
	head := make([]byte, 512)
	n, _ := io.ReadFull(f, head)
	ctype, _, _ := mime.ParseMediaType(http.DetectContentType(head[:n]))
	ok := false
	for _, t := range documentTypes {
		ok = ok || t == ctype
	}
	if !ok {
		f.Close()
		return nil, "", "", web.T(c, "acting.error.document_type")
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		f.Close()
		return nil, "", "", web.T(c, "acting.error.document_missing")
	}
	return f, fh.Filename, ctype, ""
}

// staffEnd ends any representation, when the council learns that a power
// of attorney was revoked: POST /staff/acting/representations/{id}/end.
func (h *Handler) staffEnd(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil || id <= 0 {
		return notFound()
	}
	if err := h.acting.End(c.UserContext(), int64(id), viewer(c).PersonID, true); errors.Is(err, acting.ErrNotFound) {
		return notFound()
	} else if err != nil {
		return err
	}
	return c.Redirect(StaffPath+"?done=ended", fiber.StatusSeeOther)
}

// staffDocument sends a paper representation's document as a download:
// GET /staff/acting/representations/{id}/document.
func (h *Handler) staffDocument(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil || id <= 0 {
		return notFound()
	}
	d, rc, err := h.acting.Document(c.UserContext(), int64(id))
	if errors.Is(err, acting.ErrNotFound) {
		return notFound()
	}
	if err != nil {
		return err
	}
	return web.SendAttachment(c, rc, d.ContentType, d.Name, d.Size)
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }
