package portal

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"sportello/applications"
	"sportello/applications/forms"
)

// A pending application is what a person has typed into a service's form and
// the files they uploaded, between the first "Continue" and the submission,
// kept on the server under the form's one-time submission token. A browser
// cannot be given a file back, so an upload that passed its checks is kept
// here from the first post on: it survives an error elsewhere in the form,
// the "check your answers" page and a change of answer, and is submitted with
// the application. After the submission the record keeps the reference, so
// that a second post of the same form shows the same confirmation.
//
// Records live in <data dir>/pending/<sha256 of the token>/ (record.json and
// the files under random names), next to the applications store's uploads,
// and are removed pendingTTL after their last change. The token never
// appears on disk, and a record is bound to its owner: the signed-in person,
// or for an anonymous visitor the session's CSRF token.
type pendingStore struct {
	dir string
	now func() time.Time
}

// pendingRecord is one pending application.
type pendingRecord struct {
	Slug      string               `json:"slug"`
	PersonID  int64                `json:"person_id,omitempty"`
	Binding   string               `json:"binding,omitempty"` // sha256 of the anonymous session's CSRF token
	Values    forms.Values         `json:"values"`
	Contact   applications.Contact `json:"contact"`
	Files     []pendingFile        `json:"files,omitempty"`
	UpdatedAt time.Time            `json:"updated_at"`
	// Set once submitted.
	Reference   string    `json:"reference,omitempty"`
	DueDate     string    `json:"due_date,omitempty"`
	SubmittedAt time.Time `json:"submitted_at,omitzero"`

	dir string
}

// pendingFile is an upload kept for a field.
type pendingFile struct {
	Field    string `json:"field"`
	Filename string `json:"filename"`
	Size     int64  `json:"size"`
	Storage  string `json:"storage"` // file name inside the record's directory
}

const (
	// pendingTTL is how long an untouched pending application is kept: a
	// day. A signed-in person who comes back after their session ended
	// (idle timeout) signs in again and finds it; an anonymous visitor's
	// record is reached through their session, so it lasts as long as that.
	pendingTTL = 24 * time.Hour
	// pendingSweepEvery bounds how often old records are looked for.
	pendingSweepEvery = 10 * time.Minute
	pendingRecordFile = "record.json"
	pendingSweepMark  = ".swept"
)

// pending returns the pending store beside the applications store's uploads
// directory (the data directory's "uploads").
func (s *Server) pending() pendingStore {
	return pendingStore{dir: filepath.Join(filepath.Dir(s.apps.UploadsDir()), "pending"), now: time.Now}
}

// pendingOwner is who may read a pending record.
type pendingOwner struct {
	PersonID int64
	Binding  string
}

func (o pendingOwner) owns(r *pendingRecord) bool {
	if r.PersonID != o.PersonID {
		return false
	}
	return o.PersonID != 0 || (r.Binding != "" && r.Binding == o.Binding)
}

// pendingBinding hashes an anonymous session's CSRF token; "" binds nothing.
func pendingBinding(csrf string) string {
	if csrf == "" {
		return ""
	}
	h := sha256.Sum256([]byte("sportello pending application\x00" + csrf))
	return hex.EncodeToString(h[:])
}

func (p pendingStore) recordDir(token string) string {
	h := sha256.Sum256([]byte(token))
	return filepath.Join(p.dir, hex.EncodeToString(h[:]))
}

// errNoPending is returned when a token has no record its owner may read.
var errNoPending = errors.New("portal: no pending application for this token and person")

// load returns the record of token for o, or errNoPending: another person's
// record is not found either.
func (p pendingStore) load(token string, o pendingOwner, slug string) (*pendingRecord, error) {
	if !validSubmissionToken(token) {
		return nil, errNoPending
	}
	dir := p.recordDir(token)
	b, err := os.ReadFile(filepath.Join(dir, pendingRecordFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil, errNoPending
	}
	if err != nil {
		return nil, fmt.Errorf("portal: reading a pending application: %w", err)
	}
	var r pendingRecord
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("portal: pending application %s is damaged: %w", dir, err)
	}
	if !o.owns(&r) || r.Slug != slug || p.now().Sub(r.UpdatedAt) > pendingTTL {
		return nil, errNoPending
	}
	r.dir = dir
	return &r, nil
}

