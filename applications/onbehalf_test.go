package applications

import (
	"context"
	"errors"
	"testing"
)

// An application records for which organisation and by whom it was made;
// ByReference, ApplicationByID and FileByID read any application without
// a person (portal/access decides who may see it), and an organisation's
// applications are listed for its members.
func TestOnBehalf(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		in := e.permitInput(t, 41)
		in.OrganisationID, in.SubmittedBy = 9001, 77
		made := e.submit(t, in)
		other := e.submit(t, e.permitInput(t, 41))

		app, err := e.s.ByReference(ctx, made.Reference)
		if err != nil {
			t.Fatal(err)
		}
		if app.PersonID != 41 || app.OrganisationID != 9001 || app.SubmittedBy != 77 || len(app.Files) == 0 {
			t.Errorf("read back %+v", app)
		}
		if byID, err := e.s.ApplicationByID(ctx, made.ID); err != nil || byID.Reference != made.Reference {
			t.Errorf("by id %+v, %v", byID, err)
		}
		if o, _ := e.s.ByReference(ctx, other.Reference); o.OrganisationID != 0 || o.SubmittedBy != 0 {
			t.Errorf("a person's own application: organisation %d, submitted by %d", o.OrganisationID, o.SubmittedBy)
		}
		f, err := e.s.FileByID(ctx, app.Files[0].ID)
		if err != nil || f.ApplicationID != made.ID {
			t.Errorf("file %+v, %v", f, err)
		}
		if _, err := e.s.FileByID(ctx, "nope"); !errors.Is(err, ErrNotFound) {
			t.Errorf("an unknown file: %v", err)
		}
		if _, err := e.s.ByReference(ctx, "PN-0000-0000"); !errors.Is(err, ErrNotFound) {
			t.Errorf("an unknown reference: %v", err)
		}
		list, err := e.s.ListForOrganisation(ctx, 9001)
		if err != nil || len(list) != 1 || list[0].ID != made.ID || list[0].OrganisationID != 9001 || list[0].SubmittedBy != 77 {
			t.Errorf("the organisation's applications %+v, %v", list, err)
		}
		if list, _ := e.s.ListForOrganisation(ctx, 9002); len(list) != 0 {
			t.Errorf("another organisation's: %+v", list)
		}
	})
}
