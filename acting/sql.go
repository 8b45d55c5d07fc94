package acting

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base32"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
	"time"

	"sportello/applications"
	"sportello/notify"
	"sportello/store"
)

// SQL is the Store in the Sportello database (store/migrations/01010_acting.sql).
type SQL struct {
	db    *store.DB
	blobs applications.Blobs
	now   func() time.Time
}

var _ Store = (*SQL)(nil)

// New returns the store over db; documents of powers of attorney are kept
// in blobs (nil: the database's, like application files); now is the clock
// (nil: time.Now).
func New(db *store.DB, blobs applications.Blobs, now func() time.Time) *SQL {
	if blobs == nil {
		blobs = applications.NewDatabaseBlobs(db)
	}
	if now == nil {
		now = time.Now
	}
	return &SQL{db: db, blobs: blobs, now: now}
}

func (s *SQL) q(query string) string { return s.db.Rebind(query) }

func (s *SQL) clock() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

const orgColumns = `o.id, o.name, o.tax_id, o.confirmed_by, o.created_by, o.created_at`

func scanOrg(sc store.Scanner, extra ...any) (Organisation, error) {
	var o Organisation
	err := sc.Scan(append([]any{&o.ID, &o.Name, &o.TaxID, &o.ConfirmedBy, &o.CreatedBy, &o.CreatedAt}, extra...)...)
	o.CreatedAt = o.CreatedAt.UTC()
	return o, err
}

func (s *SQL) Register(ctx context.Context, o Organisation, owner int64) (Organisation, error) {
	o.Name, o.TaxID = strings.TrimSpace(o.Name), NormaliseTaxID(o.TaxID)
	if o.Name == "" || o.TaxID == "" || owner == 0 {
		return Organisation{}, fmt.Errorf("%w: an organisation needs a name, a tax ID and an owner", ErrInvalid)
	}
	id := store.NewID()
	now := s.clock()
	o.ID, o.CreatedBy, o.CreatedAt = id, owner, now
	var confirmedAt any
	if o.ConfirmedBy != "" {
		confirmedAt = now
	}
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		// ON CONFLICT DO NOTHING: a tax ID already taken inserts nothing,
		// without aborting the transaction as a violation would on PostgreSQL.
		res, err := tx.ExecContext(ctx, s.q(`INSERT INTO organisations (id, name, tax_id, confirmed_by, confirmed_at, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`), o.ID, o.Name, o.TaxID, o.ConfirmedBy, confirmedAt, owner, now)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrConflict
		}
		_, err = tx.ExecContext(ctx, s.q(`INSERT INTO organisation_members (organisation_id, person_id, role, joined_at) VALUES (?, ?, ?, ?)`),
			o.ID, owner, RoleOwner, now)
		return err
	})
	if err != nil {
		return Organisation{}, s.db.MapError(err)
	}
	return o, nil
}

func (s *SQL) Organisation(ctx context.Context, id int64) (Organisation, error) {
	o, err := scanOrg(s.db.SQL().QueryRowContext(ctx, s.q(`SELECT `+orgColumns+` FROM organisations o WHERE o.id = ?`), id))
	if err != nil {
		return Organisation{}, s.db.MapError(err)
	}
	return o, nil
}

func (s *SQL) Memberships(ctx context.Context, personID int64) ([]Membership, error) {
	return store.Query(ctx, s.db.SQL(), s.q(`SELECT `+orgColumns+`, m.role FROM organisations o
		JOIN organisation_members m ON m.organisation_id = o.id WHERE m.person_id = ? ORDER BY o.name, o.id`),
		func(sc store.Scanner) (Membership, error) {
			var m Membership
			var err error
			m.Organisation, err = scanOrg(sc, &m.Role)
			return m, err
		}, personID)
}

func (s *SQL) Members(ctx context.Context, orgID int64) ([]Member, error) {
	return store.Query(ctx, s.db.SQL(), s.q(`SELECT m.person_id, COALESCE(p.name, ''), COALESCE(p.email, ''), m.role, m.joined_at
		FROM organisation_members m LEFT JOIN people p ON p.id = m.person_id
		WHERE m.organisation_id = ? ORDER BY CASE m.role WHEN 'owner' THEN 0 ELSE 1 END, m.joined_at, m.person_id`),
		func(sc store.Scanner) (Member, error) {
			var m Member
			err := sc.Scan(&m.PersonID, &m.Name, &m.Email, &m.Role, &m.JoinedAt)
			m.JoinedAt = m.JoinedAt.UTC()
			return m, err
		}, orgID)
}

