package applications

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"sportello/applications/forms"
)

// Pending keeps forms in progress: what a person has typed into a service's
// form and the files they uploaded, between the first "Continue" and the
// submission, under the form's one-time submission token. A browser cannot
// be given a file back, so an upload that passed its checks is kept from
// the first post on: it survives an error elsewhere in the form, the "check
// your answers" page and a change of answer, and is submitted with the
// application. After the submission the form keeps the reference, so that
// a second post of the same form shows the same confirmation.
//
// A form is bound to its owner (PendingOwner) and its service, and is
// forgotten PendingTTL after its last change. Store.Pending returns the
// implementation in use.
type Pending interface {
	// Load returns the form of token for o and the service slug. It fails
	// with ErrNoPending when token has no form, and with ErrPendingTaken
	// (which is also ErrNoPending) when it has one that o cannot use:
	// another owner's, another service's, or expired. That one must never
	// be written over.
	Load(ctx context.Context, token string, o PendingOwner, slug string) (*PendingForm, error)
	// Save writes f, replacing what its token had, and stamps UpdatedAt.
	Save(ctx context.Context, f *PendingForm) error
	// Keep copies an upload for field into f's storage and lists it in
	// f.Files; save f after.
	Keep(ctx context.Context, f *PendingForm, field string, in forms.FileInput) error
	// Drop forgets the kept files of field, in storage too; save f after.
	Drop(ctx context.Context, f *PendingForm, field string) error
	// Files returns f's kept files by field, as inputs to validate again.
	Files(ctx context.Context, f *PendingForm) forms.Files
}

// PendingForm is one form in progress.
type PendingForm struct {
	// Token is the form's submission token. It is never stored: a form is
	// found by its hash, so whoever reads the storage cannot post the form.
	Token     string        `json:"-"`
	Slug      string        `json:"slug"`
	PersonID  int64         `json:"person_id,omitempty"`
	Binding   string        `json:"binding,omitempty"` // see AnonymousOwner
	Values    forms.Values  `json:"values"`
	Contact   Contact       `json:"contact"`
	Files     []PendingFile `json:"files,omitempty"`
	UpdatedAt time.Time     `json:"updated_at"`
	// Set once submitted.
	Reference   string    `json:"reference,omitempty"`
	DueDate     string    `json:"due_date,omitempty"`
	SubmittedAt time.Time `json:"submitted_at,omitzero"`
}

// PendingFile is an upload kept for a field.
type PendingFile struct {
	Field    string `json:"field"`
	Filename string `json:"filename"` // as the person's computer named it
	Size     int64  `json:"size"`
	Storage  string `json:"storage"` // the implementation's name for the content
}

// PendingOwner is who may use a form in progress: a signed-in person, or
// for an anonymous visitor a binding to their session (AnonymousOwner).
type PendingOwner struct {
	PersonID int64
	Binding  string
}

// AnonymousOwner binds a form to an anonymous session through a hash of the
// session's CSRF token, which the session keeps server-side; "" binds
// nothing, and such an owner can use no form.
func AnonymousOwner(csrf string) PendingOwner {
	if csrf == "" {
		return PendingOwner{}
	}
	h := sha256.Sum256([]byte("sportello pending application\x00" + csrf))
	return PendingOwner{Binding: hex.EncodeToString(h[:])}
}

func (o PendingOwner) owns(f *PendingForm) bool {
	if f.PersonID != o.PersonID {
		return false
	}
	return o.PersonID != 0 || (f.Binding != "" && f.Binding == o.Binding)
}

// NewPendingForm returns a new, unsaved form for token, owned by o.
func NewPendingForm(token string, o PendingOwner, slug string) *PendingForm {
	return &PendingForm{Token: token, Slug: slug, PersonID: o.PersonID, Binding: o.Binding, Values: forms.Values{}}
}

// Kept returns the kept files of field.
func (f *PendingForm) Kept(field string) []PendingFile {
	var out []PendingFile
	for _, k := range f.Files {
		if k.Field == field {
			out = append(out, k)
		}
	}
	return out
}

// PendingTTL is how long an untouched form in progress is kept: a day. A
// signed-in person who comes back after their session ended (idle timeout)
// signs in again and finds it; an anonymous visitor's form is reached
// through their session, so it lasts as long as that.
const PendingTTL = 24 * time.Hour

// Errors of Pending.Load.
var (
	ErrNoPending    = errors.New("applications: no form in progress for this token, person and service")
	ErrPendingTaken = fmt.Errorf("%w: the token's form is another person's or service's, or expired", ErrNoPending)
)

// usable checks a loaded form against who asks and for which service.
func usable(f *PendingForm, o PendingOwner, slug string, now time.Time) error {
	if !o.owns(f) || f.Slug != slug || now.Sub(f.UpdatedAt) > PendingTTL {
		return ErrPendingTaken
	}
	return nil
}

// pendingKey is what a form is stored under instead of its token.
func pendingKey(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}
