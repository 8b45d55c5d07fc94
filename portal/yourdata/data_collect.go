package yourdata

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"sportello/accounts"
	"sportello/applications"
	"sportello/assist"
	"sportello/catalogue"
	"sportello/notify"
	"sportello/payments"
	"sportello/portal/web"
	"sportello/supportalerts"
)

// personal is everything the areas hold about one person, as they gave it.
type personal struct {
	Profile  accounts.Profile
	SignIns  []accounts.SignInEntry
	Apps     applications.PersonalData
	Payments []payments.PersonPayment
	Saved    *accounts.SavedAnswers // nil: none saved
	Alerts   supportalerts.Status
	Mail     notify.PersonalData
	ActedFor []assist.Entry // what staff did for them at the counter
	More     more           // appointments, organisations, representations, reports supported
}

// collect asks each area for its part of the signed-in person's data. An
// application holds what its service's sign-in protects, so the whole is
// only given to a sign-in at the highest level among them (a step-up
// otherwise, as the application's own page asks).
func (s *Handler) collect(c *fiber.Ctx) (personal, error) {
	c.Set(fiber.HeaderCacheControl, "no-store")
	ctx, id := c.UserContext(), web.ViewerOf(c).PersonID
	var p personal
	var err error
	if p.Apps, err = s.areas.Apps.PersonalData(ctx, id); err != nil {
		return p, err
	}
	if err := s.levelFor(c, servicesOf(p.Apps)); err != nil {
		return p, err
	}
	if p.Profile, err = s.areas.People.Profile(ctx, id); err != nil {
		return p, err
	}
	if p.SignIns, err = s.areas.People.SignIns(ctx, id); err != nil {
		return p, err
	}
	if p.Payments, err = s.areas.Payments.ForPerson(ctx, id); err != nil {
		return p, err
	}
	switch saved, err := s.areas.Answers.SavedAnswers(ctx, id); {
	case err == nil:
		p.Saved = &saved
	case !errors.Is(err, accounts.ErrNotFound):
		return p, err
	}
	if p.Alerts, err = s.areas.Alerts.Status(ctx, id); err != nil {
		return p, err
	}
	if p.Mail, err = s.areas.Notes.PersonalData(ctx, id); err != nil {
		return p, err
	}
	if s.Assist != nil {
		if p.ActedFor, err = s.Assist.ForPerson(ctx, id); err != nil {
			return p, err
		}
	}
	if p.More, err = s.collectMore(ctx, id); err != nil {
		return p, err
	}
	return p, nil
}

// servicesOf are the services of everything a person's applications part
// shows: the applications, the saved drafts and the forms not sent, whose
// answers the forms themselves show only at the service's level.
func servicesOf(apps applications.PersonalData) []string {
	var slugs []string
	for _, a := range apps.Applications {
		slugs = append(slugs, a.ServiceSlug)
	}
	for _, d := range apps.Drafts {
		slugs = append(slugs, d.ServiceSlug)
	}
	for _, f := range apps.InProgress {
		slugs = append(slugs, f.Slug)
	}
	return slugs
}

// levelFor asks for a new sign-in when the viewer's is below the level of
// any of the services.
func (s *Handler) levelFor(c *fiber.Ctx, services []string) error {
	d := s.Directory()
	need := catalogue.AssuranceLow
	for _, slug := range services {
		if sum, ok := d.ServiceOf[slug]; ok && rank(sum.Assurance) > rank(need) {
			need = sum.Assurance
		}
	}
	if s.auth.Satisfies(web.ViewerOf(c), need) {
		return nil
	}
	return &web.StepUp{Level: need, ReturnTo: c.OriginalURL()}
}

func rank(level string) int {
	switch level {
	case catalogue.AssuranceSubstantial:
		return 2
	case catalogue.AssuranceHigh:
		return 3
	}
	return 1
}
