package applications

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"sportello/applications/forms"
	"sportello/store/storetest"
)

func TestSubmitRecordsEverything(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		if err := e.s.SaveDraft(ctx, 41, "parking-permit", "en", forms.Values{"full_name": {"Ana"}}); err != nil {
			t.Fatal(err)
		}
		app := e.submit(t, e.permitInput(t, 41))

		if !canonical.MatchString(string(app.Reference)) {
			t.Errorf("reference %q", app.Reference)
		}
		if app.ServiceSlug != "parking-permit" || app.CatalogueVersion != 7 || app.PersonID != 41 || app.Status != StatusSubmitted {
			t.Errorf("application %+v", app)
		}
		if app.Contact != (Contact{Name: "Ana García", Email: "ana@example.com"}) {
			t.Errorf("contact %+v", app.Contact)
		}
		if app.Fee == nil || *app.Fee != (Fee{Amount: 4500, Currency: "EUR", When: "on_approval"}) {
			t.Errorf("fee %+v", app.Fee)
		}
		wantAt := time.Date(2026, 3, 2, 9, 30, 0, 123456000, time.UTC)
		if !app.SubmittedAt.Equal(wantAt) || !app.CreatedAt.Equal(wantAt) || !app.UpdatedAt.Equal(wantAt) {
			t.Errorf("times %v %v %v, want %v", app.CreatedAt, app.SubmittedAt, app.UpdatedAt, wantAt)
		}
		if app.DueDate != "2026-03-16" {
			t.Errorf("due %q, want 2026-03-16 (10 working days from Monday 2 March)", app.DueDate)
		}
		if len(app.Events) != 1 || app.Events[0].From != StatusDraft || app.Events[0].To != StatusSubmitted ||
			app.Events[0].ActorPersonID != 41 || app.Events[0].ActorRole != RoleApplicant || app.Events[0].Seq != 1 {
			t.Errorf("events %+v", app.Events)
		}
		if a := app.Answers.Get("vehicle"); a == nil || a.Text != "1234BCD" {
			t.Errorf("vehicle answer %+v", a)
		}

		// Files: recorded, on disk, with their checksums, and named in the
		// answers by id.
		proof := app.Answers.Get("proof")
		if len(app.Files) != 2 || proof == nil || len(proof.Files) != 2 {
			t.Fatalf("files %+v, answer %+v", app.Files, proof)
		}
		for i, want := range [][]byte{pdfData, pngData} {
			ref := proof.Files[i]
			f, err := e.s.File(ctx, 41, ref.ID)
			if err != nil {
				t.Fatalf("File(%s): %v", ref.ID, err)
			}
			sum := sha256.Sum256(want)
			if f.SHA256 != hex.EncodeToString(sum[:]) || f.Size != int64(len(want)) || f.Field != "proof" || f.Filename != ref.Name || f.ContentType != ref.ContentType {
				t.Errorf("file %+v for answer %+v", f, ref)
			}
			rc, err := e.s.Open(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := io.ReadAll(rc)
			rc.Close()
			if string(got) != string(want) {
				t.Errorf("content of %s differs", f.Filename)
			}
		}
		if n := len(e.uploads(t)); n != 2 {
			t.Errorf("%d files in uploads, want 2", n)
		}
		if _, err := e.s.Draft(ctx, 41, "parking-permit"); !errors.Is(err, ErrNotFound) {
			t.Errorf("draft after submitting: %v, want ErrNotFound", err)
		}
	})
}

