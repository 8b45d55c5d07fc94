// Package payments takes the fees of chargeable services through a payment
// provider (Stripe, or the built-in simulated provider) and keeps the record
// of every checkout attempt, refund and provider event in Sportello's
// database.
//
// The provider's verified events are the only thing that marks a payment
// paid: a webhook, the simulated checkout page, Confirm (the success page) and
// Reconcile all turn what the provider says into an Event and hand it to the
// same processing, which stores the event by id and applies it once, in one
// transaction with its effects and with the Fulfiller's change to the
// application.
//
// The package knows nothing of HTTP or of applications: the portal renders
// the pages, routes the webhook, and implements Fulfiller.
package payments

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"sportello/catalogue"
)

// Payment statuses. An attempt is open while created or pending; paid,
// partially_refunded and refunded are settled; flagged means the provider
// reported something that does not match the snapshot (a wrong amount, or a
// charge on an attempt that was already closed) and a member of staff must
// look at it. No new attempt can start while one is open, settled or flagged.
const (
	StatusCreated           = "created"   // recorded, the provider not yet asked
	StatusPending           = "pending"   // the provider gave a checkout; the applicant was sent there
	StatusPaid              = "paid"      // the provider's verified event said paid, amount and currency matched
	StatusFailed            = "failed"    // the payment was declined or could not be started
	StatusExpired           = "expired"   // the checkout expired unpaid
	StatusCancelled         = "cancelled" // the applicant left the checkout
	StatusFlagged           = "flagged"   // for staff: see Payment.FlagReason
	StatusPartiallyRefunded = "partially_refunded"
	StatusRefunded          = "refunded"
)

// Statuses are every payment status: each needs a label in every language
// (the portal's message files have a test), and the payments table's CHECK
// lists the same.
var Statuses = []string{
	StatusCreated, StatusPending, StatusPaid, StatusFailed, StatusExpired,
	StatusCancelled, StatusFlagged, StatusPartiallyRefunded, StatusRefunded,
}

// Refund statuses.
const (
	RefundPending   = "pending" // recorded, the provider not yet confirmed it
	RefundSucceeded = "succeeded"
	RefundFailed    = "failed"
)

// RefundStatuses are every refund status, each with a label like Statuses.
var RefundStatuses = []string{RefundPending, RefundSucceeded, RefundFailed}

// Event types. They are Stripe's names; the simulated provider and Sportello's
// own synchronisation (Confirm, Reconcile, Cancel) produce the same types, so
// that one function decides what each means.
const (
	EventCheckoutCompleted      = "checkout.session.completed"
	EventCheckoutAsyncSucceeded = "checkout.session.async_payment_succeeded"
	EventCheckoutAsyncFailed    = "checkout.session.async_payment_failed"
	EventCheckoutExpired        = "checkout.session.expired"
	EventPaymentFailed          = "payment_intent.payment_failed"
	EventChargeRefunded         = "charge.refunded"
	// EventCheckoutCancelled is Sportello's own: Stripe has no event for an
	// applicant who leaves the checkout, so Cancel expires the session at the
	// provider and then records this.
	EventCheckoutCancelled = "sportello.checkout.cancelled"
)

// Results recorded for each processed event (payment_events.result).
const (
	ResultPaid           = "paid"
	ResultFlagged        = "flagged"
	ResultFailed         = "failed"
	ResultExpired        = "expired"
	ResultCancelled      = "cancelled"
	ResultRefunded       = "refund_recorded"
	ResultAwaitingFunds  = "awaiting_funds" // completed, but the money is not there yet (bank debits)
	ResultUnknownSession = "unknown_session"
	ResultNoChange       = "no_change"
	ResultIgnored        = "ignored" // a type Sportello does not act on
)