func (s *SQL) Role(ctx context.Context, orgID, personID int64) (string, error) {
	var role string
	err := s.db.SQL().QueryRowContext(ctx, s.q(`SELECT role FROM organisation_members WHERE organisation_id = ? AND person_id = ?`),
		orgID, personID).Scan(&role)
	if err != nil {
		return "", s.db.MapError(err)
	}
	return role, nil
}

func (s *SQL) Unconfirmed(ctx context.Context) ([]Organisation, error) {
	return store.Query(ctx, s.db.SQL(), s.q(`SELECT `+orgColumns+` FROM organisations o WHERE o.confirmed_by = '' ORDER BY o.created_at, o.id`),
		func(sc store.Scanner) (Organisation, error) { return scanOrg(sc) })
}

func (s *SQL) Confirm(ctx context.Context, orgID, staffID int64) error {
	res, err := s.db.SQL().ExecContext(ctx, s.q(`UPDATE organisations SET confirmed_by = ?, confirmed_by_person = ?, confirmed_at = ?
		WHERE id = ? AND confirmed_by = ''`), ConfirmedByStaff, staffID, s.clock(), orgID)
	if err != nil {
		return s.db.MapError(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

func (s *SQL) Invite(ctx context.Context, in Invite) (string, error) {
	addr, err := notify.ParseAddress(in.Email)
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	if in.Role != RoleOwner && in.Role != RoleMember {
		return "", fmt.Errorf("%w: role %q", ErrInvalid, in.Role)
	}
	org, err := s.Organisation(ctx, in.OrganisationID)
	if err != nil {
		return "", err
	}
	token, hash, err := newToken()
	if err != nil {
		return "", err
	}
	now := s.clock()
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO organisation_invitations
			(token_hash, organisation_id, email, role, invited_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)`),
			hash, org.ID, addr, in.Role, in.By, now, now.Add(InvitationTTL)); err != nil {
			return err
		}
		return notify.Add(ctx, s.db, tx, now, notify.Event{
			Kind: notify.OrganisationInvite, Key: "organisation_invite:" + hash, Address: addr, Lang: in.Lang,
			Data: map[string]string{"token": token, "organisation": org.Name, "role": in.Role},
		})
	})
	if err != nil {
		return "", s.db.MapError(err)
	}
	return token, nil
}

func (s *SQL) Invitations(ctx context.Context, orgID int64) ([]Invitation, error) {
	return store.Query(ctx, s.db.SQL(), s.q(`SELECT i.organisation_id, o.name, i.email, i.role, i.expires_at
		FROM organisation_invitations i JOIN organisations o ON o.id = i.organisation_id
		WHERE i.organisation_id = ? AND i.accepted_at IS NULL AND i.expires_at > ? ORDER BY i.created_at`),
		scanInvitation, orgID, s.clock())
}

func scanInvitation(sc store.Scanner) (Invitation, error) {
	var i Invitation
	err := sc.Scan(&i.OrganisationID, &i.OrganisationName, &i.Email, &i.Role, &i.Expires)
	i.Expires = i.Expires.UTC()
	return i, err
}

func (s *SQL) Invitation(ctx context.Context, token string) (Invitation, error) {
	i, err := scanInvitation(s.db.SQL().QueryRowContext(ctx, s.q(`SELECT i.organisation_id, o.name, i.email, i.role, i.expires_at
		FROM organisation_invitations i JOIN organisations o ON o.id = i.organisation_id
		WHERE i.token_hash = ? AND i.accepted_at IS NULL AND i.expires_at > ?`), tokenHash(token), s.clock()))
	if err != nil {
		return Invitation{}, s.db.MapError(err)
	}
	return i, nil
}

func (s *SQL) Join(ctx context.Context, token string, personID int64) (Organisation, error) {
	var org Organisation
	now := s.clock()
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		var orgID int64
		var role string
		// Used once: the update is the check.
		err := tx.QueryRowContext(ctx, s.q(`UPDATE organisation_invitations SET accepted_by = ?, accepted_at = ?
			WHERE token_hash = ? AND accepted_at IS NULL AND expires_at > ? RETURNING organisation_id, role`),
			personID, now, tokenHash(token), now).Scan(&orgID, &role)
		if err != nil {
			return err
		}
		// Someone already a member keeps the role they have.
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO organisation_members (organisation_id, person_id, role, joined_at)
			VALUES (?, ?, ?, ?) ON CONFLICT (organisation_id, person_id) DO NOTHING`), orgID, personID, role, now); err != nil {
			return err
		}
		org, err = scanOrg(tx.QueryRowContext(ctx, s.q(`SELECT `+orgColumns+` FROM organisations o WHERE o.id = ?`), orgID))
		return err
	})
	if err != nil {
		return Organisation{}, s.db.MapError(err)
	}
	return org, nil
}