func TestSubmitChecksItsInput(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		good := e.permitInput(t, 41)
		tests := []struct {
			name string
			mod  func(*SubmitInput)
		}{
			{"no token", func(in *SubmitInput) { in.Token = "" }},
			{"short token", func(in *SubmitInput) { in.Token = "abc" }},
			{"token with spaces", func(in *SubmitInput) { in.Token = "abc def ghi jkl mno pqr" }},
			{"no service", func(in *SubmitInput) { in.Service = nil }},
			{"anonymous where sign-in is needed", func(in *SubmitInput) { in.PersonID = 0 }},
			{"answers name files not given", func(in *SubmitInput) { in.Files = in.Files[:1] }},
		}
		for _, tt := range tests {
			in := good
			tt.mod(&in)
			if _, err := e.s.Submit(ctx, in); !errors.Is(err, ErrInvalid) {
				t.Errorf("%s: %v, want ErrInvalid", tt.name, err)
			}
		}
		if n := e.count(t, "applications"); n != 0 {
			t.Errorf("%d applications after refused submissions", n)
		}
		if n := len(e.uploads(t)); n != 0 {
			t.Errorf("%d files in uploads after refused submissions", n)
		}

		// Anonymous use of a service that allows it.
		res := e.validated(t, missedBin(), forms.Values{"notes": {"Grey bin, Carrer Major"}}, nil)
		token, _ := NewToken()
		app := e.submit(t, SubmitInput{Token: token, Service: missedBin(), Answers: res.Answers, Contact: Contact{Email: "x@example.com"}})
		if app.PersonID != 0 || app.Fee != nil || app.DueDate != "" || app.Events[0].ActorPersonID != 0 {
			t.Errorf("anonymous application %+v", app)
		}
	})
}

func TestSubmitTwiceWithOneToken(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		in := e.permitInput(t, 41)
		first := e.submit(t, in)
		second := e.submit(t, in)
		if second.ID != first.ID || second.Reference != first.Reference {
			t.Errorf("second submission made %s, first %s", second.Reference, first.Reference)
		}
		if n := e.count(t, "applications"); n != 1 {
			t.Errorf("%d applications, want 1", n)
		}
		if n := len(e.uploads(t)); n != 2 {
			t.Errorf("%d files in uploads, want the first submission's 2", n)
		}
		// The same token from another account gets nothing.
		other := in
		other.PersonID = 42
		if _, err := e.s.Submit(context.Background(), other); !errors.Is(err, ErrConflict) {
			t.Errorf("token reused by another person: %v, want ErrConflict", err)
		}
	})
}

func TestSubmitConcurrentlyWithOneToken(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		in := e.permitInput(t, 41)
		const n = 6
		apps := make([]*Application, n)
		errs := make([]error, n)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				apps[i], errs[i] = e.s.Submit(context.Background(), in)
			}()
		}
		close(start)
		wg.Wait()
		for i := range n {
			if errs[i] != nil {
				t.Fatalf("submission %d: %v", i, errs[i])
			}
			if apps[i].ID != apps[0].ID {
				t.Errorf("submission %d made %s, submission 0 %s", i, apps[i].Reference, apps[0].Reference)
			}
		}
		if got := e.count(t, "applications"); got != 1 {
			t.Errorf("%d applications, want 1", got)
		}
		if got := e.count(t, "application_files"); got != 2 {
			t.Errorf("%d file records, want 2", got)
		}
		if got := len(e.uploads(t)); got != 2 {
			t.Errorf("%d files in uploads, want 2: the losers' files must be removed", got)
		}
	})
}

// TestSubmitIsAtomic makes the database refuse the file records, after the
// application and its first event were written: nothing may remain, neither
// rows nor files, and the draft must survive.
func TestSubmitIsAtomic(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		allow := storetest.RefuseInserts(t, e.db, "application_files", "refused by the test")
		if err := e.s.SaveDraft(ctx, 41, "parking-permit", "en", forms.Values{"full_name": {"Ana"}}); err != nil {
			t.Fatal(err)
		}
		in := e.permitInput(t, 41)
		_, err := e.s.Submit(ctx, in)
		if err == nil || !strings.Contains(err.Error(), "refused by the test") {
			t.Fatalf("Submit: %v, want the trigger's error", err)
		}
		for _, table := range []string{"applications", "application_events", "application_files", "submission_tokens"} {
			if n := e.count(t, table); n != 0 {
				t.Errorf("%d rows in %s after a failed submission", n, table)
			}
		}
		if names := e.uploads(t); len(names) != 0 {
			t.Errorf("stray files in uploads: %v", names)
		}
		if _, err := e.s.Draft(ctx, 41, "parking-permit"); err != nil {
			t.Errorf("the draft was lost with the failed submission: %v", err)
		}
		// The token was not consumed: once the fault is gone, the same
		// post goes through.
		allow()
		if app := e.submit(t, in); app.Status != StatusSubmitted {
			t.Errorf("resubmission: %+v", app)
		}
	})
}

