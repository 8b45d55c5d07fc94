package catalogue

import "context"

// ChangeTopic is the change feed's topic (store.DB.Notify, Listen) of the
// published catalogue: a store announces every change of Version under it,
// so that every instance brings its search index and directory up to date.
const ChangeTopic = "catalogue"

// Store keeps the catalogue. catalogue/sqlstore keeps it in Sportello's
// database (package store), SQLite or PostgreSQL; the same test suite runs
// against both.
type Store interface {
	// Import validates nothing: callers validate first (Validate). It writes
	// the whole catalogue in one transaction, updating entries by slug. An
	// entry that is identical to the stored one is left alone, so importing
	// the same file twice changes nothing and leaves Version unchanged.
	// Services absent from the file are archived, never deleted: applications
	// may refer to them.
	Import(ctx context.Context, c *Catalogue) (ImportResult, error)

	// Export returns the published catalogue, in the order it was imported.
	Export(ctx context.Context) (*Catalogue, error)

	// Service returns one published service, or ErrNotFound.
	Service(ctx context.Context, slug string) (*Service, error)

	// Directory returns everything but the services' long texts: what the
	// navigation pages and the index's version check need. Callers share
	// it, so they must not change it.
	Directory(ctx context.Context) (*Directory, error)

	// Summaries returns the summaries (ServiceSummary leaves them out) of
	// the published services among slugs, by slug; a slug that names none
	// is left out. A list of services reads those it shows.
	Summaries(ctx context.Context, slugs []string) (map[string]PackedText, error)

	// EachSearchable calls fn with what the search index reads of every
	// published service, in catalogue order, streaming, so that an index of
	// 100k services can be built without holding them all.
	EachSearchable(ctx context.Context, fn func(*Searchable) error) error

	// Changes returns the services published or updated, and the slugs
	// archived, after version since, with the version they bring the reader
	// to: what an index built at since needs to catch up.
	Changes(ctx context.Context, since int64) (Changes, error)

	// Version is a number that grows whenever the published catalogue
	// changes. The search index stores it to know when it is stale.
	Version(ctx context.Context) (int64, error)

	Close() error
}

// ImportResult says what an import changed, so that the search index can be
// updated incrementally.
type ImportResult struct {
	Version   int64    // the catalogue version after the import
	Added     []string // service slugs
	Updated   []string
	Archived  []string
	Unchanged int
}

// Changes is what Store.Changes returns.
type Changes struct {
	Version  int64
	Services []*Service
	Archived []string
}

// Directory is the light part of the catalogue: everything except the long
// texts of services. It is small enough to keep in memory at 100k services.
type Directory struct {
	Version          int64
	Authority        Authority
	Topics           []Topic
	Departments      []Department
	LifeEvents       []LifeEvent
	ProfileQuestions []ProfileQuestion
	Journeys         []Journey
	BusinessTypes    []BusinessType
	Services         []ServiceSummary // catalogue order

	index *directoryIndex // built by BuildIndex; lookups scan without it
}

// ServiceSummary is what a list of services shows about each one, but for
// its summary text, which Store.Summaries reads for the services a page
// shows: kept here for every service, the summaries were a third of the
// directory at 100k services (docs/performance.md).
type ServiceSummary struct {
	Slug               string
	Kind               string // never "" once summarised, but read it with TransactionOf: older stored summaries lack it
	Topic              string
	Department         string
	Audience           []string
	LifeEvents         []string
	Title              PackedText // packed: a directory holds one per service
	Fee                *Fee
	Online             bool
	Assurance          string // "" when the service has no online form
	ProcessingTimeDays *int   // nil: no set time
	HasRule            bool
	Renewal            *Renewal `json:",omitempty"` // for the renewal reminders
	Booking            *Booking `json:",omitempty"` // for booking pages and the appointments' reminders
	// RetentionDays is how long a closed application is kept (Privacy); 0
	// when the service does not say, and its applications are kept.
	RetentionDays int `json:",omitempty"`
	// Untranslated are the languages of Languages that some text of the
	// service lacks (MissingLanguages), for the editor's list. Summaries
	// stored before it existed lack it: read the title too.
	Untranslated []string `json:",omitempty"`
}

// Summarise returns what a list of services shows about s.
func (s *Service) Summarise() ServiceSummary {
	sum := ServiceSummary{
		Slug: s.Slug, Kind: TransactionOf(s.Kind), Topic: s.Topic, Department: s.Department,
		Audience: s.Audience, LifeEvents: s.LifeEvents,
		Title: Pack(s.Title), Fee: s.Fee,
		Online: s.Online(), ProcessingTimeDays: s.ProcessingTimeDays, Renewal: s.Renewal, Booking: s.Booking,
		HasRule:      s.EligibilityRule != nil && *s.EligibilityRule != "",
		Untranslated: MissingLanguages(s, Languages),
	}
	if s.Assurance != nil {
		sum.Assurance = *s.Assurance
	}
	if s.Privacy != nil {
		sum.RetentionDays = s.Privacy.RetentionDays
	}
	return sum
}