func (s *SQL) SavePlan(ctx context.Context, orgID int64, p Plan) error {
	id := store.NewID()
	_, err := s.db.SQL().ExecContext(ctx, s.q(`INSERT INTO organisation_plans (id, organisation_id, business_type, query, saved_by, saved_at)
		VALUES (?, ?, ?, ?, ?, ?)`), id, orgID, p.BusinessType, p.Query, p.SavedBy, s.clock())
	return s.db.MapError(err)
}

func (s *SQL) Plans(ctx context.Context, orgID int64) ([]Plan, error) {
	return store.Query(ctx, s.db.SQL(), s.q(`SELECT id, business_type, query, saved_by, saved_at FROM organisation_plans
		WHERE organisation_id = ? ORDER BY saved_at DESC, id`),
		func(sc store.Scanner) (Plan, error) {
			var p Plan
			err := sc.Scan(&p.ID, &p.BusinessType, &p.Query, &p.SavedBy, &p.SavedAt)
			p.SavedAt = p.SavedAt.UTC()
			return p, err
		}, orgID)
}

// Representations.

const repColumns = `id, principal, principal_name, representative, representative_name, representative_email,
	services, valid_until, source, document_blob, created_at, accepted_at, ended_at`

func scanRep(sc store.Scanner) (Representation, error) {
	var r Representation
	var rep sql.NullInt64
	var services string
	var blob sql.NullString
	var accepted, ended sql.NullTime
	err := sc.Scan(&r.ID, &r.Principal, &r.PrincipalName, &rep, &r.RepresentativeName, &r.RepresentativeEmail,
		&services, &r.Until, &r.Source, &blob, &r.CreatedAt, &accepted, &ended)
	r.Representative, r.Services, r.HasDocument = rep.Int64, strings.Fields(services), blob.Valid
	r.CreatedAt, r.AcceptedAt, r.EndedAt = r.CreatedAt.UTC(), utc(accepted), utc(ended)
	return r, err
}

func utc(t sql.NullTime) time.Time {
	if !t.Valid {
		return time.Time{}
	}
	return t.Time.UTC()
}

func validUntil(day string) error {
	if _, err := time.Parse(time.DateOnly, day); err != nil {
		return fmt.Errorf("%w: the end date %q is not YYYY-MM-DD", ErrInvalid, day)
	}
	return nil
}

func (s *SQL) Grant(ctx context.Context, g Grant) (Representation, string, error) {
	addr, err := notify.ParseAddress(g.RepresentativeEmail)
	if err != nil {
		return Representation{}, "", fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	if err := validUntil(g.Until); err != nil {
		return Representation{}, "", err
	}
	id := store.NewID()
	token, hash, err := newToken()
	if err != nil {
		return Representation{}, "", err
	}
	now := s.clock()
	r := Representation{
		ID: id, Principal: g.Principal, PrincipalName: g.PrincipalName, RepresentativeName: strings.TrimSpace(g.RepresentativeName),
		RepresentativeEmail: addr, Services: g.Services, Until: g.Until, Source: SourceOnline, CreatedAt: now,
	}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO representations (id, principal, principal_name, representative_name,
			representative_email, services, valid_until, source, token_hash, token_expires_at, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
			r.ID, r.Principal, r.PrincipalName, r.RepresentativeName, r.RepresentativeEmail, strings.Join(r.Services, " "),
			r.Until, r.Source, hash, now.Add(InvitationTTL), now); err != nil {
			return err
		}
		return notify.Add(ctx, s.db, tx, now, notify.Event{
			Kind: notify.RepresentationInvite, Key: "representation_invite:" + hash, Address: addr, Lang: g.Lang,
			Data: map[string]string{"token": token, "principal": g.PrincipalName, "until": g.Until},
		})
	})
	if err != nil {
		return Representation{}, "", s.db.MapError(err)
	}
	return r, token, nil
}

