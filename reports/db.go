package reports

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"sportello/applications"
	"sportello/applications/forms"
	"sportello/catalogue"
	"sportello/notify"
	"sportello/store"
)

// Submitter makes the application a report is: *applications.Store.
type Submitter interface {
	Submit(ctx context.Context, in applications.SubmitInput) (*applications.Application, error)
}

// Options configure a DB.
type Options struct {
	// Area is the council's: a report outside it is refused (ErrOutside).
	// nil accepts any place on Earth.
	Area *BBox
	// Now is the clock; default time.Now.
	Now    func() time.Time
	Logger *slog.Logger
}

// DB is the Store in the Sportello database (migration 01110).
type DB struct {
	db   *store.DB
	apps Submitter
	area *BBox
	now  func() time.Time
	log  *slog.Logger
}

var _ Store = (*DB)(nil)

// New returns the reports kept in db, made through apps.
func New(db *store.DB, apps Submitter, opts Options) *DB {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	return &DB{db: db, apps: apps, area: opts.Area, now: opts.Now, log: opts.Logger}
}

// Area is the council's area the store accepts reports in; nil: anywhere.
func (s *DB) Area() *BBox { return s.area }

const (
	qInsert = `INSERT INTO reports (id, application_id, service_slug, lat, lng, address, description, status, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	qSelect = `SELECT r.id, r.application_id, a.reference, r.service_slug, r.lat, r.lng, r.address, r.description, r.status,
		r.created_at, r.updated_at, COALESCE(a.due_date, ''), COALESCE(a.person_id, 0),
		(SELECT COUNT(*) FROM report_supporters s WHERE s.report_id = r.id)
		FROM reports r JOIN applications a ON a.id = r.application_id`
	qCount      = `SELECT COUNT(*) FROM reports r`
	qEvents     = `SELECT seq, at, COALESCE(actor_person_id, 0), from_status, to_status, note FROM report_events WHERE report_id = ? ORDER BY seq`
	qPhotos     = `SELECT id, filename, content_type, size FROM application_files WHERE application_id = ? AND event_seq IS NULL ORDER BY created_at, id`
	qLockStatus = `SELECT r.status, r.application_id, COALESCE(a.person_id, 0), a.contact_email FROM reports r JOIN applications a ON a.id = r.application_id WHERE r.id = ?`
	qNextSeq    = `SELECT COALESCE(MAX(seq), 0) + 1 FROM report_events WHERE report_id = ?`
	qSetStatus  = `UPDATE reports SET status = ?, updated_at = ? WHERE id = ?`
	qAddEvent   = `INSERT INTO report_events (report_id, seq, at, actor_person_id, from_status, to_status, note) VALUES (?, ?, ?, ?, ?, ?, ?)`
	qAudience   = `SELECT reference, service_slug, COALESCE(person_id, 0), contact_email, lang FROM applications WHERE id = ?`
	qSupporters = `SELECT id, COALESCE(person_id, 0), email, lang FROM report_supporters WHERE report_id = ? ORDER BY created_at, id`
	qSupport    = `INSERT INTO report_supporters (id, report_id, person_id, email, lang, created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`
)

// Create implements Store.
func (s *DB) Create(ctx context.Context, in NewReport) (*Report, error) {
	switch {
	case in.Service == nil || in.Service.OnlineForm == nil:
		return nil, fmt.Errorf("%w: the service cannot be reported online", ErrInvalid)
	case catalogue.TransactionOf(in.Service.Kind) != catalogue.TransactionReport:
		return nil, fmt.Errorf("%w: the service %s is not of kind report", ErrInvalid, in.Service.Slug)
	}
	in.Address = strings.TrimSpace(in.Address)
	in.Description = strings.TrimSpace(in.Description)
	if err := validatePlace(in.Point, in.Address, s.area); err != nil {
		return nil, err
	}
	var lat, lng any
	if in.Point != nil {
		lat, lng = in.Point.Lat, in.Point.Lng
	}
	answers, files := in.Answers, in.Files
	if answers == nil {
		answers, files = answersFrom(in)
	}
	app, err := s.apps.Submit(ctx, applications.SubmitInput{
		Token: in.Token, Service: in.Service, CatalogueVersion: in.CatalogueVersion, PersonID: in.PersonID,
		Contact: in.Contact, Answers: answers, Files: files, Lang: in.Lang, Now: in.Now,
		InTx: func(ctx context.Context, tx *sql.Tx, app applications.Written) error {
			id := store.NewID()
			_, err := tx.ExecContext(ctx, s.db.Rebind(qInsert), id, app.ID, in.Service.Slug, lat, lng,
				in.Address, in.Description, string(StatusOpen), app.At.UnixMilli(), app.At.UnixMilli())
			if err != nil {
				return fmt.Errorf("reports: recording the place of a report: %w", s.db.MapError(err))
			}
			return nil
		},
	})
	if err != nil {
		return nil, err
	}
	s.log.InfoContext(ctx, "report made", "application_id", app.ID, "service", in.Service.Slug)
	return s.ByApplication(ctx, app.ID)
}

// answersFrom makes the answers of a report that came without its form's:
// the address in the form's first location (or address) field, the
// description in its first textarea, the files in its first file field.
func answersFrom(in NewReport) (forms.Answers, []forms.AcceptedFile) {
	var answers forms.Answers
	files := slices.Clone(in.Files)
	var placed, described, photographed bool
	for _, f := range in.Service.OnlineForm.Fields {
		a := forms.Answer{Field: f.Name, Type: f.Type, Label: f.Label}
		switch {
		case !placed && (f.Type == forms.TypeLocation || f.Type == forms.TypeAddress) && in.Address != "":
			placed = true
			a.Address = &forms.Address{Line1: in.Address}
		case !described && f.Type == forms.TypeTextarea && in.Description != "":
			described = true
			a.Text = in.Description
		case !photographed && f.Type == forms.TypeFile && len(files) > 0:
			photographed = true
			for i := range files {
				files[i].Field, files[i].Index = f.Name, i
				a.Files = append(a.Files, forms.FileRef{Name: files[i].Filename, ContentType: files[i].ContentType, Size: files[i].Size})
			}
		}
		answers = append(answers, a)
	}
	if !photographed {
		files = nil
	}
	return answers, files
}

// Get implements Store.
func (s *DB) Get(ctx context.Context, id int64) (*Report, error) {
	return s.one(ctx, ` WHERE r.id = ?`, id)
}

// ByReference implements Store.
func (s *DB) ByReference(ctx context.Context, ref applications.Reference) (*Report, error) {
	return s.one(ctx, ` WHERE a.reference = ?`, string(ref))
}

// ByApplication implements Store.
func (s *DB) ByApplication(ctx context.Context, applicationID int64) (*Report, error) {
	return s.one(ctx, ` WHERE r.application_id = ?`, applicationID)
}

func (s *DB) one(ctx context.Context, where string, arg any) (*Report, error) {
	r, err := scanReport(s.db.SQL().QueryRowContext(ctx, s.db.Rebind(qSelect+where), arg))
	if err != nil {
		return nil, fmt.Errorf("reports: reading a report: %w", s.db.MapError(err))
	}
	r.Events, err = store.Query(ctx, s.db.SQL(), s.db.Rebind(qEvents), func(sc store.Scanner) (Event, error) {
		var e Event
		var at int64
		var from, to string
		err := sc.Scan(&e.Seq, &at, &e.ActorPersonID, &from, &to, &e.Note)
		e.At, e.From, e.To = time.UnixMilli(at).UTC(), Status(from), Status(to)
		return e, err
	}, r.ID)
	if err != nil {
		return nil, fmt.Errorf("reports: reading the history of a report: %w", s.db.MapError(err))
	}
	r.Photos, err = store.Query(ctx, s.db.SQL(), s.db.Rebind(qPhotos), func(sc store.Scanner) (Photo, error) {
		var p Photo
		return p, sc.Scan(&p.FileID, &p.Filename, &p.ContentType, &p.Size)
	}, r.ApplicationID)
	if err != nil {
		return nil, fmt.Errorf("reports: reading the photos of a report: %w", s.db.MapError(err))
	}
	return &r, nil
}

func scanReport(sc store.Scanner) (Report, error) {
	var r Report
	var ref, status string
	var created, updated int64
	var lat, lng sql.NullFloat64
	err := sc.Scan(&r.ID, &r.ApplicationID, &ref, &r.ServiceSlug, &lat, &lng, &r.Address, &r.Description,
		&status, &created, &updated, &r.DueDate, &r.PersonID, &r.Supporters)
	if lat.Valid && lng.Valid {
		r.Point = &Point{Lat: lat.Float64, Lng: lng.Float64}
	}
	r.Reference, r.Status = applications.Reference(ref), Status(status)
	r.CreatedAt, r.UpdatedAt = time.UnixMilli(created).UTC(), time.UnixMilli(updated).UTC()
	return r, err
}

// where builds the conditions of f on reports r, with their arguments.
func (f Filter) where() (string, []any) {
	var conds []string
	var args []any
	in := func(col string, vals []string) {
		if len(vals) == 0 {
			return
		}
		conds = append(conds, col+" IN ("+strings.TrimSuffix(strings.Repeat("?, ", len(vals)), ", ")+")")
		for _, v := range vals {
			args = append(args, v)
		}
	}
	in("r.service_slug", f.Services)
	statuses := make([]string, len(f.Statuses))
	for i, st := range f.Statuses {
		statuses[i] = string(st)
	}
	in("r.status", statuses)
	if b := f.Area; b != nil {
		conds = append(conds, "r.lat >= ? AND r.lat <= ? AND r.lng >= ? AND r.lng <= ?")
		args = append(args, b.South, b.North, b.West, b.East)
	}
	if !f.From.IsZero() {
		conds = append(conds, "r.created_at >= ?")
		args = append(args, f.From.UnixMilli())
	}
	if !f.Until.IsZero() {
		conds = append(conds, "r.created_at < ?")
		args = append(args, f.Until.UnixMilli())
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// List implements Store.
func (s *DB) List(ctx context.Context, f Filter) ([]Report, int, error) {
	if f.Limit <= 0 {
		f.Limit = DefaultLimit
	}
	f.Limit = min(f.Limit, MaxLimit)
	f.Offset = max(f.Offset, 0)
	where, args := f.where()
	var total int
	if err := s.db.SQL().QueryRowContext(ctx, s.db.Rebind(qCount+where), args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("reports: counting reports: %w", s.db.MapError(err))
	}
	query := qSelect + where + ` ORDER BY r.created_at DESC, r.id LIMIT ` + strconv.Itoa(f.Limit) + ` OFFSET ` + strconv.Itoa(f.Offset)
	list, err := store.Query(ctx, s.db.SQL(), s.db.Rebind(query), scanReport, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("reports: listing reports: %w", s.db.MapError(err))
	}
	return list, total, nil
}

// Nearby implements Store: the box around the place in SQL (indexed on
// service, latitude, longitude), the distance in Go.
func (s *DB) Nearby(ctx context.Context, q NearbyQuery) ([]Near, error) {
	if !q.Point.Valid() {
		return nil, fmt.Errorf("%w: latitude %v and longitude %v are not a place on Earth", ErrInvalid, q.Point.Lat, q.Point.Lng)
	}
	if q.Radius <= 0 {
		q.Radius = DefaultRadius
	}
	if q.Limit <= 0 {
		q.Limit = 20
	}
	if q.Statuses == nil {
		q.Statuses = []Status{StatusOpen, StatusInProgress}
	}
	box := Around(q.Point, q.Radius)
	where, args := Filter{Services: []string{q.Service}, Statuses: q.Statuses, Area: &box}.where()
	list, err := store.Query(ctx, s.db.SQL(), s.db.Rebind(qSelect+where), scanReport, args...)
	if err != nil {
		return nil, fmt.Errorf("reports: reading the reports near %s: %w", q.Point, s.db.MapError(err))
	}
	var out []Near
	for _, r := range list {
		if r.Point == nil {
			continue
		}
		if d := Distance(q.Point, *r.Point); d <= q.Radius {
			out = append(out, Near{Report: r, Distance: d})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Distance < out[j].Distance })
	if len(out) > q.Limit {
		out = out[:q.Limit]
	}
	return out, nil
}

// SetStatus implements Store.
func (s *DB) SetStatus(ctx context.Context, id int64, to Status, actor applications.Actor, note string) error {
	note = strings.TrimSpace(note)
	now := s.now()
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		var from string
		var appID, reporter int64
		var email string
		err := tx.QueryRowContext(ctx, s.db.Rebind(qLockStatus+s.db.ForUpdate()), id).Scan(&from, &appID, &reporter, &email)
		if err != nil {
			return fmt.Errorf("reports: reading report %d: %w", id, s.db.MapError(err))
		}
		if !Allowed(Status(from), to) {
			return fmt.Errorf("%w: from %s to %s", ErrInvalidTransition, from, to)
		}
		var seq int
		if err := tx.QueryRowContext(ctx, s.db.Rebind(qNextSeq), id).Scan(&seq); err != nil {
			return s.db.MapError(err)
		}
		if _, err := tx.ExecContext(ctx, s.db.Rebind(qSetStatus), string(to), now.UnixMilli(), id); err != nil {
			return s.db.MapError(err)
		}
		var who any
		if actor.PersonID != 0 {
			who = actor.PersonID
		}
		if _, err := tx.ExecContext(ctx, s.db.Rebind(qAddEvent), id, seq, now.UnixMilli(), who, from, string(to), note); err != nil {
			return s.db.MapError(err)
		}
		return s.tell(ctx, tx, now, id, appID, seq, to, note)
	})
}

// tell adds, within tx, the notification of the change seq to the reporter
// and to every supporter who can be reached.
func (s *DB) tell(ctx context.Context, tx *sql.Tx, now time.Time, id, appID int64, seq int, to Status, note string) error {
	var ref, service, email, lang string
	var person int64
	if err := tx.QueryRowContext(ctx, s.db.Rebind(qAudience), appID).Scan(&ref, &service, &person, &email, &lang); err != nil {
		return s.db.MapError(err)
	}
	key := "report:" + ref + ":" + strconv.Itoa(seq)
	data := func(role string) map[string]string {
		return map[string]string{"ref": ref, "service": service, "status": string(to), "note": note, "role": role}
	}
	add := func(key string, person int64, email, lang, role string) error {
		if person == 0 && email == "" {
			return nil
		}
		e := notify.Event{Kind: notify.ReportStatus, Key: key, PersonID: person, Lang: lang, Data: data(role)}
		if person == 0 {
			e.Address = email
		}
		return notify.Add(ctx, s.db, tx, now, e)
	}
	if err := add(key, person, email, lang, "reporter"); err != nil {
		return err
	}
	type supporter struct {
		id, person  int64
		email, lang string
	}
	sups, err := store.Query(ctx, tx, s.db.Rebind(qSupporters), func(sc store.Scanner) (supporter, error) {
		var sp supporter
		return sp, sc.Scan(&sp.id, &sp.person, &sp.email, &sp.lang)
	}, id)
	if err != nil {
		return s.db.MapError(err)
	}
	for _, sp := range sups {
		if err := add(key+":s"+strconv.FormatInt(sp.id, 10), sp.person, sp.email, sp.lang, "supporter"); err != nil {
			return err
		}
	}
	return nil
}

// AddSupporter implements Store.
func (s *DB) AddSupporter(ctx context.Context, id int64, sp Supporter) (bool, error) {
	now := sp.Now
	if now.IsZero() {
		now = s.now()
	}
	email := strings.ToLower(strings.TrimSpace(sp.Email))
	if sp.PersonID != 0 {
		email = "" // their settings' address, when the mail leaves
	}
	added := false
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		var status string
		var appID, reporter int64
		var reporterEmail string
		err := tx.QueryRowContext(ctx, s.db.Rebind(qLockStatus+s.db.ForUpdate()), id).Scan(&status, &appID, &reporter, &reporterEmail)
		if err != nil {
			return fmt.Errorf("reports: reading report %d: %w", id, s.db.MapError(err))
		}
		if Status(status) == StatusFixed {
			return fmt.Errorf("%w: report %d is fixed already", ErrConflict, id)
		}
		if (sp.PersonID != 0 && sp.PersonID == reporter) || (email != "" && reporter == 0 && strings.EqualFold(email, reporterEmail)) {
			return nil // their own report: they are told already
		}
		sid := store.NewID()
		var person any
		if sp.PersonID != 0 {
			person = sp.PersonID
		}
		res, err := tx.ExecContext(ctx, s.db.Rebind(qSupport), sid, id, person, email, sp.Lang, now.UnixMilli())
		if err != nil {
			return fmt.Errorf("reports: adding a supporter: %w", s.db.MapError(err))
		}
		n, err := res.RowsAffected()
		added = n == 1
		return err
	})
	return added, err
}

// ErasePerson implements Store.
func (s *DB) ErasePerson(ctx context.Context, tx *sql.Tx, personID int64) error {
	if _, err := tx.ExecContext(ctx, s.db.Rebind(`DELETE FROM report_supporters WHERE person_id = ?`), personID); err != nil {
		return fmt.Errorf("reports: forgetting a person's support: %w", s.db.MapError(err))
	}
	return nil
}