func TestReferenceClashDrawsAgain(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		taken := withCheck("PN", "TAKEN00")
		fresh := withCheck("PN", "FRESH00")
		draws := []Reference{taken, taken, taken, fresh}
		var mu sync.Mutex
		e.s.newReference = func() (Reference, error) {
			mu.Lock()
			defer mu.Unlock()
			r := draws[0]
			if len(draws) > 1 {
				draws = draws[1:]
			}
			return r, nil
		}
		first := e.submit(t, e.permitInput(t, 41))
		second := e.submit(t, e.permitInput(t, 41))
		if first.Reference != taken || second.Reference != fresh {
			t.Errorf("references %s, %s; want %s then %s after two clashes", first.Reference, second.Reference, taken, fresh)
		}
		e.s.newReference = func() (Reference, error) { return taken, nil }
		if _, err := e.s.Submit(context.Background(), e.permitInput(t, 41)); err == nil {
			t.Error("a generator that only clashes gave no error")
		}
		if names := e.uploads(t); len(names) != 4 {
			t.Errorf("%d files in uploads, want the 4 of two applications", len(names))
		}
	})
}

// TestApplicantsSeeOnlyTheirOwn: two people, and everything one could try
// with the other's references and file ids.
func TestApplicantsSeeOnlyTheirOwn(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		const ana, ben = 41, 42
		anas := e.submit(t, e.permitInput(t, ana))
		bens := e.submit(t, e.permitInput(t, ben))
		res := e.validated(t, missedBin(), forms.Values{"notes": {"x"}}, nil)
		token, _ := NewToken()
		anon := e.submit(t, SubmitInput{Token: token, Service: missedBin(), Answers: res.Answers})

		if got, err := e.s.ForApplicant(ctx, ana, anas.Reference); err != nil || got.ID != anas.ID {
			t.Fatalf("Ana reading her own: %v", err)
		}
		guess, _ := NewReference("PN")
		for _, tt := range []struct {
			name   string
			person int64
			ref    Reference
		}{
			{"Ben reads Ana's", ben, anas.Reference},
			{"Ana reads Ben's", ana, bens.Reference},
			{"nobody reads Ana's", 0, anas.Reference},
			{"nobody reads the anonymous one", 0, anon.Reference},
			{"Ana reads the anonymous one", ana, anon.Reference},
			{"Ana guesses", ana, guess},
		} {
			if _, err := e.s.ForApplicant(ctx, tt.person, tt.ref); !errors.Is(err, ErrNotFound) {
				t.Errorf("%s: %v, want ErrNotFound", tt.name, err)
			}
			if err := e.s.Withdraw(ctx, tt.person, tt.ref, ""); !errors.Is(err, ErrNotFound) {
				t.Errorf("%s, withdrawing: %v, want ErrNotFound", tt.name, err)
			}
			if err := e.s.Respond(ctx, tt.person, tt.ref, "hello", nil); !errors.Is(err, ErrNotFound) {
				t.Errorf("%s, responding: %v, want ErrNotFound", tt.name, err)
			}
		}
		for _, f := range anas.Files {
			if _, err := e.s.File(ctx, ben, f.ID); !errors.Is(err, ErrNotFound) {
				t.Errorf("Ben opening Ana's file: %v, want ErrNotFound", err)
			}
			if _, err := e.s.File(ctx, 0, f.ID); !errors.Is(err, ErrNotFound) {
				t.Errorf("nobody opening Ana's file: %v, want ErrNotFound", err)
			}
			if _, err := e.s.File(ctx, ana, f.ID); err != nil {
				t.Errorf("Ana opening her file: %v", err)
			}
		}
		if _, err := e.s.File(ctx, ana, "aaaaaaaaaaaaaaaaaaaaaaaaaa"); !errors.Is(err, ErrNotFound) {
			t.Errorf("guessed file id: %v, want ErrNotFound", err)
		}
		list, err := e.s.ListForApplicant(ctx, ben)
		if err != nil || len(list) != 1 || list[0].Reference != bens.Reference {
			t.Errorf("Ben's list %+v, %v; want only his", list, err)
		}
		// Nothing Ben tried changed Ana's application.
		if got, _ := e.s.ForApplicant(ctx, ana, anas.Reference); got.Status != StatusSubmitted || len(got.Events) != 1 {
			t.Errorf("Ana's application changed: %s, %d events", got.Status, len(got.Events))
		}
	})
}

