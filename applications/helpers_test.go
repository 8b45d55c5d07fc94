package applications

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"sportello/applications/forms"
	"sportello/catalogue"
	"sportello/notify/notifytest"
	"sportello/store"
	"sportello/store/storetest"
)

// The store's tests run against SQLite always and PostgreSQL when
// SPORTELLO_TEST_POSTGRES is set, each test in a fresh database (a schema of
// its own on PostgreSQL, dropped afterwards).

type env struct {
	db    *store.DB
	s     *Store
	clock *clock
	val   *forms.Validator
}

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// eachDB runs test against every database.
func eachDB(t *testing.T, test func(t *testing.T, e *env)) {
	t.Helper()
	storetest.Each(t, func(t *testing.T, db *store.DB) { test(t, newEnv(t, db)) })
}

func newEnv(t testing.TB, db *store.DB) *env {
	madrid, err := time.LoadLocation("Europe/Madrid")
	if err != nil {
		t.Fatal(err)
	}
	c := &clock{t: time.Date(2026, 3, 2, 9, 30, 0, 123456789, time.UTC)}
	s, err := New(db, Options{DataDir: t.TempDir(), Location: madrid, Now: c.now, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	notifytest.AddPeople(t, db, testPeople...)
	return &env{db: db, s: s, clock: c, val: forms.NewValidator(forms.Options{})}
}

// testPeople are the people the tests name by id: applicants 7 to 43, staff
// 900 and 901. Their notifications need them in the people table.
var testPeople = []int64{7, 8, 9, 41, 42, 43, 900, 901}

func en(s string) catalogue.Text { return catalogue.Text{"en": s} }

func ptr[T any](v T) *T { return &v }

// permit is a service with a fee (paid once approved, so that it is
// submitted straight away), a processing time, and a file field; it needs
// signing in.
func permit() *catalogue.Service {
	return &catalogue.Service{
		Slug: "parking-permit", Title: en("Apply for a parking permit"),
		ProcessingTimeDays: ptr(10), Assurance: ptr(catalogue.AssuranceLow),
		Fee: &catalogue.Fee{Amount: 4500, Currency: "EUR", When: catalogue.FeeOnApproval},
		OnlineForm: &catalogue.OnlineForm{Fields: []catalogue.Field{
			{Name: "full_name", Type: "text", Required: true, Label: en("Full name")},
			{Name: "vehicle", Type: "vehicle_registration", Required: true, Label: en("Vehicle")},
			{Name: "proof", Type: "file", Required: true, Label: en("Proof of address"), Accept: []string{"application/pdf", "image/png"}, MaxSizeMB: ptr(5.0)},
		}},
	}
}

// missedBin is free, has no set processing time, and may be used without
// signing in.
func missedBin() *catalogue.Service {
	return &catalogue.Service{
		Slug: "report-missed-bin", Title: en("Report a missed bin"), Assurance: ptr(catalogue.AssuranceNone),
		OnlineForm: &catalogue.OnlineForm{Fields: []catalogue.Field{
			{Name: "notes", Type: "textarea", Label: en("Notes")},
		}},
	}
}

var (
	pdfData = []byte("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n")
	pngData = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00")
)

func upload(name string, data []byte) forms.FileInput {
	return forms.FileInput{Filename: name, Size: int64(len(data)), Open: func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(data)), nil
	}}
}

// validated runs the real validator over answers to service's form.
func (e *env) validated(t testing.TB, service *catalogue.Service, values forms.Values, files forms.Files) *forms.Result {
	t.Helper()
	res, err := e.val.Validate(context.Background(), service.OnlineForm, values, files)
	if err != nil {
		t.Fatal(err)
	}
	if !res.OK() {
		t.Fatalf("answers rejected: %v", res.Errors)
	}
	return res
}

func (e *env) permitInput(t testing.TB, personID int64) SubmitInput {
	t.Helper()
	res := e.validated(t, permit(), forms.Values{"full_name": {"Ana García"}, "vehicle": {"1234 bcd"}},
		forms.Files{"proof": {upload("bill.pdf", pdfData), upload("photo.png", pngData)}})
	token, err := NewToken()
	if err != nil {
		t.Fatal(err)
	}
	return SubmitInput{Token: token, Service: permit(), CatalogueVersion: 7, PersonID: personID,
		Contact: Contact{Name: "Ana García", Email: "ana@example.com"}, Answers: res.Answers, Files: res.Files}
}

func (e *env) submit(t testing.TB, in SubmitInput) *Application {
	t.Helper()
	app, err := e.s.Submit(context.Background(), in)
	if err != nil {
		t.Fatalf("Submit: %v", err)
	}
	return app
}

// uploads lists the ids of the files' contents kept in the database.
func (e *env) uploads(t testing.TB) []string {
	t.Helper()
	names, err := store.Query(context.Background(), e.db.SQL(), "SELECT id FROM blobs ORDER BY id", func(sc store.Scanner) (string, error) {
		var id string
		err := sc.Scan(&id)
		return id, err
	})
	if err != nil {
		t.Fatal(err)
	}
	return names
}

func (e *env) count(t testing.TB, table string) int {
	t.Helper()
	var n int
	if err := e.db.SQL().QueryRow("SELECT COUNT(*) FROM " + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
