package eligibility

import (
	"context"
	"errors"
	"fmt"

	"sportello/catalogue"
)

// Load reads from st the part of the published catalogue that Compile and
// NewBusinessFinder need: the authority, the profile questions, the
// business types, and only the services that have a rule or that a business
// type names, found from the directory and read one by one. The finders and
// the support alerts used to export the whole catalogue for them: at 100k
// services a gigabyte for a while, and the rules, which point into the
// services they keep, held 470 MB of it for as long as they were kept
// (docs/performance.md).
//
// A change published while it reads makes it read again, so that the
// business types never name a service it did not read.
func Load(ctx context.Context, st catalogue.Store) (*catalogue.Catalogue, error) {
	const tries = 3
	for range tries {
		d, err := st.Directory(ctx)
		if err != nil {
			return nil, err
		}
		c, err := load(ctx, st, d)
		if errors.Is(err, catalogue.ErrNotFound) {
			continue // archived since the directory was read
		}
		if err != nil {
			return nil, err
		}
		v, err := st.Version(ctx)
		if err != nil {
			return nil, err
		}
		if v == d.Version {
			return c, nil
		}
	}
	return nil, fmt.Errorf("eligibility: the catalogue changed %d times while it was being read; try again", tries)
}

// load reads what Load returns, from the directory d.
func load(ctx context.Context, st catalogue.Store, d *catalogue.Directory) (*catalogue.Catalogue, error) {
	named := map[string]bool{}
	for _, b := range d.BusinessTypes {
		for _, step := range b.Steps {
			for _, p := range step.Services {
				named[p.Service] = true
			}
		}
	}
	c := &catalogue.Catalogue{Authority: d.Authority, ProfileQuestions: d.ProfileQuestions, BusinessTypes: d.BusinessTypes}
	for _, sum := range d.Services {
		if !sum.HasRule && !named[sum.Slug] {
			continue
		}
		s, err := st.Service(ctx, sum.Slug)
		if err != nil {
			return nil, fmt.Errorf("eligibility: reading service %s: %w", sum.Slug, err)
		}
		c.Services = append(c.Services, *s)
	}
	return c, nil
}
