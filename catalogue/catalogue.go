// Package catalogue is Sportello's source of truth: the council's services,
// topics, departments, life events, journeys, profile questions and business
// types, in the interchange format sportello-catalogue/1
// (docs/catalogue-format.md), and the store that keeps them.
//
// Everything else is built from it: the search index, the public pages, the
// forms, the support finder and the business permit finder. Nothing in this
// package knows about HTTP.
package catalogue

import (
	"errors"
	"sort"

	"sportello/store"
)

// FormatVersion is the value of the "format" member of every catalogue file.
const FormatVersion = "sportello-catalogue/1"

// Languages Sportello has UI translations for. A catalogue may use a subset.
var Languages = []string{"en", "es", "ca", "it", "fr"}

// Sentinel errors. The portal maps them to HTTP status codes in one place.
// ErrNotFound and ErrConflict are the database's own (store.MapError
// returns them), so that "no such row" and "already taken" from any area's
// store read the same as the catalogue's.
var (
	ErrNotFound = store.ErrNotFound
	ErrConflict = store.ErrConflict
	ErrInvalid  = errors.New("catalogue: invalid")
)

// Text is a human-readable text in several languages, keyed by language code.
// "en" (or the authority's default language) is always present.
type Text map[string]string

// In returns the text in lang, falling back to fallback. The second result is
// false when the fallback was used, so a page can say it is untranslated.
func (t Text) In(lang, fallback string) (string, bool) {
	if s, ok := t[lang]; ok && s != "" {
		return s, true
	}
	return t[fallback], lang == fallback
}

// TextList is a translated list of texts (documents, steps, keywords).
type TextList map[string][]string

// In returns the list in lang, falling back like Text.In.
func (t TextList) In(lang, fallback string) ([]string, bool) {
	if l, ok := t[lang]; ok {
		return l, true
	}
	return t[fallback], lang == fallback
}

// Catalogue is one whole catalogue document.
type Catalogue struct {
	Format           string            `json:"format"`
	Authority        Authority         `json:"authority"`
	Topics           []Topic           `json:"topics"`
	Departments      []Department      `json:"departments"`
	LifeEvents       []LifeEvent       `json:"life_events"`
	ProfileQuestions []ProfileQuestion `json:"profile_questions"`
	Services         []Service         `json:"services"`
	Journeys         []Journey         `json:"journeys"`
	BusinessTypes    []BusinessType    `json:"business_types"`
}

// Authority is the council that publishes the catalogue.
type Authority struct {
	Name            Text     `json:"name"`
	DefaultLanguage string   `json:"default_language"`
	Languages       []string `json:"languages"`
	Currency        string   `json:"currency"`
	Website         string   `json:"website"`
	Phone           string   `json:"phone"`
	Email           string   `json:"email"`
	// Privacy and Accessibility are the council's part of the privacy
	// notice and of the accessibility statement (statutory.go); nil leaves
	// those pages saying only what the portal knows.
	Privacy       *CouncilPrivacy `json:"privacy,omitempty"`
	Accessibility *Accessibility  `json:"accessibility,omitempty"`
}

// Topic groups services for browsing ("Waste and recycling").
type Topic struct {
	Slug        string `json:"slug"`
	Title       Text   `json:"title"`
	Description Text   `json:"description"`
}

// Department is the office responsible for a service.
type Department struct {
	Slug         string `json:"slug"`
	Name         Text   `json:"name"`
	Email        string `json:"email"`
	Phone        string `json:"phone"`
	Address      string `json:"address"`
	OpeningHours string `json:"opening_hours"`
	// Counters and Closures are for appointments (booking.go): how many
	// counters serve them at once, and the days the office is shut besides
	// the council's holidays.
	Counters int       `json:"counters,omitempty"`
	Closures []Closure `json:"closures,omitempty"`
}

// Audiences a service, life event or journey is for.
const (
	AudienceResident = "resident"
	AudienceBusiness = "business"
)