type step struct {
	do      string // "change", "more", "withdraw", "respond"
	actor   Actor
	from    Status // for "change": the status the actor saw
	to      Status
	wantErr error
}

var (
	caseworker = Actor{PersonID: 900, Role: RoleCaseworker}
	admin      = Actor{PersonID: 901, Role: RoleAdmin}
	applicant  = Actor{PersonID: 41, Role: RoleApplicant}
	system     = Actor{Role: RoleSystem}
)

func TestStatusMachine(t *testing.T) {
	tests := []struct {
		name  string
		steps []step
		want  Status
	}{
		{"approved", []step{
			{do: "change", actor: caseworker, from: StatusSubmitted, to: StatusInReview},
			{do: "change", actor: admin, from: StatusInReview, to: StatusApproved},
		}, StatusApproved},
		{"rejected after more information", []step{
			{do: "change", actor: caseworker, from: StatusSubmitted, to: StatusInReview},
			{do: "more", actor: caseworker},
			{do: "respond", actor: applicant},
			{do: "change", actor: caseworker, from: StatusInReview, to: StatusRejected},
		}, StatusRejected},
		{"withdrawn while submitted", []step{{do: "withdraw", actor: applicant}}, StatusWithdrawn},
		{"withdrawn in review", []step{
			{do: "change", actor: caseworker, from: StatusSubmitted, to: StatusInReview},
			{do: "withdraw", actor: applicant},
		}, StatusWithdrawn},
		{"withdrawn while more information is needed", []step{
			{do: "change", actor: caseworker, from: StatusSubmitted, to: StatusInReview},
			{do: "more", actor: caseworker},
			{do: "withdraw", actor: applicant},
		}, StatusWithdrawn},
		{"no approval without review", []step{
			{do: "change", actor: caseworker, from: StatusSubmitted, to: StatusApproved, wantErr: ErrInvalidTransition},
		}, StatusSubmitted},
		{"no more information before review", []step{{do: "more", actor: caseworker, wantErr: ErrInvalidTransition}}, StatusSubmitted},
		{"no response when none was asked for", []step{{do: "respond", actor: applicant, wantErr: ErrInvalidTransition}}, StatusSubmitted},
		{"applicant cannot review", []step{
			{do: "change", actor: applicant, from: StatusSubmitted, to: StatusInReview, wantErr: ErrInvalidTransition},
		}, StatusSubmitted},
		{"system cannot approve", []step{
			{do: "change", actor: caseworker, from: StatusSubmitted, to: StatusInReview},
			{do: "change", actor: system, to: StatusApproved, wantErr: ErrInvalidTransition},
		}, StatusInReview},
		{"final is final", []step{
			{do: "change", actor: caseworker, from: StatusSubmitted, to: StatusInReview},
			{do: "change", actor: caseworker, from: StatusInReview, to: StatusApproved},
			{do: "withdraw", actor: applicant, wantErr: ErrInvalidTransition},
			{do: "change", actor: caseworker, from: StatusApproved, to: StatusInReview, wantErr: ErrInvalidTransition},
		}, StatusApproved},
		{"withdrawn is final", []step{
			{do: "withdraw", actor: applicant},
			{do: "change", actor: caseworker, from: StatusWithdrawn, to: StatusInReview, wantErr: ErrInvalidTransition},
		}, StatusWithdrawn},
		{"stale page", []step{
			{do: "change", actor: caseworker, from: StatusSubmitted, to: StatusInReview},
			{do: "change", actor: admin, from: StatusSubmitted, to: StatusInReview, wantErr: ErrConflict},
		}, StatusInReview},
		{"unknown status", []step{
			{do: "change", actor: caseworker, from: StatusSubmitted, to: "lost", wantErr: ErrInvalidTransition},
		}, StatusSubmitted},
	}
	eachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				app := e.submit(t, e.permitInput(t, applicant.PersonID))
				wantEvents := []Status{StatusSubmitted}
				for i, st := range tt.steps {
					var err error
					switch st.do {
					case "change":
						err = e.s.ChangeStatus(ctx, app.Reference, st.actor, st.from, st.to, "step")
					case "more":
						err = e.s.RequestMoreInfo(ctx, app.Reference, st.actor, "Send a clearer photo")
						st.to = StatusMoreInfoNeeded
					case "withdraw":
						err = e.s.Withdraw(ctx, st.actor.PersonID, app.Reference, "moved away")
						st.to = StatusWithdrawn
					case "respond":
						err = e.s.Respond(ctx, st.actor.PersonID, app.Reference, "Here it is", nil)
						st.to = StatusInReview
					}
					if !errors.Is(err, st.wantErr) || (st.wantErr == nil) != (err == nil) {
						t.Fatalf("step %d (%s to %s): %v, want %v", i, st.do, st.to, err, st.wantErr)
					}
					if err == nil {
						wantEvents = append(wantEvents, st.to)
					}
				}
				got, err := e.s.ForApplicant(ctx, applicant.PersonID, app.Reference)
				if err != nil {
					t.Fatal(err)
				}
				if got.Status != tt.want {
					t.Errorf("status %s, want %s", got.Status, tt.want)
				}
				var gotEvents []Status
				for i, ev := range got.Events {
					gotEvents = append(gotEvents, ev.To)
					if ev.Seq != i+1 || (i > 0 && ev.From != got.Events[i-1].To) {
						t.Errorf("event %d: seq %d from %s, after %+v", i, ev.Seq, ev.From, got.Events[max(i-1, 0)])
					}
				}
				if !slices.Equal(gotEvents, wantEvents) {
					t.Errorf("history %v, want %v", gotEvents, wantEvents)
				}
			})
		}
	})
}

