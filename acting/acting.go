// Package acting keeps who may act for whom: organisations (a business with
// its members, the invitations that bring them in, the business permit plans
// saved to it) and representations (a person authorised by another, a carer
// or a lawyer, to see and make their applications, for all services or
// chosen ones, until a date; granted online by the person represented or
// recorded by staff from a power of attorney on paper).
//
// It knows nothing of HTTP. portal/access asks it, for every application a
// request would show, whether the viewer is a member of the organisation the
// application was made for, or a current representative of its applicant.
package acting

import (
	"context"
	"database/sql"
	"errors"
	"io"
	"slices"
	"strings"
	"time"

	"sportello/catalogue"
)

// Store is the acting area's data.
type Store interface {
	Organisations
	Representations
	// PersonByEmail finds the person whose verified email is email, for
	// staff recording a power of attorney; ErrNotFound when none or more
	// than one.
	PersonByEmail(ctx context.Context, email string) (Person, error)
	// ErasePerson, within tx, takes personID out of every organisation and
	// ends every representation they are part of, forgetting the names and
	// address kept there: for deleting their account (accounts.Eraser).
	ErasePerson(ctx context.Context, tx *sql.Tx, personID int64) error
}

// Organisations keeps organisations, their members and invitations.
type Organisations interface {
	// Register records a new organisation with owner as its owner, in one
	// transaction. confirmedBy is ConfirmedByIdP when the owner's identity
	// provider carried the tax ID, "" otherwise. A tax ID already
	// registered fails with ErrConflict.
	Register(ctx context.Context, o Organisation, owner int64) (Organisation, error)
	// Organisation returns one organisation, or ErrNotFound.
	Organisation(ctx context.Context, id int64) (Organisation, error)
	// Memberships lists the organisations personID belongs to, by name.
	Memberships(ctx context.Context, personID int64) ([]Membership, error)
	// Members lists an organisation's members, owners first.
	Members(ctx context.Context, orgID int64) ([]Member, error)
	// Role is personID's role in orgID, or ErrNotFound when not a member.
	Role(ctx context.Context, orgID, personID int64) (string, error)
	// Unconfirmed lists the organisations whose tax ID nobody has
	// confirmed yet, oldest first, for staff.
	Unconfirmed(ctx context.Context) ([]Organisation, error)
	// Confirm records that staffID checked orgID's tax ID.
	Confirm(ctx context.Context, orgID, staffID int64) error
	// Invite records an invitation of email to orgID with role and, in the
	// same transaction, the mail that carries its link (notify), in lang.
	// It returns the link's token.
	Invite(ctx context.Context, in Invite) (string, error)
	// Invitations lists an organisation's invitations not yet accepted
	// and not expired.
	Invitations(ctx context.Context, orgID int64) ([]Invitation, error)
	// Invitation returns the open invitation of token, or ErrNotFound
	// (unknown, used or expired).
	Invitation(ctx context.Context, token string) (Invitation, error)
	// Join makes personID a member by the invitation of token, once.
	Join(ctx context.Context, token string, personID int64) (Organisation, error)
	// SavePlan keeps a business permit plan (the finder's answers as a URL
	// query) for orgID.
	SavePlan(ctx context.Context, orgID int64, p Plan) error
	// Plans lists the plans saved to orgID, newest first.
	Plans(ctx context.Context, orgID int64) ([]Plan, error)
	// RemoveMember takes personID out of orgID (an owner removing them,
	// or they leaving). ErrNotFound when not a member; ErrLastOwner when
	// they are its only owner.
	RemoveMember(ctx context.Context, orgID, personID int64) error
}

// Representations keeps who is authorised to act for whom.
type Representations interface {
	// Grant records principal's authorisation of the person at
	// g.RepresentativeEmail and, in the same transaction, the mail with
	// the link that person accepts it by. It returns the representation
	// and the link's token.
	Grant(ctx context.Context, g Grant) (Representation, string, error)
	// Offer returns the representation waiting for acceptance by token,
	// or ErrNotFound (unknown, accepted, ended or expired).
	Offer(ctx context.Context, token string) (Representation, error)
	// Accept makes personID the representative of the offer of token.
	// The principal cannot accept their own (ErrInvalid).
	Accept(ctx context.Context, token string, personID int64, name string) (Representation, error)
	// RecordPaper records a power of attorney on paper, with its document,
	// in one transaction.
	RecordPaper(ctx context.Context, p Paper) (Representation, error)
	// Representation returns one representation, or ErrNotFound.
	Representation(ctx context.Context, id int64) (Representation, error)
	// For lists the representations in which personID is the
	// representative and that have not ended, newest first.
	For(ctx context.Context, personID int64) ([]Representation, error)
	// Of lists the representations of principal that have not ended,
	// accepted or not, newest first.
	Of(ctx context.Context, principal int64) ([]Representation, error)
	// End ends representation id on behalf of by, who must be its
	// principal or its representative (or staff, with staff true);
	// anyone else gets ErrNotFound.
	End(ctx context.Context, id, by int64, staff bool) error
	// Papers lists the powers of attorney on paper that have not ended,
	// newest first, for staff.
	Papers(ctx context.Context) ([]Representation, error)
	// Document opens a paper representation's document.
	Document(ctx context.Context, id int64) (Document, io.ReadCloser, error)
	// Current returns the representations in which representative may act
	// for principal today (council date, YYYY-MM-DD): accepted, not ended,
	// valid until today or later.
	Current(ctx context.Context, representative, principal int64, today string) ([]Representation, error)
}

