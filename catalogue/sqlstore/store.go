// Package sqlstore keeps the catalogue, and the editors' work on it, in the
// Sportello database (package store): *Store implements catalogue.Store and
// editorial.Store. The editorial part lives here because publishing writes
// the catalogue's tables, under the catalogue's lock, in the same
// transaction as the revision and the audit line (docs/adr/0008).
package sqlstore

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"sportello/catalogue"
	"sportello/editorial"
	"sportello/store"
)

var (
	_ catalogue.Store = (*Store)(nil)
	_ editorial.Store = (*Store)(nil)
)

// Store is the catalogue and its editorial tables in one database.
type Store struct {
	db    *store.DB
	stmts statements

	// dir is the directory of the version last read, shared by every
	// caller of Directory; dirMu makes callers that find it stale wait for
	// one read instead of each reading their own.
	dirMu sync.Mutex
	dir   *catalogue.Directory
}

// New returns the store over db, whose migrations Open has applied. Close
// it before db.
func New(ctx context.Context, db *store.DB) (*Store, error) {
	st := &Store{db: db}
	if err := st.prepare(ctx); err != nil {
		st.stmts.close()
		return nil, err
	}
	return st, nil
}

// Close releases the prepared statements; the database stays open.
func (st *Store) Close() error { return st.stmts.close() }

// statements are prepared once at New for the requests that run most often;
// database/sql prepares them again on each pooled connection as needed.
type statements struct {
	service, version *sql.Stmt
}

func (st *Store) prepare(ctx context.Context) error {
	var err error
	if st.stmts.service, err = st.db.SQL().PrepareContext(ctx, st.db.Rebind(qService)); err != nil {
		return fmt.Errorf("sqlstore: preparing the service query: %w", st.db.MapError(err))
	}
	if st.stmts.version, err = st.db.SQL().PrepareContext(ctx, st.db.Rebind(qVersion)); err != nil {
		return fmt.Errorf("sqlstore: preparing the version query: %w", st.db.MapError(err))
	}
	return nil
}

func (s *statements) close() error {
	var errs []error
	for _, stmt := range []*sql.Stmt{s.service, s.version} {
		if stmt != nil {
			errs = append(errs, stmt.Close())
		}
	}
	return errors.Join(errs...)
}

// Entry kinds in catalogue_entries.
const (
	kindTopic      = "topic"
	kindDepartment = "department"
	kindLifeEvent  = "life_event"
	kindQuestion   = "profile_question"
	kindJourney    = "journey"
	kindBusiness   = "business_type"
)

const (
	statusPublished = "published"
	statusArchived  = "archived"
)

// serviceRow is a service as it is written: its documents.
type serviceRow struct {
	slug, topic, department string
	hash, summary, doc      string
}

type entryKey struct{ kind, slug string }

type entryRow struct {
	entryKey
	position int
	doc      string
}

// importPlan is the catalogue encoded for storage, but for the services,
// which are encoded one at a time as they are written: all of them at once
// would hold another copy of the file in memory (half a gigabyte at
// 100,000 services), for a transaction shorter by a few seconds.
type importPlan struct {
	authority string
	entries   []entryRow
}

func planImport(c *catalogue.Catalogue) (*importPlan, error) {
	authority, err := json.Marshal(c.Authority)
	if err != nil {
		return nil, err
	}
	p := &importPlan{authority: string(authority)}
	if err := addEntries(p, kindTopic, c.Topics, func(t catalogue.Topic) string { return t.Slug }); err != nil {
		return nil, err
	}
	if err := addEntries(p, kindDepartment, c.Departments, func(t catalogue.Department) string { return t.Slug }); err != nil {
		return nil, err
	}
	if err := addEntries(p, kindLifeEvent, c.LifeEvents, func(t catalogue.LifeEvent) string { return t.Slug }); err != nil {
		return nil, err
	}
	if err := addEntries(p, kindQuestion, c.ProfileQuestions, func(t catalogue.ProfileQuestion) string { return t.Name }); err != nil {
		return nil, err
	}
	if err := addEntries(p, kindJourney, c.Journeys, func(t catalogue.Journey) string { return t.Slug }); err != nil {
		return nil, err
	}
	if err := addEntries(p, kindBusiness, c.BusinessTypes, func(t catalogue.BusinessType) string { return t.Slug }); err != nil {
		return nil, err
	}
	return p, nil
}