// exists reports whether token has a record, whoever it belongs to.
func (p pendingStore) exists(token string) bool {
	_, err := os.Stat(filepath.Join(p.recordDir(token), pendingRecordFile))
	return err == nil
}

// create returns a new, unsaved record for token.
func (p pendingStore) create(token string, o pendingOwner, slug string) *pendingRecord {
	return &pendingRecord{Slug: slug, PersonID: o.PersonID, Binding: o.Binding, Values: forms.Values{}, dir: p.recordDir(token)}
}

// save writes the record atomically (a temporary file renamed over the old
// one), so a reader never sees half a record.
func (p pendingStore) save(r *pendingRecord) error {
	p.sweep()
	if err := os.MkdirAll(r.dir, 0o750); err != nil {
		return fmt.Errorf("portal: keeping a pending application: %w", err)
	}
	r.UpdatedAt = p.now().UTC()
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(r.dir, "record-*.tmp")
	if err != nil {
		return fmt.Errorf("portal: keeping a pending application: %w", err)
	}
	_, err = tmp.Write(b)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), filepath.Join(r.dir, pendingRecordFile))
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("portal: keeping a pending application: %w", err)
	}
	return nil
}

// keep copies an upload into the record's directory and returns its entry;
// the caller puts it in r.Files and saves r.
func (p pendingStore) keep(r *pendingRecord, field string, in forms.FileInput, filename string) (pendingFile, error) {
	if err := os.MkdirAll(r.dir, 0o750); err != nil {
		return pendingFile{}, err
	}
	storage := "f-" + strings.ToLower(rand.Text())
	path := filepath.Join(r.dir, storage)
	out, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o640)
	if err != nil {
		return pendingFile{}, err
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
		return pendingFile{}, fmt.Errorf("portal: keeping the upload %q: %w", filename, err)
	}
	return pendingFile{Field: field, Filename: filename, Size: n, Storage: storage}, nil
}

// drop removes the kept files of field from r (on disk too); save r after.
func (p pendingStore) drop(r *pendingRecord, field string) {
	kept := r.Files[:0]
	for _, f := range r.Files {
		if f.Field == field {
			os.Remove(filepath.Join(r.dir, f.Storage))
			continue
		}
		kept = append(kept, f)
	}
	r.Files = kept
}

// inputs returns the kept files of field as form inputs, to validate again.
func (r *pendingRecord) inputs(field string) []forms.FileInput {
	var out []forms.FileInput
	for _, f := range r.Files {
		if f.Field != field {
			continue
		}
		path := filepath.Join(r.dir, filepath.Base(f.Storage))
		out = append(out, forms.FileInput{
			Filename: f.Filename,
			Size:     f.Size,
			Open:     func() (io.ReadCloser, error) { return os.Open(path) },
		})
	}
	return out
}

// kept returns the kept files of field.
func (r *pendingRecord) kept(field string) []pendingFile {
	var out []pendingFile
	for _, f := range r.Files {
		if f.Field == field {
			out = append(out, f)
		}
	}
	return out
}

// allInputs returns every kept file, by field, for forms.Validator.
func (r *pendingRecord) allInputs() forms.Files {
	files := forms.Files{}
	for _, f := range r.Files {
		if _, done := files[f.Field]; !done {
			files[f.Field] = r.inputs(f.Field)
		}
	}
	return files
}

// sweep removes records untouched for pendingTTL, at most once every
// pendingSweepEvery (the mark file's time says when it last ran, so every
// server process sharing the directory takes part).
func (p pendingStore) sweep() {
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
	entries, err := os.ReadDir(p.dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		dir := filepath.Join(p.dir, e.Name())
		st, err := os.Stat(filepath.Join(dir, pendingRecordFile))
		if err == nil && p.now().Sub(st.ModTime()) <= pendingTTL {
			continue
		}
		if err != nil {
			// A directory without a record is a crashed first save; give it
			// the same time to finish.
			if dst, derr := e.Info(); derr == nil && p.now().Sub(dst.ModTime()) <= pendingTTL {
				continue
			}
		}
		os.RemoveAll(dir)
	}
}

// validSubmissionToken accepts what applications.NewToken makes: 16 to 128
// URL-safe base64 characters.
func validSubmissionToken(t string) bool {
	if len(t) < 16 || len(t) > 128 {
		return false
	}
	for i := 0; i < len(t); i++ {
		c := t[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}
