package public

import (
	"github.com/gofiber/fiber/v2"

	"sportello/catalogue"
	"sportello/portal/web"
)

// privacyServicePage is one online service's privacy notice: what its form
// collects, why, on what legal basis, who receives it and how long it is
// kept, from the service's privacy in the catalogue.
type privacyServicePage struct {
	web.Page
	Service    string // its title
	ServiceURL string
	ApplyURL   string
	// SignIn: the form needs signing in, so the name and email address of
	// the sign-in are collected too.
	SignIn bool
	// Data are the personal data collected: the catalogue's list, or the
	// form's questions (Answers).
	Data    []string
	Answers []answerView
	Given   bool // the service has its privacy in the catalogue
	Purpose string
	Basis   string // legal.privacy.basis.*
	Law     string // the service's legal_basis text; "" when none
	Kept    string // "2 years"
	Shared  string // "" when nobody outside the council
	// Payments says how long payment records are kept, for a service with
	// a fee; "" otherwise.
	Payments web.Localised
}

// answerView is one question of the form, named by its label.
type answerView struct {
	Label string
	File  bool
}

func (s *Handler) privacyServiceShow(c *fiber.Ctx) error {
	d := s.Directory()
	slug := c.Params("slug")
	if sum, ok := d.ServiceOf[slug]; !ok || !sum.Online {
		return catalogue.ErrNotFound
	}
	svc, err := s.store.Service(c.UserContext(), slug)
	if err != nil {
		return err
	}
	p := web.NewPage(c, "")
	// A service is translated whole or not at all, so the language of its
	// title is that of every text of it.
	title, fallback := d.Text(svc.Title, p.Lang)
	text := p.Lang
	if fallback != "" {
		text, p.Fallback = fallback, fallback
	}
	pick := func(t catalogue.Text) string { v, _ := t.In(text, d.DefaultLang); return v }
	tr := s.Site.Translator
	p.Title = tr.T(p.Lang, "legal.privacy.service.title", "Service", title)
	page := privacyServicePage{
		Page: p, Service: title, ServiceURL: web.ServiceURL(slug), ApplyURL: web.ServiceURL(slug) + "/apply",
		SignIn: svc.Assurance != nil && *svc.Assurance != catalogue.AssuranceNone,
		Law:    pick(svc.LegalBasis),
	}
	pr := svc.Privacy
	if pr != nil && pr.Data != nil {
		page.Data, _ = pr.Data.In(text, d.DefaultLang)
	} else {
		for _, f := range svc.OnlineForm.Fields {
			page.Answers = append(page.Answers, answerView{Label: pick(f.Label), File: f.Type == "file"})
		}
	}
	if pr != nil {
		page.Given = true
		page.Purpose = pick(pr.Purpose)
		page.Basis = "legal.privacy.basis." + pr.LegalBasis
		page.Kept = period(tr, p.Lang, pr.RetentionDays)
		page.Shared = pick(pr.SharedWith)
	}
	if cp := s.Site.Authority().Privacy; cp != nil && !svc.Free() {
		page.Payments = d.Loc(cp.PaymentRecords, p.Lang)
	}
	return web.Render(c, "legal/privacy_service_show", page)
}
