package public

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"html/template"
	"slices"

	"github.com/gofiber/fiber/v2"

	"sportello/catalogue"
	"sportello/portal/web"
)

// servicePage is the data of templates/service_content.html, the part of
// the service page that depends only on the service, the language and the
// catalogue version, so it is rendered once and cached.
type servicePage struct {
	web.Page
	Service serviceView
	// JSONLD is the schema.org GovernmentService description, already JSON
	// (encoding/json escapes <, > and &, so it cannot close the script).
	JSONLD template.JS
}

// serviceShowPage is the data of templates/service_show.html: the layout's
// per-request part around the cached content.
type serviceShowPage struct {
	web.Page
	Content template.HTML
	// FeedbackURL asks "Was this page useful?" (feedback_show.go); links,
	// not a form, so the page needs no session. "" hides the question.
	FeedbackURL string
}

// RenderedService is a service page's content in one language.
type RenderedService struct {
	Title    string
	Fallback string
	Content  template.HTML
}

// serviceCacheSize bounds the rendered service pages kept (slug and
// language): about 50 MB at the demo's page size (~10 KB), so that the
// server stays within its memory budget at 100k services. Popular pages are
// what a cache serves; a miss costs one store read and one render.
const serviceCacheSize = 5000

func (s *Handler) serviceShow(c *fiber.Ctx) error {
	d := s.Directory()
	p := web.NewPage(c, "")
	r, err := s.renderService(c, d, c.Params("slug"), p.Lang)
	if err != nil {
		return err
	}
	p.Title, p.Fallback = r.Title, r.Fallback
	if sum, ok := d.ServiceOf[c.Params("slug")]; ok {
		p.ServiceAlerts = web.AlertsFor(c, sum.Topic, sum.Slug)
	}
	s.countSearchClick(c)
	page := serviceShowPage{Page: p, Content: r.Content}
	if s.feedback != nil {
		page.FeedbackURL = web.ServiceURL(c.Params("slug")) + "/feedback"
	}
	return web.Render(c, "service_show", page)
}

// renderService returns the page content of a service, from the cache when
// this catalogue version's page was already rendered, else from the store.
func (s *Handler) renderService(c *fiber.Ctx, d *web.Directory, slug, lang string) (RenderedService, error) {
	key := slug + "\x00" + lang
	if r, ok := s.services.Get(d.Version, key); ok {
		return r, nil
	}
	if _, ok := d.ServiceOf[slug]; !ok {
		return RenderedService{}, catalogue.ErrNotFound
	}
	svc, err := s.store.Service(c.UserContext(), slug)
	if err != nil {
		return RenderedService{}, err
	}
	r, err := s.ServiceContent(c.UserContext(), d, svc, lang)
	if err != nil {
		return RenderedService{}, err
	}
	s.services.Put(d.Version, key, r)
	return r, nil
}

// ServiceContent renders the page content of svc from d, uncached: previews
// give a draft service, or a directory holding a draft office.
func (s *Handler) ServiceContent(ctx context.Context, d *web.Directory, svc *catalogue.Service, lang string) (RenderedService, error) {
	view, fallback, err := s.serviceView(ctx, d, svc, lang)
	if err != nil {
		return RenderedService{}, err
	}
	ld, err := s.jsonLD(d, svc, view, cmp.Or(fallback, lang))
	if err != nil {
		return RenderedService{}, err
	}
	var buf bytes.Buffer
	page := servicePage{Page: web.Page{Lang: lang, Fallback: fallback}, Service: view, JSONLD: ld}
	if err := s.engine.Render(&buf, "service_content", page); err != nil {
		return RenderedService{}, err
	}
	return RenderedService{
		Title: view.Title, Fallback: fallback,
		Content: template.HTML(buf.String()), // #nosec G203 -- output of html/template
	}, nil
}

type serviceView struct {
	Slug           string
	Title          string
	Summary        string
	Description    template.HTML // Markdown rendered and sanitised
	Eligibility    string
	Documents      []string
	Steps          []string
	Free           bool
	Cost           string // "€40.00 per year"
	FeeWhen        string // translation key, "" when free
	ProcessingDays int
	ProcessingSet  bool // false: the service has no set processing time
	LegalBasis     string
	Output         string
	Channels       []string // translation keys
	Online         bool
	Kind           string // of online transaction: the words of the start button
	ApplyURL       string
	PrivacyURL     string // what the online form does with personal data
	SignInNeeded   bool   // the online form needs a signed-in person
	Topic          web.Link
	Office         *officeView
	LifeEvents     web.LinkList
	Related        web.CardList
}

