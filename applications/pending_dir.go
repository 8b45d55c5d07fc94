package applications

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"sportello/applications/forms"
)

// pendingDir keeps forms in progress on disk (ADR 0006): each in
// <dir>/<sha256 of the token>/, its record.json beside the kept files under
// random names. dir is the data directory's "pending", next to the uploads,
// so several instances share it as they share the uploads.
type pendingDir struct {
	dir string
	now func() time.Time
}

const (
	// pendingSweepEvery bounds how often old forms are looked for.
	pendingSweepEvery = 10 * time.Minute
	pendingRecordFile = "record.json"
	pendingSweepMark  = ".swept"
)

func (p pendingDir) formDir(token string) string { return filepath.Join(p.dir, pendingKey(token)) }

func (p pendingDir) Load(_ context.Context, token string, o PendingOwner, slug string) (*PendingForm, error) {
	if !ValidToken(token) {
		return nil, ErrNoPending
	}
	dir := p.formDir(token)
	b, err := os.ReadFile(filepath.Join(dir, pendingRecordFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil, ErrNoPending
	}
	if err != nil {
		return nil, fmt.Errorf("applications: reading a form in progress: %w", err)
	}
	var f PendingForm
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("applications: form in progress %s is damaged: %w", dir, err)
	}
	if err := usable(&f, o, slug, p.now()); err != nil {
		return nil, err
	}
	f.Token = token
	return &f, nil
}

// Save writes the record atomically (a temporary file renamed over the old
// one), so a reader never sees half a record.
func (p pendingDir) Save(_ context.Context, f *PendingForm) error {
	p.sweep()
	dir := p.formDir(f.Token)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return fmt.Errorf("applications: keeping a form in progress: %w", err)
	}
	f.UpdatedAt = p.now().UTC()
	b, err := json.Marshal(f)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, "record-*.tmp")
	if err != nil {
		return fmt.Errorf("applications: keeping a form in progress: %w", err)
	}
	_, err = tmp.Write(b)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), filepath.Join(dir, pendingRecordFile))
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("applications: keeping a form in progress: %w", err)
	}
	return nil
}

func (p pendingDir) Keep(_ context.Context, f *PendingForm, field string, in forms.FileInput) error {
	dir := p.formDir(f.Token)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return err
	}
	storage := "f-" + strings.ToLower(rand.Text())
	path := filepath.Join(dir, storage)
	out, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o640)
	if err != nil {
		return err
	}
	n, err := func() (int64, error) {
		rc, err := in.Open()
		if err != nil {
			return 0, err
		}
		defer rc.Close()
		return io.Copy(out, io.LimitReader(rc, in.Size+1))
	}()
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err == nil && n != in.Size {
		err = fmt.Errorf("the upload has %d bytes, not the %d announced", n, in.Size)
	}
	if err != nil {
		os.Remove(path)
		return fmt.Errorf("applications: keeping the upload %q: %w", in.Filename, err)
	}
	f.Files = append(f.Files, PendingFile{Field: field, Filename: in.Filename, Size: n, Storage: storage})
	return nil
}

// Drop removes the files from disk as it goes; a file it could not remove
// goes with its form's directory when the form expires.
func (p pendingDir) Drop(_ context.Context, f *PendingForm, field string) error {
	dir := p.formDir(f.Token)
	kept := f.Files[:0]
	for _, k := range f.Files {
		if k.Field == field {
			os.Remove(filepath.Join(dir, k.Storage))
			continue
		}
		kept = append(kept, k)
	}
	f.Files = kept
	return nil
}

func (p pendingDir) Files(_ context.Context, f *PendingForm) forms.Files {
	dir := p.formDir(f.Token)
	files := forms.Files{}
	for _, k := range f.Files {
		// Base: the record is read from disk, and must not name a file
		// outside its directory.
		path := filepath.Join(dir, filepath.Base(k.Storage))
		files[k.Field] = append(files[k.Field], forms.FileInput{
			Filename: k.Filename,
			Size:     k.Size,
			Open:     func() (io.ReadCloser, error) { return os.Open(path) },
		})
	}
	return files
}

// sweep removes forms untouched for PendingTTL, at most once every
// pendingSweepEvery (the mark file's time says when it last ran, so every
// server process sharing the directory takes part).
func (p pendingDir) sweep() {
	mark := filepath.Join(p.dir, pendingSweepMark)
	if st, err := os.Stat(mark); err == nil && p.now().Sub(st.ModTime()) < pendingSweepEvery {
		return
	}
	if err := os.MkdirAll(p.dir, 0o750); err != nil {
		return
	}
	if f, err := os.Create(mark); err == nil {
		f.Close()
	}
	p.removeExpired()
}

// removeExpired removes the forms untouched for PendingTTL and returns how
// many went.
func (p pendingDir) removeExpired() (int, error) {
	entries, err := os.ReadDir(p.dir)
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("applications: sweeping forms in progress: %w", err)
	}
	n := 0
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		dir := filepath.Join(p.dir, e.Name())
		st, err := os.Stat(filepath.Join(dir, pendingRecordFile))
		if err == nil && p.now().Sub(st.ModTime()) <= PendingTTL {
			continue
		}
		if err != nil {
			// A directory without a record is a crashed first save; give it
			// the same time to finish.
			if dst, derr := e.Info(); derr == nil && p.now().Sub(dst.ModTime()) <= PendingTTL {
				continue
			}
		}
		if os.RemoveAll(dir) == nil {
			n++
		}
	}
	return n, nil
}
