package public

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"sportello/catalogue"
	"sportello/portal/web"
)

// accessibilityPage is the accessibility statement, in the structure of
// the EU's model statement (Implementing Decision (EU) 2018/1523).
type accessibilityPage struct {
	web.Page
	Site        string // the host the statement applies to
	StatusKey   string // legal.accessibility.status.*
	KnownIssues localisedList
	OutOfScope  localisedList
	Prepared    string // dates in the page's language; "" when not given
	Reviewed    string
	Assessment  string      // legal.accessibility.assessment.*; "" when not given
	Report      contactView // where to report a problem: not Contact, the footer's
	Enforcement web.Localised
}

func (s *Handler) accessibilityShow(c *fiber.Ctx) error {
	p := web.NewPage(c, "legal.accessibility.title")
	d := s.Directory()
	a := s.Site.Authority()
	page := accessibilityPage{
		Page:      p,
		Site:      strings.TrimPrefix(strings.TrimPrefix(s.BaseURL, "https://"), "http://"),
		StatusKey: "legal.accessibility.status.unknown",
		Report:    contactView{Lang: p.Lang, Email: a.Email, Phone: a.Phone},
	}
	if st := a.Accessibility; st != nil {
		page.StatusKey = "legal.accessibility.status." + st.Status
		page.KnownIssues = inList(d, st.KnownIssues, p.Lang)
		page.OutOfScope = inList(d, st.OutOfScope, p.Lang)
		page.Prepared = s.ISODate(p.Lang, st.PreparedOn)
		if st.ReviewedOn != "" {
			page.Reviewed = s.ISODate(p.Lang, st.ReviewedOn)
		}
		if st.Assessment == catalogue.AssessmentSelf || st.Assessment == catalogue.AssessmentThirdParty {
			page.Assessment = "legal.accessibility.assessment." + st.Assessment
		}
		page.Report.Email = st.Email
		page.Enforcement = d.Loc(st.Enforcement, p.Lang)
	}
	return web.Render(c, "legal/accessibility_show", page)
}