func TestHistoryAndAudit(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		app := e.submit(t, e.permitInput(t, 41))
		e.clock.set(time.Date(2026, 3, 3, 10, 0, 0, 0, time.UTC))
		if _, err := e.s.ForStaff(ctx, caseworker, app.Reference); err != nil {
			t.Fatal(err)
		}
		// The audit log is in time order; entries of the same microsecond
		// have no order among them.
		e.clock.set(time.Date(2026, 3, 3, 10, 0, 0, 1000, time.UTC))
		if err := e.s.ChangeStatus(ctx, app.Reference, caseworker, StatusSubmitted, StatusInReview, ""); err != nil {
			t.Fatal(err)
		}
		if err := e.s.RequestMoreInfo(ctx, app.Reference, caseworker, "  "); !errors.Is(err, ErrInvalid) {
			t.Errorf("empty question: %v, want ErrInvalid", err)
		}
		if err := e.s.RequestMoreInfo(ctx, app.Reference, caseworker, "The bill is not readable; send a clearer copy"); err != nil {
			t.Fatal(err)
		}
		e.clock.set(time.Date(2026, 3, 4, 8, 0, 0, 0, time.UTC))
		if err := e.s.Respond(ctx, 41, app.Reference, "", nil); !errors.Is(err, ErrInvalid) {
			t.Errorf("empty answer: %v, want ErrInvalid", err)
		}
		res := e.validated(t, permit(), forms.Values{"full_name": {"A"}, "vehicle": {"AB12"}}, forms.Files{"proof": {upload("clear.png", pngData)}})
		if err := e.s.Respond(ctx, 41, app.Reference, "A clearer copy", res.Files); err != nil {
			t.Fatal(err)
		}
		e.clock.set(time.Date(2026, 3, 4, 9, 0, 0, 0, time.UTC))
		got, err := e.s.ForStaff(ctx, admin, app.Reference)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Events) != 4 {
			t.Fatalf("events %+v", got.Events)
		}
		more, answer := got.Events[2], got.Events[3]
		if more.To != StatusMoreInfoNeeded || more.Note != "The bill is not readable; send a clearer copy" || more.ActorPersonID != 900 || more.ActorRole != RoleCaseworker ||
			!more.At.Equal(time.Date(2026, 3, 3, 10, 0, 0, 1000, time.UTC)) {
			t.Errorf("request event %+v", more)
		}
		if answer.To != StatusInReview || answer.Note != "A clearer copy" || answer.ActorPersonID != 41 || answer.ActorRole != RoleApplicant ||
			len(answer.Files) != 1 || answer.Files[0].Filename != "clear.png" || answer.Files[0].EventSeq != 4 {
			t.Errorf("answer event %+v", answer)
		}
		if !got.UpdatedAt.Equal(time.Date(2026, 3, 4, 8, 0, 0, 0, time.UTC)) {
			t.Errorf("updated at %v", got.UpdatedAt)
		}
		if _, err := e.s.File(ctx, 41, answer.Files[0].ID); err != nil {
			t.Errorf("applicant opening the file of their answer: %v", err)
		}
		e.clock.set(time.Date(2026, 3, 4, 9, 1, 0, 0, time.UTC))
		if _, err := e.s.StaffFile(ctx, admin, answer.Files[0].ID); err != nil {
			t.Fatal(err)
		}
		audit, err := e.s.Audit(ctx, app.Reference)
		if err != nil {
			t.Fatal(err)
		}
		var lines []string
		for _, a := range audit {
			lines = append(lines, a.ActorRole+" "+a.Action)
			if a.ApplicationID != app.ID {
				t.Errorf("audit entry %+v names another application", a)
			}
		}
		want := []string{"caseworker view", "caseworker change_status", "caseworker change_status", "admin view", "admin view_file"}
		if !slices.Equal(lines, want) {
			t.Errorf("audit %q, want %q", lines, want)
		}
	})
}

