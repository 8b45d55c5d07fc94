// Package accounts keeps what Sportello knows about the people who sign in:
// who they are (as their identity provider says), their sessions, the
// logout tokens already used, and the support-finder answers they chose to
// save. It knows nothing of HTTP or OpenID Connect: portal/auth signs people
// in and decides how long a session lasts; this package remembers.
//
// A person is keyed by (issuer, subject), never by email. Session ids are
// kept hashed, so the database alone cannot be used to take over a session.
package accounts

import (
	"context"
	"errors"
	"time"

	"sportello/catalogue"
)

// Store is all of a person's data.
type Store interface {
	Sessions
	Answers
	People
	PersonalData
}

// People names the people who have signed in, for the back office: who
// changed an application, who opened it.
type People interface {
	// Names returns the names of those of ids who are known and named.
	Names(ctx context.Context, ids []int64) (map[int64]string, error)
}

// Sessions keeps people and their server-side sessions. A session is
// created by SaveSessionData (Fiber's session store, before anyone signs
// in) and bound to a person by SignIn.
type Sessions interface {
	// SessionData returns the data of session id, or nil (and no error)
	// when the session is unknown or has expired.
	SessionData(ctx context.Context, id string) ([]byte, error)
	// SaveSessionData stores data under session id. A new session ends
	// after absolute whatever happens; every save moves its idle expiry to
	// idle from now. A session that expired stays expired: saving it again
	// does nothing.
	SaveSessionData(ctx context.Context, id string, data []byte, idle, absolute time.Duration) error
	// DeleteSession ends session id; ending none is no error.
	DeleteSession(ctx context.Context, id string) error
	// DeleteAllSessions signs everyone out.
	DeleteAllSessions(ctx context.Context) error
	// SignedIn returns who is signed in with session id, or nil when the
	// session is unknown, expired or not signed in. It moves the idle
	// expiry to idle from now, writing at most once a minute per session.
	SignedIn(ctx context.Context, id string, idle time.Duration) (*SignedIn, error)
	// SignIn records a sign-in in one transaction: the person is created
	// or refreshed (name, email, roles) and session id, already saved, is
	// bound to them with the provider's session id sid, the level reached
	// (acr) and the raw ID token for RP-initiated logout. It returns the
	// person's id.
	SignIn(ctx context.Context, id string, p Person, sid, acr, rawIDToken string) (int64, error)
	// IDToken returns the issuer and raw ID token of a signed-in session,
	// or two empty strings when it is not signed in.
	IDToken(ctx context.Context, id string) (issuer, idToken string, err error)
	// BackChannelLogout records a logout token's jti, valid until expires,
	// and ends the sessions it names, in one transaction: sid's when the
	// token has one (that sign-in only), else every session of subject. A
	// jti already recorded for issuer fails with ErrReplayed and ends
	// nothing. It returns how many sessions ended.
	BackChannelLogout(ctx context.Context, issuer, jti string, expires time.Time, sid, subject string) (int64, error)
	// PurgeExpired deletes expired sessions and used logout tokens past
	// their expiry, and returns how many sessions it deleted. Expired
	// sessions are refused anyway; this only reclaims space.
	PurgeExpired(ctx context.Context) (int64, error)
}

// Answers keeps the support-finder answers a signed-in resident chose to
// save. It is the only place they are written beyond the session, and they
// go with the person.
type Answers interface {
	// SavedAnswers returns personID's saved answers, or ErrNotFound.
	SavedAnswers(ctx context.Context, personID int64) (SavedAnswers, error)
	// SaveAnswers keeps answers (JSON) for personID, who consented at
	// consentedAt, replacing what was saved before.
	SaveAnswers(ctx context.Context, personID int64, answers string, consentedAt time.Time) error
	// DeleteSavedAnswers removes personID's saved answers; deleting nothing
	// is no error.
	DeleteSavedAnswers(ctx context.Context, personID int64) error
}

// Person is who an identity provider says signed in.
type Person struct {
	ID                           int64 // 0 until first recorded
	Issuer, Subject, Name, Email string
	EmailVerified                bool
	Roles                        []string // the roles claim's values that name Sportello's roles
}

// SignedIn is the person of a session and the level of assurance (acr) of
// that sign-in.
type SignedIn struct {
	Person
	ACR string
}

// SavedAnswers are one person's saved support-finder answers.
type SavedAnswers struct {
	Answers     string // JSON, as the finder encodes them
	ConsentedAt time.Time
}

// Errors. ErrNotFound is the catalogue's, so the portal's one mapping of
// errors to HTTP statuses covers it.
var (
	ErrNotFound = catalogue.ErrNotFound
	ErrReplayed = errors.New("accounts: logout token replayed (its jti was already used)")
)
