package public

import (
	"github.com/gofiber/fiber/v2"

	"sportello/applications"
	"sportello/portal/web"
)

// privacyPage is the privacy notice: the council's part from the
// catalogue's authority, what the site itself keeps, and the online
// services by topic, each linking to its own notice.
type privacyPage struct {
	web.Page
	Controller contactView
	DPO        *contactView // nil when the catalogue names no officer
	Supervisor *supervisorView
	Payments   web.Localised
	DraftDays  int
	FormHours  int
	Topics     []privacyTopic
}

type supervisorView struct {
	Name    web.Localised
	Website string
}

type privacyTopic struct {
	Title    web.Localised
	Services []privacyListed
}

// privacyListed is one online service in the notice's list.
type privacyListed struct {
	URL   string
	Title web.Localised
	Kept  string // "kept for 2 years after it is closed"; "" when the service does not say
}

func (s *Handler) privacyShow(c *fiber.Ctx) error {
	p := web.NewPage(c, "legal.privacy.title")
	d := s.Directory()
	a := s.Site.Authority()
	tr := s.Site.Translator
	page := privacyPage{
		Page:       p,
		Controller: contactView{Lang: p.Lang, Email: a.Email, Phone: a.Phone, Website: a.Website},
		DraftDays:  int(applications.DraftTTL.Hours() / 24),
		FormHours:  int(applications.PendingTTL.Hours()),
	}
	if cp := a.Privacy; cp != nil {
		page.DPO = &contactView{Lang: p.Lang, Email: cp.DPOEmail, Post: cp.DPOAddress}
		page.Supervisor = &supervisorView{Name: d.Loc(cp.Supervisor.Name, p.Lang), Website: cp.Supervisor.Website}
		page.Payments = d.Loc(cp.PaymentRecords, p.Lang)
	}
	for _, t := range d.Topics {
		topic := privacyTopic{Title: d.Loc(t.Title, p.Lang)}
		for _, sum := range d.InLang(p.Lang, d.ByTopic[t.Slug]) {
			if !sum.Online {
				continue
			}
			l := privacyListed{URL: PrivacyURL(sum.Slug), Title: d.Loc(sum.Title, p.Lang)}
			if sum.RetentionDays > 0 {
				l.Kept = tr.T(p.Lang, "legal.privacy.kept_for", "Period", period(tr, p.Lang, sum.RetentionDays))
			}
			topic.Services = append(topic.Services, l)
		}
		if len(topic.Services) > 0 {
			page.Topics = append(page.Topics, topic)
		}
	}
	return web.Render(c, "legal/privacy_show", page)
}