// encodeService is a service as it is written, by an import or a publish.
func encodeService(s *catalogue.Service) (serviceRow, error) {
	doc, err := json.Marshal(s)
	if err != nil {
		return serviceRow{}, fmt.Errorf("encoding service %q: %w", s.Slug, err)
	}
	summary, err := json.Marshal(storedSummary{s.Summarise(), catalogue.Pack(s.Summary)})
	if err != nil {
		return serviceRow{}, fmt.Errorf("encoding service %q: %w", s.Slug, err)
	}
	// The summary is in the hash so that a change to what a summary
	// holds rewrites the rows on the next import.
	h := sha256.New()
	h.Write(summary)
	h.Write([]byte{0})
	h.Write(doc)
	return serviceRow{
		slug: s.Slug, topic: s.Topic, department: s.Department,
		hash: hex.EncodeToString(h.Sum(nil)), summary: string(summary), doc: string(doc),
	}, nil
}

func addEntries[T any](p *importPlan, kind string, items []T, slug func(T) string) error {
	seen := make(map[string]bool, len(items))
	for i, it := range items {
		s := slug(it)
		if seen[s] {
			return fmt.Errorf("%w: the %s %q appears twice; validate the catalogue before importing it", catalogue.ErrInvalid, kind, s)
		}
		seen[s] = true
		doc, err := json.Marshal(it)
		if err != nil {
			return fmt.Errorf("encoding %s %q: %w", kind, s, err)
		}
		p.entries = append(p.entries, entryRow{entryKey{kind, s}, i, string(doc)})
	}
	return nil
}

// Import writes the catalogue in one transaction; see catalogue.Store. A
// service that was archived and is in the file again is published again and
// reported as Added. A change of order alone changes the Version but reports
// no service as Updated: the services themselves did not change.
func (st *Store) Import(ctx context.Context, c *catalogue.Catalogue) (catalogue.ImportResult, error) {
	return st.importThen(ctx, c, eachOf(c.Services), nil)
}

// ImportEach is Import for a catalogue whose services come one at a time,
// as a file too large to hold is read (catalogue.Reader.Services): c holds
// everything but the services, and each calls yield with every service in
// order. Each service is written as it comes, in the one transaction of the
// import; when each returns an error (the file's problems), the transaction
// is rolled back and nothing is written.
func (st *Store) ImportEach(ctx context.Context, c *catalogue.Catalogue, each func(yield func(*catalogue.Service) error) error) (catalogue.ImportResult, error) {
	return st.importThen(ctx, c, each, nil)
}

// eachOf hands over the services of a list, as ImportEach takes them.
func eachOf(services []catalogue.Service) func(yield func(*catalogue.Service) error) error {
	return func(yield func(*catalogue.Service) error) error {
		for i := range services {
			if err := yield(&services[i]); err != nil {
				return err
			}
		}
		return nil
	}
}