type officeView struct {
	Name         string
	Lang         string
	Email        string
	Phone        string
	Address      string
	OpeningHours string // in the page's language (web.OpeningHours)
}

// serviceView picks the service's texts in lang. A service is translated
// whole or not at all (FORMAT.md), so one fallback language covers it.
func (s *Handler) serviceView(ctx context.Context, d *web.Directory, svc *catalogue.Service, lang string) (serviceView, string, error) {
	text := lang
	_, fallback := d.Text(svc.Title, lang)
	if fallback != "" {
		text = fallback
	}
	in := func(t catalogue.Text) string { v, _ := t.In(text, d.DefaultLang); return v }
	list := func(t catalogue.TextList) []string { v, _ := t.In(text, d.DefaultLang); return v }
	v := serviceView{
		Slug:         svc.Slug,
		Title:        in(svc.Title),
		Summary:      in(svc.Summary),
		Description:  s.md.Render(in(svc.Description)),
		Eligibility:  in(svc.EligibilityText),
		Documents:    list(svc.Documents),
		Steps:        list(svc.Steps),
		Free:         svc.Free(),
		Cost:         d.Cost(svc.Fee, lang),
		LegalBasis:   in(svc.LegalBasis),
		Output:       in(svc.Output),
		Online:       svc.Online(),
		Kind:         svc.Kind,
		SignInNeeded: svc.Assurance != nil && *svc.Assurance != catalogue.AssuranceNone && *svc.Assurance != "",
	}
	if svc.ProcessingTimeDays != nil {
		v.ProcessingDays, v.ProcessingSet = *svc.ProcessingTimeDays, true
	}
	if !v.Free && svc.Fee != nil {
		v.FeeWhen = "service.fee_when." + svc.Fee.When
	}
	if v.Online {
		v.ApplyURL = web.ServiceURL(svc.Slug) + "/apply"
		v.PrivacyURL = PrivacyURL(svc.Slug)
	}
	if svc.Bookable() {
		// A time is booked, not asked for through the form (portal/booking).
		v.ApplyURL = web.ServiceURL(svc.Slug) + "/book"
	}
	for _, ch := range svc.Channels {
		switch ch {
		case "online", "in_person", "phone", "post":
			v.Channels = append(v.Channels, "service.channel."+ch)
		}
	}
	if t, ok := d.TopicOf[svc.Topic]; ok {
		title, fb := d.Text(t.Title, lang)
		v.Topic = web.Link{URL: web.TopicURL(t.Slug), Title: title, Lang: fb}
	}
	if dep, ok := d.DepartmentOf[svc.Department]; ok {
		name, fb := d.Text(dep.Name, lang)
		v.Office = &officeView{Name: name, Lang: fb, Email: dep.Email, Phone: dep.Phone, Address: dep.Address,
			OpeningHours: web.OpeningHours(lang, dep.OpeningHours)}
	}
	v.LifeEvents = web.LinkList{Lang: lang}
	for _, slug := range svc.LifeEvents {
		if le, ok := d.LifeEventOf[slug]; ok {
			title, fb := d.Text(le.Title, lang)
			v.LifeEvents.Items = append(v.LifeEvents.Items, web.Link{URL: web.LifeEventURL(slug), Title: title, Lang: fb})
		}
	}
	var related []*catalogue.ServiceSummary
	for _, slug := range svc.Related {
		if r, ok := d.ServiceOf[slug]; ok && !slices.Contains(related, r) {
			related = append(related, r)
		}
	}
	var err error
	v.Related, err = d.Cards(ctx, lang, related)
	return v, fallback, err
}

// governmentService is the schema.org description of a service, for search
// engines and assistants.
type governmentService struct {
	Context          string             `json:"@context"`
	Type             string             `json:"@type"`
	Name             string             `json:"name"`
	Description      string             `json:"description"`
	URL              string             `json:"url"`
	InLanguage       string             `json:"inLanguage"`
	ServiceType      string             `json:"serviceType,omitempty"`
	Provider         jsonLDOrganization `json:"provider"`
	AreaServed       jsonLDPlace        `json:"areaServed"`
	Audience         []jsonLDAudience   `json:"audience,omitempty"`
	AvailableChannel []jsonLDChannel    `json:"availableChannel,omitempty"`
	Offers           *jsonLDOffer       `json:"offers,omitempty"`
}

