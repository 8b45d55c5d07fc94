package apply

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"sportello/accounts"
	"sportello/applications/forms"
	"sportello/portal/web"
)

// Ask once: a new form offers what the signed-in person already told the
// council, filled in and editable, each with a note saying where it came
// from (forms.Fill). Nothing is offered to anyone else.

// offers are what the council has of v for a form: their name and
// verified email from the account first, then, for each meaning, the
// newest of what their applications and their saved support-finder
// answers hold.
func (s *Handler) offers(c *fiber.Ctx, v *web.Viewer) ([]forms.Offer, error) {
	known := forms.Known{Name: v.Name}
	if v.EmailVerified {
		known.Email = v.Email
	}
	given, err := s.apps.Offers(c.UserContext(), v.PersonID)
	if err != nil {
		return nil, err
	}
	if s.Saved != nil {
		switch saved, err := s.Saved.SavedAnswers(c.UserContext(), v.PersonID); {
		case err == nil:
			given = append(given, supportOffers(saved)...)
		case !errors.Is(err, accounts.ErrNotFound):
			return nil, err
		}
	}
	slices.SortStableFunc(given, func(a, b forms.Offer) int { return b.Source.At.Compare(a.Source.At) })
	return append(known.Offers(), given...), nil
}

// supportOffers are what saved support-finder answers say that a form may
// ask: the size of the household, under the profile question of the same
// name.
func supportOffers(saved accounts.SavedAnswers) []forms.Offer {
	var answers map[string]any
	if json.Unmarshal([]byte(saved.Answers), &answers) != nil {
		return nil
	}
	n, ok := answers[string(forms.MeaningHouseholdSize)].(float64)
	if !ok || n < 1 || n != float64(int64(n)) {
		return nil
	}
	size := int64(n)
	return []forms.Offer{{
		Meaning: forms.MeaningHouseholdSize,
		Answer:  forms.Answer{Type: forms.TypeInteger, Number: &size},
		Source:  forms.Source{Kind: forms.SourceSupportFinder, At: saved.ConsentedAt},
	}}
}

// notePrefilled puts beside each field filled in from what the person gave
// before where it came from, and tells the input to read it.
func notePrefilled(c *fiber.Ctx, fields []applyField, from map[string]forms.Source) {
	for i := range fields {
		src, ok := from[fields[i].Name]
		if !ok {
			continue
		}
		f := &fields[i]
		switch src.Kind {
		case forms.SourceApplication:
			f.Prefilled = web.T(c, "yourdata.prefill.application", "Reference", src.Reference)
		case forms.SourceSupportFinder:
			f.Prefilled = web.T(c, "yourdata.prefill.support")
		default:
			f.Prefilled = web.T(c, "yourdata.prefill.account")
		}
		f.DescribedBy = strings.TrimSpace(f.Name + "-prefilled " + f.DescribedBy)
	}
}