// importThen imports c, with the services each hands over, and then, in the
// same transaction, calls after (when not nil) with what the import did, so
// that a caller can record more with it (the editor's audit log and review
// dates); changed says whether the catalogue version moved.
func (st *Store) importThen(ctx context.Context, c *catalogue.Catalogue, each func(yield func(*catalogue.Service) error) error, after func(tx *sql.Tx, res catalogue.ImportResult, changed bool) error) (catalogue.ImportResult, error) {
	plan, err := planImport(c)
	if err != nil {
		return catalogue.ImportResult{}, err
	}
	var res catalogue.ImportResult
	err = st.db.Tx(ctx, func(tx *sql.Tx) error {
		res = catalogue.ImportResult{}
		var version int64
		var format, authority string
		if err := tx.QueryRowContext(ctx, st.db.Rebind(qLockMeta)).Scan(&version, &format, &authority); err != nil {
			return fmt.Errorf("locking the catalogue: %w", st.db.MapError(err))
		}
		next := version + 1
		servicesChanged, err := st.importServices(ctx, tx, each, next, &res)
		if err != nil {
			return err
		}
		entriesChanged, err := st.importEntries(ctx, tx, plan.entries)
		if err != nil {
			return err
		}
		res.Version = version
		changed := servicesChanged || entriesChanged || format != c.Format || authority != plan.authority
		if changed {
			if _, err := tx.ExecContext(ctx, st.db.Rebind(qUpdateMeta), next, c.Format, plan.authority); err != nil {
				return fmt.Errorf("updating the catalogue version: %w", st.db.MapError(err))
			}
			if err := st.db.Notify(ctx, tx, catalogue.ChangeTopic); err != nil {
				return err
			}
			res.Version = next
		}
		if after == nil {
			return nil
		}
		return after(tx, res, changed)
	})
	var invalid *catalogue.ValidationError
	if errors.As(err, &invalid) {
		return catalogue.ImportResult{}, err // the file's problems, to show as they are
	}
	if err != nil {
		return catalogue.ImportResult{}, fmt.Errorf("sqlstore: import: %w", err)
	}
	return res, nil
}

type serviceState struct {
	status   string
	position int
	hash     string
}

type storedService struct {
	slug string
	serviceState
}

func (st *Store) importServices(ctx context.Context, tx *sql.Tx, each func(yield func(*catalogue.Service) error) error, version int64, res *catalogue.ImportResult) (changed bool, err error) {
	stored, err := store.Query(ctx, tx, st.db.Rebind(qServiceStates), func(r store.Scanner) (storedService, error) {
		var ss storedService
		err := r.Scan(&ss.slug, &ss.status, &ss.position, &ss.hash)
		return ss, err
	})
	if err != nil {
		return false, st.db.MapError(err)
	}
	states := make(map[string]serviceState, len(stored))
	order := make([]string, 0, len(stored)) // stored slugs by position, so that Archived is in catalogue order
	for _, ss := range stored {
		states[ss.slug] = ss.serviceState
		order = append(order, ss.slug)
	}
	slices.SortFunc(order, func(a, b string) int { return states[a].position - states[b].position })

	insert, err := tx.PrepareContext(ctx, st.db.Rebind(qInsertService))
	if err != nil {
		return false, st.db.MapError(err)
	}
	defer insert.Close()
	update, err := tx.PrepareContext(ctx, st.db.Rebind(qUpdateService))
	if err != nil {
		return false, st.db.MapError(err)
	}
	defer update.Close()
	move, err := tx.PrepareContext(ctx, st.db.Rebind(qMoveService))
	if err != nil {
		return false, st.db.MapError(err)
	}
	defer move.Close()

	inFile := make(map[string]bool, len(states))
	i := 0
	err = each(func(svc *catalogue.Service) error {
		s, err := encodeService(svc)
		if err != nil {
			return err
		}
		if inFile[s.slug] {
			return fmt.Errorf("%w: the service slug %q appears twice; validate the catalogue before importing it", catalogue.ErrInvalid, s.slug)
		}
		inFile[s.slug] = true
		state, stored := states[s.slug]
		switch {
		case !stored:
			_, err = insert.ExecContext(ctx, s.slug, i, s.topic, s.department, s.hash, s.summary, s.doc, version)
			res.Added = append(res.Added, s.slug)
		case state.status == statusArchived:
			_, err = update.ExecContext(ctx, i, s.topic, s.department, s.hash, s.summary, s.doc, version, s.slug)
			res.Added = append(res.Added, s.slug)
		case state.hash != s.hash:
			_, err = update.ExecContext(ctx, i, s.topic, s.department, s.hash, s.summary, s.doc, version, s.slug)
			res.Updated = append(res.Updated, s.slug)
		case state.position != i:
			_, err = move.ExecContext(ctx, i, s.slug)
			changed = true
			res.Unchanged++
		default:
			res.Unchanged++
		}
		if err != nil {
			return fmt.Errorf("writing service %q: %w", s.slug, st.db.MapError(err))
		}
		i++
		return nil
	})
	if err != nil {
		return false, err
	}

	archive, err := tx.PrepareContext(ctx, st.db.Rebind(qArchiveService))
	if err != nil {
		return false, st.db.MapError(err)
	}
	defer archive.Close()
	for _, slug := range order {
		if inFile[slug] || states[slug].status != statusPublished {
			continue
		}
		if _, err := archive.ExecContext(ctx, version, slug); err != nil {
			return false, fmt.Errorf("archiving service %q: %w", slug, st.db.MapError(err))
		}
		res.Archived = append(res.Archived, slug)
	}
	changed = changed || len(res.Added) > 0 || len(res.Updated) > 0 || len(res.Archived) > 0
	return changed, nil
}

