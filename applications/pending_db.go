package applications

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"sportello/applications/forms"
	"sportello/store"
)

// pendingDB keeps forms in progress in the database (ADR 0006): a row of
// pending_forms per form, found by the hash of its token, and a row of
// pending_files per kept upload, whose content is in Blobs under the row's
// id. A form's row, its files' rows and their content are written in one
// transaction (Save).
type pendingDB struct {
	s *Store

	keyMu sync.Mutex
	key   []byte // see tokenKey

	lastSweep atomic.Int64 // Unix nanoseconds of the last sweep Save started
}

// pendingSweepEvery bounds how often Save sweeps expired forms, in each
// process.
const pendingSweepEvery = 10 * time.Minute

// pendingRecord is pending_forms.record: what was typed, and the outcome.
type pendingRecord struct {
	Values      forms.Values `json:"values"`
	Contact     Contact      `json:"contact"`
	For         string       `json:"for,omitempty"`
	Reference   string       `json:"reference,omitempty"`
	DueDate     string       `json:"due_date,omitempty"`
	SubmittedAt time.Time    `json:"submitted_at,omitzero"`
}

const (
	qPendingForm = `SELECT slug, person_id, binding, record, updated_at FROM pending_forms WHERE token_hash = ?`
	// A token's form keeps its owner and service: they are only written
	// when the row is made.
	qUpsertPendingForm = `INSERT INTO pending_forms (token_hash, slug, person_id, binding, record, updated_at)
	VALUES (?, ?, ?, ?, ?, ?)
	ON CONFLICT (token_hash) DO UPDATE SET record = excluded.record, updated_at = excluded.updated_at`
	qPendingFiles = `SELECT id, field, filename, size FROM pending_files WHERE token_hash = ?
	ORDER BY created_at, position, id`
	qInsertPendingFile = `INSERT INTO pending_files (id, token_hash, field, filename, size, position, owner, client, created_at)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`
	qDeletePendingFiles = `DELETE FROM pending_files WHERE token_hash = ? AND id IN `
	// What an owner, or a client address, keeps in forms that have not
	// expired.
	qPendingBytesOfOwner = `SELECT COALESCE(SUM(f.size), 0) FROM pending_files f
	JOIN pending_forms p ON p.token_hash = f.token_hash WHERE f.owner = ? AND p.updated_at > ?`
	qPendingBytesOfClient = `SELECT COALESCE(SUM(f.size), 0) FROM pending_files f
	JOIN pending_forms p ON p.token_hash = f.token_hash WHERE f.client = ? AND p.updated_at > ?`
)

func (p *pendingDB) Issue(ctx context.Context, o PendingOwner) (string, error) {
	key, err := p.tokenKey(ctx)
	if err != nil {
		return "", err
	}
	return issueToken(key, o)
}

func (p *pendingDB) Start(ctx context.Context, token string, o PendingOwner, slug string) (*PendingForm, error) {
	if o.PersonID == 0 && o.Binding == "" {
		return nil, ErrTokenNotIssued
	}
	key, err := p.tokenKey(ctx)
	if err != nil {
		return nil, err
	}
	if !tokenIssued(key, token, o) {
		return nil, ErrTokenNotIssued
	}
	return &PendingForm{Token: token, Slug: slug, PersonID: o.PersonID, Binding: o.Binding, Values: forms.Values{}, client: o.quotaClient()}, nil
}

func (p *pendingDB) Load(ctx context.Context, token string, o PendingOwner, slug string) (*PendingForm, error) {
	if !ValidToken(token) {
		return nil, ErrNoPending
	}
	db := p.s.db
	key := pendingKey(token)
	f := &PendingForm{Token: token, client: o.quotaClient()}
	var person sql.NullInt64
	var record string
	err := db.SQL().QueryRowContext(ctx, db.Rebind(qPendingForm), key).Scan(&f.Slug, &person, &f.Binding, &record, &f.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNoPending
	}
	if err != nil {
		return nil, fmt.Errorf("applications: reading a form in progress: %w", db.MapError(err))
	}
	f.PersonID = person.Int64
	if err := usable(f, o, slug, p.s.now()); err != nil {
		return nil, err
	}
	var r pendingRecord
	if err := json.Unmarshal([]byte(record), &r); err != nil {
		return nil, fmt.Errorf("applications: form in progress %s is damaged: %w", key, err)
	}
	f.Values, f.Contact, f.For, f.Reference, f.DueDate, f.SubmittedAt = r.Values, r.Contact, r.For, r.Reference, r.DueDate, r.SubmittedAt
	if f.Values == nil {
		f.Values = forms.Values{}
	}
	f.Files, err = store.Query(ctx, db.SQL(), db.Rebind(qPendingFiles), func(sc store.Scanner) (PendingFile, error) {
		var k PendingFile
		err := sc.Scan(&k.Storage, &k.Field, &k.Filename, &k.Size)
		return k, err
	}, key)
	if err != nil {
		return nil, fmt.Errorf("applications: reading the files of a form in progress: %w", db.MapError(err))
	}
	return f, nil
}