// Organisation roles.
const (
	RoleOwner  = "owner"
	RoleMember = "member"
)

// How an organisation's tax ID was confirmed.
const (
	ConfirmedByIdP   = "idp"
	ConfirmedByStaff = "staff"
)

// Where a representation comes from.
const (
	SourceOnline = "online"
	SourcePaper  = "paper"
)

// InvitationTTL is how long an invitation's link, and an authorisation
// waiting for its representative, may be used.
const InvitationTTL = 14 * 24 * time.Hour

// Organisation is a business or other body people act for.
type Organisation struct {
	ID          int64
	Name        string
	TaxID       string
	ConfirmedBy string // "" until confirmed
	CreatedBy   int64
	CreatedAt   time.Time
}

// Confirmed reports whether its tax ID was confirmed.
func (o Organisation) Confirmed() bool { return o.ConfirmedBy != "" }

// Membership is an organisation a person belongs to, and their role.
type Membership struct {
	Organisation
	Role string
}

// Member is a person in an organisation.
type Member struct {
	PersonID int64
	Name     string
	Email    string
	Role     string
	JoinedAt time.Time
}

// Invite is an invitation to make.
type Invite struct {
	OrganisationID int64
	Email, Role    string
	By             int64
	Lang           string
}

// Invitation is an invitation not yet used.
type Invitation struct {
	OrganisationID   int64
	OrganisationName string
	Email, Role      string
	Expires          time.Time
}

// Plan is a business permit plan saved to an organisation.
type Plan struct {
	ID           int64
	BusinessType string
	Query        string // the finder's answers, as its URL query
	SavedBy      int64
	SavedAt      time.Time
}

// Grant is a resident's authorisation of someone to act for them.
type Grant struct {
	Principal           int64
	PrincipalName       string
	RepresentativeName  string
	RepresentativeEmail string
	Services            []string // slugs; empty for every service
	Until               string   // YYYY-MM-DD, the last day it holds
	Lang                string
}

// Paper is a power of attorney on paper, recorded by staff.
type Paper struct {
	Principal, Representative Person
	Services                  []string
	Until                     string
	StaffID                   int64
	DocumentName              string
	DocumentType              string
	Document                  io.Reader // read to the end; the caller limits it
}

// Person is someone who has signed in.
type Person struct {
	ID    int64
	Name  string
	Email string
}

// Document is a paper representation's scanned document.
type Document struct {
	Name, ContentType string
	Size              int64
}

// Representation is one person's authorisation to act for another.
type Representation struct {
	ID                  int64
	Principal           int64
	PrincipalName       string
	Representative      int64 // 0 until accepted
	RepresentativeName  string
	RepresentativeEmail string
	Services            []string // empty: every service
	Until               string   // YYYY-MM-DD
	Source              string
	HasDocument         bool
	CreatedAt           time.Time
	AcceptedAt          time.Time
	EndedAt             time.Time
}

// Covers reports whether it extends to service slug.
func (r Representation) Covers(slug string) bool {
	return len(r.Services) == 0 || slices.Contains(r.Services, slug)
}

// CurrentOn reports whether it holds on day (YYYY-MM-DD): accepted, not
// ended, and not past its date.
func (r Representation) CurrentOn(day string) bool {
	return r.Representative != 0 && r.EndedAt.IsZero() && day <= r.Until
}

// NormaliseTaxID writes a tax ID the one way it is kept: upper case,
// without spaces, dots or dashes.
func NormaliseTaxID(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '-', '.', '\t':
			return -1
		}
		return r
	}, strings.ToUpper(strings.TrimSpace(s)))
}

// Errors: the catalogue's, so that the portal's one mapping covers them.
var (
	ErrNotFound = catalogue.ErrNotFound
	ErrConflict = catalogue.ErrConflict
	ErrInvalid  = errors.New("acting: invalid")
)
