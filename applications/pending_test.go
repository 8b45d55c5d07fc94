package applications

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"sportello/applications/forms"
	"sportello/store/storetest"
)

func fileInput(name, content string) forms.FileInput {
	return forms.FileInput{Filename: name, Size: int64(len(content)), Open: func() (io.ReadCloser, error) {
		return io.NopCloser(strings.NewReader(content)), nil
	}}
}

func readInput(t *testing.T, in forms.FileInput) string {
	t.Helper()
	rc, err := in.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// second is another instance's store: its own connections to the same
// database, another data directory, the same clock.
func (e *env) second(t *testing.T, opts Options) *Store {
	t.Helper()
	opts.DataDir, opts.Now, opts.Logger = t.TempDir(), e.clock.now, slog.New(slog.DiscardHandler)
	s, err := New(storetest.Reopen(t, e.db), opts)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// start issues a token to o and starts a form with it.
func start(t *testing.T, p Pending, o PendingOwner, slug string) *PendingForm {
	t.Helper()
	token, err := p.Issue(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if !ValidToken(token) {
		t.Fatalf("issued token %q is not a valid token", token)
	}
	f, err := p.Start(context.Background(), token, o, slug)
	if err != nil {
		t.Fatalf("starting a form with an issued token: %v", err)
	}
	return f
}

// Only tokens the server issued start a form, and only for the owner they
// were issued to; every instance issues and checks alike.
func TestPendingTokensAreIssued(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		a, b := e.s.Pending(), e.second(t, Options{}).Pending()
		ada, anon := PendingOwner{PersonID: 7, Client: "192.0.2.1"}, AnonymousOwner("csrf-1")
		token, err := a.Issue(ctx, ada)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := b.Start(ctx, token, ada, "permit"); err != nil {
			t.Errorf("a token issued by one instance, started on another: %v", err)
		}
		// Another address is the same owner: phones change networks.
		if _, err := b.Start(ctx, token, PendingOwner{PersonID: 7, Client: "198.51.100.9"}, "permit"); err != nil {
			t.Errorf("the owner from another address: %v", err)
		}
		chosen, _ := NewToken()
		anonToken, _ := a.Issue(ctx, anon)
		for name, try := range map[string]struct {
			token string
			o     PendingOwner
		}{
			"a token the client chose":          {chosen, ada},
			"a token the client chose, anon":    {chosen, anon},
			"another person's token":            {token, PendingOwner{PersonID: 8}},
			"a person's token, anonymously":     {token, anon},
			"another session's token":           {anonToken, AnonymousOwner("csrf-2")},
			"a token with one mark changed":     {token[:30] + flip(token[30]) + token[31:], ada},
			"an issued token for nobody at all": {anonToken, PendingOwner{}},
		} {
			if _, err := b.Start(ctx, try.token, try.o, "permit"); !errors.Is(err, ErrTokenNotIssued) {
				t.Errorf("%s: %v, want ErrTokenNotIssued", name, err)
			}
		}
		if n := e.count(t, "pending_forms"); n != 0 {
			t.Errorf("%d forms in progress after only issuing and starting, want none", n)
		}
	})
}

func flip(c byte) string {
	if c == 'A' {
		return "B"
	}
	return "A"
}

// A form in progress in the database: started on one instance, continued
// on another (its files too), found only by its owner for its service while
// fresh, its files dropped with their content, its token never stored, and
// swept a day after its last change.
func TestPendingForms(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		a, b := e.s.Pending(), e.second(t, Options{}).Pending()
		ada := PendingOwner{PersonID: 7, Client: "192.0.2.1"}

		if _, err := a.Load(ctx, "not a token", ada, "permit"); !errors.Is(err, ErrNoPending) {
			t.Fatalf("malformed token: %v, want ErrNoPending", err)
		}
		f := start(t, a, ada, "permit")
		if _, err := b.Load(ctx, f.Token, ada, "permit"); !errors.Is(err, ErrNoPending) || errors.Is(err, ErrPendingTaken) {
			t.Fatalf("a started, unsaved form: %v, want ErrNoPending and not ErrPendingTaken", err)
		}
		f.Values = forms.Values{"reason": {"moving"}}
		f.Contact = Contact{Name: "Ada"}
		for _, k := range []struct{ field, name, content string }{
			{"photo", "me.jpg", "jpeg bytes"}, {"proof", "bill.pdf", "pdf bytes"}, {"proof", "lease.pdf", strings.Repeat("lease ", 100_000)},
		} {
			if err := a.Keep(ctx, f, k.field, fileInput(k.name, k.content)); err != nil {
				t.Fatal(err)
			}
		}
		// Kept but not saved yet: the form reads its own upload back.
		if got := a.Files(ctx, f); len(got["photo"]) != 1 || readInput(t, got["photo"][0]) != "jpeg bytes" {
			t.Fatalf("an upload kept before saving: %+v", got["photo"])
		}
		if n := e.count(t, "blobs"); n != 0 {
			t.Errorf("%d contents written before Save, want none", n)
		}
		if err := a.Save(ctx, f); err != nil {
			t.Fatal(err)
		}

		got, err := b.Load(ctx, f.Token, ada, "permit")
		if err != nil {
			t.Fatalf("the form on the other instance: %v", err)
		}
		if got.Values.Get("reason") != "moving" || got.Contact.Name != "Ada" || len(got.Kept("photo")) != 1 || len(got.Kept("proof")) != 2 {
			t.Fatalf("loaded %+v", got)
		}
		files := b.Files(ctx, got)
		if readInput(t, files["photo"][0]) != "jpeg bytes" || files["photo"][0].Filename != "me.jpg" ||
			files["proof"][0].Filename != "bill.pdf" || readInput(t, files["proof"][1]) != strings.Repeat("lease ", 100_000) {
			t.Fatalf("kept files read on the other instance: %+v", files)
		}

		for name, try := range map[string]struct {
			o    PendingOwner
			slug string
		}{
			"another person":   {PendingOwner{PersonID: 8}, "permit"},
			"nobody signed in": {AnonymousOwner("csrf"), "permit"},
			"another service":  {ada, "parking"},
			"no owner at all":  {PendingOwner{}, "permit"},
		} {
			if _, err := a.Load(ctx, f.Token, try.o, try.slug); !errors.Is(err, ErrPendingTaken) {
				t.Errorf("%s: %v, want ErrPendingTaken", name, err)
			}
		}

		// An anonymous form is its session's only.
		anon := start(t, a, AnonymousOwner("csrf-1"), "permit")
		if err := a.Save(ctx, anon); err != nil {
			t.Fatal(err)
		}
		if _, err := b.Load(ctx, anon.Token, AnonymousOwner("csrf-1"), "permit"); err != nil {
			t.Errorf("the anonymous owner: %v", err)
		}
		if _, err := b.Load(ctx, anon.Token, AnonymousOwner("csrf-2"), "permit"); !errors.Is(err, ErrPendingTaken) {
			t.Errorf("another anonymous session: %v, want ErrPendingTaken", err)
		}

		// Dropping a field's files on one instance deletes their content
		// when saved; a new upload in its place is read back.
		before := e.count(t, "blobs")
		if err := b.Drop(ctx, got, "proof"); err != nil {
			t.Fatal(err)
		}
		if err := b.Keep(ctx, got, "proof", fileInput("new.pdf", "new pdf")); err != nil {
			t.Fatal(err)
		}
		if err := b.Save(ctx, got); err != nil {
			t.Fatal(err)
		}
		if n := e.count(t, "blobs"); n != before-1 {
			t.Errorf("%d contents after replacing two files by one, want %d", n, before-1)
		}
		again, err := a.Load(ctx, f.Token, ada, "permit")
		if err != nil {
			t.Fatal(err)
		}
		if k := again.Kept("proof"); len(k) != 1 || k[0].Filename != "new.pdf" || readInput(t, a.Files(ctx, again)["proof"][0]) != "new pdf" {
			t.Errorf("after replacing the proof: %+v", again.Files)
		}

		// The token is nowhere in the database.
		var hits int
		if err := e.db.SQL().QueryRow(e.db.Rebind(`SELECT COUNT(*) FROM pending_forms WHERE token_hash = ? OR record LIKE ?`),
			f.Token, "%"+f.Token+"%").Scan(&hits); err != nil || hits != 0 {
			t.Errorf("the token is stored: %d rows (%v)", hits, err)
		}

		// A day later the forms have expired, and the sweep deletes them
		// with their files, on whichever instance runs it.
		e.clock.set(e.clock.now().Add(PendingTTL + time.Minute))
		if _, err := a.Load(ctx, f.Token, ada, "permit"); !errors.Is(err, ErrPendingTaken) {
			t.Errorf("an expired form: %v, want ErrPendingTaken", err)
		}
		n, err := e.s.SweepExpired(ctx)
		if err != nil || n != 2 {
			t.Errorf("SweepExpired = %d, %v; want the 2 expired forms", n, err)
		}
		left := func() [4]int {
			return [4]int{e.count(t, "pending_forms"), e.count(t, "pending_files"), e.count(t, "blobs"), e.count(t, "blob_chunks")}
		}
		if got := left(); got != [4]int{} {
			t.Errorf("after the sweep: %v forms, files, contents and chunks; want none", got)
		}

		// Saving sweeps too, every ten minutes at most, and spares fresh
		// forms.
		old := start(t, a, ada, "permit")
		if err := a.Keep(ctx, old, "photo", fileInput("old.jpg", "old")); err != nil {
			t.Fatal(err)
		}
		if err := a.Save(ctx, old); err != nil {
			t.Fatal(err)
		}
		e.clock.set(e.clock.now().Add(PendingTTL + time.Minute))
		fresh := start(t, b, ada, "permit")
		if err := b.Keep(ctx, fresh, "photo", fileInput("today.jpg", "today")); err != nil {
			t.Fatal(err)
		}
		if err := b.Save(ctx, fresh); err != nil {
			t.Fatal(err)
		}
		if got := left(); got != [4]int{1, 1, 1, 1} {
			t.Errorf("after a save a day later: %v forms, files, contents and chunks; want the fresh form's 1, 1, 1, 1", got)
		}
		if _, err := a.Load(ctx, fresh.Token, ada, "permit"); err != nil {
			t.Errorf("the fresh form was swept: %v", err)
		}
	})
}