type jsonLDOrganization struct {
	Type      string `json:"@type"`
	Name      string `json:"name"`
	URL       string `json:"url,omitempty"`
	Email     string `json:"email,omitempty"`
	Telephone string `json:"telephone,omitempty"`
	Address   string `json:"address,omitempty"`
}

type jsonLDPlace struct {
	Type string `json:"@type"`
	Name string `json:"name"`
}

type jsonLDAudience struct {
	Type         string `json:"@type"`
	AudienceType string `json:"audienceType"`
}

type jsonLDChannel struct {
	Type              string              `json:"@type"`
	ServiceURL        string              `json:"serviceUrl,omitempty"`
	ServicePhone      *jsonLDContactPoint `json:"servicePhone,omitempty"`
	ServiceLocation   *jsonLDPlaceAddress `json:"serviceLocation,omitempty"`
	AvailableLanguage []string            `json:"availableLanguage,omitempty"`
}

type jsonLDContactPoint struct {
	Type      string `json:"@type"`
	Telephone string `json:"telephone"`
}

type jsonLDPlaceAddress struct {
	Type    string `json:"@type"`
	Name    string `json:"name"`
	Address string `json:"address"`
}

type jsonLDOffer struct {
	Type          string `json:"@type"`
	Price         string `json:"price"`
	PriceCurrency string `json:"priceCurrency"`
	Description   string `json:"description,omitempty"`
}

func (s *Handler) jsonLD(d *web.Directory, svc *catalogue.Service, v serviceView, lang string) (template.JS, error) {
	authority, _ := d.Authority.Name.In(lang, d.DefaultLang)
	gs := governmentService{
		Context:     "https://schema.org",
		Type:        "GovernmentService",
		Name:        v.Title,
		Description: v.Summary,
		URL:         s.BaseURL + web.ServiceURL(svc.Slug),
		InLanguage:  lang,
		ServiceType: v.Topic.Title,
		Provider:    jsonLDOrganization{Type: "GovernmentOrganization", Name: authority, URL: d.Authority.Website},
		AreaServed:  jsonLDPlace{Type: "City", Name: authority},
	}
	if v.Office != nil {
		gs.Provider = jsonLDOrganization{
			Type: "GovernmentOffice", Name: v.Office.Name + " – " + authority,
			Email: v.Office.Email, Telephone: v.Office.Phone, Address: v.Office.Address,
		}
	}
	for _, a := range svc.Audience {
		at := "Citizens"
		if a == catalogue.AudienceBusiness {
			at = "Businesses"
		}
		gs.Audience = append(gs.Audience, jsonLDAudience{Type: "Audience", AudienceType: at})
	}
	if v.Online {
		gs.AvailableChannel = append(gs.AvailableChannel, jsonLDChannel{
			Type: "ServiceChannel", ServiceURL: s.BaseURL + v.ApplyURL, AvailableLanguage: svc.Languages(),
		})
	}
	if v.Office != nil && v.Office.Phone != "" {
		gs.AvailableChannel = append(gs.AvailableChannel, jsonLDChannel{
			Type: "ServiceChannel", ServicePhone: &jsonLDContactPoint{Type: "ContactPoint", Telephone: v.Office.Phone},
		})
	}
	if v.Office != nil && v.Office.Address != "" {
		gs.AvailableChannel = append(gs.AvailableChannel, jsonLDChannel{
			Type: "ServiceChannel", ServiceLocation: &jsonLDPlaceAddress{Type: "Place", Name: v.Office.Name, Address: v.Office.Address},
		})
	}
	if svc.Fee != nil {
		gs.Offers = &jsonLDOffer{Type: "Offer", Price: web.Money{Minor: svc.Fee.Amount, Currency: svc.Fee.Currency}.Plain(), PriceCurrency: svc.Fee.Currency, Description: v.Cost}
	} else {
		gs.Offers = &jsonLDOffer{Type: "Offer", Price: "0", PriceCurrency: d.Authority.Currency}
	}
	b, err := json.Marshal(gs)
	if err != nil {
		return "", err
	}
	return template.JS(b), nil // #nosec G203 -- encoding/json output, HTML-escaped
}