// LifeEvent is a moment in life or in a business's life ("Moving home").
type LifeEvent struct {
	Slug     string `json:"slug"`
	Audience string `json:"audience"`
	Title    Text   `json:"title"`
}

// ProfileQuestion is one question of the support finder; eligibility rules
// are expressions over their names.
type ProfileQuestion struct {
	Name  string `json:"name"`
	Type  string `json:"type"` // "integer" or "boolean"
	Min   *int64 `json:"min,omitempty"`
	Max   *int64 `json:"max,omitempty"`
	Label Text   `json:"label"`
	// AllowUnknown lets the resident not answer: "dont_know" offers "I
	// don't know", "rather_not_say" "I'd rather not say"; "" neither.
	AllowUnknown string `json:"allow_unknown,omitempty"`
}

// The values of ProfileQuestion.AllowUnknown.
const (
	UnknownDontKnow     = "dont_know"
	UnknownRatherNotSay = "rather_not_say"
)

// Service is one council service: the heart of the catalogue.
type Service struct {
	Slug               string      `json:"slug"`
	Kind               string      `json:"kind,omitempty"` // of online transaction, one of Transactions; "" reads as TransactionApply
	Topic              string      `json:"topic"`
	Department         string      `json:"department"`
	Audience           []string    `json:"audience"`
	LifeEvents         []string    `json:"life_events"`
	Keywords           TextList    `json:"keywords"`
	Channels           []string    `json:"channels"`
	ProcessingTimeDays *int        `json:"processing_time_days"` // nil: no set time
	Fee                *Fee        `json:"fee"`
	Renewal            *Renewal    `json:"renewal,omitempty"` // nil: what the service grants does not end, or no reminder
	Title              Text        `json:"title"`
	Summary            Text        `json:"summary"`
	Description        Text        `json:"description"`
	EligibilityText    Text        `json:"eligibility_text"`
	Documents          TextList    `json:"documents"`
	Steps              TextList    `json:"steps"`
	LegalBasis         Text        `json:"legal_basis"`
	Output             Text        `json:"output"`
	Related            []string    `json:"related"`
	EligibilityRule    *string     `json:"eligibility_rule"`
	Assurance          *string     `json:"assurance"`
	OnlineForm         *OnlineForm `json:"online_form"`
	// Privacy is what the online form does with personal data and how long
	// it is kept; nil when not given (only a service with a form has one).
	Privacy *Privacy `json:"privacy,omitempty"`
	// Booking, when set, lets residents book a time at one of its offices
	// (booking.go); nil: the service is not booked online.
	Booking *Booking `json:"booking,omitempty"`
}

// Kinds of online transaction: what a person does with a service online,
// in a service's "kind". The kind decides the words of every page about it:
// a report is "Report sent" and "we aim to fix it by", a fine "Pay now" and
// "Payment received", a permit "Application sent" and "decision by". (Not
// to be confused with the kinds of entry an editor works on, Kinds.)
const (
	TransactionApply   = "apply"   // ask for a decision: a permit, a grant, a licence
	TransactionReport  = "report"  // tell the council about a problem to put right
	TransactionPay     = "pay"     // pay a set amount, such as a fine
	TransactionBook    = "book"    // book a time, a place or a visit
	TransactionRequest = "request" // ask for something without a decision: a certificate, a copy, information
)

// Transactions lists every kind of online transaction.
var Transactions = []string{TransactionApply, TransactionReport, TransactionPay, TransactionBook, TransactionRequest}

// TransactionOf is kind, or TransactionApply when it is empty: catalogues
// written before kinds existed (and summaries stored by older versions)
// leave it out, and read as they always did.
func TransactionOf(kind string) string {
	if kind == "" {
		return TransactionApply
	}
	return kind
}

// Online reports whether the service can be started online.
func (s *Service) Online() bool { return s.OnlineForm != nil }

// Free reports whether the service has no fee.
func (s *Service) Free() bool { return s.Fee.Free() }

// Searchable is what a search index reads of a service: its texts and the
// values searches filter on.
type Searchable struct {
	Slug        string
	Topic       string
	Audience    []string
	Online      bool
	Free        bool
	Keywords    TextList
	Title       Text
	Summary     Text
	Description Text
}

