// Package notify tells people what is happening to their applications,
// payments and permits, and what support they may now be able to get.
//
// It is a transactional outbox. An area that changes something a person
// must hear about calls Add inside the transaction that makes the change:
// the notification is written with the change or not at all. A Worker,
// one at a time across every instance on the database, later renders each
// due notification in the person's language (a Renderer) and sends it
// through a Channel (email today; an SMS provider is another Channel). A
// send that fails is tried again with backoff; after the last try the
// notification is marked failed, for staff and the metrics. Every event
// has a key, unique in the outbox, so the same event written twice is one
// notification.
//
// Events carry only the facts a message needs (a reference, a service, a
// status, a date): never the answers of a form or its files.
package notify

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"sportello/store"
)

// Kind is what a notification is about. Its Data keys are listed with it;
// every value is a string.
type Kind string

// The kinds. Service, where named, is the catalogue slug; Ref an
// application reference; dates are YYYY-MM-DD in the council's time zone;
// Amount is in minor units with Currency in lower case ("eur").
const (
	// ApplicationReceived: an application reached the council.
	// Data: ref, service, due (the decision due date; may be empty).
	ApplicationReceived Kind = "application_received"
	// InfoRequested: a caseworker needs more information.
	// Data: ref, service, question.
	InfoRequested Kind = "info_requested"
	// StatusChanged: an application moved on, short of a decision.
	// Data: ref, service, status (applications.Status), note (may be empty).
	StatusChanged Kind = "status_changed"
	// Decision: an application was approved or rejected.
	// Data: ref, service, status (approved or rejected), note (the
	// caseworker's, may be empty).
	Decision Kind = "decision"
	// PaymentReceived: a payment was confirmed by the provider.
	// Data: ref, service, payment (its id), amount, currency.
	PaymentReceived Kind = "payment_received"
	// PaymentFailed: a checkout failed or expired unpaid.
	// Data: ref, service, payment, reason (failed or expired).
	PaymentFailed Kind = "payment_failed"
	// RefundMade: money was given back.
	// Data: ref, service, payment, amount, currency.
	RefundMade Kind = "refund_made"
	// FormExpiring: a form in progress will soon be deleted.
	// Data: service, expires (date).
	FormExpiring Kind = "form_expiring"
	// RenewalDue: a permit or licence ends soon.
	// Data: ref, service, ends (date).
	RenewalDue Kind = "renewal_due"
	// SupportAlert: published services newly match a resident's saved
	// support-finder answers. Data: services (slugs, space-separated).
	SupportAlert Kind = "support_alert"
	// EmailConfirm: the link that confirms a new address, sent to that
	// address (Event.Address). Data: token (the link's secret; the worker
	// blanks the data once sent).
	EmailConfirm Kind = "email_confirm"
	// ReportStatus: staff moved a report at a place on (package reports),
	// told to its reporter and to everyone who added theirs to it.
	// Data: ref, service, status (reports.Status), note (may be empty),
	// role ("reporter" or "supporter").
	ReportStatus Kind = "report_status"
	// AppointmentBooked, AppointmentMoved, AppointmentCancelled and
	// AppointmentReminder (the day before) are about an appointment
	// (package appointments). Data: id (the appointment's), service,
	// office (a department slug), start (RFC 3339, UTC), minutes.
	AppointmentBooked    Kind = "appointment_booked"
	AppointmentMoved     Kind = "appointment_moved"
	AppointmentCancelled Kind = "appointment_cancelled"
	AppointmentReminder  Kind = "appointment_reminder"
	// PaymentLink: a member of staff at the counter sent the applicant a
	// link to pay (package assist). Data: ref, service, amount, currency.
	PaymentLink Kind = "payment_link"
	// OrganisationInvite: an invitation to join an organisation, sent to
	// the address invited (Event.Address). Data: token (the link's
	// secret; blanked once sent), organisation (its name), role.
	OrganisationInvite Kind = "organisation_invite"
	// RepresentationInvite: a resident authorised the person at the
	// address (Event.Address) to act for them. Data: token (blanked once
	// sent), principal (their name), until (date).
	RepresentationInvite Kind = "representation_invite"
)