// Errors. The portal maps them to HTTP statuses in one place.
var (
	// ErrNotFound: no such payment, session or refund. It matches
	// catalogue.ErrNotFound too, so the portal's existing mapping applies.
	ErrNotFound = fmt.Errorf("payments: not found: %w", catalogue.ErrNotFound)
	// ErrBadSignature: a webhook whose signature is missing, wrong or too old
	// (400). Nothing was recorded.
	ErrBadSignature = errors.New("payments: webhook signature missing, invalid or too old")
	// ErrBadEvent: a correctly signed webhook that cannot be read, or whose
	// API version is not the one Sportello speaks (400; fix the endpoint's
	// API version at the provider).
	ErrBadEvent = errors.New("payments: unreadable webhook event")
	// ErrInvalid: the caller passed something unusable (400).
	ErrInvalid = errors.New("payments: invalid request")
	// ErrAlreadyPaid: the application already has a settled payment (409).
	ErrAlreadyPaid = errors.New("payments: this application is already paid")
	// ErrUnderReview: a payment of the application is flagged for staff (409).
	ErrUnderReview = errors.New("payments: a payment of this application is being reviewed by staff")
	// ErrInProgress: another checkout for the application is being started
	// right now (409; try again in a moment).
	ErrInProgress = errors.New("payments: a checkout for this application is being started")
	// ErrNotOpen: the attempt is no longer open, so it cannot be cancelled or
	// paid (409).
	ErrNotOpen = errors.New("payments: this payment attempt is no longer open")
	// ErrNotRefundable: the payment is not in a state that can be refunded (409).
	ErrNotRefundable = errors.New("payments: this payment cannot be refunded")
	// ErrRefundTooLarge: the refund is more than what was paid minus what was
	// already refunded or is being refunded (409).
	ErrRefundTooLarge = errors.New("payments: the refund is larger than what remains to refund")
	// ErrProvider: the payment provider failed or refused a call (502).
	ErrProvider = errors.New("payments: the payment provider failed")
	// ErrProviderRefused is wrapped by providers around a definite refusal
	// (Stripe's 4xx answers other than 409 and 429), as opposed to an error
	// after which the request may or may not have taken effect.
	ErrProviderRefused = errors.New("payments: the payment provider refused the request")
	// ErrNotSimulated: the simulated checkout was asked for while another
	// provider is configured (404).
	ErrNotSimulated = errors.New("payments: the simulated provider is not in use")
	// ErrProduction: the simulated provider refuses to run in production.
	ErrProduction = errors.New("payments: the simulated payment provider cannot run with SPORTELLO_ENV=production; set SPORTELLO_STRIPE_SECRET_KEY and SPORTELLO_STRIPE_WEBHOOK_SECRET")
)

// Payment is one checkout attempt for an application, with the fee snapshot
// it was started with.
type Payment struct {
	ID            int64
	ApplicationID int64
	Reference     string // the application's reference, e.g. PN-4KX7-9QJM
	ServiceSlug   string
	ServiceTitle  string // in Lang, as shown on the checkout and receipt
	Lang          string
	// PersonID and ContactEmail are the applicant told of what becomes of
	// the payment (package notify): the person signed in, or for someone
	// who was not, the address they gave. Both empty: nobody is told.
	PersonID       int64
	ContactEmail   string
	FeeWhen        string // catalogue.FeeOnApplication or catalogue.FeeOnApproval
	Attempt        int    // 1, 2, ... for the same application
	Provider       string // "stripe" or "simulated"
	SessionID      string // the provider's checkout session; "" while created
	CheckoutURL    string
	IdempotencyKey string
	Amount         int64  // minor units (cents), the snapshot
	Currency       string // lower case ISO 4217, the snapshot
	Status         string
	FlagReason     string // why staff must look, when Status is flagged
	FailureReason  string
	AmountReceived int64 // what the provider charged; 0 until paid or flagged
	RefundedAmount int64
	PaymentIntent  string
	CardBrand      string // "visa", ... when the provider gave it
	CardLast4      string
	CreatedAt      time.Time
	ExpiresAt      time.Time // when the checkout expires; zero while created
	PaidAt         time.Time // zero when never paid
	UpdatedAt      time.Time
	// Method is how it was paid: MethodOnline through the provider's
	// checkout, or at the counter (MethodCash, MethodCardTerminal), with
	// the till receipt or terminal transaction number and the member of
	// staff who recorded it (RecordCounter).
	Method          string
	MethodReference string
	RecordedBy      int64
}

// Open reports whether the attempt can still be paid.
func (p Payment) Open() bool { return p.Status == StatusCreated || p.Status == StatusPending }

// Settled reports whether the application's fee was received (even if
// refunded since).
func (p Payment) Settled() bool {
	return p.Status == StatusPaid || p.Status == StatusPartiallyRefunded || p.Status == StatusRefunded
}

// Refundable is what may still be refunded.
func (p Payment) Refundable() int64 {
	if !p.Settled() && p.Status != StatusFlagged {
		return 0
	}
	return max(p.AmountReceived-p.RefundedAmount, 0)
}

