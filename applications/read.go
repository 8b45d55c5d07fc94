package applications

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"sportello/store"
)

// querier is a *sql.DB or a *sql.Tx.
type querier = store.Querier

// ForApplicant returns a person's own application with its history and
// files, or ErrNotFound, also when the reference is another person's.
func (s *Store) ForApplicant(ctx context.Context, personID int64, ref Reference) (*Application, error) {
	if personID == 0 {
		return nil, ErrNotFound
	}
	return s.load(ctx, s.db.SQL(), qApplicationForApplicant, string(ref), personID)
}

// ByReference returns any application with its history and files, or
// ErrNotFound, without asking who looks: the caller decides whether the
// person may see it (portal/access does, for every page).
func (s *Store) ByReference(ctx context.Context, ref Reference) (*Application, error) {
	return s.load(ctx, s.db.SQL(), qApplicationByRef, string(ref))
}

// FileByID returns any file's record, or ErrNotFound, without asking who
// looks: the caller decides, by its application, whether they may.
func (s *Store) FileByID(ctx context.Context, fileID string) (*File, error) {
	f, err := scanFile(s.db.SQL().QueryRowContext(ctx, s.q(qFileByID), fileID))
	if err != nil {
		return nil, s.db.MapError(err)
	}
	return f, nil
}

// ApplicationByID is ByReference by the application's id.
func (s *Store) ApplicationByID(ctx context.Context, id int64) (*Application, error) {
	return s.load(ctx, s.db.SQL(), qApplicationByID, id)
}

// ListForOrganisation returns the applications made for an organisation,
// newest first.
func (s *Store) ListForOrganisation(ctx context.Context, orgID int64) ([]Summary, error) {
	rows, err := s.db.SQL().QueryContext(ctx, s.q(qListForOrganisation), orgID)
	if err != nil {
		return nil, s.db.MapError(err)
	}
	return s.scanSummaries(ctx, rows)
}

// ListForApplicant returns a person's applications, newest first.
func (s *Store) ListForApplicant(ctx context.Context, personID int64) ([]Summary, error) {
	rows, err := s.db.SQL().QueryContext(ctx, s.q(qListForApplicant), personID)
	if err != nil {
		return nil, s.db.MapError(err)
	}
	return s.scanSummaries(ctx, rows)
}

// File returns the record of a file of one of the person's applications, or
// ErrNotFound, also when the file is another person's.
func (s *Store) File(ctx context.Context, personID int64, fileID string) (*File, error) {
	if personID == 0 {
		return nil, ErrNotFound
	}
	f, err := scanFile(s.db.SQL().QueryRowContext(ctx, s.q(qFileForApplicant), fileID, personID))
	if err != nil {
		return nil, s.db.MapError(err)
	}
	return f, nil
}

// Open opens a file's content. The caller closes it, and serves it with the
// recorded content type as an attachment. The content may be read after ctx
// ends (a streamed download).
func (s *Store) Open(ctx context.Context, f *File) (io.ReadCloser, error) {
	if f.storageName == "" {
		return nil, fmt.Errorf("applications: file %s has no stored content; get it from File or StaffFile", f.ID)
	}
	rc, err := s.blobs.Open(ctx, f.storageName)
	if !errors.Is(err, ErrNotFound) {
		return rc, err
	}
	// Not imported from an older version's uploads directory yet; it may
	// be imported between the two looks.
	if old, oerr := s.disk.openOld(f.storageName); oerr == nil {
		return old, nil
	}
	return s.blobs.Open(ctx, f.storageName)
}

func validStorageName(n string) bool {
	if len(n) != 26 {
		return false
	}
	return strings.Trim(n, "abcdefghijklmnopqrstuvwxyz234567") == ""
}

// ForStaff returns any application for a member of staff, and records in
// the audit log that they saw it, in the same transaction.
func (s *Store) ForStaff(ctx context.Context, staff Actor, ref Reference) (*Application, error) {
	var app *Application
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		if app, err = s.load(ctx, tx, qApplicationByRef, string(ref)); err != nil {
			return err
		}
		return s.audit(ctx, tx, s.clock(time.Time{}), staff, AuditView, app.ID, "")
	})
	return app, err
}

