// Package paytest holds the payments tests' real components: a fresh
// SQLite or PostgreSQL database per test, and stripe-mock on a free port.
package paytest

import (
	"context"
	"database/sql"
	"encoding/hex"
	"strings"
	"sync"
	"testing"
	"time"

	"sportello/catalogue"
	"sportello/payments"
	"sportello/payments/stripemock"
	"sportello/store"
	"sportello/store/storetest"
)

// EachBackend runs test against SQLite and PostgreSQL (skipped, saying so,
// when SPORTELLO_TEST_POSTGRES is unset), each with a fresh database.
func EachBackend(t *testing.T, test func(t *testing.T, db *store.DB)) {
	t.Helper()
	storetest.Each(t, test)
}

// StripeMock starts stripe-mock for the test and returns its URL; see
// package stripemock.
func StripeMock(t testing.TB) string { return stripemock.Start(t) }

// Fulfiller is a payments.Fulfiller that records each fulfilled payment in a
// table of its own through the transaction it is given, as the portal's
// applications store does: a payment processed twice breaks the table's
// primary key, and a rolled-back payment leaves no row.
type Fulfiller struct {
	db *store.DB
	// Err, when set, is returned instead of fulfilling.
	Err error
}

// NewFulfiller creates the fulfiller's table in db.
func NewFulfiller(t testing.TB, db *store.DB) *Fulfiller {
	t.Helper()
	if _, err := db.SQL().Exec(`CREATE TABLE test_fulfilled (payment_id BIGINT PRIMARY KEY, application_id BIGINT NOT NULL, fee_when TEXT NOT NULL)`); err != nil {
		t.Fatalf("creating test_fulfilled: %v", err)
	}
	return &Fulfiller{db: db}
}

// PaymentSucceeded records p.
func (f *Fulfiller) PaymentSucceeded(ctx context.Context, tx *sql.Tx, p payments.Payment) error {
	if _, err := tx.ExecContext(ctx, f.db.Rebind(`INSERT INTO test_fulfilled (payment_id, application_id, fee_when) VALUES (?, ?, ?)`),
		p.ID, p.ApplicationID, p.FeeWhen); err != nil {
		return err
	}
	return f.Err
}

// Count returns how many times the application was fulfilled.
func (f *Fulfiller) Count(t testing.TB, applicationID int64) int {
	t.Helper()
	var n int
	if err := f.db.SQL().QueryRow(f.db.Rebind(`SELECT COUNT(*) FROM test_fulfilled WHERE application_id = ?`), applicationID).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// Input returns a StartCheckout input for an application with a 12.50 EUR
// fee on application.
func Input(applicationID int64) payments.StartInput {
	return payments.StartInput{
		ApplicationID: applicationID,
		Reference:     "PN-TEST-" + strings.ToUpper(hex.EncodeToString([]byte{byte(applicationID >> 8), byte(applicationID)})),
		ServiceSlug:   "dog-licence",
		Fee:           catalogue.Fee{Amount: 1250, Currency: "EUR", When: catalogue.FeeOnApplication},
		Title:         "Dog licence",
		Lang:          "en",
		SuccessURL:    "https://portal.example/applications/1/paid?session={CHECKOUT_SESSION_ID}",
		CancelURL:     "https://portal.example/applications/1/pay",
	}
}

// Count returns a single number from a query.
func Count(t testing.TB, db *store.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := db.SQL().QueryRow(db.Rebind(query), args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// Clock is a settable clock for the services under test.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock starts a clock at the real time, to the second.
func NewClock() *Clock { return &Clock{now: time.Now().Truncate(time.Second)} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock on.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}
