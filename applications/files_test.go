package applications

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"sportello/applications/forms"
	"sportello/notify/notifytest"
	"sportello/store"
	"sportello/store/storetest"
)

func readFile(t *testing.T, s *Store, f *File) []byte {
	t.Helper()
	rc, err := s.Open(context.Background(), f)
	if err != nil {
		t.Fatalf("opening %s: %v", f.Filename, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatalf("reading %s: %v", f.Filename, err)
	}
	return b
}

// A file uploaded through one instance is read through another, which has
// its own connections and its own data directory: the content is in the
// database, in chunks, and nothing is written to either data directory.
func TestFilesAreSharedByInstances(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		b := e.second(t, Options{})
		big := bytes.Repeat([]byte("0123456789abcdef"), (3*blobChunkSize+100)/16) // four chunks
		res := e.validated(t, permit(), forms.Values{"full_name": {"Ana"}, "vehicle": {"1234 bcd"}},
			forms.Files{"proof": {upload("bill.pdf", append(append([]byte{}, pdfData...), big...))}})
		in := e.permitInput(t, 41)
		in.Answers, in.Files = res.Answers, res.Files
		app := e.submit(t, in)

		seen, err := b.ForApplicant(ctx, 41, app.Reference)
		if err != nil {
			t.Fatal(err)
		}
		if len(seen.Files) != 1 {
			t.Fatalf("the other instance sees %d files, want 1", len(seen.Files))
		}
		if got := readFile(t, b, &seen.Files[0]); !bytes.Equal(got, append(append([]byte{}, pdfData...), big...)) {
			t.Errorf("the other instance read %d bytes, want the %d uploaded", len(got), len(pdfData)+len(big))
		}
		if n := e.count(t, "blob_chunks"); n != 4 {
			t.Errorf("%d chunks, want 4 of at most %d bytes", n, blobChunkSize)
		}
		if _, err := os.Stat(filepath.Join(b.disk.uploads)); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("an uploads directory was made: %v", err)
		}
	})
}

// A failure injected halfway through a submission with files, and one in a
// response with a file, leave no content in the database.
func TestFailedWritesLeaveNoContent(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		for _, table := range []string{"application_files", "blob_chunks"} {
			allow := storetest.RefuseInserts(t, e.db, table, "refused by the test")
			if _, err := e.s.Submit(ctx, e.permitInput(t, 41)); err == nil {
				t.Errorf("refusing %s: the submission went through", table)
			}
			allow()
			if n, c := e.count(t, "blobs"), e.count(t, "blob_chunks"); n != 0 || c != 0 {
				t.Errorf("refusing %s: %d contents and %d chunks left", table, n, c)
			}
		}
	})
}

// 300 residents sending forms with a file at the same moment all get their
// application: on SQLite writers queue for the write lock rather than
// failing once busy_timeout runs out ("1000 concurrent submits gave one
// 500").
func TestManySubmitsAtOnce(t *testing.T) {
	e := newEnv(t, storetest.Open(t, store.DialectSQLite))
	const residents = 300
	inputs := make([]SubmitInput, residents)
	for i := range inputs {
		notifytest.AddPeople(t, e.db, int64(1000+i))
		inputs[i] = e.permitInput(t, int64(1000+i))
	}
	errs := make([]error, residents)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range residents {
		wg.Go(func() {
			<-start
			_, errs[i] = e.s.Submit(context.Background(), inputs[i])
		})
	}
	close(start)
	wg.Wait()
	failed := 0
	for i, err := range errs {
		if err != nil {
			failed++
			if failed <= 3 {
				t.Errorf("resident %d: %v", i, err)
			}
		}
	}
	if failed > 0 {
		t.Errorf("%d of %d submissions failed", failed, residents)
	}
	if n := e.count(t, "applications"); n != residents {
		t.Errorf("%d applications, want %d", n, residents)
	}
	if n := e.count(t, "blobs"); n != 2*residents {
		t.Errorf("%d contents, want %d", n, 2*residents)
	}
}

// What an older version left in the data directory is settled by the
// sweep: a recorded upload is imported into the database (and read from
// disk until then), orphans and old forms in progress an hour old are
// deleted, younger ones left for a later sweep.
func TestSweepSettlesOldDataDirectory(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		dir := t.TempDir()
		s := e.second(t, Options{})
		s.disk = diskLeftovers{uploads: filepath.Join(dir, "uploads"), pending: filepath.Join(dir, "pending"), s: s}
		app := e.submit(t, e.permitInput(t, 41))
		// As an older version kept them: the content on disk, none in the
		// database.
		if err := os.MkdirAll(s.disk.uploads, 0o750); err != nil {
			t.Fatal(err)
		}
		for _, f := range app.Files {
			content := readFile(t, e.s, &f)
			if err := os.WriteFile(filepath.Join(s.disk.uploads, f.storageName), content, 0o640); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := e.db.SQL().Exec("DELETE FROM blobs"); err != nil {
			t.Fatal(err)
		}
		hourAgo := time.Now().Add(-diskGrace - time.Minute)
		write := func(path string, old bool) {
			t.Helper()
			if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte("personal data"), 0o640); err != nil {
				t.Fatal(err)
			}
			if old {
				for _, p := range []string{path, filepath.Dir(path)} {
					if err := os.Chtimes(p, hourAgo, hourAgo); err != nil {
						t.Fatal(err)
					}
				}
			}
		}
		orphanOld, orphanNew := filepath.Join(s.disk.uploads, "aaaaaaaaaaaaaaaaaaaaaaaaaa"), filepath.Join(s.disk.uploads, "bbbbbbbbbbbbbbbbbbbbbbbbbb")
		write(orphanOld, true)
		write(orphanNew, false)
		formOld, formNew := filepath.Join(s.disk.pending, "old", "record.json"), filepath.Join(s.disk.pending, "new", "record.json")
		write(formOld, true)
		write(formNew, false)
		// The old uploads directory's own time changed with the writes.
		if err := os.Chtimes(s.disk.pending, hourAgo, hourAgo); err != nil {
			t.Fatal(err)
		}

		want := map[string][]byte{}
		for _, f := range app.Files {
			want[f.ID] = readFile(t, s, &f) // from disk
		}
		n, err := s.SweepExpired(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n != 4 {
			t.Errorf("SweepExpired = %d, want 2 imported, 1 orphan and 1 form deleted", n)
		}
		for _, f := range app.Files {
			if _, err := os.Stat(filepath.Join(s.disk.uploads, f.storageName)); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("%s is still on disk: %v", f.Filename, err)
			}
			if got := readFile(t, e.s, &f); !bytes.Equal(got, want[f.ID]) {
				t.Errorf("%s imported as %q, want %q", f.Filename, got, want[f.ID])
			}
		}
		for path, kept := range map[string]bool{orphanOld: false, orphanNew: true, formOld: false, formNew: true} {
			if _, err := os.Stat(path); (err == nil) != kept {
				t.Errorf("%s: kept %v, want %v", path, err == nil, kept)
			}
		}
		// Once the young ones are old, the directories go too.
		for _, p := range []string{orphanNew, formNew, filepath.Dir(formNew)} {
			if err := os.Chtimes(p, hourAgo, hourAgo); err != nil {
				t.Fatal(err)
			}
		}
		if n, err := s.SweepExpired(ctx); err != nil || n != 2 {
			t.Errorf("second sweep = %d, %v; want the 2 younger leftovers", n, err)
		}
		for _, d := range []string{s.disk.uploads, s.disk.pending} {
			if _, err := os.Stat(d); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("%s is still there: %v", d, err)
			}
		}
	})
}