// importEntries replaces topics, departments, life events, questions,
// journeys and business types, writing only the rows that differ. Unlike services, entries that
// left the file are deleted: nothing outside the catalogue refers to them.
func (st *Store) importEntries(ctx context.Context, tx *sql.Tx, entries []entryRow) (changed bool, err error) {
	rows, err := store.Query(ctx, tx, st.db.Rebind(qEntries), scanEntryRow)
	if err != nil {
		return false, st.db.MapError(err)
	}
	stored := make(map[entryKey]entryRow, len(rows))
	for _, e := range rows {
		stored[e.entryKey] = e
	}

	for _, e := range entries {
		old, ok := stored[e.entryKey]
		delete(stored, e.entryKey)
		switch {
		case !ok:
			_, err = tx.ExecContext(ctx, st.db.Rebind(qInsertEntry), e.kind, e.slug, e.position, e.doc)
		case old.position != e.position || old.doc != e.doc:
			_, err = tx.ExecContext(ctx, st.db.Rebind(qUpdateEntry), e.position, e.doc, e.kind, e.slug)
		default:
			continue
		}
		if err != nil {
			return false, fmt.Errorf("writing %s %q: %w", e.kind, e.slug, st.db.MapError(err))
		}
		changed = true
	}
	for k := range stored {
		if _, err := tx.ExecContext(ctx, st.db.Rebind(qDeleteEntry), k.kind, k.slug); err != nil {
			return false, fmt.Errorf("deleting %s %q: %w", k.kind, k.slug, st.db.MapError(err))
		}
		changed = true
	}
	return changed, nil
}

