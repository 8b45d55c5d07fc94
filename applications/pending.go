package applications

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/netip"
	"strconv"
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
// Only the server issues tokens (Issue), each to one owner: a token the
// client made up, or another session's, starts nothing. A form is bound to
// its owner (PendingOwner) and its service, and is forgotten PendingTTL
// after its last change (Store.SweepExpired). The uploads an owner, or a
// client address, keeps in forms in progress are limited to
// Options.PendingQuota bytes. Store.Pending returns the implementation in
// use, which keeps everything in the database.
type Pending interface {
	// Issue returns a new token for a form that o is shown.
	Issue(ctx context.Context, o PendingOwner) (string, error)
	// Start returns a new, unsaved form for token, owned by o. It fails
	// with ErrTokenNotIssued unless Issue made token for o.
	Start(ctx context.Context, token string, o PendingOwner, slug string) (*PendingForm, error)
	// Load returns the form of token for o and the service slug. It fails
	// with ErrNoPending when token has no form, and with ErrPendingTaken
	// (which is also ErrNoPending) when it has one that o cannot use:
	// another owner's, another service's, or expired. That one must never
	// be written over.
	Load(ctx context.Context, token string, o PendingOwner, slug string) (*PendingForm, error)
	// Save writes f, replacing what its token had, with the files kept and
	// dropped since it was loaded, all in one transaction, and stamps
	// UpdatedAt. It fails with ErrPendingQuota, writing nothing, when the
	// kept files would take the owner or the client address over the quota.
	Save(ctx context.Context, f *PendingForm) error
	// Keep lists an upload for field in f.Files, to be written by the next
	// Save. It fails with ErrPendingQuota when the upload would take the
	// owner or the client address over the quota.
	Keep(ctx context.Context, f *PendingForm, field string, in forms.FileInput) error
	// Drop forgets the kept files of field; the next Save deletes them.
	Drop(ctx context.Context, f *PendingForm, field string) error
	// Files returns f's kept files by field, as inputs to validate again.
	Files(ctx context.Context, f *PendingForm) forms.Files
}

// PendingForm is one form in progress.
type PendingForm struct {
	// Token is the form's submission token. It is never stored: a form is
	// found by its hash, so whoever reads the storage cannot post the form.
	Token    string
	Slug     string
	PersonID int64
	Binding  string // see AnonymousOwner
	Values   forms.Values
	Contact  Contact
	// For is for whom the form is filled in, as the portal writes it
	// ("org-…", "person-…"; "" for the person themselves).
	For       string
	Files     []PendingFile
	UpdatedAt time.Time
	// Set once submitted.
	Reference   string
	DueDate     string
	SubmittedAt time.Time

	// client is where the request that loaded the form came from.
	client string
	// staged are the uploads kept since the form was loaded, by storage
	// name; dropped the saved files dropped since.
	staged  map[string]forms.FileInput
	dropped []PendingFile
}

// PendingFile is an upload kept for a field.
type PendingFile struct {
	Field    string
	Filename string // as the person's computer named it
	Size     int64
	Storage  string // the name of its content in Blobs
}

// PendingOwner is who may use a form in progress: a signed-in person, or
// for an anonymous visitor a binding to their session (AnonymousOwner).
// Client is the address the request comes from; it does not own anything,
// but its uploads count against its own quota.
type PendingOwner struct {
	PersonID int64
	Binding  string
	Client   string
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

// Errors of Pending.
var (
	ErrNoPending      = errors.New("applications: no form in progress for this token, person and service")
	ErrPendingTaken   = fmt.Errorf("%w: the token's form is another person's or service's, or expired", ErrNoPending)
	ErrTokenNotIssued = errors.New("applications: the form's token was not issued by this server to this person or session")
	ErrPendingQuota   = errors.New("applications: the files kept in forms in progress would exceed the quota of this person, session or address")
)

// DefaultPendingQuota is Options.PendingQuota's default: 50 MB.
const DefaultPendingQuota = 50 << 20

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

// quotaOwner is what the quota counts an owner's kept files by.
func (o PendingOwner) quotaOwner() string {
	if o.PersonID != 0 {
		return "p:" + strconv.FormatInt(o.PersonID, 10)
	}
	return "b:" + o.Binding
}

// quotaClient is what the quota counts a client address's kept files by:
// the address, or for IPv6 its /64 network, which one subscriber usually
// holds whole.
func (o PendingOwner) quotaClient() string {
	addr, err := netip.ParseAddr(o.Client)
	if err != nil {
		return o.Client
	}
	addr = addr.Unmap()
	if addr.Is6() {
		if p, err := addr.Prefix(64); err == nil {
			return p.String()
		}
	}
	return addr.String()
}
