package payments

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"sportello/store"
)

// Payments taken at the counter. A member of staff records a cash or
// card-terminal payment; it becomes a payment record like a checkout's
// (provider ProviderCounter, its own "session"), and the staff member's
// word is an Event processed exactly as a provider's: the same fulfilment
// of the application, receipt mail, reconciliation and finance list. An
// amount that differs from the fee is flagged for staff, as a provider's
// would be.

// Methods of payment.
const (
	MethodOnline       = "online"
	MethodCash         = "cash"
	MethodCardTerminal = "card_terminal"
)

// ProviderCounter is the provider of payments recorded at the counter.
const ProviderCounter = "counter"

// CounterInput is a payment taken at the counter.
type CounterInput struct {
	StartInput             // the application and its fee, as for a checkout; the URLs are not used
	Method          string // MethodCash or MethodCardTerminal
	MethodReference string // the till receipt or the terminal's transaction number
	Amount          int64  // what was taken, minor units
	StaffPersonID   int64
	// InTx, when set, is called within the payment's transaction (the
	// counter's audit log).
	InTx func(ctx context.Context, tx *sql.Tx, p Payment) error
}

func (in CounterInput) validate() error {
	var problems []string
	if in.ApplicationID <= 0 || strings.TrimSpace(in.Reference) == "" || strings.TrimSpace(in.ServiceSlug) == "" {
		problems = append(problems, "the application (ApplicationID, Reference, ServiceSlug) must be set")
	}
	if in.Method != MethodCash && in.Method != MethodCardTerminal {
		problems = append(problems, fmt.Sprintf("the method %q is neither %s nor %s", in.Method, MethodCash, MethodCardTerminal))
	}
	if strings.TrimSpace(in.MethodReference) == "" || len(in.MethodReference) > 100 {
		problems = append(problems, "the receipt or transaction number must be 1 to 100 characters")
	}
	if in.Amount <= 0 || in.Fee.Amount <= 0 || len(in.Fee.Currency) != 3 {
		problems = append(problems, "the amount and the fee must be positive, in a three-letter currency")
	}
	if in.StaffPersonID == 0 {
		problems = append(problems, "StaffPersonID must be set")
	}
	if len(problems) > 0 {
		return fmt.Errorf("%w: %s", ErrInvalid, strings.Join(problems, "; "))
	}
	return nil
}

// RecordCounter records a payment taken at the counter, in one
// transaction: any checkout the applicant left open is closed (a charge on
// it later is flagged as paid twice), the payment is recorded, and the
// staff member's confirmation is processed as a paid event. It refuses with
// ErrAlreadyPaid or ErrUnderReview like StartCheckout. The payment returned
// is paid, or flagged when the amount was not the fee.
func (s *Service) RecordCounter(ctx context.Context, in CounterInput) (Payment, error) {
	if err := in.validate(); err != nil {
		return Payment{}, err
	}
	in.Fee.Currency = strings.ToLower(in.Fee.Currency)
	now := s.now()
	var p Payment
	var result string
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		_, last, err := s.payable(ctx, tx, in.ApplicationID)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.q(`UPDATE payments SET status = 'cancelled', failure_reason = ?, updated_at = ?
			WHERE application_id = ? AND status IN `+sqlOpen), "superseded by a payment at the counter", now.Unix(), in.ApplicationID); err != nil {
			return s.mapErr(err)
		}
		p = Payment{
			ID: store.NewID(), ApplicationID: in.ApplicationID, Reference: in.Reference, ServiceSlug: in.ServiceSlug,
			ServiceTitle: in.Title, Lang: in.Lang, PersonID: in.PersonID, ContactEmail: in.Email,
			FeeWhen: in.Fee.When, Attempt: last + 1, Provider: ProviderCounter,
			Amount: in.Fee.Amount, Currency: in.Fee.Currency, Status: StatusCreated,
			Method: in.Method, MethodReference: strings.TrimSpace(in.MethodReference), RecordedBy: in.StaffPersonID,
			CreatedAt: now.UTC().Truncate(time.Second),
		}
		id := strconv.FormatInt(p.ID, 10)
		p.SessionID, p.IdempotencyKey = "counter-"+id, "sportello-counter-"+id
		_, err = tx.ExecContext(ctx, s.q(`INSERT INTO payments (id, application_id, reference, service_slug,
			service_title, lang, fee_when, attempt, provider, idempotency_key, session_id, amount, currency, status,
			created_at, updated_at, person_id, contact_email, method, method_reference, recorded_by)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
			p.ID, p.ApplicationID, p.Reference, p.ServiceSlug, p.ServiceTitle, p.Lang, p.FeeWhen,
			p.Attempt, p.Provider, p.IdempotencyKey, p.SessionID, p.Amount, p.Currency, p.Status, now.Unix(), now.Unix(),
			store.NullID(p.PersonID), p.ContactEmail, p.Method, p.MethodReference, store.NullID(p.RecordedBy))
		if err != nil {
			return s.mapErr(err)
		}
		result, err = s.processIn(ctx, tx, Event{
			ID: "counter-" + id, Type: EventCheckoutCompleted, Provider: ProviderCounter, SessionID: p.SessionID,
			PaymentStatus: PaymentStatusPaid, AmountTotal: in.Amount, Currency: in.Fee.Currency,
		})
		if err != nil {
			return err
		}
		if p, err = s.getPayment(ctx, tx, `id = ?`, false, p.ID); err != nil {
			return err
		}
		if in.InTx != nil {
			return in.InTx(ctx, tx, p)
		}
		return nil
	})
	if err != nil {
		return Payment{}, err
	}
	s.count(result, 1)
	s.log.InfoContext(ctx, "payments: payment recorded at the counter", "payment_id", p.ID, "reference", p.Reference,
		"method", p.Method, "status", p.Status, "staff_person_id", in.StaffPersonID)
	return p, nil
}

// Adopt gives the payments of applications to personID within tx, when a
// resident helped at the counter signs in for the first time: their
// receipts then appear in their account. Payments already someone's are
// left alone.
func Adopt(ctx context.Context, db *store.DB, tx *sql.Tx, applicationIDs []int64, personID int64) error {
	for _, id := range applicationIDs {
		if _, err := tx.ExecContext(ctx, db.Rebind(`UPDATE payments SET person_id = ? WHERE application_id = ? AND person_id IS NULL`), personID, id); err != nil {
			return fmt.Errorf("payments: adopting the payments of an application: %w", db.MapError(err))
		}
	}
	return nil
}

// payable locks and returns an application's attempts and the number of
// its last, refusing with ErrAlreadyPaid when one is paid and with
// ErrUnderReview when one is flagged for staff.
func (s *Service) payable(ctx context.Context, tx *sql.Tx, applicationID int64) ([]Payment, int, error) {
	attempts, err := s.listPayments(ctx, tx,
		`SELECT `+paymentColumns+` FROM payments WHERE application_id = ? ORDER BY attempt`+s.db.ForUpdate(), applicationID)
	if err != nil {
		return nil, 0, err
	}
	last := 0
	for _, a := range attempts {
		last = max(last, a.Attempt)
		switch {
		case a.Settled():
			return nil, 0, fmt.Errorf("%w (payment %d)", ErrAlreadyPaid, a.ID)
		case a.Status == StatusFlagged:
			return nil, 0, fmt.Errorf("%w (payment %d: %s)", ErrUnderReview, a.ID, a.FlagReason)
		}
	}
	return attempts, last, nil
}