// Searchable returns what a search index reads of s; the texts are s's own,
// not copies.
func (s *Service) Searchable() *Searchable {
	return &Searchable{
		Slug: s.Slug, Topic: s.Topic, Audience: s.Audience, Online: s.Online(), Free: s.Free(),
		Keywords: s.Keywords, Title: s.Title, Summary: s.Summary, Description: s.Description,
	}
}

// For reports whether the service is for the given audience.
func (s *Service) For(audience string) bool {
	for _, a := range s.Audience {
		if a == audience {
			return true
		}
	}
	return false
}

// Languages lists the languages the service is translated into, in a stable
// order.
func (s *Service) Languages() []string {
	langs := make([]string, 0, len(s.Title))
	for l := range s.Title {
		langs = append(langs, l)
	}
	sort.Strings(langs)
	return langs
}

// Fee is what a chargeable service costs, in minor units (cents).
type Fee struct {
	Amount   int64  `json:"amount"`
	Currency string `json:"currency"`
	Unit     Text   `json:"unit"`
	When     string `json:"when"` // FeeOnApplication or FeeOnApproval
}

// Free reports whether a fee of f costs nothing; a nil fee is none.
func (f *Fee) Free() bool { return f == nil || f.Amount == 0 }

// Renewal says how long what a service grants lasts (a permit, a licence,
// a card), counted from the day it is approved, and how many days before it
// ends its holder is reminded to renew it (notify.RenewalDue).
type Renewal struct {
	ValidForDays     int `json:"valid_for_days"`
	RemindDaysBefore int `json:"remind_days_before"`
}

// MaxValidForDays bounds Renewal.ValidForDays: a hundred years, the
// longest a council grants anything for (a burial right).
const MaxValidForDays = 36600

// When a fee is paid.
const (
	FeeOnApplication = "on_application"
	FeeOnApproval    = "on_approval"
)

// Levels of assurance, on the eIDAS scale.
const (
	AssuranceNone        = "none"
	AssuranceLow         = "low"
	AssuranceSubstantial = "substantial"
	AssuranceHigh        = "high"
)

// OnlineForm is the form a service is applied for with.
type OnlineForm struct {
	Fields []Field `json:"fields"`
}

// Field is one question of an online form.
type Field struct {
	Name      string   `json:"name"`
	Type      string   `json:"type"`
	Required  bool     `json:"required"`
	Label     Text     `json:"label"`
	Help      Text     `json:"help,omitempty"`
	Min       *float64 `json:"min,omitempty"`
	Max       *float64 `json:"max,omitempty"`
	MaxLength *int     `json:"max_length,omitempty"`
	Pattern   *string  `json:"pattern,omitempty"`
	// PatternMessage says, in each language, how to write an answer the
	// pattern refuses ("Enter the fine reference as it appears on the
	// notice, like PN12345678").
	PatternMessage Text `json:"pattern_message,omitempty"`
	// MinDate and MaxDate bound a date field's answers (DateBound): a fixed
	// date, "today" or an offset from today like "+6w".
	MinDate   *string  `json:"min_date,omitempty"`
	MaxDate   *string  `json:"max_date,omitempty"`
	Options   []Option `json:"options,omitempty"`
	Accept    []string `json:"accept,omitempty"`
	MaxSizeMB *float64 `json:"max_size_mb,omitempty"`
}

// Option is one choice of a select, radio or checkbox field.
type Option struct {
	Value string `json:"value"`
	Label Text   `json:"label"`
}

// Journey is a step-by-step guide through several services.
type Journey struct {
	Slug     string        `json:"slug"`
	Audience string        `json:"audience"`
	Title    Text          `json:"title"`
	Summary  Text          `json:"summary"`
	Steps    []JourneyStep `json:"steps"`
}

// JourneyStep is one numbered step of a journey.
type JourneyStep struct {
	Title    Text     `json:"title"`
	Services []string `json:"services"`
}