func TestRespondFailureRemovesFiles(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		app := e.submit(t, e.permitInput(t, 41))
		before := len(e.uploads(t))
		res := e.validated(t, permit(), forms.Values{"full_name": {"A"}, "vehicle": {"AB12"}}, forms.Files{"proof": {upload("clear.png", pngData)}})
		// Not in more_info_needed: the change is refused after the file was
		// written.
		if err := e.s.Respond(ctx, 41, app.Reference, "unasked", res.Files); !errors.Is(err, ErrInvalidTransition) {
			t.Fatalf("Respond: %v, want ErrInvalidTransition", err)
		}
		if after := len(e.uploads(t)); after != before {
			t.Errorf("%d files in uploads, want %d", after, before)
		}
	})
}

func TestDrafts(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		if _, err := e.s.Draft(ctx, 41, "parking-permit"); !errors.Is(err, ErrNotFound) {
			t.Errorf("no draft: %v, want ErrNotFound", err)
		}
		first := forms.Values{"full_name": {"An"}, "vehicle": {""}, "_csrf": {"secret"}, "when-day": {"31"}}
		if err := e.s.SaveDraft(ctx, 41, "parking-permit", "en", first); err != nil {
			t.Fatal(err)
		}
		e.clock.set(e.clock.now().Add(time.Hour))
		second := forms.Values{"full_name": {"Ana García"}, "kinds": {"a", "b"}}
		if err := e.s.SaveDraft(ctx, 41, "parking-permit", "en", second); err != nil {
			t.Fatal(err)
		}
		if err := e.s.SaveDraft(ctx, 41, "report-missed-bin", "en", forms.Values{"notes": {"x"}}); err != nil {
			t.Fatal(err)
		}
		if err := e.s.SaveDraft(ctx, 42, "parking-permit", "en", forms.Values{"full_name": {"Ben"}}); err != nil {
			t.Fatal(err)
		}
		d, err := e.s.Draft(ctx, 41, "parking-permit")
		if err != nil {
			t.Fatal(err)
		}
		if mustJSON(t, d.Values) != mustJSON(t, second) || !d.UpdatedAt.Equal(e.clock.now().UTC().Truncate(time.Microsecond)) {
			t.Errorf("draft %+v, want %v", d, second)
		}
		if err := e.s.SaveDraft(ctx, 43, "x", "en", first); err != nil {
			t.Fatal(err)
		}
		kept, _ := e.s.Draft(ctx, 43, "x")
		if _, ok := kept.Values["_csrf"]; ok || kept.Values.Get("vehicle") != "" || kept.Values.Get("when-day") != "31" {
			t.Errorf("draft kept %v; tokens and empty inputs must be left out", kept.Values)
		}
		list, err := e.s.Drafts(ctx, 41)
		if err != nil || len(list) != 2 {
			t.Fatalf("drafts %+v, %v", list, err)
		}
		if err := e.s.DeleteDraft(ctx, 41, "parking-permit"); err != nil {
			t.Fatal(err)
		}
		if _, err := e.s.Draft(ctx, 41, "parking-permit"); !errors.Is(err, ErrNotFound) {
			t.Errorf("deleted draft: %v", err)
		}
		if _, err := e.s.Draft(ctx, 42, "parking-permit"); err != nil {
			t.Errorf("another person's draft went with it: %v", err)
		}
		if err := e.s.SaveDraft(ctx, 0, "parking-permit", "en", second); !errors.Is(err, ErrInvalid) {
			t.Errorf("anonymous draft: %v, want ErrInvalid", err)
		}
	})
}

