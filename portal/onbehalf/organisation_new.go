package onbehalf

import (
	"errors"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"sportello/acting"
	"sportello/portal/auth"
	"sportello/portal/web"
)

// organisationNewPage is templates/acting/organisation_new.html's data.
type organisationNewPage struct {
	web.Page
	Name, TaxID           string
	NameError, TaxIDError string
	// ClaimTaxID is the tax ID the identity provider vouched for at
	// sign-in, "" when it carried none.
	ClaimTaxID string
	Errors     []errorLink
}

// taxIDPattern is a tax ID once normalised: Spain's NIF and CIF, and most
// of Europe's VAT numbers without their country prefix.
var taxIDPattern = regexp.MustCompile(`^[A-Z0-9]{8,12}$`)

// organisationNew is the form that registers a business: GET
// /account/organisations/new.
func (h *Handler) organisationNew(c *fiber.Ctx) error {
	claim, err := h.auth.SessionValue(c, auth.SessionTaxID)
	if err != nil {
		return err
	}
	page := organisationNewPage{Page: web.NewPage(c, "acting.org_new.title"), ClaimTaxID: claim, TaxID: claim}
	return web.Render(c, "acting/organisation_new", page)
}

// organisationRegister registers a business with the signed-in person as
// its owner: POST /account/organisations. Its tax ID is confirmed at once
// when the identity provider vouched for the same one at sign-in
// (SPORTELLO_OIDC_TAX_ID_CLAIM); otherwise a caseworker confirms it, and
// until then nothing can be applied for in its name.
func (h *Handler) organisationRegister(c *fiber.Ctx) error {
	claim, err := h.auth.SessionValue(c, auth.SessionTaxID)
	if err != nil {
		return err
	}
	page := organisationNewPage{
		Page: web.NewPage(c, "acting.org_new.title"), ClaimTaxID: claim,
		Name: strings.TrimSpace(c.FormValue("name")), TaxID: strings.TrimSpace(c.FormValue("tax_id")),
	}
	switch n := utf8.RuneCountInString(page.Name); {
	case n == 0:
		page.NameError = web.T(c, "acting.error.org_name_missing")
	case n > maxName:
		page.NameError = web.T(c, "acting.error.name_long", "Max", maxName)
	}
	taxID := acting.NormaliseTaxID(page.TaxID)
	switch {
	case taxID == "":
		page.TaxIDError = web.T(c, "acting.error.tax_id_missing")
	case !taxIDPattern.MatchString(taxID):
		page.TaxIDError = web.T(c, "acting.error.tax_id_invalid")
	}
	if page.NameError == "" && page.TaxIDError == "" {
		o := acting.Organisation{Name: page.Name, TaxID: taxID}
		if claim != "" && acting.NormaliseTaxID(claim) == taxID {
			o.ConfirmedBy = acting.ConfirmedByIdP
		}
		org, err := h.acting.Register(c.UserContext(), o, viewer(c).PersonID)
		if err == nil {
			h.Log.InfoContext(c.UserContext(), "organisation registered", "organisation", org.ID, "confirmed_by", org.ConfirmedBy)
			return c.Redirect(organisationURL(org.ID)+"?done=registered", fiber.StatusSeeOther)
		}
		if !errors.Is(err, acting.ErrConflict) {
			return err
		}
		page.TaxIDError = web.T(c, "acting.error.tax_id_taken")
	}
	if page.NameError != "" {
		page.Errors = append(page.Errors, errorLink{Href: "#org-name", Message: page.NameError})
	}
	if page.TaxIDError != "" {
		page.Errors = append(page.Errors, errorLink{Href: "#org-tax-id", Message: page.TaxIDError})
	}
	page.Title = web.T(c, "apply.error_title_prefix") + " " + page.Title
	c.Status(fiber.StatusUnprocessableEntity)
	return web.Render(c, "acting/organisation_new", page)
}