// Uploads kept in forms in progress are limited per owner and per client
// address; a refused upload writes nothing, and so does a Save that another
// request's save took over the quota.
func TestPendingQuota(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		const quota = 1000
		p := e.second(t, Options{PendingQuota: quota}).Pending()
		kb := func(name string, n int) forms.FileInput { return fileInput(name, strings.Repeat("x", n)) }
		type counts struct{ forms, files, blobs, chunks int }
		rows := func() counts {
			return counts{e.count(t, "pending_forms"), e.count(t, "pending_files"), e.count(t, "blobs"), e.count(t, "blob_chunks")}
		}

		ada := PendingOwner{PersonID: 7, Client: "192.0.2.1"}
		f := start(t, p, ada, "permit")
		if err := p.Keep(ctx, f, "photo", kb("a.png", 600)); err != nil {
			t.Fatal(err)
		}
		if err := p.Keep(ctx, f, "proof", kb("b.pdf", 401)); !errors.Is(err, ErrPendingQuota) {
			t.Fatalf("1001 bytes kept by one owner: %v, want ErrPendingQuota", err)
		}
		if err := p.Save(ctx, f); err != nil {
			t.Fatal(err)
		}

		// Replacing a file counts the new one only.
		if err := p.Drop(ctx, f, "photo"); err != nil {
			t.Fatal(err)
		}
		if err := p.Keep(ctx, f, "photo", kb("c.png", 900)); err != nil {
			t.Errorf("replacing 600 bytes by 900: %v", err)
		}

		// Another form of the same person counts too, and its refused
		// upload writes no file.
		g := start(t, p, ada, "parking")
		saved := rows()
		if err := p.Keep(ctx, g, "photo", kb("d.png", 500)); !errors.Is(err, ErrPendingQuota) {
			t.Errorf("a second form of the same person: %v, want ErrPendingQuota", err)
		}
		if got := rows(); got != saved {
			t.Errorf("a refused upload wrote: %+v, before %+v", got, saved)
		}
		// A new anonymous session from the same address is refused by the
		// address's quota; from another address it is not.
		h := start(t, p, PendingOwner{Binding: AnonymousOwner("csrf-9").Binding, Client: "192.0.2.1"}, "permit")
		if err := p.Keep(ctx, h, "photo", kb("e.png", 500)); !errors.Is(err, ErrPendingQuota) {
			t.Errorf("another session from the same address: %v, want ErrPendingQuota", err)
		}
		// IPv6 addresses count by their /64.
		v6 := func(addr, csrf string) *PendingForm {
			return start(t, p, PendingOwner{Binding: AnonymousOwner(csrf).Binding, Client: addr}, "permit")
		}
		i := v6("2001:db8:1:2::10", "csrf-10")
		if err := p.Keep(ctx, i, "photo", kb("f.png", 700)); err != nil {
			t.Fatal(err)
		}
		if err := p.Save(ctx, i); err != nil {
			t.Fatal(err)
		}
		if err := p.Keep(ctx, v6("2001:db8:1:2:ffff::1", "csrf-11"), "photo", kb("g.png", 700)); !errors.Is(err, ErrPendingQuota) {
			t.Errorf("another address of the same /64: %v, want ErrPendingQuota", err)
		}
		if err := p.Keep(ctx, v6("2001:db8:1:3::10", "csrf-12"), "photo", kb("h.png", 700)); err != nil {
			t.Errorf("an address of another /64: %v", err)
		}

		// Two requests of one session each keep 600 bytes, each within the
		// quota alone: the second Save is refused and writes nothing, not
		// even its answers.
		bob := PendingOwner{PersonID: 9, Client: "203.0.113.5"}
		one, two := start(t, p, bob, "permit"), start(t, p, bob, "parking")
		for _, form := range []*PendingForm{one, two} {
			if err := p.Keep(ctx, form, "photo", kb("bob.png", 600)); err != nil {
				t.Fatal(err)
			}
		}
		if err := p.Save(ctx, one); err != nil {
			t.Fatal(err)
		}
		saved = rows()
		two.Values = forms.Values{"reason": {"x"}}
		if err := p.Save(ctx, two); !errors.Is(err, ErrPendingQuota) {
			t.Fatalf("the second save over the quota: %v, want ErrPendingQuota", err)
		}
		if got := rows(); got != saved {
			t.Errorf("a refused save wrote: %+v, before %+v", got, saved)
		}
		if _, err := p.Load(ctx, two.Token, bob, "parking"); !errors.Is(err, ErrNoPending) {
			t.Errorf("the refused form: %v, want ErrNoPending", err)
		}

		// Expired forms no longer count.
		e.clock.set(e.clock.now().Add(PendingTTL + time.Second))
		j := start(t, p, bob, "permit")
		if err := p.Keep(ctx, j, "photo", kb("bob2.png", 900)); err != nil {
			t.Errorf("after the kept files expired: %v", err)
		}
	})
}