func TestDueDatesAndQueue(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		// 23:30 UTC on 27 March is already the 28th in Porta Nova (Madrid).
		e.clock.set(time.Date(2026, 3, 27, 23, 30, 0, 0, time.UTC))
		late := e.submit(t, e.permitInput(t, 41))
		if late.DueDate != "2026-04-10" {
			t.Errorf("due %s, want 2026-04-10: 10 working days from Saturday the 28th in the authority's time zone", late.DueDate)
		}
		same := permit()
		same.ProcessingTimeDays = ptr(0)
		in := e.permitInput(t, 41)
		in.Service = same
		if app := e.submit(t, in); app.DueDate != "2026-03-28" {
			t.Errorf("0 days: due %s, want the same day", app.DueDate)
		}

		e.clock.set(time.Date(2026, 4, 1, 12, 0, 0, 0, time.UTC))
		early := e.submit(t, e.permitInput(t, 42)) // due 15 April: 10 working days from Wednesday 1 April
		res := e.validated(t, missedBin(), forms.Values{}, nil)
		token, _ := NewToken()
		undated := e.submit(t, SubmitInput{Token: token, Service: missedBin(), Answers: res.Answers})
		if err := e.s.ChangeStatus(ctx, early.Reference, caseworker, StatusSubmitted, StatusInReview, ""); err != nil {
			t.Fatal(err)
		}

		refs := func(p *QueuePage) []Reference {
			var out []Reference
			for _, m := range p.Items {
				out = append(out, m.Reference)
			}
			return out
		}
		queue := func(f Filter) *QueuePage {
			t.Helper()
			p, err := e.s.Queue(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			return p
		}
		sameDay := queue(Filter{Status: StatusSubmitted}).Items[0].Reference
		tests := []struct {
			name   string
			filter Filter
			want   []Reference
			total  int
		}{
			{"all, due soonest first, undated last", Filter{}, []Reference{sameDay, late.Reference, early.Reference, undated.Reference}, 4},
			{"one service", Filter{Service: "report-missed-bin"}, []Reference{undated.Reference}, 1},
			{"a department's services", Filter{Services: []string{"parking-permit", "elsewhere"}}, []Reference{sameDay, late.Reference, early.Reference}, 3},
			{"a department without services", Filter{Services: []string{}}, nil, 0},
			{"status", Filter{Status: StatusInReview}, []Reference{early.Reference}, 1},
			{"page 2", Filter{PageSize: 3, Page: 2}, []Reference{undated.Reference}, 4},
			{"overdue on 1 April", Filter{Overdue: true}, []Reference{sameDay}, 1},
		}
		for _, tt := range tests {
			p := queue(tt.filter)
			if got := refs(p); !slices.Equal(got, tt.want) || p.Total != tt.total {
				t.Errorf("%s: %v (total %d), want %v (total %d)", tt.name, got, p.Total, tt.want, tt.total)
			}
		}

		// On 13 April the late one (due the 10th) is overdue too; the
		// in-review one is not due yet; once more information is asked for,
		// the applicant owes the next step and it is not the council's delay.
		e.clock.set(time.Date(2026, 4, 13, 9, 0, 0, 0, time.UTC))
		if got := refs(queue(Filter{Overdue: true})); !slices.Equal(got, []Reference{sameDay, late.Reference}) {
			t.Errorf("overdue on 13 April: %v", got)
		}
		e.clock.set(time.Date(2026, 4, 20, 9, 0, 0, 0, time.UTC))
		if err := e.s.RequestMoreInfo(ctx, early.Reference, caseworker, "Which street?"); err != nil {
			t.Fatal(err)
		}
		p := queue(Filter{Overdue: true})
		if got := refs(p); !slices.Equal(got, []Reference{sameDay, late.Reference}) {
			t.Errorf("overdue on 20 April: %v", got)
		}
		for _, m := range p.Items {
			if !m.Overdue {
				t.Errorf("%s listed as overdue without Overdue set", m.Reference)
			}
		}
		if p.Pages() != 1 {
			t.Errorf("pages %d", p.Pages())
		}
	})
}

