package applications

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sportello/applications/forms"
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

// A form in progress on disk: found only by its owner for its service while
// fresh, its files kept and dropped, its token never written, and swept a
// day after its last change.
func TestPendingDir(t *testing.T) {
	ctx := context.Background()
	clk := &clock{t: time.Now()}
	dir := t.TempDir()
	var p Pending = pendingDir{dir: dir, now: clk.now}
	token, err := NewToken()
	if err != nil {
		t.Fatal(err)
	}
	ada := PendingOwner{PersonID: 7}

	if _, err := p.Load(ctx, "not a token", ada, "permit"); !errors.Is(err, ErrNoPending) {
		t.Fatalf("malformed token: %v, want ErrNoPending", err)
	}
	if _, err := p.Load(ctx, token, ada, "permit"); !errors.Is(err, ErrNoPending) || errors.Is(err, ErrPendingTaken) {
		t.Fatalf("unknown token: %v, want ErrNoPending and not ErrPendingTaken", err)
	}

	f := NewPendingForm(token, ada, "permit")
	f.Values = forms.Values{"reason": {"moving"}}
	if err := p.Keep(ctx, f, "photo", fileInput("me.jpg", "jpeg bytes")); err != nil {
		t.Fatal(err)
	}
	if err := p.Keep(ctx, f, "proof", fileInput("bill.pdf", "pdf bytes")); err != nil {
		t.Fatal(err)
	}
	short := fileInput("short.pdf", "cut off")
	short.Size = 100
	if err := p.Keep(ctx, f, "proof", short); err == nil {
		t.Error("an upload shorter than its announced size was kept")
	}
	if err := p.Save(ctx, f); err != nil {
		t.Fatal(err)
	}

	got, err := p.Load(ctx, token, ada, "permit")
	if err != nil {
		t.Fatal(err)
	}
	if got.Values.Get("reason") != "moving" || len(got.Kept("photo")) != 1 || len(got.Kept("proof")) != 1 {
		t.Fatalf("loaded %+v", got)
	}
	files := p.Files(ctx, got)
	if len(files["photo"]) != 1 || readInput(t, files["photo"][0]) != "jpeg bytes" || files["photo"][0].Filename != "me.jpg" {
		t.Fatalf("kept photo: %+v", files["photo"])
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
		if _, err := p.Load(ctx, token, try.o, try.slug); !errors.Is(err, ErrPendingTaken) {
			t.Errorf("%s: %v, want ErrPendingTaken", name, err)
		}
	}

	// An anonymous form is its session's only.
	anonToken, _ := NewToken()
	anon := NewPendingForm(anonToken, AnonymousOwner("csrf-1"), "permit")
	if err := p.Save(ctx, anon); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Load(ctx, anonToken, AnonymousOwner("csrf-1"), "permit"); err != nil {
		t.Errorf("the anonymous owner: %v", err)
	}
	if _, err := p.Load(ctx, anonToken, AnonymousOwner("csrf-2"), "permit"); !errors.Is(err, ErrPendingTaken) {
		t.Errorf("another anonymous session: %v, want ErrPendingTaken", err)
	}

	// Dropping a field's files removes them from disk.
	photo := filepath.Join(dir, pendingKey(token), got.Kept("photo")[0].Storage)
	if err := p.Drop(ctx, got, "photo"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(photo); !errors.Is(err, os.ErrNotExist) || len(got.Kept("photo")) != 0 || len(got.Kept("proof")) != 1 {
		t.Errorf("after dropping the photo: %v, files %+v", err, got.Files)
	}
	if err := p.Save(ctx, got); err != nil {
		t.Fatal(err)
	}

	// The token is nowhere on disk.
	err = filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if bytes.Contains(b, []byte(token)) || strings.Contains(path, token) {
			t.Errorf("%s holds the token", path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}

	// A day later the form has expired; the next save elsewhere sweeps it.
	clk.set(clk.now().Add(PendingTTL + time.Minute))
	if _, err := p.Load(ctx, token, ada, "permit"); !errors.Is(err, ErrPendingTaken) {
		t.Errorf("an expired form: %v, want ErrPendingTaken", err)
	}
	fresh, _ := NewToken()
	if err := p.Save(ctx, NewPendingForm(fresh, ada, "permit")); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, pendingKey(token))); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the expired form was not swept: %v", err)
	}
	if _, err := p.Load(ctx, fresh, ada, "permit"); err != nil {
		t.Errorf("the fresh form was swept: %v", err)
	}
}