// Refund is one refund of a payment, whole or partial.
type Refund struct {
	ID               int64
	PaymentID        int64
	Amount           int64
	Reason           string
	StaffPersonID    int64
	ProviderRefundID string
	Status           string
	FailureReason    string
	CreatedAt        time.Time
}

// Fulfiller is implemented by the portal: it moves the application on when
// its fee is paid (awaiting payment → submitted for a fee on application,
// approved → paid for a fee on approval; p.FeeWhen says which).
type Fulfiller interface {
	// PaymentSucceeded runs inside the transaction that marks p paid, so that
	// both change together: it must use tx for every statement and never
	// begin another transaction (on SQLite that would wait for itself). An
	// error rolls the payment back too, and the provider's event will be
	// processed again when the provider retries it.
	PaymentSucceeded(ctx context.Context, tx *sql.Tx, p Payment) error
}

// FulfillerFunc adapts a function to Fulfiller.
type FulfillerFunc func(ctx context.Context, tx *sql.Tx, p Payment) error

// PaymentSucceeded calls f.
func (f FulfillerFunc) PaymentSucceeded(ctx context.Context, tx *sql.Tx, p Payment) error {
	return f(ctx, tx, p)
}

// Provider is a payment provider: Stripe (package payments/stripe) or the
// simulated one (NewSimulated).
type Provider interface {
	// Name is stored with each payment: "stripe" or "simulated".
	Name() string
	// CreateSession starts a hosted checkout. The same IdempotencyKey must
	// give back the same session.
	CreateSession(ctx context.Context, r SessionRequest) (Session, error)
	// GetSession returns what the provider knows of a session now.
	GetSession(ctx context.Context, sessionID string) (Session, error)
	// ExpireSession closes an open session so that it can no longer be paid.
	// It fails when the session is not open (already paid or expired).
	ExpireSession(ctx context.Context, sessionID string) error
	// Refund refunds part or all of a payment; the same IdempotencyKey must
	// not refund twice. It returns the provider's refund id.
	Refund(ctx context.Context, r RefundRequest) (string, error)
	// ParseWebhook verifies a webhook's signature on the raw body and reads
	// its event. A bad, missing or stale signature is ErrBadSignature.
	ParseWebhook(payload []byte, sigHeader string) (Event, error)
}

// SessionRequest is what a provider needs to start a checkout. Everything in
// it comes from Sportello's own record, never from the browser.
type SessionRequest struct {
	PaymentID      int64
	ApplicationID  int64
	Reference      string
	Amount         int64
	Currency       string
	Title          string // the line item's name
	Lang           string
	SuccessURL     string // may contain {CHECKOUT_SESSION_ID}
	CancelURL      string
	ExpiresAt      time.Time
	IdempotencyKey string
}

// Session states, as Stripe names them.
const (
	SessionOpen     = "open"
	SessionComplete = "complete"
	SessionExpired  = "expired"

	PaymentStatusPaid   = "paid"
	PaymentStatusUnpaid = "unpaid"
)

// Session is a provider's checkout session.
type Session struct {
	ID            string
	URL           string
	Status        string // SessionOpen, SessionComplete or SessionExpired
	PaymentStatus string // PaymentStatusPaid, PaymentStatusUnpaid, ...
	AmountTotal   int64
	Currency      string
	PaymentIntent string
	CardBrand     string
	CardLast4     string
	ExpiresAt     time.Time
}

// RefundRequest asks a provider to refund Amount of a payment.
type RefundRequest struct {
	PaymentID      int64
	RefundID       int64
	SessionID      string
	PaymentIntent  string
	Amount         int64
	Currency       string
	Reason         string
	IdempotencyKey string
}

// Event is a provider event, verified, in the shape the processing needs.
// Only ID and Type are always set; the rest depends on Type.
type Event struct {
	ID             string // unique per event; a second delivery has the same ID
	Type           string // one of the Event* constants, or another type (ignored)
	Provider       string
	SessionID      string
	PaymentIntent  string
	PaymentID      int64 // from the metadata Sportello put on the session, when present
	PaymentStatus  string
	AmountTotal    int64
	Currency       string
	AmountRefunded int64 // cumulative, for charge.refunded
	CardBrand      string
	CardLast4      string
	FailureMessage string
}

// Checkout is a started checkout: send the applicant to URL.
type Checkout struct {
	PaymentID int64
	SessionID string
	URL       string
	ExpiresAt time.Time
	// Resumed is true when an open attempt of the application was returned
	// instead of starting a new one.
	Resumed bool
}