// StaffFile returns any file's record for a member of staff, recording in
// the audit log that they opened it.
func (s *Store) StaffFile(ctx context.Context, staff Actor, fileID string) (*File, error) {
	var f *File
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		if f, err = scanFile(tx.QueryRowContext(ctx, s.q(qFileByID), fileID)); err != nil {
			return s.db.MapError(err)
		}
		return s.audit(ctx, tx, s.clock(time.Time{}), staff, AuditViewFile, f.ApplicationID, f.ID+" "+f.Filename)
	})
	return f, err
}

// Filter selects the staff queue.
type Filter struct {
	Service  string   // one service's slug
	Services []string // or any of these: a department's services (non-nil and empty matches nothing)
	Status   Status   // "" for any
	Statuses []Status // or any of these; nil for any
	Overdue  bool     // only those past their due date while the council owes the next step
	Page     int      // from 1
	PageSize int      // default 50, at most 500
}

// QueuePage is one page of the queue.
type QueuePage struct {
	Items    []Summary
	Total    int
	Page     int
	PageSize int
}

// Pages returns the number of pages.
func (p *QueuePage) Pages() int { return (p.Total + p.PageSize - 1) / p.PageSize }

// Queue returns the applications a member of staff works through: due
// soonest first, those waiting for their applicant's answer after those
// whose days count, then undated, then in order of arrival.
func (s *Store) Queue(ctx context.Context, f Filter) (*QueuePage, error) {
	if f.Page < 1 {
		f.Page = 1
	}
	if f.PageSize <= 0 {
		f.PageSize = 50
	}
	f.PageSize = min(f.PageSize, 500)
	var where []string
	var args []any
	if f.Service != "" {
		where, args = append(where, whereService), append(args, f.Service)
	}
	if f.Services != nil {
		if len(f.Services) == 0 {
			// A department without services has nothing in its queue.
			return &QueuePage{Page: f.Page, PageSize: f.PageSize}, nil
		}
		where = append(where, "service_slug IN "+placeholders(len(f.Services)))
		for _, slug := range f.Services {
			args = append(args, slug)
		}
	}
	if f.Status != "" {
		where, args = append(where, whereStatus), append(args, string(f.Status))
	}
	if len(f.Statuses) > 0 {
		where = append(where, "status IN "+placeholders(len(f.Statuses)))
		for _, st := range f.Statuses {
			args = append(args, string(st))
		}
	}
	if f.Overdue {
		where, args = append(where, whereOverdue+placeholders(len(councilsTurn))), append(args, s.today())
		for _, st := range councilsTurn {
			args = append(args, string(st))
		}
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	page := &QueuePage{Page: f.Page, PageSize: f.PageSize}
	if err := s.db.SQL().QueryRowContext(ctx, s.q(qQueueCount+cond), args...).Scan(&page.Total); err != nil {
		return nil, s.db.MapError(err)
	}
	rows, err := s.db.SQL().QueryContext(ctx, s.q(qQueueSelect+cond+qQueueOrder), append(args, f.PageSize, (f.Page-1)*f.PageSize)...)
	if err != nil {
		return nil, s.db.MapError(err)
	}
	if page.Items, err = s.scanSummaries(ctx, rows); err != nil {
		return nil, err
	}
	return page, nil
}

func placeholders(n int) string {
	return "(" + strings.TrimSuffix(strings.Repeat("?, ", n), ", ") + ")"
}

// load reads one application, its events and its files.
func (s *Store) load(ctx context.Context, q querier, query string, args ...any) (*Application, error) {
	var a Application
	var ref, answers, status string
	var person, feeAmount, org, by sql.NullInt64
	var feeCurrency, feeWhen, due sql.NullString
	var submitted sql.NullTime
	err := q.QueryRowContext(ctx, s.q(query), args...).Scan(&a.ID, &ref, &a.ServiceSlug, &a.CatalogueVersion, &person,
		&a.Contact.Name, &a.Contact.Email, &answers, &feeAmount, &feeCurrency, &feeWhen, &status,
		&a.CreatedAt, &submitted, &a.UpdatedAt, &due, &a.Lang, &org, &by)
	if err != nil {
		return nil, s.db.MapError(err)
	}
	a.Reference, a.Status, a.PersonID, a.DueDate = Reference(ref), Status(status), person.Int64, due.String
	a.OrganisationID, a.SubmittedBy = org.Int64, by.Int64
	a.SubmittedAt = submitted.Time
	if feeAmount.Valid {
		a.Fee = &Fee{Amount: feeAmount.Int64, Currency: feeCurrency.String, When: feeWhen.String}
	}
	if err := json.Unmarshal([]byte(answers), &a.Answers); err != nil {
		return nil, fmt.Errorf("applications: answers of application %d: %w", a.ID, err)
	}
	a.CreatedAt, a.UpdatedAt, a.SubmittedAt = a.CreatedAt.UTC(), a.UpdatedAt.UTC(), a.SubmittedAt.UTC()

	rows, err := q.QueryContext(ctx, s.q(qFiles), a.ID)
	if err != nil {
		return nil, s.db.MapError(err)
	}
	for rows.Next() {
		f, err := scanFile(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		a.Files = append(a.Files, *f)
	}
	if err := closeRows(rows); err != nil {
		return nil, s.db.MapError(err)
	}

	rows, err = q.QueryContext(ctx, s.q(qEvents), a.ID)
	if err != nil {
		return nil, s.db.MapError(err)
	}
	for rows.Next() {
		var e Event
		var actor sql.NullInt64
		var from, to string
		if err := rows.Scan(&e.Seq, &e.At, &actor, &e.ActorRole, &from, &to, &e.Note); err != nil {
			rows.Close()
			return nil, err
		}
		e.At, e.ActorPersonID, e.From, e.To = e.At.UTC(), actor.Int64, Status(from), Status(to)
		for _, f := range a.Files {
			if f.EventSeq == e.Seq {
				e.Files = append(e.Files, f)
			}
		}
		a.Events = append(a.Events, e)
	}
	if err := closeRows(rows); err != nil {
		return nil, s.db.MapError(err)
	}
	days, err := s.days(ctx, q)
	if err != nil {
		return nil, err
	}
	a.Deadline = s.deadline(days, s.today(), a.Status, a.DueDate, lastPause(a.Events))
	return &a, nil
}

func closeRows(rows *sql.Rows) error {
	err := rows.Err()
	if cerr := rows.Close(); err == nil {
		err = cerr
	}
	return err
}

type scanner interface{ Scan(dest ...any) error }

func scanFile(sc scanner) (*File, error) {
	var f File
	var seq sql.NullInt64
	if err := sc.Scan(&f.ID, &f.ApplicationID, &seq, &f.Field, &f.Filename, &f.ContentType, &f.Size, &f.SHA256, &f.storageName, &f.CreatedAt); err != nil {
		return nil, err
	}
	f.EventSeq, f.CreatedAt = int(seq.Int64), f.CreatedAt.UTC()
	return &f, nil
}

func (s *Store) scanSummaries(ctx context.Context, rows *sql.Rows) ([]Summary, error) {
	var out []Summary
	for rows.Next() {
		var m Summary
		var ref, status string
		var person, org, by sql.NullInt64
		var submitted sql.NullTime
		var due sql.NullString
		if err := rows.Scan(&m.ID, &ref, &m.ServiceSlug, &person, &m.Contact.Name, &m.Contact.Email, &status,
			&m.CreatedAt, &submitted, &m.UpdatedAt, &due, &org, &by); err != nil {
			rows.Close()
			return nil, err
		}
		m.Reference, m.Status, m.PersonID, m.DueDate = Reference(ref), Status(status), person.Int64, due.String
		m.OrganisationID, m.SubmittedBy = org.Int64, by.Int64
		m.CreatedAt, m.SubmittedAt, m.UpdatedAt = m.CreatedAt.UTC(), submitted.Time.UTC(), m.UpdatedAt.UTC()
		out = append(out, m)
	}
	if err := closeRows(rows); err != nil {
		return nil, s.db.MapError(err)
	}
	return out, s.withDeadlines(ctx, out)
}