// Kinds are every kind, in the order the account page lists them.
var Kinds = []Kind{
	ApplicationReceived, InfoRequested, StatusChanged, Decision,
	PaymentReceived, PaymentFailed, RefundMade,
	FormExpiring, RenewalDue, SupportAlert, EmailConfirm, ReportStatus,
	AppointmentBooked, AppointmentMoved, AppointmentCancelled, AppointmentReminder, PaymentLink,
	OrganisationInvite, RepresentationInvite,
}

// Secret reports whether kind's data holds a link's secret, which the
// worker forgets once the mail is sent.
func (k Kind) Secret() bool {
	return k == EmailConfirm || k == OrganisationInvite || k == RepresentationInvite
}

// Optional reports whether a person may turn kind off. The others are the
// service messages of something the person asked for (a receipt, a
// decision, a question holding up their case) and are always sent.
// Optional kinds carry List-Unsubscribe.
func (k Kind) Optional() bool {
	switch k {
	case StatusChanged, FormExpiring, RenewalDue, SupportAlert, ReportStatus:
		return true
	}
	return false
}

// Valid reports whether k is one of Kinds.
func (k Kind) Valid() bool {
	for _, v := range Kinds {
		if v == k {
			return true
		}
	}
	return false
}

// Event is something a person must be told.
type Event struct {
	Kind Kind
	// Key is unique to the event ("decision:PN-4KX7-9QJM:3"): adding the
	// same key twice keeps one notification.
	Key string
	// PersonID is who to tell. Address, when set, is where: for someone
	// who was not signed in (PersonID 0), or a new address to confirm.
	PersonID int64
	Address  string
	// Lang is the language the person used when it happened; their own
	// setting, when they made one, wins.
	Lang string
	Data map[string]string
}

// Errors of Add.
var ErrInvalidEvent = errors.New("notify: invalid event")

// Add writes e to the outbox within tx, the transaction making the change
// it is about, due at now. An event whose key is already there is no error
// and changes nothing.
func Add(ctx context.Context, db *store.DB, tx *sql.Tx, now time.Time, e Event) error {
	if !e.Kind.Valid() {
		return fmt.Errorf("%w: unknown kind %q", ErrInvalidEvent, e.Kind)
	}
	if strings.TrimSpace(e.Key) == "" {
		return fmt.Errorf("%w: %s has no key", ErrInvalidEvent, e.Kind)
	}
	if e.PersonID == 0 && e.Address == "" {
		return fmt.Errorf("%w: %s has neither a person nor an address", ErrInvalidEvent, e.Key)
	}
	data, err := json.Marshal(e.Data)
	if err != nil {
		return err
	}
	if e.Data == nil {
		data = []byte("{}")
	}
	id := store.NewID()
	var person any
	if e.PersonID != 0 {
		person = e.PersonID
	}
	_, err = tx.ExecContext(ctx, db.Rebind(`INSERT INTO notifications
		(id, event_key, kind, person_id, address, lang, data, status, next_attempt_at, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?) ON CONFLICT (event_key) DO NOTHING`),
		id, e.Key, string(e.Kind), person, e.Address, e.Lang, string(data), now.UnixMilli(), now.UnixMilli())
	if err != nil {
		return fmt.Errorf("notify: adding %s: %w", e.Key, db.MapError(err))
	}
	return nil
}

// Forget blanks, within tx, every notification about the application ref
// (its facts, the address written to, the person), keeping only that a
// notification of its kind was sent and when: for the end of the
// application's retention. Its mails cannot be unsent, but the council no
// longer keeps what they said.
func Forget(ctx context.Context, db *store.DB, tx *sql.Tx, ref string) error {
	quoted, err := json.Marshal(ref)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, db.Rebind(`UPDATE notifications SET data = '{}', address = '', sent_to = '', subject = '', person_id = NULL,
		event_key = 'forgotten:' || id, status = CASE WHEN status = 'pending' THEN 'skipped' ELSE status END,
		skip_reason = CASE WHEN status = 'pending' THEN 'obsolete' ELSE skip_reason END
		WHERE data LIKE ?`), `%"ref":`+string(quoted)+`%`)
	if err != nil {
		return fmt.Errorf("notify: forgetting the notifications of an application: %w", db.MapError(err))
	}
	return nil
}