func (s *SQL) Offer(ctx context.Context, token string) (Representation, error) {
	r, err := scanRep(s.db.SQL().QueryRowContext(ctx, s.q(`SELECT `+repColumns+` FROM representations
		WHERE token_hash = ? AND representative IS NULL AND ended_at IS NULL AND token_expires_at > ?`), tokenHash(token), s.clock()))
	if err != nil {
		return Representation{}, s.db.MapError(err)
	}
	return r, nil
}

func (s *SQL) Accept(ctx context.Context, token string, personID int64, name string) (Representation, error) {
	var r Representation
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		r, err = scanRep(tx.QueryRowContext(ctx, s.q(`SELECT `+repColumns+` FROM representations
			WHERE token_hash = ? AND representative IS NULL AND ended_at IS NULL AND token_expires_at > ?`+s.db.ForUpdate()),
			tokenHash(token), s.clock()))
		if err != nil {
			return err
		}
		if r.Principal == personID {
			return fmt.Errorf("%w: a person cannot act for themselves", ErrInvalid)
		}
		now := s.clock()
		if _, err := tx.ExecContext(ctx, s.q(`UPDATE representations SET representative = ?, representative_name = ?, accepted_at = ?,
			token_hash = NULL WHERE id = ?`), personID, name, now, r.ID); err != nil {
			return err
		}
		r.Representative, r.RepresentativeName, r.AcceptedAt = personID, name, now
		return nil
	})
	if err != nil {
		return Representation{}, s.db.MapError(err)
	}
	return r, nil
}