func TestStatusTable(t *testing.T) {
	tests := []struct {
		from, to Status
		role     string
		want     bool
	}{
		{StatusDraft, StatusSubmitted, RoleApplicant, true},
		{StatusSubmitted, StatusInReview, RoleCaseworker, true},
		{StatusSubmitted, StatusInReview, RoleAdmin, true},
		{StatusSubmitted, StatusInReview, RoleApplicant, false},
		{StatusInReview, StatusMoreInfoNeeded, RoleCaseworker, true},
		{StatusMoreInfoNeeded, StatusInReview, RoleApplicant, true},
		{StatusMoreInfoNeeded, StatusInReview, RoleCaseworker, false},
		{StatusInReview, StatusApproved, RoleCaseworker, true},
		{StatusInReview, StatusRejected, RoleAdmin, true},
		{StatusSubmitted, StatusApproved, RoleCaseworker, false},
		{StatusSubmitted, StatusWithdrawn, RoleApplicant, true},
		{StatusInReview, StatusWithdrawn, RoleApplicant, true},
		{StatusMoreInfoNeeded, StatusWithdrawn, RoleApplicant, true},
		{StatusSubmitted, StatusWithdrawn, RoleCaseworker, false},
		{StatusApproved, StatusWithdrawn, RoleApplicant, false},
		{StatusRejected, StatusInReview, RoleAdmin, false},
	}
	for _, tt := range tests {
		if got := Allowed(tt.from, tt.to, tt.role); got != tt.want {
			t.Errorf("Allowed(%s, %s, %s) = %v", tt.from, tt.to, tt.role, got)
		}
	}
	for _, s := range []Status{StatusApproved, StatusRejected, StatusWithdrawn} {
		if !s.Final() {
			t.Errorf("%s is not final", s)
		}
	}
	if StatusInReview.Final() {
		t.Error("in_review is final")
	}
	if got := Next(StatusInReview, RoleCaseworker); !slices.Equal(got, []Status{StatusMoreInfoNeeded, StatusApproved, StatusRejected}) {
		t.Errorf("Next(in_review, caseworker) = %v", got)
	}
}

func mustJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Statuses lists every status the machine knows, once: the label test of
// the portal's message files relies on it.
func TestStatusesComplete(t *testing.T) {
	seen := map[Status]int{}
	for _, s := range Statuses {
		seen[s]++
	}
	for s, n := range seen {
		if n > 1 {
			t.Errorf("Statuses lists %s %d times", s, n)
		}
	}
	used := map[Status]bool{}
	for _, tr := range Transitions() {
		for _, s := range []Status{tr.From, tr.To} {
			used[s] = true
			if seen[s] == 0 {
				t.Errorf("the transition %s -> %s names %s, which Statuses lacks", tr.From, tr.To, s)
			}
		}
	}
	for _, s := range Statuses {
		if !used[s] {
			t.Errorf("Statuses lists %s, which no transition reaches or leaves", s)
		}
	}
}
