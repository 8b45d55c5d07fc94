package eligibility

import (
	"context"
	"fmt"

	"sportello/catalogue"
)

// Load reads from st the part of the published catalogue that Compile and
// NewBusinessFinder need: the authority, the profile questions, the
// business types, and only the services that have a rule or that a business
// type names. It streams the services rather than export the catalogue:
// at 100k services an export takes a gigabyte for a while, and the rules,
// which point into the services they keep, held 470 MB of it for as long as
// they were kept (docs/performance.md).
//
// A change published while it reads makes it read again, so that the
// business types never name a service it skipped.
func Load(ctx context.Context, st catalogue.Store) (*catalogue.Catalogue, error) {
	for {
		d, err := st.Directory(ctx)
		if err != nil {
			return nil, err
		}
		named := map[string]bool{}
		for _, b := range d.BusinessTypes {
			for _, step := range b.Steps {
				for _, p := range step.Services {
					named[p.Service] = true
				}
			}
		}
		c := &catalogue.Catalogue{Authority: d.Authority, ProfileQuestions: d.ProfileQuestions, BusinessTypes: d.BusinessTypes}
		err = st.EachService(ctx, func(s *catalogue.Service) error {
			if s.EligibilityRule != nil || named[s.Slug] {
				c.Services = append(c.Services, *s)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("eligibility: reading the services: %w", err)
		}
		v, err := st.Version(ctx)
		if err != nil {
			return nil, err
		}
		if v == d.Version {
			return c, nil
		}
	}
}