// Keep checks the quota before the upload is read, counting what f has
// kept and dropped since it was loaded (the dropped files as if they were
// the address's too); Save checks it again, exactly, in its transaction.
func (p *pendingDB) Keep(ctx context.Context, f *PendingForm, field string, in forms.FileInput) error {
	adding := in.Size
	for _, k := range f.Files {
		if _, ok := f.staged[k.Storage]; ok {
			adding += k.Size
		}
	}
	for _, k := range f.dropped {
		adding -= k.Size
	}
	if err := p.overQuota(ctx, p.s.db.SQL(), f, adding); err != nil {
		return err
	}
	storage, err := randomName()
	if err != nil {
		return err
	}
	if f.staged == nil {
		f.staged = map[string]forms.FileInput{}
	}
	f.staged[storage] = in
	f.Files = append(f.Files, PendingFile{Field: field, Filename: in.Filename, Size: in.Size, Storage: storage})
	return nil
}

func (p *pendingDB) Drop(_ context.Context, f *PendingForm, field string) error {
	kept := f.Files[:0]
	for _, k := range f.Files {
		_, staged := f.staged[k.Storage]
		switch {
		case k.Field != field:
			kept = append(kept, k)
		case staged:
			delete(f.staged, k.Storage)
		default:
			f.dropped = append(f.dropped, k)
		}
	}
	f.Files = kept
	return nil
}

func (p *pendingDB) Files(ctx context.Context, f *PendingForm) forms.Files {
	files := forms.Files{}
	for _, k := range f.Files {
		in, ok := f.staged[k.Storage]
		if !ok {
			storage := k.Storage
			in = forms.FileInput{Filename: k.Filename, Size: k.Size, Open: func() (io.ReadCloser, error) {
				return p.s.blobs.Open(ctx, storage)
			}}
		}
		files[k.Field] = append(files[k.Field], in)
	}
	return files
}

func (p *pendingDB) Save(ctx context.Context, f *PendingForm) error {
	s := p.s
	now := s.clock(time.Time{})
	record, err := json.Marshal(pendingRecord{Values: f.Values, Contact: f.Contact, For: f.For, Reference: f.Reference, DueDate: f.DueDate, SubmittedAt: f.SubmittedAt})
	if err != nil {
		return err
	}
	key := pendingKey(f.Token)
	owner := PendingOwner{PersonID: f.PersonID, Binding: f.Binding}.quotaOwner()
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.q(qUpsertPendingForm), key, f.Slug, store.NullID(f.PersonID), f.Binding, string(record), now); err != nil {
			return s.db.MapError(err)
		}
		if err := p.deleteFiles(ctx, tx, key, f.dropped); err != nil {
			return err
		}
		position := 0
		for _, k := range f.Files {
			in, ok := f.staged[k.Storage]
			if !ok {
				continue
			}
			if err := p.putFile(ctx, tx, k, in); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, s.q(qInsertPendingFile), k.Storage, key, k.Field, k.Filename, k.Size, position, owner, f.client, now); err != nil {
				return s.db.MapError(err)
			}
			position++
		}
		if position == 0 {
			return nil
		}
		// Keep checked before the uploads were read; this is the check that
		// holds, against what other requests have saved meanwhile.
		return p.overQuota(ctx, tx, f, 0)
	})
	if err != nil {
		return err
	}
	f.UpdatedAt, f.staged, f.dropped = now, nil, nil
	p.sweepNow(ctx)
	return nil
}

// putFile writes a kept upload's content, which must be the size that was
// checked.
func (p *pendingDB) putFile(ctx context.Context, tx *sql.Tx, k PendingFile, in forms.FileInput) error {
	rc, err := in.Open()
	if err != nil {
		return fmt.Errorf("applications: keeping the upload %q: %w", in.Filename, err)
	}
	defer rc.Close()
	n, _, err := p.s.blobs.Put(ctx, tx, k.Storage, io.LimitReader(rc, in.Size+1))
	if err == nil && n != in.Size {
		err = fmt.Errorf("the upload has %d bytes, not the %d announced", n, in.Size)
	}
	if err != nil {
		return fmt.Errorf("applications: keeping the upload %q: %w", in.Filename, err)
	}
	return nil
}

// deleteFiles deletes files of the form key, rows and content.
func (p *pendingDB) deleteFiles(ctx context.Context, tx *sql.Tx, key string, files []PendingFile) error {
	if len(files) == 0 {
		return nil
	}
	args := []any{key}
	storages := make([]string, len(files))
	for i, k := range files {
		args = append(args, k.Storage)
		storages[i] = k.Storage
	}
	if _, err := tx.ExecContext(ctx, p.s.q(qDeletePendingFiles+placeholders(len(storages))), args...); err != nil {
		return p.s.db.MapError(err)
	}
	return p.s.blobs.Delete(ctx, tx, storages)
}

// overQuota fails with ErrPendingQuota when f's owner or client address
// keeps more than the quota in forms that have not expired, once adding
// more bytes.
func (p *pendingDB) overQuota(ctx context.Context, q store.Querier, f *PendingForm, adding int64) error {
	since := p.s.clock(time.Time{}).Add(-PendingTTL)
	owner := PendingOwner{PersonID: f.PersonID, Binding: f.Binding}.quotaOwner()
	for _, c := range []struct{ what, query, by string }{
		{"the person or session", qPendingBytesOfOwner, owner},
		{"the address " + f.client, qPendingBytesOfClient, f.client},
	} {
		var used int64
		if err := q.QueryRowContext(ctx, p.s.q(c.query), c.by, since).Scan(&used); err != nil {
			return fmt.Errorf("applications: counting the files kept in forms in progress: %w", p.s.db.MapError(err))
		}
		if used+adding > p.s.pendingQuota {
			return fmt.Errorf("%w: %s keeps %d bytes, and %d more would exceed %d", ErrPendingQuota, c.what, used, adding, p.s.pendingQuota)
		}
	}
	return nil
}