func (s *SQL) RecordPaper(ctx context.Context, p Paper) (Representation, error) {
	switch {
	case p.Principal.ID == 0 || p.Representative.ID == 0:
		return Representation{}, fmt.Errorf("%w: both people must be known", ErrInvalid)
	case p.Principal.ID == p.Representative.ID:
		return Representation{}, fmt.Errorf("%w: a person cannot act for themselves", ErrInvalid)
	case p.Document == nil || p.DocumentName == "":
		return Representation{}, fmt.Errorf("%w: a power of attorney needs its document", ErrInvalid)
	}
	if err := validUntil(p.Until); err != nil {
		return Representation{}, err
	}
	id := store.NewID()
	blob, err := blobName()
	if err != nil {
		return Representation{}, err
	}
	now := s.clock()
	r := Representation{
		ID: id, Principal: p.Principal.ID, PrincipalName: p.Principal.Name, Representative: p.Representative.ID,
		RepresentativeName: p.Representative.Name, RepresentativeEmail: p.Representative.Email, Services: p.Services,
		Until: p.Until, Source: SourcePaper, HasDocument: true, CreatedAt: now, AcceptedAt: now,
	}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		if _, _, err := s.blobs.Put(ctx, tx, blob, p.Document); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, s.q(`INSERT INTO representations (id, principal, principal_name, representative, representative_name,
			representative_email, services, valid_until, source, document_blob, document_name, document_type, recorded_by, created_at, accepted_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
			r.ID, r.Principal, r.PrincipalName, r.Representative, r.RepresentativeName, r.RepresentativeEmail,
			strings.Join(r.Services, " "), r.Until, r.Source, blob, p.DocumentName, p.DocumentType, p.StaffID, now, now)
		return err
	})
	if err != nil {
		return Representation{}, s.db.MapError(err)
	}
	return r, nil
}

func (s *SQL) Representation(ctx context.Context, id int64) (Representation, error) {
	r, err := scanRep(s.db.SQL().QueryRowContext(ctx, s.q(`SELECT `+repColumns+` FROM representations WHERE id = ?`), id))
	if err != nil {
		return Representation{}, s.db.MapError(err)
	}
	return r, nil
}

func (s *SQL) For(ctx context.Context, personID int64) ([]Representation, error) {
	return store.Query(ctx, s.db.SQL(), s.q(`SELECT `+repColumns+` FROM representations
		WHERE representative = ? AND ended_at IS NULL ORDER BY created_at DESC, id`), scanRep, personID)
}

func (s *SQL) Of(ctx context.Context, principal int64) ([]Representation, error) {
	return store.Query(ctx, s.db.SQL(), s.q(`SELECT `+repColumns+` FROM representations
		WHERE principal = ? AND ended_at IS NULL ORDER BY created_at DESC, id`), scanRep, principal)
}

func (s *SQL) Papers(ctx context.Context) ([]Representation, error) {
	return store.Query(ctx, s.db.SQL(), s.q(`SELECT `+repColumns+` FROM representations
		WHERE source = 'paper' AND ended_at IS NULL ORDER BY created_at DESC, id`), scanRep)
}

func (s *SQL) End(ctx context.Context, id, by int64, staff bool) error {
	query := `UPDATE representations SET ended_at = ?, ended_by = ?, token_hash = NULL WHERE id = ? AND ended_at IS NULL`
	args := []any{s.clock(), by, id}
	if !staff {
		query += ` AND (principal = ? OR representative = ?)`
		args = append(args, by, by)
	}
	res, err := s.db.SQL().ExecContext(ctx, s.q(query), args...)
	if err != nil {
		return s.db.MapError(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

func (s *SQL) Document(ctx context.Context, id int64) (Document, io.ReadCloser, error) {
	var d Document
	var blob sql.NullString
	err := s.db.SQL().QueryRowContext(ctx, s.q(`SELECT r.document_blob, r.document_name, r.document_type, COALESCE(b.size, 0)
		FROM representations r LEFT JOIN blobs b ON b.id = r.document_blob WHERE r.id = ?`), id).Scan(&blob, &d.Name, &d.ContentType, &d.Size)
	if err != nil {
		return Document{}, nil, s.db.MapError(err)
	}
	if !blob.Valid {
		return Document{}, nil, ErrNotFound
	}
	rc, err := s.blobs.Open(ctx, blob.String)
	return d, rc, err
}

func (s *SQL) Current(ctx context.Context, representative, principal int64, today string) ([]Representation, error) {
	return store.Query(ctx, s.db.SQL(), s.q(`SELECT `+repColumns+` FROM representations
		WHERE representative = ? AND principal = ? AND ended_at IS NULL AND valid_until >= ? ORDER BY created_at DESC, id`),
		scanRep, representative, principal, today)
}

func (s *SQL) ErasePerson(ctx context.Context, tx *sql.Tx, personID int64) error {
	if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM organisation_members WHERE person_id = ?`), personID); err != nil {
		return fmt.Errorf("acting: erasing memberships: %w", s.db.MapError(err))
	}
	_, err := tx.ExecContext(ctx, s.q(`UPDATE representations SET
		ended_at = COALESCE(ended_at, ?), ended_by = COALESCE(ended_by, ?), token_hash = NULL,
		principal_name = CASE WHEN principal = ? THEN '' ELSE principal_name END,
		representative_name = CASE WHEN representative = ? THEN '' ELSE representative_name END,
		representative_email = CASE WHEN representative = ? THEN '' ELSE representative_email END
		WHERE principal = ? OR representative = ?`), s.clock(), personID, personID, personID, personID, personID, personID)
	if err != nil {
		return fmt.Errorf("acting: erasing representations: %w", s.db.MapError(err))
	}
	return nil
}

// PersonByEmail reads the accounts area's people table: a power of
// attorney names two people the council can identify by their verified
// address.
func (s *SQL) PersonByEmail(ctx context.Context, email string) (Person, error) {
	people, err := store.Query(ctx, s.db.SQL(), s.q(`SELECT id, name, email FROM people
		WHERE LOWER(email) = LOWER(?) AND email_verified ORDER BY id LIMIT 2`),
		func(sc store.Scanner) (Person, error) {
			var p Person
			return p, sc.Scan(&p.ID, &p.Name, &p.Email)
		}, strings.TrimSpace(email))
	if err != nil {
		return Person{}, err
	}
	if len(people) != 1 {
		return Person{}, ErrNotFound
	}
	return people[0], nil
}

// newToken returns a link's secret and the hash kept of it.
func newToken() (token, hash string, err error) {
	var raw [32]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return "", "", err
	}
	token = base64.RawURLEncoding.EncodeToString(raw[:])
	return token, tokenHash(token), nil
}

func tokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// blobName is a new blob id, in the form application files' take.
func blobName() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b[:])), nil
}
