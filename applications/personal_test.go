package applications

import (
	"context"
	"database/sql"
	"testing"

	"sportello/applications/forms"
)

// A person's data: their applications in full, drafts and unsent forms in
// progress, and nobody else's. Erasing them deletes the drafts and forms
// in progress with their uploads, and cuts the applications from the
// person, keeping them whole; another person's are untouched.
func TestPersonalDataAndErase(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		first := e.submit(t, e.permitInput(t, 7))
		e.clock.set(e.clock.now().Add(3600e9))
		second := e.submit(t, e.permitInput(t, 7))
		if err := e.s.Withdraw(ctx, 7, second.Reference, "moved away"); err != nil {
			t.Fatal(err)
		}
		others := e.submit(t, e.permitInput(t, 8))
		for _, p := range []int64{7, 8} {
			if err := e.s.SaveDraft(ctx, p, "report-missed-bin", "en", forms.Values{"notes": {"by the gate"}}); err != nil {
				t.Fatal(err)
			}
			f := start(t, e.s.Pending(), PendingOwner{PersonID: p, Client: "192.0.2.1"}, "parking-permit")
			f.Values = forms.Values{"full_name": {"Ana"}}
			if err := e.s.Pending().Keep(ctx, f, "proof", fileInput("bill.pdf", "pdf bytes")); err != nil {
				t.Fatal(err)
			}
			if err := e.s.Pending().Save(ctx, f); err != nil {
				t.Fatal(err)
			}
		}

		d, err := e.s.PersonalData(ctx, 7)
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Applications) != 2 || d.Applications[0].Reference != second.Reference || d.Applications[1].Reference != first.Reference {
			t.Fatalf("applications: %+v", d.Applications)
		}
		a := d.Applications[0]
		if len(a.Files) != 2 || a.Answers.Get("full_name").Text != "Ana García" || len(a.Events) != 2 || a.Events[1].Note != "moved away" {
			t.Errorf("an application in the data: files %d, answers %+v, events %+v", len(a.Files), a.Answers, a.Events)
		}
		if len(d.Drafts) != 1 || d.Drafts[0].Values.Get("notes") != "by the gate" {
			t.Errorf("drafts: %+v", d.Drafts)
		}
		if len(d.InProgress) != 1 || d.InProgress[0].Values.Get("full_name") != "Ana" || len(d.InProgress[0].Files) != 1 || d.InProgress[0].Files[0].Filename != "bill.pdf" {
			t.Errorf("forms in progress: %+v", d.InProgress)
		}
		blobsBefore := len(e.uploads(t))

		err = e.db.Tx(ctx, func(tx *sql.Tx) error { return e.s.ErasePerson(ctx, tx, 7) })
		if err != nil {
			t.Fatal(err)
		}
		if d, err := e.s.PersonalData(ctx, 7); err != nil || len(d.Applications)+len(d.Drafts)+len(d.InProgress) != 0 {
			t.Errorf("after erasing: %+v, %v", d, err)
		}
		if n := len(e.uploads(t)); n != blobsBefore-1 {
			t.Errorf("%d file contents left, want %d (the form in progress's upload deleted, the applications' kept)", n, blobsBefore-1)
		}
		var person sql.NullInt64
		var actors int
		for _, ref := range []Reference{first.Reference, second.Reference} {
			kept, err := e.s.ForStaff(ctx, Actor{PersonID: 900, Role: RoleCaseworker}, ref)
			if err != nil {
				t.Fatalf("the application %s is gone: %v", ref, err)
			}
			if kept.PersonID != 0 || len(kept.Files) != 2 || kept.Contact.Email != "ana@example.com" {
				t.Errorf("kept application: person %d, %d files, contact %+v", kept.PersonID, len(kept.Files), kept.Contact)
			}
		}
		if err := e.db.SQL().QueryRow(e.db.Rebind(`SELECT COUNT(*) FROM application_events WHERE actor_person_id = ?`), 7).Scan(&actors); err != nil || actors != 0 {
			t.Errorf("%d history events still name the person (%v)", actors, err)
		}
		if err := e.db.SQL().QueryRow(e.db.Rebind(`SELECT person_id FROM submission_tokens WHERE application_id = ?`), first.ID).Scan(&person); err != nil || person.Valid {
			t.Errorf("submission token's person: %v, %v", person, err)
		}

		d8, err := e.s.PersonalData(ctx, 8)
		if err != nil || len(d8.Applications) != 1 || d8.Applications[0].Reference != others.Reference || len(d8.Drafts) != 1 || len(d8.InProgress) != 1 {
			t.Errorf("the other person's data: %+v, %v", d8, err)
		}
	})
}