// Export returns the published catalogue, or catalogue.ErrNotFound when
// nothing was ever imported.
func (st *Store) Export(ctx context.Context) (*catalogue.Catalogue, error) {
	c := &catalogue.Catalogue{}
	err := st.db.ReadTx(ctx, func(tx *sql.Tx) error {
		var err error
		if c.Format, c.Authority, _, err = st.meta(ctx, tx); err != nil {
			return err
		}
		if err := st.entries(ctx, tx, entryLists{&c.Topics, &c.Departments, &c.LifeEvents, &c.ProfileQuestions, &c.Journeys, &c.BusinessTypes}); err != nil {
			return err
		}
		c.Services, err = decodeAll[catalogue.Service](ctx, st, tx, qServiceDocs, "service")
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("sqlstore: export: %w", err)
	}
	return c, nil
}

// Directory returns the light part of the catalogue with its lookups built
// (catalogue.Directory.BuildIndex), or catalogue.ErrNotFound when nothing
// was ever imported. The directory of a version is read once and shared by
// every caller until the catalogue changes, so callers must not change it:
// the portal, the renewal reminders and the support alerts each read their
// own before, three copies at once at 100k services (docs/performance.md).
func (st *Store) Directory(ctx context.Context) (*catalogue.Directory, error) {
	st.dirMu.Lock()
	defer st.dirMu.Unlock()
	v, err := st.Version(ctx)
	if err != nil {
		return nil, err
	}
	if st.dir != nil && st.dir.Version == v {
		return st.dir, nil
	}
	d, err := st.readDirectory(ctx)
	if err != nil {
		return nil, err
	}
	st.dir = d
	return d, nil
}

// readDirectory reads the directory of the published version.
func (st *Store) readDirectory(ctx context.Context) (*catalogue.Directory, error) {
	d := &catalogue.Directory{}
	err := st.db.ReadTx(ctx, func(tx *sql.Tx) error {
		var err error
		if _, d.Authority, d.Version, err = st.meta(ctx, tx); err != nil {
			return err
		}
		if err := st.entries(ctx, tx, entryLists{&d.Topics, &d.Departments, &d.LifeEvents, &d.ProfileQuestions, &d.Journeys, &d.BusinessTypes}); err != nil {
			return err
		}
		d.Services, err = decodeAll[catalogue.ServiceSummary](ctx, st, tx, qServiceSummaries, "service summary")
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("sqlstore: directory: %w", err)
	}
	d.BuildIndex()
	return d, nil
}

// storedSummary is what the summary column holds: the service's
// ServiceSummary and its summary text, which the directory leaves out and
// Summaries reads.
type storedSummary struct {
	catalogue.ServiceSummary
	Summary catalogue.PackedText
}

// MarshalJSON writes the summary text right after the title, where it was
// when ServiceSummary held it: the column's bytes are part of each
// service's hash, so rows written before and after the change must be the
// same bytes, or the next import would count every service as updated
// (re-indexing them all and moving every review date).
func (s storedSummary) MarshalJSON() ([]byte, error) {
	head, err := json.Marshal(s.ServiceSummary)
	if err != nil {
		return nil, err
	}
	title, err := json.Marshal(s.Title)
	if err != nil {
		return nil, err
	}
	text, err := json.Marshal(s.Summary)
	if err != nil {
		return nil, err
	}
	// A key inside an earlier string value would have escaped quotes, so
	// the first match is the Title field.
	key := append([]byte(`,"Title":`), title...)
	i := bytes.Index(head, key)
	if i < 0 {
		return nil, fmt.Errorf("sqlstore: no title in the summary of %q", s.Slug)
	}
	i += len(key)
	out := make([]byte, 0, len(head)+len(text)+12)
	out = append(out, head[:i]...)
	out = append(out, `,"Summary":`...)
	out = append(out, text...)
	return append(out, head[i:]...), nil
}

// maxSlugsPerQuery bounds the parameters of one query of Summaries, below
// what SQLite and PostgreSQL allow.
const maxSlugsPerQuery = 500

// Summaries returns the summary texts of the published services among
// slugs, by slug.
func (st *Store) Summaries(ctx context.Context, slugs []string) (map[string]catalogue.PackedText, error) {
	out := make(map[string]catalogue.PackedText, len(slugs))
	for chunk := range slices.Chunk(slugs, maxSlugsPerQuery) {
		query := qSummaryTexts + "(?" + strings.Repeat(", ?", len(chunk)-1) + ")"
		args := make([]any, len(chunk))
		for i, slug := range chunk {
			args[i] = slug
		}
		type row struct {
			slug string
			doc  []byte
		}
		rows, err := store.Query(ctx, st.db.SQL(), st.db.Rebind(query), func(r store.Scanner) (row, error) {
			var rw row
			err := r.Scan(&rw.slug, &rw.doc)
			return rw, err
		}, args...)
		if err != nil {
			return nil, fmt.Errorf("sqlstore: summaries: %w", st.db.MapError(err))
		}
		for _, rw := range rows {
			var s struct{ Summary catalogue.PackedText }
			if err := json.Unmarshal(rw.doc, &s); err != nil {
				return nil, fmt.Errorf("sqlstore: decoding the stored summary of %q: %w", rw.slug, err)
			}
			out[rw.slug] = s.Summary
		}
	}
	return out, nil
}

// decodeAll reads the JSON document of every row of query, in order; an
// empty list rather than nil, so that an export writes [] where the file
// had [].
func decodeAll[T any](ctx context.Context, st *Store, tx *sql.Tx, query, what string) ([]T, error) {
	out := []T{}
	err := st.eachRow(ctx, tx, query, func(doc []byte) error {
		var v T
		if err := json.Unmarshal(doc, &v); err != nil {
			return fmt.Errorf("decoding a stored %s: %w", what, err)
		}
		out = append(out, v)
		return nil
	})
	return out, err
}

// Authority returns the council the published catalogue belongs to, without
// reading the rest of the catalogue.
func (st *Store) Authority(ctx context.Context) (catalogue.Authority, error) {
	var a catalogue.Authority
	err := st.db.ReadTx(ctx, func(tx *sql.Tx) error {
		var err error
		_, a, _, err = st.meta(ctx, tx)
		return err
	})
	return a, err
}

func (st *Store) meta(ctx context.Context, tx *sql.Tx) (format string, a catalogue.Authority, version int64, err error) {
	var authority string
	if err := tx.QueryRowContext(ctx, st.db.Rebind(qMeta)).Scan(&version, &format, &authority); err != nil {
		return "", a, 0, st.db.MapError(err)
	}
	if version == 0 {
		return "", a, 0, fmt.Errorf("%w: no catalogue has been imported yet", catalogue.ErrNotFound)
	}
	if err := json.Unmarshal([]byte(authority), &a); err != nil {
		return "", a, 0, fmt.Errorf("decoding the stored authority: %w", err)
	}
	return format, a, version, nil
}

// entryLists are where entries reads each kind of entry into.
type entryLists struct {
	topics      *[]catalogue.Topic
	departments *[]catalogue.Department
	events      *[]catalogue.LifeEvent
	questions   *[]catalogue.ProfileQuestion
	journeys    *[]catalogue.Journey
	business    *[]catalogue.BusinessType
}

// entries reads the entries into the lists, in catalogue order. Lists are
// empty rather than nil, so that an export writes [] where the file had [].
func (st *Store) entries(ctx context.Context, tx *sql.Tx, l entryLists) error {
	*l.topics, *l.departments, *l.events, *l.questions, *l.journeys, *l.business = []catalogue.Topic{}, []catalogue.Department{},
		[]catalogue.LifeEvent{}, []catalogue.ProfileQuestion{}, []catalogue.Journey{}, []catalogue.BusinessType{}
	rows, err := store.Query(ctx, tx, st.db.Rebind(qEntries), scanEntryRow)
	if err != nil {
		return st.db.MapError(err)
	}
	for _, e := range rows {
		doc := []byte(e.doc)
		switch e.kind {
		case kindTopic:
			err = appendDecoded(l.topics, doc)
		case kindDepartment:
			err = appendDecoded(l.departments, doc)
		case kindLifeEvent:
			err = appendDecoded(l.events, doc)
		case kindQuestion:
			err = appendDecoded(l.questions, doc)
		case kindJourney:
			err = appendDecoded(l.journeys, doc)
		case kindBusiness:
			err = appendDecoded(l.business, doc)
		}
		if err != nil {
			return fmt.Errorf("decoding the stored %s %q: %w", e.kind, e.slug, err)
		}
	}
	return nil
}

func scanEntryRow(r store.Scanner) (entryRow, error) {
	var e entryRow
	err := r.Scan(&e.kind, &e.slug, &e.position, &e.doc)
	return e, err
}

func appendDecoded[T any](list *[]T, doc []byte) error {
	var v T
	if err := json.Unmarshal(doc, &v); err != nil {
		return err
	}
	*list = append(*list, v)
	return nil
}

// eachRow calls fn with the one column of each row of query.
func (st *Store) eachRow(ctx context.Context, q store.Querier, query string, fn func([]byte) error) error {
	rows, err := q.QueryContext(ctx, st.db.Rebind(query))
	if err != nil {
		return st.db.MapError(err)
	}
	defer rows.Close()
	for rows.Next() {
		var doc []byte
		if err := rows.Scan(&doc); err != nil {
			return st.db.MapError(err)
		}
		if err := fn(doc); err != nil {
			return err
		}
	}
	return st.db.MapError(rows.Err())
}

// Service returns one published service, or an error wrapping
// catalogue.ErrNotFound: one primary-key lookup and one JSON decode.
func (st *Store) Service(ctx context.Context, slug string) (*catalogue.Service, error) {
	var doc []byte
	if err := st.stmts.service.QueryRowContext(ctx, slug).Scan(&doc); err != nil {
		return nil, fmt.Errorf("sqlstore: service %q: %w", slug, st.db.MapError(err))
	}
	s := &catalogue.Service{}
	if err := json.Unmarshal(doc, s); err != nil {
		return nil, fmt.Errorf("sqlstore: decoding service %q: %w", slug, err)
	}
	return s, nil
}

// EachSearchable calls fn with what the search index reads of every
// published service, in catalogue order, reading one row at a time. It
// stops at fn's first error and returns it. The rows are one statement, so
// they are one snapshot even while an import runs.
func (st *Store) EachSearchable(ctx context.Context, fn func(*catalogue.Searchable) error) error {
	return st.eachRow(ctx, st.db.SQL(), qServiceDocs, func(doc []byte) error {
		var s searchableDoc
		if err := json.Unmarshal(doc, &s); err != nil {
			return fmt.Errorf("sqlstore: decoding a stored service: %w", err)
		}
		return fn(&catalogue.Searchable{
			Slug: s.Slug, Topic: s.Topic, Audience: s.Audience,
			Online: s.OnlineForm != nil, Free: s.Fee.Free(),
			Keywords: s.Keywords, Title: s.Title, Summary: s.Summary, Description: s.Description,
		})
	})
}

// searchableDoc is the part of a stored service (catalogue.Service's JSON)
// that catalogue.Searchable comes from. Decoding only it leaves out the
// forms, steps, documents and legal texts in five languages: half the time
// of decoding a whole service, which was a tenth of building the search
// index at 100k services. TestEachSearchable holds it to
// Service.Searchable.
type searchableDoc struct {
	Slug        string             `json:"slug"`
	Topic       string             `json:"topic"`
	Audience    []string           `json:"audience"`
	Keywords    catalogue.TextList `json:"keywords"`
	Fee         *catalogue.Fee     `json:"fee"`
	Title       catalogue.Text     `json:"title"`
	Summary     catalogue.Text     `json:"summary"`
	Description catalogue.Text     `json:"description"`
	OnlineForm  *struct{}          `json:"online_form"`
}

// Changes returns what changed after version since: the services published
// or updated since then and the slugs archived since then, read in one
// transaction so that they agree with the version returned.
func (st *Store) Changes(ctx context.Context, since int64) (catalogue.Changes, error) {
	var ch catalogue.Changes
	err := st.db.ReadTx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, st.db.Rebind(qVersion)).Scan(&ch.Version); err != nil {
			return st.db.MapError(err)
		}
		rows, err := tx.QueryContext(ctx, st.db.Rebind(qChangedServices), since)
		if err != nil {
			return st.db.MapError(err)
		}
		defer rows.Close()
		for rows.Next() {
			var status, slug string
			var doc []byte
			if err := rows.Scan(&status, &slug, &doc); err != nil {
				return st.db.MapError(err)
			}
			if status != "published" {
				ch.Archived = append(ch.Archived, slug)
				continue
			}
			s := &catalogue.Service{}
			if err := json.Unmarshal(doc, s); err != nil {
				return fmt.Errorf("sqlstore: decoding service %q: %w", slug, err)
			}
			ch.Services = append(ch.Services, s)
		}
		return st.db.MapError(rows.Err())
	})
	return ch, err
}

// Version returns the catalogue version; 0 means nothing was imported yet.
func (st *Store) Version(ctx context.Context) (int64, error) {
	var v int64
	if err := st.stmts.version.QueryRowContext(ctx).Scan(&v); err != nil {
		return 0, fmt.Errorf("sqlstore: version: %w", st.db.MapError(err))
	}
	return v, nil
}
